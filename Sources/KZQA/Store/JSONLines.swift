import Foundation

/// Streaming access to large corpus files: a file read in chunks with its hash and UTF-8 check, its lines
/// handed out in batches, and a fast reader for the `{"id","title","text"}` lines of passage files.
/// Memory stays bounded by the chunk and batch sizes whatever the file size.
enum CorpusStream {
    static let chunkSize = 4 << 20

    /// What `scan` learns of a file without keeping it: its content hash (as `ContentHash.of` its bytes),
    /// size, and whether it is UTF-8 text without NUL bytes.
    struct Scan: Sendable {
        var hash: String
        var bytes: Int
        var isText: Bool
    }

    /// Reads `path` once in chunks.
    /// - throws: the error of opening or reading it (its `localizedDescription` is shown in the warning).
    static func scan(_ path: String) throws -> Scan {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var hash = ContentHash()
        var total = 0
        var utf8 = UTF8Check()
        var hasNUL = false
        while true {
            guard let data = try handle.read(upToCount: chunkSize), !data.isEmpty else { break }
            total += data.count
            data.withUnsafeBytes { raw in
                hash.update(raw)
                guard !hasNUL, utf8.isValid else { return }
                if memchr(raw.baseAddress!, 0, raw.count) != nil { hasNUL = true; return }
                utf8.feed(raw.bindMemory(to: UInt8.self))
            }
        }
        return Scan(hash: hash.hex, bytes: total, isText: !hasNUL && utf8.isComplete)
    }

    /// A streaming check that bytes are well-formed UTF-8 (as `String(validating:)` checks them: no overlong
    /// forms, surrogates or scalars past U+10FFFF), fed a chunk at a time; ASCII runs go 8 bytes at a time.
    struct UTF8Check {
        private var needed = 0
        private var low: UInt8 = 0x80, high: UInt8 = 0xBF
        private(set) var isValid = true

        /// True when everything fed is well-formed and no sequence is left unfinished.
        var isComplete: Bool { isValid && needed == 0 }

        mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard isValid, let base = bytes.baseAddress else { return }
            let n = bytes.count
            var i = 0
            while i < n {
                if needed == 0 {
                    while i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
                    guard i < n else { break }
                    let b = base[i]
                    i += 1
                    switch b {
                    case 0x00...0x7F: continue
                    case 0xC2...0xDF: needed = 1; low = 0x80; high = 0xBF
                    case 0xE0: needed = 2; low = 0xA0; high = 0xBF
                    case 0xE1...0xEC, 0xEE, 0xEF: needed = 2; low = 0x80; high = 0xBF
                    case 0xED: needed = 2; low = 0x80; high = 0x9F
                    case 0xF0: needed = 3; low = 0x90; high = 0xBF
                    case 0xF1...0xF3: needed = 3; low = 0x80; high = 0xBF
                    case 0xF4: needed = 3; low = 0x80; high = 0x8F
                    default: isValid = false; return
                    }
                } else {
                    let b = base[i]
                    i += 1
                    guard b >= low && b <= high else { isValid = false; return }
                    needed -= 1
                    low = 0x80
                    high = 0xBF
                }
            }
        }
    }

    /// One line of a file: its 1-based number and bytes (without the `\n` or `\r\n` that ends it).
    struct Line: Sendable {
        var number: Int
        var bytes: [UInt8]
    }

    /// Hands out the lines of a file (split at `\n`) in batches, reading it in chunks.
    final class LineReader {
        private let handle: FileHandle
        private var buffer: [UInt8] = []
        private var start = 0
        private var atEnd = false
        private var lineNumber = 0
        /// Bytes of the file consumed so far (for progress).
        private(set) var bytesRead = 0

        init(path: String) throws {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        }

        deinit { try? handle.close() }

        private func newline(from: Int) -> Int? {
            buffer.withUnsafeBufferPointer { p in
                guard from < p.count, let base = p.baseAddress,
                      let hit = memchr(base + from, 0x0A, p.count - from) else { return nil }
                return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            }
        }

        /// Up to `maxLines` lines, or about `maxBytes` bytes of them; empty at the end of the file.
        func next(maxLines: Int, maxBytes: Int) throws -> [Line] {
            var out: [Line] = []
            var taken = 0
            while out.count < maxLines, taken < maxBytes {
                if let nl = newline(from: start) {
                    lineNumber += 1
                    // "\r\n" ends a line as "\n" does (a lone "\r" elsewhere stays in the line).
                    let end = nl > start && buffer[nl - 1] == 0x0D ? nl - 1 : nl
                    out.append(Line(number: lineNumber, bytes: Array(buffer[start..<end])))
                    taken += nl - start + 1
                    bytesRead += nl - start + 1
                    start = nl + 1
                    continue
                }
                if atEnd {
                    if start < buffer.count {
                        lineNumber += 1
                        out.append(Line(number: lineNumber, bytes: Array(buffer[start...])))
                        bytesRead += buffer.count - start
                        start = buffer.count
                    }
                    break
                }
                // Keep the partial line, then read more.
                if start > 0 { buffer.removeSubrange(0..<start); start = 0 }
                if let data = try handle.read(upToCount: chunkSize), !data.isEmpty {
                    buffer.append(contentsOf: data)
                } else {
                    atEnd = true
                }
            }
            return out
        }
    }
}

/// The fields of a passage line `{"id", "title"?, "text"}` read without building a JSON object tree: strings,
/// integers and null as values, escapes decoded as JSON defines them. Anything else (nested values, floats,
/// booleans, a repeated field, bad syntax, a lone surrogate) gives nil, and the caller falls back to
/// `JSONSerialization`, so both agree on which lines are valid and what they hold.
struct PassageLine: Equatable {
    /// The id when a string, or an integer id written in decimal; nil when absent or null.
    var id: String?
    /// nil when absent or null.
    var title: String?
    var text: String

    /// Parses one line (without its `\n`).
    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> PassageLine? {
        var p = Parser(bytes: line)
        return p.record()
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D || bytes[i] == 0x0A { i += 1 }
        }

        mutating func expect(_ b: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == b else { return false }
            i += 1
            return true
        }

        enum Value { case string(String), integer(String), null }

        mutating func record() -> PassageLine? {
            skipSpace()
            guard expect(UInt8(ascii: "{")) else { return nil }
            var id: Value?, title: Value?, text: Value?
            skipSpace()
            if !expect(UInt8(ascii: "}")) {
                while true {
                    skipSpace()
                    guard expect(UInt8(ascii: "\"")), let key = string() else { return nil }
                    skipSpace()
                    guard expect(UInt8(ascii: ":")) else { return nil }
                    skipSpace()
                    guard let v = value() else { return nil }
                    switch key {
                    case "id": if id != nil { return nil }; id = v
                    case "title": if title != nil { return nil }; title = v
                    case "text": if text != nil { return nil }; text = v
                    default: break
                    }
                    skipSpace()
                    if expect(UInt8(ascii: ",")) { continue }
                    guard expect(UInt8(ascii: "}")) else { return nil }
                    break
                }
            }
            skipSpace()
            guard i == bytes.count else { return nil }
            guard case .string(let body)? = text else { return nil }
            var out = PassageLine(id: nil, title: nil, text: body)
            switch id {
            case .string(let s)?: out.id = s
            case .integer(let s)?: out.id = s
            case .null?, nil: break
            }
            switch title {
            case .string(let s)?: out.title = s
            case .null?, nil: break
            case .integer?: return nil
            }
            return out
        }

        mutating func value() -> Value? {
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "\""):
                i += 1
                return string().map(Value.string)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return integer()
            case UInt8(ascii: "n"):
                guard i + 4 <= bytes.count, bytes[i + 1] == UInt8(ascii: "u"), bytes[i + 2] == UInt8(ascii: "l"),
                      bytes[i + 3] == UInt8(ascii: "l") else { return nil }
                i += 4
                return .null
            default:
                return nil
            }
        }

        /// A decimal integer that fits in an `Int`, written as `String(Int)` would write it.
        mutating func integer() -> Value? {
            let begin = i
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            let digitsStart = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            let digits = i - digitsStart
            guard digits > 0, digits <= 18 else { return nil }
            // Leading zeros and -0 are left to the full parser.
            if bytes[digitsStart] == 0x30, digits > 1 || digitsStart > begin { return nil }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") { return nil }
            return .integer(String(decoding: UnsafeBufferPointer(rebasing: bytes[begin..<i]), as: UTF8.self))
        }

        /// The rest of a string after its opening quote.
        mutating func string() -> String? {
            let begin = i
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[begin..<i]), as: UTF8.self)
                    i += 1
                    return s
                }
                if b == UInt8(ascii: "\\") { break }
                if b < 0x20 { return nil }
                i += 1
            }
            guard i < bytes.count else { return nil }
            // With escapes: decode into a buffer.
            var out = Array(UnsafeBufferPointer(rebasing: bytes[begin..<i]))
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    i += 1
                    return String(decoding: out, as: UTF8.self)
                }
                if b < 0x20 { return nil }
                if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
                guard i + 1 < bytes.count else { return nil }
                let e = bytes[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var v = hex4() else { return nil }
                    if v >= 0xD800 && v < 0xDC00 {
                        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else { return nil }
                        i += 2
                        guard let low = hex4(), low >= 0xDC00, low < 0xE000 else { return nil }
                        v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                    } else if v >= 0xDC00 && v < 0xE000 {
                        return nil
                    }
                    guard let scalar = Unicode.Scalar(v) else { return nil }
                    out.append(contentsOf: UTF8.encode(scalar)!)
                default:
                    return nil
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard i + 4 <= bytes.count else { return nil }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[i]
                let d: UInt8
                switch b {
                case 0x30...0x39: d = b - 0x30
                case 0x41...0x46: d = b - 0x41 + 10
                case 0x61...0x66: d = b - 0x61 + 10
                default: return nil
                }
                v = v << 4 | UInt32(d)
                i += 1
            }
            return v
        }
    }
}
