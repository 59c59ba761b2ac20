/// Splits a paragraph into sentences, each a UTF-8 byte range of the original (trimmed of white space).
///
/// A sentence ends at `.`, `!`, `?` or `…` (closing quotes and brackets that follow belong to it) when
/// white space and a sentence start follow. It does not end after abbreviations (`M.`, `Dr.`, `p.`, `etc.`
/// followed by a lowercase word), single-letter initials (`G. (2025`), inside numbers (`1.5`), at an
/// editorial mark in brackets (`[…]`, `(?)`), or inside « … » before the closing guillemet.
///
/// ```swift
/// SentenceSplitter().split("M. Lee a parlé. Il est parti.") // 2 ranges
/// ```
public struct SentenceSplitter: Sendable {
    /// Abbreviations (folded, without their period) after which a period does not end a sentence.
    public static let abbreviations: Set<String> = [
        "m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "st", "ste", "s", "p", "pp", "cf", "ex", "etc",
        "vol", "no", "n", "art", "chap", "fig", "éd", "ed", "eds", "env", "av", "apr", "j.-c", "hab", "min",
        "max", "sq", "op", "cit", "ibid", "inc", "ltd", "co", "jr", "sr", "mr", "mrs", "ms", "vs", "al",
    ]

    public init() {}

    /// Sentence byte ranges within `text`.
    public func split(_ text: String) -> [Range<Int>] {
        let scalars = Array(text.unicodeScalars)
        var offsets: [Int] = []
        offsets.reserveCapacity(scalars.count + 1)
        var b = 0
        for s in scalars { offsets.append(b); b += UTF8.width(s) }
        offsets.append(b)

        var ranges: [Range<Int>] = []
        var sentenceStart = 0
        var quoteDepth = 0
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "«" { quoteDepth += 1 }
            if c == "»" { quoteDepth = max(0, quoteDepth - 1) }
            guard c == "." || c == "!" || c == "?" || c == "…" else { i += 1; continue }
            // Runs of terminators (?!, ...) end together.
            var end = i + 1
            while end < scalars.count, [".", "!", "?", "…"].contains(scalars[end]) { end += 1 }
            // Closing quotes and brackets belong to the sentence.
            var closesQuote = false
            while end < scalars.count {
                let n = scalars[end]
                if n == "»" || n == "”" || n == "\"" || n == ")" || n == "]" || n == "’" {
                    if n == "»" { closesQuote = true; quoteDepth = max(0, quoteDepth - 1) }
                    end += 1
                } else if (n == " " || n == "\u{00A0}" || n == "\u{202F}"), end + 1 < scalars.count, scalars[end + 1] == "»" {
                    end += 1
                } else { break }
            }
            // `[…]`, `(...)`, `(?)`: editorial marks inside brackets, not the end of a sentence.
            if i > 0, scalars[i - 1] == "[" || scalars[i - 1] == "(" { i = end; continue }
            guard end < scalars.count, Self.isSpace(scalars[end]) else { i = end; continue }
            var next = end
            while next < scalars.count, Self.isSpace(scalars[next]) { next += 1 }
            guard next < scalars.count else { i = end; continue }
            if quoteDepth > 0 && !closesQuote { i = end; continue }
            if c == "." && end == i + 1 && !closesQuote && isAbbreviation(before: i, scalars: scalars, nextStart: scalars[next]) {
                i = end; continue
            }
            guard Self.startsSentence(scalars[next]) else { i = end; continue }
            appendTrimmed(&ranges, from: sentenceStart, to: end, scalars: scalars, offsets: offsets)
            sentenceStart = next
            i = next
        }
        appendTrimmed(&ranges, from: sentenceStart, to: scalars.count, scalars: scalars, offsets: offsets)
        return ranges
    }

    /// True when the word before the period at `dot` is an abbreviation or an initial.
    func isAbbreviation(before dot: Int, scalars: [Unicode.Scalar], nextStart: Unicode.Scalar) -> Bool {
        var w = dot
        while w > 0, Tokenizer.isWordScalar(scalars[w - 1]) || scalars[w - 1] == "." || scalars[w - 1] == "-" { w -= 1 }
        let word = String(String.UnicodeScalarView(scalars[w..<dot]))
        if word.isEmpty { return false }
        let letters = word.unicodeScalars.filter { $0 != "." && $0 != "-" }
        // A single capital letter is an initial (`G.`, `K.-J.`); dotted acronyms too.
        if letters.count == 1, letters.allSatisfy({ $0.properties.isUppercase }) { return true }
        if word.contains("."), letters.allSatisfy({ $0.properties.isUppercase }) { return true }
        let folded = Folding.lowercase(word)
        if Self.abbreviations.contains(folded) {
            // `etc.` ends a sentence when a capital follows; titles such as `M.` never do.
            if folded == "etc" { return !nextStart.properties.isUppercase }
            return true
        }
        return false
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace }

    static func startsSentence(_ s: Unicode.Scalar) -> Bool {
        s.properties.isUppercase || s.properties.generalCategory == .decimalNumber
            || ["«", "\"", "“", "(", "[", "—", "–", "-", "‘", "¿", "¡", "'"].contains(s)
            || (s.properties.isAlphabetic && !s.properties.isLowercase)
    }

    private func appendTrimmed(_ ranges: inout [Range<Int>], from: Int, to: Int, scalars: [Unicode.Scalar], offsets: [Int]) {
        var a = from, z = to
        while a < z, Self.isSpace(scalars[a]) { a += 1 }
        while z > a, Self.isSpace(scalars[z - 1]) { z -= 1 }
        if a < z { ranges.append(offsets[a]..<offsets[z]) }
    }
}
