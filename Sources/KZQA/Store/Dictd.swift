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
        entries = try Self.parse(index: [UInt8](indexData), body: body, path: indexPath, layout: layout)
    }

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// The entries of an index over `body`; the `00database…` lines (dictd's metadata) are skipped.
    /// Lines and fields are found by byte (the English–German index has some 460,000 lines; splitting it as a
    /// String would segment every character).
    static func parse(index: [UInt8], body: [UInt8], path: String, layout: Layout = .senses) throws -> [Entry] {
        var out: [Entry] = []
        for (n, line) in index.split(separator: 0x0A, omittingEmptySubsequences: true).enumerated() {
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
            guard fields.count >= 3, let offset = base64Number(String(decoding: fields[1], as: UTF8.self)),
                  let length = base64Number(String(decoding: fields[2], as: UTF8.self)) else {
                throw KZQAError.fileUnreadable(path: path, reason: "line \(n + 1) is not `headword<TAB>offset<TAB>length` with base64 numbers")
            }
            var head = fields[0]
            while let f = head.first, f == 0x20 { head = head.dropFirst() }
            while let l = head.last, l == 0x20 || l == 0x0D { head = head.dropLast() }
            let headword = String(decoding: head, as: UTF8.self)
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
            out.append(Entry(headword: headword, senses: senses(of: body[offset..<end], layout: layout)))
        }
        return out
    }

    /// The senses of an entry's text: every line after the headword line, its `N.` number dropped, split at commas
    /// (commas inside parentheses do not split).
    static func senses(of text: String, layout: Layout = .senses) -> [[String]] {
        senses(of: Array(text.utf8)[...], layout: layout)
    }

    /// `senses` on an entry's bytes, as the body file holds them.
    static func senses(of text: ArraySlice<UInt8>, layout: Layout = .senses) -> [[String]] {
        var out: [[String]] = []
        // By byte: every mark looked for is ASCII (the English–German dictionary has some 460,000 entries).
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        for (k, line) in text.split(separator: 0x0A).dropFirst().enumerated() {
            var s = line[...]
            while let f = s.first, isSpace(f) { s = s.dropFirst() }
            while let l = s.last, isSpace(l) { s = s.dropLast() }
            var numbered = false
            if let dot = s.firstIndex(of: 0x2E), dot > s.startIndex, s[..<dot].allSatisfy(isDigit) {
                s = s[(dot + 1)...]
                numbered = true
            }
            switch layout {
            case .senses: break
            case .firstLine: if k > 0 { return out }
            case .glossed:
                guard k == 0 || numbered else { continue }
                // `souveraineté 2.`: the next sense's number closing this line.
                if let space = s.lastIndex(of: 0x20), s.last == 0x2E, s[(space + 1)...].dropLast().allSatisfy(isDigit) {
                    s = s[..<space]
                }
            }
            // Split at commas and semicolons outside parentheses, each part trimmed.
            var sense: [String] = [], depth = 0
            let bytes = Array(s)
            var start = 0
            func close(_ end: Int) {
                var a = start, b = end
                while a < b, isSpace(bytes[a]) { a += 1 }
                while b > a, isSpace(bytes[b - 1]) { b -= 1 }
                if a < b { sense.append(String(decoding: bytes[a..<b], as: UTF8.self)) }
            }
            for (k, c) in bytes.enumerated() {
                switch c {
                case 0x28: depth += 1
                case 0x29: depth = max(0, depth - 1)
                case 0x2C where depth == 0, 0x3B where depth == 0: close(k); start = k + 1
                default: break
                }
            }
            close(bytes.count)
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
