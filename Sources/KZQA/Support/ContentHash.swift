/// A 64-bit FNV-1a hash of a file's bytes, written as 16 hex digits: enough to tell a changed file from an
/// unchanged one (it is not a cryptographic digest).
public struct ContentHash: Sendable {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var h = state
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01b3
        }
        state = h
    }

    public var hex: String {
        let s = String(state, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    public static func of(_ bytes: [UInt8]) -> String {
        var h = ContentHash()
        bytes.withUnsafeBytes { h.update($0) }
        return h.hex
    }
}
