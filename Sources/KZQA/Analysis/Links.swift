/// Web addresses written in a text (`https://astanatimes.com/2025/08/…`, `www.example.org`): what the answer
/// layer must not read as prose. The digits of a link's path are not a quantity or a date, and its words are not
/// a name or an answer span; the tokenizer still cuts a link into words, so retrieval can match them.
public enum Links {
    /// The byte ranges of the links in `text`: from a `http://`, `https://` or `www.` that starts a word up to
    /// the next white space (the link's closing bracket and a trailing period included, as they are written).
    /// `ranges(in: "Lire https://a.kz/2025 ici")` → `[5..<22]`.
    public static func ranges(in text: String) -> [Range<Int>] {
        var text = text
        return text.withUTF8 { bytes in
            guard mayHoldLink(bytes) else { return [] }
            var out: [Range<Int>] = []
            var i = 0
            while i < bytes.count {
                let boundary = i == 0 || isSpaceOrOpening(bytes[i - 1])
                if boundary, let length = prefixLength(bytes, at: i) {
                    var end = i + length
                    while end < bytes.count, !isSpace(bytes[end]) { end += 1 }
                    out.append(i..<end)
                    i = end
                } else {
                    i += 1
                }
            }
            return out
        }
    }

    /// The tokens of `tokens` that do not stand inside a link of `text` (the text their offsets refer to).
    public static func outside(_ tokens: [Token], text: String) -> [Token] {
        let links = ranges(in: text)
        guard !links.isEmpty else { return tokens }
        return tokens.filter { t in !links.contains { $0.contains(t.start) } }
    }

    /// Whether `://` or `www.` occurs at all: one pass of two byte comparisons, since most sentences hold no link.
    static func mayHoldLink(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 4 else { return false }
        for i in 0..<(bytes.count - 3) {
            let b = bytes[i]
            if b == 0x3A, bytes[i + 1] == 0x2F, bytes[i + 2] == 0x2F { return true }
            if b | 0x20 == 0x77, bytes[i + 1] | 0x20 == 0x77, bytes[i + 2] | 0x20 == 0x77, bytes[i + 3] == 0x2E { return true }
        }
        return false
    }

    static let schemes: [[UInt8]] = ["https://", "http://", "www."].map { Array($0.utf8) }

    static func prefixLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        for scheme in schemes where i + scheme.count < bytes.count {
            var match = true
            for (k, b) in scheme.enumerated() where lower(bytes[i + k]) != b { match = false; break }
            if match { return scheme.count }
        }
        return nil
    }

    static func lower(_ b: UInt8) -> UInt8 { (65...90).contains(b) ? b + 32 : b }
    static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 }
    /// White space or an opening mark a link may follow directly: `(`, `[`, `<`, quotes, and the last byte of `«` and of a no-break space in UTF-8.
    static func isSpaceOrOpening(_ b: UInt8) -> Bool {
        isSpace(b) || b == 40 || b == 91 || b == 60 || b == 34 || b == 39 || b == 0xAB || b == 0xA0
    }
}
