/// Writes the compact blobs kzqa stores (`passage_analysis`) and caches (the compiled thesaurus): unsigned LEB128
/// varints and length-prefixed UTF-8 strings.
struct VarintWriter {
    var bytes: [UInt8] = []
    mutating func varint(_ value: Int) {
        var v = UInt64(max(0, value))
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }
    mutating func string<S: StringProtocol>(_ s: S) {
        varint(s.utf8.count)
        bytes.append(contentsOf: s.utf8)
    }
}

/// Reads what `VarintWriter` wrote; any overrun makes `failed` true and the value read meaningless.
struct VarintReader {
    let p: UnsafeRawBufferPointer
    var i = 0
    var failed = false
    init(_ p: UnsafeRawBufferPointer) { self.p = p }
    mutating func byte() -> UInt8 {
        guard i < p.count else { failed = true; return 0 }
        defer { i += 1 }
        return p[i]
    }
    mutating func varint() -> Int {
        var v: UInt64 = 0, shift: UInt64 = 0
        while true {
            let b = byte()
            if failed || shift > 56 { failed = true; return 0 }
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return Int(v) }
            shift += 7
        }
    }
    mutating func string() -> String {
        let n = varint()
        guard !failed, n <= p.count - i else { failed = true; return "" }
        defer { i += n }
        return String(decoding: UnsafeRawBufferPointer(rebasing: p[i..<(i + n)]), as: UTF8.self)
    }
}
