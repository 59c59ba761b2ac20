/// A small JSON writer with a fixed key order: what `AnswerJSON` and the server's replies are written with, so the
/// same value always gives the same bytes (Foundation's `JSONEncoder` orders keys differently from run to run).
///
/// Strings keep non-ASCII characters and `/` as they are; quotes, backslashes and control characters are escaped.
/// Numbers meant for people are rounded to `JSONText.places` decimal places.
public struct JSONText: Sendable {
    public private(set) var text = ""
    private var needsComma: [Bool] = []

    /// Decimal places kept by `number(_:)`.
    public static let places = 4

    public init() {}

    /// Writes `{`, calls `body` to add the members, then `}`.
    public mutating func object(_ body: (inout JSONText) -> Void) {
        separate()
        text += "{"
        needsComma.append(false)
        body(&self)
        needsComma.removeLast()
        text += "}"
    }

    /// Writes `[`, calls `body` to add the elements, then `]`.
    public mutating func array(_ body: (inout JSONText) -> Void) {
        separate()
        text += "["
        needsComma.append(false)
        body(&self)
        needsComma.removeLast()
        text += "]"
    }

    /// Writes a member's key; the next value written is its value.
    public mutating func key(_ name: String) {
        separate()
        Self.appendQuoted(name, to: &text)
        text += ":"
        // The value that follows takes no comma of its own.
        if !needsComma.isEmpty { needsComma[needsComma.count - 1] = false }
    }

    public mutating func string(_ value: String) {
        separate()
        Self.appendQuoted(value, to: &text)
    }

    public mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    public mutating func int(_ value: Int) {
        separate()
        text += String(value)
    }

    public mutating func int(_ value: Int?) {
        if let value { int(value) } else { null() }
    }

    public mutating func bool(_ value: Bool) {
        separate()
        text += value ? "true" : "false"
    }

    /// A number meant for people, rounded to `places` decimal places (non-finite values are written as 0).
    public mutating func number(_ value: Double) {
        separate()
        text += Self.rounded(value)
    }

    public mutating func null() {
        separate()
        text += "null"
    }

    /// Appends already-encoded JSON (e.g. a cached object) as the next value.
    public mutating func raw(_ json: String) {
        separate()
        text += json
    }

    /// Shorthands for one member.
    public mutating func member(_ name: String, _ value: String) { key(name); string(value) }
    public mutating func member(_ name: String, _ value: String?) { key(name); string(value) }
    public mutating func member(_ name: String, _ value: Int) { key(name); int(value) }
    public mutating func member(_ name: String, _ value: Bool) { key(name); bool(value) }
    public mutating func member(_ name: String, number value: Double) { key(name); number(value) }

    /// `value` rounded to `places` decimals, written the shortest way that reads back to it (`0.925`, `12.7`, `1.0`).
    public static func rounded(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        var r = (value * scale).rounded() / scale
        if r == 0 { r = 0 }  // no "-0.0"
        return String(r)
    }

    /// A JSON string literal of `value`.
    public static func quoted(_ value: String) -> String {
        var out = ""
        appendQuoted(value, to: &out)
        return out
    }

    private static func appendQuoted(_ value: String, to out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let s where s.value < 0x20 || s.value == 0x2028 || s.value == 0x2029:
                let hex = String(s.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    private mutating func separate() {
        guard !needsComma.isEmpty else { return }
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }
}
