import Foundation
import XCTest
@testable import KZQA

/// What the fuzzer (Sources/kzqa-fuzz, run by scripts/fuzz.sh) found in the analysis and query-building path,
/// pinned one test per finding, and a short property test that runs the fuzzer's input generator with a fixed
/// seed through the same invariants on every test run.
final class FuzzRegressionTests: XCTestCase {
    typealias Invariants = FuzzInvariants

    // MARK: - Findings

    /// FTS5Pattern: a NUL inside a term ended the bound statement text there, leaving the FTS5 string open
    /// ("unterminated string"). Found from the raw words of `"\u{0}"`.
    func testFTS5PatternMakesNULASpace() throws {
        XCTAssertEqual(FTS5Pattern.anyOf(["a\u{0}b", "c"]), "\"a b\" OR \"c\"")
        XCTAssertEqual(FTS5Pattern.allOf(["\u{0}"]), "\" \"")
        let fts = try Invariants.ftsTable()
        for pattern in [FTS5Pattern.anyOf(["a\u{0}b"]), FTS5Pattern.allOf(["x", "\u{0}\"\u{0}"])] {
            XCTAssertNoThrow(try Invariants.match(try XCTUnwrap(pattern), in: fts), pattern ?? "nil")
        }
    }

    /// FTS5Pattern: `"` followed by a combining mark (here the tag U+E0071) is one Character, so doubling
    /// quotes with a Character-based `replacingOccurrences` missed it and left the FTS5 string open.
    /// Found from `"\"\u{E0071}"`.
    func testFTS5PatternDoublesAQuoteCarryingAMark() throws {
        XCTAssertEqual(FTS5Pattern.anyOf(["\"\u{E0071}"]), "\"\"\"\u{E0071}\"")
        XCTAssertEqual(FTS5Pattern.allOf(["a\"\u{301}b", "c"]), "\"a\"\"\u{301}b\" AND \"c\"")
        let fts = try Invariants.ftsTable()
        for term in ["\"\u{E0071}", "\"\u{301}", "x\"\u{20DD}\"\"\u{301}", "\u{301}\""] {
            for pattern in [FTS5Pattern.anyOf([term, "y"]), FTS5Pattern.allOf([term])] {
                XCTAssertNoThrow(try Invariants.match(try XCTUnwrap(pattern), in: fts), pattern ?? "nil")
            }
        }
    }

    /// Tokenizer: each digit group joining a number searched the whole term so far for `_` and copied it,
    /// so `1 000 000 …` took quadratic time (60 KB of digit groups: 6.5 s in a release build).
    func testLongRunsOfDigitGroupsTokenizeInLinearTime() {
        let groups = 20_000
        let text = "1" + String(repeating: "\u{202F}000", count: groups) + ",5 %"
        let start = Date()
        let tokens = Tokenizer().tokenize(text)
        XCTAssertLessThan(Date().timeIntervalSince(start), 3, "tokenizing \(text.utf8.count) bytes of digit groups")
        XCTAssertEqual(tokens.map(\.kind), [.number, .symbol])
        XCTAssertEqual(tokens.first?.term, "1" + String(repeating: "000", count: groups) + "_5")
        XCTAssertEqual(tokens.last?.term, "pourcent")
        // A decimal part still ends the number: the group after it is a number of its own.
        XCTAssertEqual(Tokenizer().tokenize("1,5 000").map(\.term), ["1_5", "000"])
    }

    /// Tokenizer: combining marks with no letter (`\u{301}`, the alphabetic marks `\u{369}` and `\u{941}`, the
    /// enclosing circle `\u{20DD}`) and letter-like symbols (🅰) made words whose term folded to "" or
    /// that FTS5 sees no token in. Found from `"\u{301}"` and `"\u{369}"`.
    func testMarksAloneAreNoWord() throws {
        let text = "a \u{301} b \u{369}\u{941} \u{20DD} \u{1F170} e\u{301}t\u{E9}"
        XCTAssertEqual(Tokenizer().tokenize(text).map(\.surface), ["a", "b", "e\u{301}t\u{E9}"])
        XCTAssertEqual(FrenchAnalyzer().analyze(text).map(\.term), ["a", "b", "ete"])
        try Invariants.check(text)
    }

    /// Tokenizer: ʼ (U+02BC) is a modifier letter, so it was a word of its own whose term folded to a bare
    /// `'`, which FTS5 sees no token in. It is now the apostrophe it stands for. Found from `"\u{2BC}"`.
    func testModifierLetterApostropheIsAnApostrophe() throws {
        XCTAssertEqual(Tokenizer().tokenize("\u{2BC}").count, 0)
        let text = "l\u{2BC}IA et l\u{2019}IA"
        let tokens = FrenchAnalyzer().analyze(text)
        XCTAssertEqual(tokens.map(\.surface), ["IA", "et", "IA"])
        XCTAssertEqual(tokens.map(\.term), ["ia", "et", "ia"])
        XCTAssertEqual(tokens.map(\.kind), [.acronym, .word, .acronym])
        try Invariants.check(text)
    }

    /// StemFilter: words whose term folds to no letter were kept with an empty or blank term: `ﾞ` (U+FF9E)
    /// is the combining mark U+3099 after NFKC, `ͺ` (U+037A) a space and a mark. They are dropped; a word
    /// whose stem alone lost its letters (`̧s`: the stemmer drops the final s) keeps its folded term.
    func testWordsThatFoldToNoLetterAreDropped() throws {
        XCTAssertEqual(FrenchAnalyzer().analyze("\u{FF9E} x \u{37A}").map(\.term), ["x"])
        XCTAssertEqual(FrenchAnalyzer().analyze("\u{327}s x").map(\.term), ["s", "x"])
        XCTAssertNil(FTS5Pattern.anyOf(Query("\u{FF9E}\u{37A}").terms))
        for text in ["\u{FF9E}", "\u{37A}", "\u{327}s", "\u{FF9E}\u{37A}\u{327}s"] { try Invariants.check(text) }
    }

    /// Chunker: a line was blank when every Character was white space, and a Character is when its first
    /// scalar is, so a space carrying a mark (`" \u{311}"`) was skipped and its mark lost, while the
    /// sentence splitter (scalar-based) sees text there. Found from `" \u{200C}"` and `" \u{311}"`.
    func testChunkerKeepsAMarkOnASpace() throws {
        let text = "Titre\n \u{311}\n\u{3000}\u{345}\n \u{200C}\n \t\n"
        let passages = Chunker().passages(of: text, source: "a.txt")
        XCTAssertEqual(passages.map(\.text), ["Titre", "\u{311}", "\u{345}", "\u{200C}"])
        XCTAssertEqual(passages.map(\.paragraph), [1, 2, 3, 4])
        try Invariants.check(text)
    }

    /// Every minimized finding, through every invariant.
    func testFindingsKeepEveryInvariant() throws {
        for text in Self.findings { try Invariants.check(text) }
    }

    static let findings = [
        "\u{0}", "\"\u{E0071}", "1" + String(repeating: " 000", count: 2_000), "\u{301}", "\u{369}", "\u{941}",
        "\u{FF9E}", "\u{327}s", "\u{2BC}", "\u{37A}", " \u{200C}", "\u{3000}\u{345}", " \u{311}", "\u{FEFF}s",
    ]

    // MARK: - Property test

    /// The fuzzer's generator with a fixed seed, for about two seconds: every input keeps every invariant.
    func testRandomInputsKeepEveryInvariant() throws {
        let sentences = try Invariants.seedSentences()
        var generator = FuzzInputGenerator(seed: 20_251_124, sentences: sentences, maxBytes: 8 * 1024)
        let fts = try Invariants.ftsTable()
        let deadline = Date().addingTimeInterval(2)
        var count = 0
        while Date() < deadline, count < 5_000 {
            let text = generator.next()
            do {
                try Invariants.check(text, fts: fts)
            } catch {
                XCTFail("input #\(count) \(Invariants.literal(text)): \(error)")
                return
            }
            count += 1
        }
        XCTAssertGreaterThan(count, 20, "too few inputs in the time budget")
    }
}

// MARK: - Invariants (as in Sources/kzqa-fuzz/Invariants.swift, without QAEngine.ask)

/// The invariants of the analysis and query-building path that the fuzzer checks.
enum FuzzInvariants {
    struct Violation: Error, CustomStringConvertible {
        let description: String
    }

    static func ftsTable() throws -> SQLiteDatabase {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("""
            CREATE VIRTUAL TABLE passages_fts USING fts5(terms, tokenize = "unicode61 remove_diacritics 0 tokenchars '_'");
            """)
        return db
    }

    /// Runs `pattern` as an FTS5 MATCH; returns the number of rows matched.
    @discardableResult
    static func match(_ pattern: String, in db: SQLiteDatabase) throws -> Int64 {
        try db.scalarInt("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?", .text(pattern)) ?? 0
    }

    static func seedSentences() throws -> [String] {
        var out: [String] = []
        for url in try AnalysisTestSupport.seedURLs() {
            let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            for line in text.split(separator: "\n") {
                let bytes = Array(line.utf8)
                out += SentenceSplitter().split(String(line)).map { String(decoding: bytes[$0], as: UTF8.self) }
            }
        }
        return out
    }

    static func literal(_ text: String) -> String {
        var out = "\""
        for s in text.unicodeScalars.prefix(400) {
            switch s {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case " "..."~": out.unicodeScalars.append(s)
            default: out += "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out + (text.unicodeScalars.count > 400 ? "…\"" : "\"")
    }

    static func fail(_ what: String) -> Violation { Violation(description: what) }

    static func check(_ text: String, fts: SQLiteDatabase? = nil) throws {
        let fts = try fts ?? ftsTable()
        let bytes = Array(text.utf8)
        let tokens = Tokenizer().tokenize(text)
        try checkTokens(tokens, bytes, "tokenizer")
        try checkTokens(ElisionFilter().apply(tokens), bytes, "elision")
        let analyzed = FrenchAnalyzer().analyze(text)
        try checkTokens(analyzed, bytes, "analyzer")
        for t in analyzed where !StemFilter.isMatchable(t.term) {
            throw fail("analyzer: token \(literal(t.surface)) has the term \(literal(t.term)), with no letter or number")
        }
        try checkSentences(SentenceSplitter().split(text), bytes)
        try checkPassages(Chunker().passages(of: text, source: "f.txt"), bytes, "chunker")
        try checkPassages(Chunker(maxCharacters: 40).passages(of: text, source: "f.txt"), bytes, "chunker(40)")
        try checkPassages(Chunker().passages(ofRecord: text, id: "r", title: "t", source: "f.jsonl", number: 1), bytes, "record")
        _ = Chunker.title(of: text)

        let query = Query(text)
        guard Set(query.terms).count == query.terms.count, Set(query.termCounts.keys) == Set(query.terms) else {
            throw fail("query: terms \(query.terms) and counts \(query.termCounts) disagree")
        }
        try checkMatch(document: analyzed.map(\.term), query: query, text: text, fts: fts)

        do {
            let v = try QAEngine.validate(text)
            let scalars = v.unicodeScalars
            guard let first = scalars.first, let last = scalars.last, !first.properties.isWhitespace,
                  !last.properties.isWhitespace, !scalars.contains(where: { $0.properties.generalCategory == .control }),
                  v.utf8.count <= QAEngine.maxQuestionBytes, (try? QAEngine.validate(v)) == v else {
                throw fail("validate returned \(literal(v))")
            }
        } catch let e as KZQAError {
            guard e == .emptyQuestion || e == .questionTooLong(bytes: bytes.count, limit: QAEngine.maxQuestionBytes) else {
                throw fail("validate threw \(e)")
            }
        }
    }

    static func checkTokens(_ tokens: [Token], _ bytes: [UInt8], _ stage: String) throws {
        for t in tokens {
            guard !t.term.isEmpty else { throw fail("\(stage): token \(literal(t.surface)) has an empty term") }
            guard t.start >= 0, t.start < t.end, t.end <= bytes.count, bytes[t.start..<t.end].elementsEqual(t.surface.utf8) else {
                throw fail("\(stage): token \(literal(t.surface)) at \(t.start)..<\(t.end) is not its bytes")
            }
        }
    }

    static func isBlank<S: Sequence>(_ bytes: S, atStart: Bool) -> Bool where S.Element == UInt8 {
        var text = String(decoding: Array(bytes), as: UTF8.self)
        if atStart, text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }

    static func checkSentences(_ ranges: [Range<Int>], _ bytes: [UInt8]) throws {
        var previous = 0
        for r in ranges {
            guard r.lowerBound >= previous, r.lowerBound < r.upperBound, r.upperBound <= bytes.count else {
                throw fail("sentences: \(ranges) in \(bytes.count) bytes")
            }
            let s = String(decoding: bytes[r], as: UTF8.self).unicodeScalars
            guard let first = s.first, let last = s.last, !first.properties.isWhitespace, !last.properties.isWhitespace,
                  r.lowerBound == bytes.count || bytes[r.lowerBound] & 0xC0 != 0x80,
                  r.upperBound == bytes.count || bytes[r.upperBound] & 0xC0 != 0x80 else {
                throw fail("sentences: \(r) is not a trimmed run of whole scalars")
            }
            guard isBlank(bytes[previous..<r.lowerBound], atStart: false) else { throw fail("sentences: text before \(r) is lost") }
            previous = r.upperBound
        }
        guard isBlank(bytes[previous...], atStart: false) else { throw fail("sentences: text after the last one is lost") }
    }

    static func checkPassages(_ passages: [Passage], _ bytes: [UInt8], _ stage: String) throws {
        var previous = 0
        for p in passages {
            guard p.start >= previous, p.start < p.end, p.end <= bytes.count, bytes[p.start..<p.end].elementsEqual(p.text.utf8) else {
                throw fail("\(stage): passage \(p.id) at \(p.start)..<\(p.end) is not its bytes")
            }
            guard isBlank(bytes[previous..<p.start], atStart: previous == 0) else {
                throw fail("\(stage): text before passage \(p.id) is in no passage")
            }
            previous = p.end
        }
        guard isBlank(bytes[previous...], atStart: previous == 0) else { throw fail("\(stage): text after the last passage is lost") }
        guard Set(passages.map(\.id)).count == passages.count else { throw fail("\(stage): passage ids repeat") }
    }

    static func checkMatch(document: [String], query: Query, text: String, fts: SQLiteDatabase) throws {
        func short(_ terms: [String]) -> [String] { terms.filter { $0.utf8.count <= 1024 } }
        try fts.execute("DELETE FROM passages_fts")
        let insert = try fts.prepare("INSERT INTO passages_fts(rowid, terms) VALUES (1, ?)")
        try insert.bind([.text(short(document).joined(separator: " "))])
        try insert.step()
        insert.reset()
        let terms = short(query.terms)
        let raw = short(text.split(whereSeparator: { $0 == " " || $0 == "\n" }).prefix(64).map(String.init))
        for pattern in [FTS5Pattern.anyOf(terms), FTS5Pattern.allOf(terms), FTS5Pattern.anyOf(terms + query.functionTerms),
                        FTS5Pattern.anyOf(raw), FTS5Pattern.allOf(raw)].compactMap({ $0 }) {
            do { try match(pattern, in: fts) } catch { throw fail("fts5: \(literal(pattern)) fails: \(error)") }
        }
        // A question made of a text's own terms finds it. Checked on Latin terms only here, so that the test does
        // not depend on the SQLite version's Unicode tables (the fuzzer checks every term).
        if terms.allSatisfy({ $0.unicodeScalars.allSatisfy { $0.value < 0x250 } }), let pattern = FTS5Pattern.anyOf(terms),
           try match(pattern, in: fts) != 1 {
            throw fail("fts5: the text's own terms \(literal(pattern)) do not find it")
        }
    }
}

// MARK: - Generator (a copy of Sources/kzqa-fuzz/Generator.swift's, with a size limit)

/// Seeded adversarial inputs: French typography, FTS5 syntax, Unicode that breaks text code, mutated seed
/// sentences, long words and texts (up to `maxBytes`).
struct FuzzInputGenerator {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    var rng: SplitMix64
    let sentences: [String]
    let maxBytes: Int

    init(seed: UInt64, sentences: [String], maxBytes: Int) {
        rng = SplitMix64(state: seed)
        self.sentences = sentences
        self.maxBytes = maxBytes
    }

    static let pieces: [String] = [
        "l’intelligence", "L'IA", "d’abord", "jusqu’à", "jusqu'", "aujourd’hui", "qu’", "l’", "d'", "lʼIA", "ʼ",
        "Ministère", "œuvre", "naïve", "Noël", "ﬁn", "24ᵉ", "1er", "1re", "2ème", "ŉ", "ﾞ", "ͺ", "̧s", "🅰",
        "O.N.U.", "O.N.U", "l’O.N.U", "M.", "Dr.", "etc.", "J.-C.", "K.-J.", "e-Gov", "a-t-il", "COVID-19", "au-delà",
        "67 000", "67\u{00A0}000", "1\u{202F}234", "1,2", "3.14", "12 %", "3,5 €", "1\u{2009}000", "١٢٣", "１２３", "Ⅻ",
        "«", "»", "« ", " »", "“", "”", "’", "'", "\"", "…", "...", "?!", "!", "?", ".", ",", "(", ")", "[…]", "(?)", "—",
        "*", "NEAR(", "AND", "OR", "NOT", ":", "^", "+", "{", "}", "col:", "\"\"",
        "\u{0}", "\u{1}", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{1B}", "\u{7F}", "\u{85}", "\u{200B}", "\u{200C}",
        "\u{200D}", "\u{200F}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{FE0F}", "\u{FFFD}", "\u{FFFF}", "\u{E0071}",
        "👩‍👩‍👧", "👍🏽", "🇫🇷", "e\u{301}", "\u{301}", "\u{311}", "\u{345}", "\u{369}", "\u{941}", "\u{20DD}",
        "İ", "ẞ", "ß", "ǅ", "Ω", "K", "ﬀ", "\u{FDFA}", "\u{3300}", "ΐ", "Ⓐ", "ℍ", "Ａ", "가", "\u{1100}\u{1161}",
        "中文", "Ελληνικά", "Русский", "العربية", "हिन्दी", "ไทย",
        "Qui", "quel", "quelle", "combien", "où", "pourquoi", "comment", "quand", "le", "la", "les", "est", "été",
        "Y", "H", "ë", "ï", "qu", "ions", "ement", "issement", "amment", "ité", "euse", "aux", "oux",
    ]
    static let separators = [" ", " ", " ", "\u{00A0}", "\u{202F}", "\u{2009}", "\u{3000}", "\n", "\r\n", "\t", "-", "‐",
                             ". ", "… ", "! ", "? ", ", ", "’", "'", "_", "/"]
    static let ranges: [ClosedRange<UInt32>] = [
        0x00...0x7F, 0x20...0x7E, 0x80...0x24F, 0x250...0x36F, 0x370...0x4FF, 0x590...0x6FF, 0x900...0x97F,
        0x1100...0x11FF, 0x1D00...0x1FFF, 0x2000...0x218F, 0x2460...0x24FF, 0x3000...0x33FF, 0xAC00...0xAC80,
        0xFB00...0xFB4F, 0xFDF0...0xFDFF, 0xFE00...0xFFFF, 0x1D400...0x1D7FF, 0x1F100...0x1F6FF, 0xE0000...0xE007F,
    ]

    mutating func int(_ n: Int) -> Int { n <= 1 ? 0 : Int(rng.next() % UInt64(n)) }

    mutating func scalar() -> Unicode.Scalar {
        let r = Self.ranges[int(Self.ranges.count)]
        return Unicode.Scalar(r.lowerBound + UInt32(rng.next() % UInt64(r.upperBound - r.lowerBound + 1))) ?? "\u{FFFD}"
    }

    mutating func piece() -> String {
        switch int(10) {
        case 0, 1: return String(String.UnicodeScalarView((0..<(1 + int(4))).map { _ in scalar() }))
        case 2: return Self.separators[int(Self.separators.count)]
        default: return Self.pieces[int(Self.pieces.count)]
        }
    }

    mutating func sentence() -> String { sentences.isEmpty ? structured(8) : sentences[int(sentences.count)] }

    mutating func structured(_ count: Int) -> String {
        (0..<count).map { _ in piece() + (int(10) < 6 ? Self.separators[int(Self.separators.count)] : "") }.joined()
    }

    mutating func mutated(_ text: String) -> String {
        var s = Array(text.unicodeScalars)
        for _ in 0..<(1 + int(6)) {
            let at = int(s.count + 1)
            switch int(5) {
            case 0, 1: s.insert(contentsOf: piece().unicodeScalars, at: at)
            case 2: s.removeSubrange(at..<min(s.count, at + 1 + int(12)))
            case 3: s.insert(contentsOf: Array(s[at..<min(s.count, at + 1 + int(30))]), at: at)
            default: if at < s.count { s[at] = scalar() }
            }
        }
        return String(String.UnicodeScalarView(s))
    }

    mutating func next() -> String {
        let text: String
        switch int(100) {
        case 0..<30: text = mutated(sentence())
        case 30..<75: text = structured(1 + int(24))
        case 75..<85: text = String(String.UnicodeScalarView((0..<int(40)).map { _ in scalar() }))
        case 85..<93:
            let unit = int(2) == 0 ? piece() : String(scalar())
            text = sentence() + " " + String(repeating: unit, count: 1 + int(maxBytes / max(1, unit.utf8.count)))
        default:
            var s = ""
            while s.utf8.count < maxBytes { s += (int(2) == 0 ? mutated(sentence()) : structured(1 + int(30))) + ". " }
            text = s
        }
        return text
    }
}
