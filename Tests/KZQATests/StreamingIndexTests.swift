import Foundation
import XCTest
@testable import KZQA

/// The pieces of the streaming indexer that must agree exactly with the simple paths they replace: the memoised
/// analysis, the fast JSONL line reader, the chunked file scan and line reader, the fast folding paths.
final class StreamingIndexTests: XCTestCase {
    /// Texts that exercise elision, acronyms, compounds, numbers, accents, ligatures, combining marks.
    static let texts: [String] = {
        var out = [
            "L’intelligence artificielle de l’O.N.U. a-t-elle 67 000 élèves ? Jusqu’à 24ᵉ, 1er, 1,5 % et 3 €.",
            "Le cœur de l'ÉTÉ, les e-Gov et les SNCF-RATP; « Notre siècle » — ﬁn. D'ET L'ET l'et.",
            "Ce chapitre est l'occasion de revenir sur des aspects déjà abordés. Enfin, la découverte.",
            "Ma\u{0301}laga, e\u{0301}te\u{0301}, ﾞ ͺ ̧s Ĳssel ŉ ſ ǆ ß ẞ Æsir œuvre ŒUVRE İstanbul",
            "M. Lee a parlé. Dr. No. etc. ET. É.T.É. l’ONU, qu’il, lorsqu’on, aujourd’hui.",
            "",
            "   ",
            "12 345 678,90 1.2.3 4-5 x-y-z peut-on dit-il vas-y",
        ]
        // Generated mixes of the pieces above.
        struct LCG: RandomNumberGenerator {
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            mutating func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state }
        }
        var rng = LCG()
        let words = out.joined(separator: " ").split(separator: " ").map(String.init)
        for _ in 0..<300 {
            out.append((0..<Int.random(in: 1...25, using: &rng)).map { _ in words.randomElement(using: &rng)! }.joined(separator: " "))
        }
        return out
    }()

    func testMemoisedAnalysisGivesTheSameTerms() {
        let analyzer = FrenchAnalyzer()
        for capacity in [3, 50, 100_000] {
            var cache = AnalysisCache(capacity: capacity)
            for _ in 0..<2 {
                for text in Self.texts {
                    XCTAssertEqual(analyzer.indexTerms(text, cache: &cache), analyzer.indexTerms(text), text)
                }
            }
        }
    }

    func testMemoisedTokensAreTheAnalysedOnes() {
        let analyzer = FrenchAnalyzer()
        for capacity in [3, 50, 100_000] {
            var cache = AnalysisCache(capacity: capacity)
            for _ in 0..<2 {
                for text in Self.texts {
                    XCTAssertEqual(analyzer.analyze(text, cache: &cache), analyzer.analyze(text), text)
                    _ = analyzer.indexTerms(text, cache: &cache)
                    XCTAssertEqual(AnalysedSentence.split(text, analyzer: analyzer, cache: &cache),
                                   AnalysedSentence.split(text, analyzer: analyzer), text)
                }
            }
        }
    }

    /// The forms gathered for the lexicon are those `indexTerms` meets, first meetings in the same order, whether
    /// or not `analyze` memoised the words before (the indexer analyses each passage's sentences after its terms).
    func testMemoisedTokensDoNotChangeTheGatheredForms() {
        let analyzer = FrenchAnalyzer()
        func firstForms(interleaving: Bool) -> [String] {
            var cache = AnalysisCache()
            var seen: Set<String> = [], out: [String] = []
            for (i, text) in Self.texts.enumerated() {
                // Words met by the sentence analysis of the next text before its terms.
                if interleaving, i + 1 < Self.texts.count { _ = analyzer.analyze(Self.texts[i + 1], cache: &cache) }
                _ = analyzer.indexTerms(text, cache: &cache)
                for f in cache.takeNewForms() where seen.insert(f.surface + " " + f.term).inserted { out.append(f.surface + " " + f.term) }
            }
            return out
        }
        let plain = firstForms(interleaving: false)
        XCTAssertFalse(plain.isEmpty)
        XCTAssertEqual(firstForms(interleaving: true), plain)
    }

    func testMemoisedAnalysisFallsBackWithOtherFilters() {
        struct Doubling: TokenFilter {
            func apply(_ tokens: [Token]) -> [Token] { tokens.flatMap { [$0, $0] } }
        }
        let analyzer = FrenchAnalyzer(filters: [Doubling(), StemFilter()])
        var cache = AnalysisCache()
        for text in Self.texts.prefix(20) {
            XCTAssertEqual(analyzer.indexTerms(text, cache: &cache), analyzer.indexTerms(text))
        }
    }

    func testFoldingFastPathsMatchTheFullOnes() {
        for text in Self.texts {
            for word in text.split(separator: " ").map(String.init) + [text] {
                XCTAssertEqual(Folding.stripDiacritics(word), Folding.stripDiacriticsFully(word), word)
            }
        }
        for v in 0..<Folding.stripLatinLimit {
            guard let s = Unicode.Scalar(v) else { continue }
            let pair = String(s) + "e" + String(s)
            XCTAssertEqual(Folding.stripDiacritics(pair), Folding.stripDiacriticsFully(pair), "U+\(String(v, radix: 16))")
        }
        for w in ["abc", "ABC", "a-b.c'd", "L'ONU", "x_y", "1er", ""] {
            if let fast = Folding.lowercaseASCII(w) { XCTAssertEqual(fast, Folding.lowercaseLatin(w), w) }
        }
    }

    func testPassageLinesReadLikeJSONSerialization() throws {
        let lines = [
            #"{"id": "a", "text": "Une phrase."}"#, #"{"id": 12, "title": "T", "text": "x"}"#, #"{"id": -7, "text": "x"}"#,
            #"{"id": null, "title": null, "text": "x"}"#, #"{"text": "\u00e9\ud83d\ude00 \"c\" \\ \/ \t \n \b \f \r fin"}"#,
            #"{"x": 1, "x": 2, "text": "y"}"#, #"  {"text": "espaces"}  "#, "{\"text\": \"crlf\"}\r", #"{"id":"k","text":"compact","other":"z"}"#,
            #"{"t\u0065xt": "escaped key"}"#, #"{"text": "x", "title": "é"}"#, #"{}"#,
        ]
        for line in lines {
            let fast = Array(line.utf8).withUnsafeBufferPointer(PassageLine.parse)
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let text = object?["text"] as? String
            XCTAssertEqual(fast?.text, text, line)
            if let fast {
                XCTAssertEqual(fast.id, (object?["id"] as? String) ?? (object?["id"] as? Int).map(String.init), line)
                XCTAssertEqual(fast.title, object?["title"] as? String, line)
            }
        }
        // Left to the full parser (nil): floats, booleans, nesting, leading zeros, repeated fields, bad syntax.
        for line in [#"{"id": 1.5, "text": "x"}"#, #"{"id": true, "text": "x"}"#, #"{"a": [1], "text": "x"}"#,
                     #"{"id": 007, "text": "x"}"#, #"{"text": "a", "text": "b"}"#, #"{"text": "x"} y"#, #"{"text": "\x"}"#,
                     #"{"text": "\ud800"}"#, "{\"text\": \"a\u{1}b\"}", #"{"text": 5}"#, "\u{A0}{\"text\": \"x\"}", ""] {
            XCTAssertNil(Array(line.utf8).withUnsafeBufferPointer(PassageLine.parse), line)
        }
    }

    func testUTF8CheckAgreesWithTheStandardLibrary() {
        struct LCG: RandomNumberGenerator {
            var state: UInt64 = 42
            mutating func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state }
        }
        var rng = LCG()
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
                                    0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
        for _ in 0..<20_000 {
            let n = Int.random(in: 0...12, using: &rng)
            let bytes = (0..<n).map { _ in Bool.random(using: &rng) ? interesting.randomElement(using: &rng)! : UInt8(ascii: "a") }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            // Fed whole, and cut in two anywhere.
            var whole = CorpusStream.UTF8Check()
            bytes.withUnsafeBufferPointer { whole.feed($0) }
            XCTAssertEqual(whole.isComplete, expected, "\(bytes)")
            let cut = Int.random(in: 0...n, using: &rng)
            var parts = CorpusStream.UTF8Check()
            bytes.withUnsafeBufferPointer { parts.feed(UnsafeBufferPointer(rebasing: $0[..<cut])); parts.feed(UnsafeBufferPointer(rebasing: $0[cut...])) }
            XCTAssertEqual(parts.isComplete, expected, "\(bytes) cut at \(cut)")
        }
    }

    func testScanAndLineReaderAcrossChunks() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kzqa-stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // Multi-byte characters straddling the 4 MiB chunk boundaries, CRLF and LF lines, no final newline.
        var text = ""
        var n = 0
        while text.utf8.count < 9 << 20 {
            n += 1
            text += "ligne \(n) é😀ß\(String(repeating: "x", count: n % 97))" + (n % 3 == 0 ? "\r\n" : "\n")
        }
        text += "dernière"
        let path = dir.appendingPathComponent("a.jsonl").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let scan = try CorpusStream.scan(path)
        XCTAssertEqual(scan.hash, ContentHash.of(Array(text.utf8)))
        XCTAssertEqual(scan.bytes, text.utf8.count)
        XCTAssertTrue(scan.isText)

        let reader = try CorpusStream.LineReader(path: path)
        var lines: [String] = []
        while true {
            let batch = try reader.next(maxLines: 1000, maxBytes: 1 << 20)
            if batch.isEmpty { break }
            for l in batch {
                XCTAssertEqual(l.number, lines.count + 1)
                lines.append(String(decoding: l.bytes, as: UTF8.self))
            }
        }
        XCTAssertEqual(lines, text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init))

        // Invalid UTF-8 and NUL bytes, also right at a chunk boundary.
        for bad: [UInt8] in [[0xC3], [0xE2, 0x82], [0x80], [0xFF], [0x00]] {
            var bytes = Array(repeating: UInt8(ascii: "a"), count: (4 << 20) - 1)
            bytes += bad + Array("fin".utf8)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            XCTAssertFalse(try CorpusStream.scan(path).isText, "\(bad)")
        }
    }
}
