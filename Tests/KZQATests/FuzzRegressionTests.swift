import Foundation
import XCTest
@testable import KZQA
import KZQAFuzzing

/// What the fuzzer (Sources/kzqa-fuzz, run by scripts/fuzz.sh) found in the analysis and query-building path,
/// pinned one test per finding, and a short property test that runs the fuzzer's input generator with a fixed
/// seed through the same invariants (Sources/KZQAFuzzing, without `QAEngine.ask`) on every test run.
final class FuzzRegressionTests: XCTestCase {
    /// The fuzzer's invariants; own terms are checked on Latin text only, so that the verdict does not depend
    /// on the SQLite version's Unicode tables.
    static func checker() throws -> Checker { try Checker(index: nil, ownTerms: .latinTermsOnly) }

    // MARK: - Findings

    /// FTS5Pattern: a NUL inside a term ended the bound statement text there, leaving the FTS5 string open
    /// ("unterminated string"). Found from the raw words of `"\u{0}"`.
    func testFTS5PatternMakesNULASpace() throws {
        XCTAssertEqual(FTS5Pattern.anyOf(["a\u{0}b", "c"]), "\"a b\" OR \"c\"")
        XCTAssertEqual(FTS5Pattern.allOf(["\u{0}"]), "\" \"")
        let fts = try Checker.ftsTable()
        for pattern in [FTS5Pattern.anyOf(["a\u{0}b"]), FTS5Pattern.allOf(["x", "\u{0}\"\u{0}"])] {
            XCTAssertNoThrow(try Checker.match(try XCTUnwrap(pattern), in: fts), pattern ?? "nil")
        }
    }

    /// FTS5Pattern: `"` followed by a combining mark (here the tag U+E0071) is one Character, so doubling
    /// quotes with a Character-based `replacingOccurrences` missed it and left the FTS5 string open.
    /// Found from `"\"\u{E0071}"`.
    func testFTS5PatternDoublesAQuoteCarryingAMark() throws {
        XCTAssertEqual(FTS5Pattern.anyOf(["\"\u{E0071}"]), "\"\"\"\u{E0071}\"")
        XCTAssertEqual(FTS5Pattern.allOf(["a\"\u{301}b", "c"]), "\"a\"\"\u{301}b\" AND \"c\"")
        let fts = try Checker.ftsTable()
        for term in ["\"\u{E0071}", "\"\u{301}", "x\"\u{20DD}\"\"\u{301}", "\u{301}\""] {
            for pattern in [FTS5Pattern.anyOf([term, "y"]), FTS5Pattern.allOf([term])] {
                XCTAssertNoThrow(try Checker.match(try XCTUnwrap(pattern), in: fts), pattern ?? "nil")
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
        try Self.checker().check(text)
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
        try Self.checker().check(text)
    }

    /// StemFilter: words whose term folds to no letter were kept with an empty or blank term: `ﾞ` (U+FF9E)
    /// is the combining mark U+3099 after NFKC, `ͺ` (U+037A) a space and a mark. They are dropped; a word
    /// whose stem alone lost its letters (`̧s`: the stemmer drops the final s) keeps its folded term.
    func testWordsThatFoldToNoLetterAreDropped() throws {
        XCTAssertEqual(FrenchAnalyzer().analyze("\u{FF9E} x \u{37A}").map(\.term), ["x"])
        XCTAssertEqual(FrenchAnalyzer().analyze("\u{327}s x").map(\.term), ["s", "x"])
        XCTAssertNil(FTS5Pattern.anyOf(Query("\u{FF9E}\u{37A}").terms))
        let checker = try Self.checker()
        for text in ["\u{FF9E}", "\u{37A}", "\u{327}s", "\u{FF9E}\u{37A}\u{327}s"] { try checker.check(text) }
    }

    /// Chunker: a line was blank when every Character was white space, and a Character is when its first
    /// scalar is, so a space carrying a mark (`" \u{311}"`) was skipped and its mark lost, while the
    /// sentence splitter (scalar-based) sees text there. Found from `" \u{200C}"` and `" \u{311}"`.
    func testChunkerKeepsAMarkOnASpace() throws {
        let text = "Titre\n \u{311}\n\u{3000}\u{345}\n \u{200C}\n \t\n"
        let passages = Chunker().passages(of: text, source: "a.txt")
        XCTAssertEqual(passages.map(\.text), ["Titre", "\u{311}", "\u{345}", "\u{200C}"])
        XCTAssertEqual(passages.map(\.paragraph), [1, 2, 3, 4])
        try Self.checker().check(text)
    }

    /// Every minimized finding, through every invariant.
    func testFindingsKeepEveryInvariant() throws {
        let checker = try Self.checker()
        for text in Self.findings { try checker.check(text) }
    }

    static let findings = [
        "\u{0}", "\"\u{E0071}", "1" + String(repeating: " 000", count: 2_000), "\u{301}", "\u{369}", "\u{941}",
        "\u{FF9E}", "\u{327}s", "\u{2BC}", "\u{37A}", " \u{200C}", "\u{3000}\u{345}", " \u{311}", "\u{FEFF}s",
    ]

    // MARK: - Property test

    /// The fuzzer's generator with a fixed seed, for about two seconds: every input keeps every invariant.
    func testRandomInputsKeepEveryInvariant() throws {
        let sentences = seedSentences(in: AnalysisTestSupport.packageRoot.appendingPathComponent("seeds").path)
        XCTAssertFalse(sentences.isEmpty, "no seed sentences")
        var generator = InputGenerator(seed: 20_251_124, sentences: sentences, maxBytes: 8 * 1024)
        let checker = try Self.checker()
        let deadline = Date().addingTimeInterval(2)
        var count = 0
        while Date() < deadline, count < 5_000 {
            let text = generator.next()
            do {
                try checker.check(text)
            } catch {
                XCTFail("input #\(count) \(swiftLiteral(text, limit: 400)): \(error)")
                return
            }
            count += 1
        }
        XCTAssertGreaterThan(count, 20, "too few inputs in the time budget")
    }
}
