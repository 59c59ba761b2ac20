import Foundation
import KZQA

// Seeded generation of adversarial Unicode for the analysis and query-building path: the fuzz driver
// (Sources/kzqa-fuzz) and the property test in Tests/KZQATests/FuzzRegressionTests.swift both draw from it.

/// SplitMix64: tiny, fast, and the same sequence on every platform for a given seed, so a seed reproduces a run.
public struct SplitMix64: RandomNumberGenerator {
    public private(set) var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds inputs from pieces French text is made of (elisions, hyphens, numbers with narrow spaces, dotted
/// acronyms, guillemets), FTS5 syntax, and Unicode that tends to break text code (combining marks, ZWJ
/// sequences, controls, NUL, U+FFFD, characters whose NFKC form expands or changes case, other scripts'
/// digits), plus mutations of real sentences and very long words and texts. The same seed gives the same
/// inputs, so that a fuzz run and the test suite's property test are reproducible.
public struct InputGenerator {
    var rng: SplitMix64
    /// Sentences to mutate (from seeds/); may be empty.
    let sentences: [String]

    /// More pieces, drawn as often as all the built-in ones together.
    let extraPieces: [String]

    /// The size long words and long texts grow to (UTF-8 bytes; an input may pass it by a sentence or two).
    let maxBytes: Int

    /// - Parameters:
    ///   - sentences: text to mutate, e.g. `seedSentences(in:)`; may be empty.
    ///   - extraPieces: drawn as often as all the built-in pieces together (the random driver's canary word).
    ///   - maxBytes: where long words and texts stop growing: 64 KiB for the fuzzer, less for a time-boxed test.
    public init(seed: UInt64, sentences: [String], extraPieces: [String] = [], maxBytes: Int = 65_536) {
        rng = SplitMix64(seed: seed)
        self.sentences = sentences
        self.extraPieces = extraPieces
        self.maxBytes = max(1, maxBytes)
    }

    /// Whole pieces: French tokens that exercise the tokenizer's special cases, and FTS5 syntax. The last line
    /// holds what earlier fuzz findings were made of (pinned in FuzzRegressionTests).
    static let pieces: [String] = [
        "l’intelligence", "L'IA", "d’abord", "jusqu’à", "jusqu'", "aujourd’hui", "qu’", "lorsqu'", "l’", "d'", "s’",
        "Ministère", "œuvre", "Cœur", "naïve", "Noël", "ﬁn", "ﬃ", "24ᵉ", "1er", "1re", "2ème", "XXIᵉ", "ŉ",
        "O.N.U.", "O.N.U", "l’O.N.U", "U.E", "A.", "M.", "Dr.", "etc.", "p.", "J.-C.", "K.-J.",
        "e-Gov", "a-t-il", "peut-on", "COVID-19", "vice-Premier", "au-delà", "-t-", "‐", "‑", "--",
        "67 000", "67\u{00A0}000", "1\u{202F}234", "1 234 567", "1,2", "3.14", "1,2,3", "12 %", "12%", "3,5 €", "5 $",
        "1\u{2009}000", "000", "0", "١٢٣", "३४५", "１２３", "²", "①", "Ⅻ", "½",
        "«", "»", "« ", " »", "\u{00A0}»", "“", "”", "‘", "’", "ʼ", "'", "\"", "…", "...", "?!", "!", "?", ".", ",",
        "(", ")", "[", "]", "[…]", "(?)", "(...)", "—", "–",
        "*", "NEAR(", "NEAR", "AND", "OR", "NOT", ":", "^", "+", "{", "}", "col:", "terms:", "\"\"", "\"a\" OR",
        "\u{0}", "\u{1}", "\u{7}", "\u{8}", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "\u{1B}", "\u{7F}", "\u{85}", "\u{9F}",
        "\u{200B}", "\u{200C}", "\u{200D}", "\u{200E}", "\u{200F}", "\u{2028}", "\u{2029}", "\u{2060}", "\u{FEFF}",
        "\u{FE0F}", "\u{FFFD}", "\u{FFFF}", "\u{FFFE}", "\u{E000}", "\u{10FFFF}", "\u{E0041}", "\u{1D400}", "\u{1F1EB}\u{1F1F7}",
        "👩‍👩‍👧", "👍🏽", "🇫🇷", "e\u{301}", "E\u{301}", "a\u{308}\u{301}\u{323}", "\u{301}", "\u{301}\u{302}\u{303}",
        "İ", "ẞ", "ß", "ǅ", "Ω", "K", "Å", "ﬀ", "\u{FDFA}", "\u{3300}", "\u{1E9E}", "ΐ", "\u{345}", "ᾼ",
        "Ⓐ", "ℍ", "ℌ", "Ａ", "ａ", "ｰ", "ｶﾞ", "가", "\u{1100}\u{1161}", "中文", "日本語", "Ελληνικά", "Русский",
        "العربية", "עברית", "हिन्दी", "ไทย", "\u{0E33}", "க்ஷ", "\u{0F00}", "ꙮ",
        "Qui", "quel", "quelle", "Quels", "combien", "où", "Où", "pourquoi", "comment", "quand", "À qui",
        "le", "la", "les", "des", "est", "été", "à", "au", "du", "de", "et", "un", "une", "Y", "H", "I", "U",
        "ë", "ï", "y", "qu", "ions", "ement", "issement", "amment", "emment", "ité", "euse", "aux", "oux", "eaux",
        "Kazakhstan", "tenge", "numérique", "ministère", "développement", "Astana", "Digital Bridge",
        "lʼIA", "ﾞ", "ͺ", "̧s", "🅰", "\u{E0071}", "\u{311}", "\u{369}", "\u{941}", "\u{20DD}",
    ]

    static let separators: [String] = [
        " ", " ", " ", "  ", "\u{00A0}", "\u{202F}", "\u{2009}", "\u{3000}", "\n", "\n\n", "\r\n", "\t",
        "-", "‐", ".", ". ", "… ", "! ", "? ", ", ", "’", "'", "_", "/", "\\",
    ]

    /// Scalar ranges to draw single random scalars from (no surrogates: Swift strings cannot hold them).
    static let ranges: [ClosedRange<UInt32>] = [
        0x00...0x7F, 0x20...0x7E, 0x20...0x7E, 0x80...0xFF, 0xC0...0x24F, 0x250...0x2FF, 0x300...0x36F,
        0x370...0x3FF, 0x400...0x4FF, 0x590...0x6FF, 0x900...0x97F, 0xE00...0xE7F, 0x1100...0x11FF,
        0x1D00...0x1DBF, 0x1E00...0x1FFF, 0x2000...0x206F, 0x2070...0x218F, 0x2460...0x24FF, 0x3000...0x30FF,
        0x3300...0x33FF, 0x4E00...0x4E80, 0xAC00...0xAC80, 0xE000...0xE010, 0xFB00...0xFB4F, 0xFDF0...0xFDFF,
        0xFE00...0xFE0F, 0xFE30...0xFEFF, 0xFF00...0xFFEF, 0xFFF0...0xFFFF, 0x1D400...0x1D7FF,
        0x1F300...0x1F6FF, 0x1F900...0x1F9FF, 0xE0000...0xE007F, 0x10FFF0...0x10FFFF,
        0x1DC0...0x1DFF, 0x3100...0x32FF, 0xFE10...0xFE2F, 0x1F100...0x1F2FF,
    ]

    mutating func int(_ n: Int) -> Int { n <= 1 ? 0 : Int(rng.next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }

    mutating func scalar() -> Unicode.Scalar {
        let r = Self.ranges[int(Self.ranges.count)]
        let v = r.lowerBound + UInt32(rng.next() % UInt64(r.upperBound - r.lowerBound + 1))
        return Unicode.Scalar(v) ?? "\u{FFFD}"
    }

    mutating func piece() -> String {
        if !extraPieces.isEmpty, chance(50) { return extraPieces[int(extraPieces.count)] }
        switch int(10) {
        case 0, 1: return String(String.UnicodeScalarView((0..<(1 + int(4))).map { _ in scalar() }))
        case 2: return Self.separators[int(Self.separators.count)]
        default: return Self.pieces[int(Self.pieces.count)]
        }
    }

    /// One input: usually short and structured, sometimes a mutated sentence, a long word or a long text.
    public mutating func next() -> String {
        switch int(100) {
        case 0..<30: return mutated(sentence())
        case 30..<75: return structured(count: 1 + int(24))
        case 75..<85: return String(String.UnicodeScalarView((0..<int(40)).map { _ in scalar() }))
        case 85..<93: return longWord()
        case 93..<97: return splice()
        default: return longText(limit: min(maxBytes, 1024 * (1 + int(64))))
        }
    }

    mutating func sentence() -> String {
        sentences.isEmpty ? structured(count: 8) : sentences[int(sentences.count)]
    }

    mutating func structured(count: Int) -> String {
        var s = ""
        for _ in 0..<count {
            s += piece()
            if chance(60) { s += Self.separators[int(Self.separators.count)] }
        }
        return s
    }

    /// A seed sentence with a few edits at scalar positions: inserts, deletions, duplications, case flips.
    mutating func mutated(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        for _ in 0..<(1 + int(6)) {
            let at = int(scalars.count + 1)
            switch int(6) {
            case 0, 1: scalars.insert(contentsOf: piece().unicodeScalars, at: at)
            case 2:
                let n = min(scalars.count - at, 1 + int(12))
                if n > 0 { scalars.removeSubrange(at..<(at + n)) }
            case 3:
                let n = min(scalars.count - at, 1 + int(30))
                if n > 0 { scalars.insert(contentsOf: Array(scalars[at..<(at + n)]), at: at) }
            case 4:
                if at < scalars.count { scalars[at] = scalar() }
            default:
                if at < scalars.count {
                    let c = String(scalars[at])
                    let flipped = c == c.lowercased() ? c.uppercased() : c.lowercased()
                    scalars.replaceSubrange(at...at, with: flipped.unicodeScalars)
                }
            }
        }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Two sentences (or pieces) glued at random points.
    mutating func splice() -> String {
        let a = Array(sentence().unicodeScalars), b = Array(sentence().unicodeScalars)
        let head = a.prefix(int(a.count + 1)), tail = b.suffix(int(b.count + 1))
        return String(String.UnicodeScalarView(head + piece().unicodeScalars + tail))
    }

    /// One piece repeated into a word of up to ~20 000 scalars (and `maxBytes`), possibly inside a sentence.
    mutating func longWord() -> String {
        let unit = chance(50) ? piece() : String(scalar())
        let word = String(repeating: unit, count: 1 + int(min(chance(30) ? 20_000 : 2_000, maxBytes / max(1, unit.utf8.count))))
        return chance(50) ? word : sentence() + " " + word + " " + sentence()
    }

    /// A text of about `limit` UTF-8 bytes made of sentences, pieces and random scalars.
    mutating func longText(limit: Int) -> String {
        var s = ""
        while s.utf8.count < limit {
            switch int(4) {
            case 0: s += mutated(sentence())
            case 1: s += sentence()
            default: s += structured(count: 1 + int(30))
            }
            s += Self.separators[int(Self.separators.count)]
        }
        return s
    }
}

/// `text` as a Swift string literal: printable ASCII as is, everything else as `\u{…}`, so a finding can be
/// pasted into a regression test. With `limit`, only the first `limit` scalars, then `…`.
public func swiftLiteral(_ text: String, limit: Int? = nil) -> String {
    var out = "\""
    let scalars = text.unicodeScalars
    for s in scalars.prefix(limit ?? Int.max) {
        switch s {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case " "..."~": out.unicodeScalars.append(s)
        default: out += "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
        }
    }
    if let limit, scalars.count > limit { out += "…" }
    return out + "\""
}

/// The sentences of the seed articles (`.txt` and `.md` files in `folder`, by name, through `SentenceSplitter`),
/// as material to mutate; empty when the folder cannot be read.
public func seedSentences(in folder: String) -> [String] {
    var out: [String] = []
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
    for name in names.sorted() where name.hasSuffix(".txt") || name.hasSuffix(".md") {
        guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { continue }
        let text = String(decoding: data, as: UTF8.self)
        for line in text.split(separator: "\n") {
            for r in SentenceSplitter().split(String(line)) {
                out.append(String(decoding: Array(line.utf8)[r], as: UTF8.self))
            }
        }
    }
    return out
}
