import CZlib
import Foundation

/// Reads a dictionary in the dictd format (FreeDict's Debian packages: `/usr/share/dictd/freedict-eng-fra.index`
/// and `.dict.dz`): an index of `headword<TAB>offset<TAB>length` lines, offsets and lengths written as base64
/// numbers, over a gzip-compressed (dictzip) body file.
///
/// An entry's text is its headword line (`headword /phonetics/ <pos>`) followed by its senses, one a line,
/// numbered `1. …` when there are several; a sense lists its translations separated by commas.
public struct DictdDictionary: Sendable {
    /// One headword and its translations, sense by sense.
    public struct Entry: Sendable, Equatable {
        public var headword: String
        public var senses: [[String]]
        /// Every translation, in sense order, each once.
        public var translations: [String] {
            var seen = Set<String>()
            return senses.flatMap { $0 }.filter { seen.insert($0).inserted }
        }
    }

    public let entries: [Entry]

    /// Where Debian's `dict-freedict-eng-fra` puts the English–French dictionary (`.index` and `.dict.dz`).
    public static let englishFrenchBase = "/usr/share/dictd/freedict-eng-fra"
    /// And `dict-freedict-fra-eng` the French–English one.
    public static let frenchEnglishBase = "/usr/share/dictd/freedict-fra-eng"
    /// `dict-freedict-eng-deu` (English–German, from the Ding dictionary) and `dict-freedict-deu-fra`
    /// (German–French, from Wiktionary): the pivot for English words the English–French pair lacks.
    public static let englishGermanBase = "/usr/share/dictd/freedict-eng-deu"
    public static let germanFrenchBase = "/usr/share/dictd/freedict-deu-fra"

    /// How an entry's lines after the headword read.
    public enum Layout: Sendable {
        /// Every line is a sense (`1. …`), its translations separated by commas (eng-fra, fra-eng).
        case senses
        /// Only the first line holds translations; the rest are examples, notes and cross-references (the Ding
        /// dictionary: `"sovereignty over the airspace" - Lufthoheit`, `see: {…}`).
        case firstLine
        /// Translation lines alternate with definitions in the source language (Wiktionary-derived dictionaries:
        /// `1. conseil, avis` then `Empfehlung, sich …`): the first line and each numbered one are translations,
        /// a trailing `N.` that opens the next sense dropped.
        case glossed
    }

    /// Reads `<base>.index` and `<base>.dict.dz` (or an uncompressed `<base>.dict`).
    /// - throws: `KZQAError.fileUnreadable` when a file is missing or malformed.
    public init(base: String, layout: Layout = .senses) throws {
        let indexPath = base + ".index"
        guard let indexData = FileManager.default.contents(atPath: indexPath) else {
            throw KZQAError.fileUnreadable(path: indexPath, reason: "the dictionary index cannot be read (on Debian: apt-get install dict-freedict-eng-fra, or run scripts/setup.sh)")
        }
        let body: [UInt8]
        if let compressed = FileManager.default.contents(atPath: base + ".dict.dz") {
            body = try Self.gunzip([UInt8](compressed), path: base + ".dict.dz")
        } else if let plain = FileManager.default.contents(atPath: base + ".dict") {
            body = [UInt8](plain)
        } else {
            throw KZQAError.fileUnreadable(path: base + ".dict.dz", reason: "the dictionary body cannot be read (on Debian: apt-get install dict-freedict-eng-fra)")
        }
        entries = try Self.parse(index: String(decoding: indexData, as: UTF8.self), body: body, path: indexPath, layout: layout)
    }

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// The entries of an index over `body`; the `00database…` lines (dictd's metadata) are skipped.
    static func parse(index: String, body: [UInt8], path: String, layout: Layout = .senses) throws -> [Entry] {
        var out: [Entry] = []
        for (n, line) in index.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3, let offset = base64Number(fields[1]), let length = base64Number(fields[2]) else {
                throw KZQAError.fileUnreadable(path: path, reason: "line \(n + 1) is not `headword<TAB>offset<TAB>length` with base64 numbers")
            }
            let headword = fields[0].trimmingCharacters(in: .whitespaces)
            if headword.hasPrefix("00database") || headword.hasPrefix("00-database") || headword.isEmpty { continue }
            guard offset + length <= body.count else {
                throw KZQAError.fileUnreadable(path: path, reason: "line \(n + 1) points past the end of the dictionary body")
            }
            var end = offset + length
            if layout == .firstLine {
                // The headword line and the first line of translations are all that is read.
                var newlines = 0
                for k in offset..<end where body[k] == 0x0A {
                    newlines += 1
                    if newlines == 2 { end = k; break }
                }
            }
            let text = String(decoding: body[offset..<end], as: UTF8.self)
            out.append(Entry(headword: headword, senses: senses(of: text, layout: layout)))
        }
        return out
    }

    /// The senses of an entry's text: every line after the headword line, its `N.` number dropped, split at commas
    /// (commas inside parentheses do not split).
    static func senses(of text: String, layout: Layout = .senses) -> [[String]] {
        var out: [[String]] = []
        for (k, line) in text.split(separator: "\n").dropFirst().enumerated() {
            var s = Substring(line.trimmingCharacters(in: .whitespaces))
            var numbered = false
            if let dot = s.firstIndex(of: "."), dot > s.startIndex, s[..<dot].allSatisfy(\.isNumber) {
                s = s[s.index(after: dot)...]
                numbered = true
            }
            switch layout {
            case .senses: break
            case .firstLine: if k > 0 { return out }
            case .glossed:
                guard k == 0 || numbered else { continue }
                // `souveraineté 2.`: the next sense's number closing this line.
                if let space = s.lastIndex(of: " "), s.hasSuffix("."), s[s.index(after: space)...].dropLast().allSatisfy(\.isNumber) {
                    s = s[..<space]
                }
            }
            var parts: [String] = [], current = "", depth = 0
            for c in s {
                switch c {
                case "(": depth += 1; current.append(c)
                case ")": depth = max(0, depth - 1); current.append(c)
                case "," where depth == 0, ";" where depth == 0: parts.append(current); current = ""
                default: current.append(c)
                }
            }
            parts.append(current)
            let sense = parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if !sense.isEmpty { out.append(sense) }
        }
        return out
    }

    /// A dictd base64 number: digits of `A–Z a–z 0–9 + /` (values 0…63), most significant first.
    static func base64Number<S: StringProtocol>(_ s: S) -> Int? {
        guard !s.isEmpty else { return nil }
        var value = 0
        for b in s.utf8 {
            let digit: Int
            switch b {
            case 65...90: digit = Int(b) - 65
            case 97...122: digit = Int(b) - 97 + 26
            case 48...57: digit = Int(b) - 48 + 52
            case 43: digit = 62
            case 47: digit = 63
            default: return nil
            }
            guard value <= (Int.max - digit) / 64 else { return nil }
            value = value * 64 + digit
        }
        return value
    }

    /// Decompresses a gzip stream (a dictzip file is one) with zlib.
    static func gunzip(_ input: [UInt8], path: String) throws -> [UInt8] {
        var stream = z_stream()
        // 15 + 32: a zlib or gzip header, detected.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw KZQAError.fileUnreadable(path: path, reason: "zlib could not start decompressing")
        }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = input
        var status: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = uInt(inBuf.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    out.append(contentsOf: outBuf[0..<(outBuf.count - Int(stream.avail_out))])
                }
            } while status == Z_OK
        }
        guard status == Z_STREAM_END else {
            throw KZQAError.fileUnreadable(path: path, reason: "it is not a complete gzip file (zlib status \(status))")
        }
        return out
    }
}
