import Foundation
import XCTest
@testable import KZQA

/// The whole question-answering pipeline on a small hand-made corpus (CLITestSupport.corpus): ranking in every
/// mode, answer composition, abstention, citation offsets, hostile input, and the `ask --json` contract.
final class EngineTests: XCTestCase {
    var folder = ""
    var corpusFolder = ""
    var indexPath = ""
    var engine: QAEngine!

    override func setUpWithError() throws {
        folder = try CLITestSupport.temporaryFolder(for: self, "kzqa-engine-tests")
        corpusFolder = try CLITestSupport.writeCorpus(in: folder)
        indexPath = (folder as NSString).appendingPathComponent("index.sqlite")
        let indexer = Indexer(indexPath: indexPath)
        indexer.thesaurusPath = nil
        let summary = try indexer.run(roots: [corpusFolder])
        XCTAssertEqual(summary.documents, CLITestSupport.corpus.count)
        engine = QAEngine(store: try IndexStore(path: indexPath))
    }

    override func tearDown() {
        engine = nil
    }

    // MARK: - ranking

    /// Questions and a phrase only the passage answering them holds. Several ask with another form of the text's
    /// word: plural for singular (rénovations, billets, expositions), singular for plural (croissant), a noun for
    /// a verb (inauguration ~ inaugurée, récolte ~ récoltent) and a verb for a noun (entraîne ~ entraîneur).
    static let rankingCases: [(question: String, expected: String)] = [
        ("Combien ont coûté les rénovations du musée ?", "88 millions"),
        ("Quelle est la date de l'inauguration du stade ?", "inaugurée en 1998"),
        ("Qui entraîne l'équipe première ?", "Karim Benali"),
        ("Quand commence la récolte du raisin ?", "récoltent le raisin"),
        ("Combien coûte un croissant au beurre ?", "1,30 euro"),
        ("Quel est le prix des billets aller simple ?", "11,60 euros"),
        ("Combien de trains circulent chaque jour sur la ligne ?", "24 trains"),
        ("Quels cépages sont les plus célèbres ?", "riesling"),
        ("Qui organise les expositions du musée ?", "Claire Fontaine"),
        ("Qui a succédé à Paul Moreau ?", "succédé à Paul Moreau"),
    ]

    func assertRanking(_ mode: RetrievalMode, file: StaticString = #filePath, line: UInt = #line) throws {
        for (question, expected) in Self.rankingCases {
            let response = try engine.ask(question, mode: mode, top: 5)
            guard let first = response.answer.passages.first else {
                XCTFail("[\(mode)] \(question): no passage ranked", file: file, line: line)
                continue
            }
            XCTAssertTrue(first.text.contains(expected),
                          "[\(mode)] \(question): first passage should hold \(expected.debugDescription), got \(first.passageID): \(first.text)",
                          file: file, line: line)
            XCTAssertEqual(first.rank, 1, file: file, line: line)
            let ranks = response.answer.passages.map(\.rank)
            XCTAssertEqual(ranks, Array(1...ranks.count), "[\(mode)] ranks run 1…n", file: file, line: line)
            let scores = response.answer.passages.map(\.score)
            XCTAssertEqual(scores, scores.sorted(by: >), "[\(mode)] \(question): passages listed best first", file: file, line: line)
        }
    }

    func testHybridRanksTheAnsweringPassageFirst() throws { try assertRanking(.hybrid) }
    func testBM25RanksTheAnsweringPassageFirst() throws { try assertRanking(.bm25) }
    func testTFIDFRanksTheAnsweringPassageFirst() throws { try assertRanking(.tfidf) }

    func testTopLimitsThePassagesListed() throws {
        for mode in RetrievalMode.allCases {
            let response = try engine.ask("Combien de places compte le stade des Tilleuls ?", mode: mode, top: 2)
            XCTAssertLessThanOrEqual(response.answer.passages.count, 2, "[\(mode)]")
            XCTAssertFalse(response.answer.passages.isEmpty, "[\(mode)]")
        }
    }

    // MARK: - answers

    /// A combien-question is answered by the sentence holding the number, cited first.
    func testQuantityQuestionCitesTheSentenceWithTheNumber() throws {
        let cases: [(String, String)] = [
            ("Combien d'agents emploie le ministère de l'Agriculture ?", "30 000 agents"),
            ("Combien de places compte le stade des Tilleuls ?", "67 000 places"),
            ("Combien d'œuvres conserve le musée de Nantes ?", "12 000 œuvres"),
            ("Combien d'hectares couvre le vignoble d'Alsace ?", "15 500 hectares"),
        ]
        for mode in RetrievalMode.allCases {
            for (question, number) in cases {
                let answer = try engine.ask(question, mode: mode).answer
                XCTAssertFalse(answer.abstained, "[\(mode)] \(question) should be answered: \(answer.answer)")
                guard let first = answer.citations.first else {
                    XCTFail("[\(mode)] \(question): no citation in \(answer.answer)")
                    continue
                }
                XCTAssertEqual(first.n, 1)
                XCTAssertTrue(CLITestSupport.normalizeSpaces(first.quote).contains(number),
                              "[\(mode)] \(question): first quote should hold \(number): \(first.quote)")
                XCTAssertTrue(answer.answer.contains("[1]"), "[\(mode)] the answer marks its citation: \(answer.answer)")
                XCTAssertGreaterThan(answer.confidence, 0)
                XCTAssertLessThanOrEqual(answer.confidence, 1)
            }
        }
    }

    /// A person question is answered with the sentence naming the person.
    func testPersonQuestionCitesTheName() throws {
        let answer = try engine.ask("Qui a été nommée ministre de l'Agriculture en 2022 ?").answer
        XCTAssertFalse(answer.abstained, answer.answer)
        XCTAssertTrue(answer.citations.first?.quote.contains("Sophie Laurent") ?? false, answer.answer)
    }

    /// Questions the corpus says nothing about are abstained on, in plain words.
    func testAbstainsOnUnrelatedQuestions() throws {
        let questions = [
            "Combien de volcans sont actifs en Islande ?",
            "Quelle est la vitesse de la lumière dans le vide ?",
        ]
        for mode in RetrievalMode.allCases {
            for q in questions {
                let answer = try engine.ask(q, mode: mode).answer
                XCTAssertTrue(answer.abstained, "[\(mode)] \(q) should be abstained on, got: \(answer.answer)")
                XCTAssertEqual(answer.answer, Answer.abstention)
                XCTAssertEqual(answer.question, q)
            }
        }
    }

    /// Every citation's byte offsets, applied to its source file, give exactly its quote; and the quote is a part
    /// of a listed or ranked passage's document.
    func testCitationOffsetsReproduceQuotesFromTheFile() throws {
        var checked = 0
        var questions = Self.rankingCases.map(\.question)
        questions += ["Combien d'agents emploie le ministère de l'Agriculture ?", "Combien de places compte le stade des Tilleuls ?",
                      "Combien d'œuvres conserve le musée de Nantes ?", "Quand Sophie Laurent a-t-elle été nommée ministre ?"]
        var fileBytes: [String: [UInt8]] = [:]
        for mode in RetrievalMode.allCases {
            for q in questions {
                let answer = try engine.ask(q, mode: mode).answer
                for c in answer.citations {
                    if fileBytes[c.source] == nil {
                        fileBytes[c.source] = [UInt8](try Data(contentsOf: URL(fileURLWithPath: c.source)))
                    }
                    let bytes = fileBytes[c.source]!
                    guard c.start >= 0, c.start < c.end, c.end <= bytes.count else {
                        XCTFail("[\(mode)] \(q): citation [\(c.n)] has bad range \(c.start)..<\(c.end) in \(c.source) (\(bytes.count) bytes)")
                        continue
                    }
                    let slice = String(decoding: bytes[c.start..<c.end], as: UTF8.self)
                    XCTAssertEqual(slice, c.quote, "[\(mode)] \(q): bytes \(c.start)..<\(c.end) of \(c.source)")
                    XCTAssertTrue(c.source.hasPrefix(corpusFolder), "source is the path as given at indexing: \(c.source)")
                    XCTAssertFalse(c.title.isEmpty)
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 30, "too few citations checked")
    }

    /// Titles are the first non-empty line of their file.
    func testCitationTitlesAreFirstLines() throws {
        let answer = try engine.ask("Combien de baguettes cuisent les boulangers chaque matin ?").answer
        XCTAssertEqual(answer.citations.first?.title, "La boulangerie Dupain de Lyon")
    }

    // MARK: - synonyms

    /// A tiny MyThes thesaurus makes `ticket` search `billet`, weighted below the question's own words.
    func testThesaurusSynonymExpandsTheQuestion() throws {
        let thesaurus = (folder as NSString).appendingPathComponent("thes_test.dat")
        try Data("UTF-8\nticket|1\n(nom)|billet|coupon|titre de transport\n".utf8).write(to: URL(fileURLWithPath: thesaurus))
        let synonymIndex = (folder as NSString).appendingPathComponent("synonyms.sqlite")
        let indexer = Indexer(indexPath: synonymIndex)
        indexer.thesaurusPath = thesaurus
        _ = try indexer.run(roots: [corpusFolder])
        let withSynonyms = QAEngine(store: try IndexStore(path: synonymIndex))

        let question = "Combien coûte un ticket aller simple pour Chambéry ?"
        let response = try withSynonyms.ask(question, mode: .hybrid)
        let synonym = response.terms.first { $0.term == "billet" }
        XCTAssertNotNil(synonym, "billet should be searched for ticket: \(response.terms.map(\.term))")
        XCTAssertEqual(synonym?.origin, .synonym)
        XCTAssertEqual(synonym?.of, "ticket")
        XCTAssertLessThan(synonym?.weight ?? 1, 1)
        XCTAssertTrue(response.answer.passages.first?.text.contains("11,60 euros") ?? false,
                      "the billet passage should come first: \(response.answer.passages.map(\.passageID))")

        // Without the thesaurus nothing stands for ticket.
        let plain = try engine.ask(question, mode: .hybrid)
        XCTAssertFalse(plain.terms.contains { $0.origin == .synonym }, "\(plain.terms)")
    }

    // MARK: - hostile questions

    /// FTS5 syntax, empty and huge input, control characters, combining marks and emoji: each question is
    /// answered or refused with a KZQAError about the question — never a crash, never an SQLite error.
    func testHostileQuestionsAnswerOrRefuseCleanly() throws {
        let megabyte = String(repeating: "stade ", count: 1 << 20 / 6)
        let hostile: [String] = [
            "\"", "\"\"", "*", "NEAR(", "NEAR(stade places, 2)", "AND OR", "AND", "OR NOT", "(", ")", ":", "^", "-", "+",
            "stade*", "\"stade", "stade\" OR \"places", "col:stade", "passages_fts:stade", "^stade", "{stade places}",
            "stade AND (places OR", "'; DROP TABLE passages; --", "%", "_", "\\",
            "", " ", "   \t\n  ", "\u{00A0}\u{202F}",
            megabyte, String(repeating: "é", count: QAEngine.maxQuestionBytes),
            "\0", "\0\0\0", "Qui\0entraîne l'équipe première ?", "stade\u{0}places\u{7}\u{1B}[31m",
            "\u{0301}", "\u{0301}\u{0308}\u{0327}", "e\u{0301}quipe premie\u{0300}re",
            "😀", "🏟️ stade 🇫🇷 ?", "👨‍👩‍👧‍👦", "\u{FEFF}stade", "\u{200B}\u{200D}", "\u{FFFD}\u{FFFF}",
            "Ω≈ç√∫", "人工知能", "مرحبا", String(repeating: "a", count: 4000), "1 200", "000", "0,5",
        ]
        for mode in RetrievalMode.allCases {
            for q in hostile {
                let label = q.count > 40 ? "\(q.prefix(40).debugDescription)… (\(q.utf8.count) bytes)" : q.debugDescription
                do {
                    let response = try engine.ask(q, mode: mode, top: 3)
                    XCTAssertLessThanOrEqual(response.answer.passages.count, 3, "[\(mode)] \(label)")
                    XCTAssertTrue((0...1).contains(response.answer.confidence), "[\(mode)] \(label)")
                } catch let e as KZQAError {
                    switch e {
                    case .emptyQuestion, .questionTooLong: break
                    // Only a question without a letter or digit has no words.
                    case .questionWithoutWords where !q.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }: break
                    default: XCTFail("[\(mode)] \(label): refused with an error that is not about the question: \(e)")
                    }
                } catch {
                    XCTFail("[\(mode)] \(label): threw a non-KZQA error \(error)")
                }
            }
        }
        // The refusals are the expected ones.
        XCTAssertThrowsError(try engine.ask("")) { XCTAssertEqual($0 as? KZQAError, .emptyQuestion) }
        XCTAssertThrowsError(try engine.ask(" \t\n")) { XCTAssertEqual($0 as? KZQAError, .emptyQuestion) }
        XCTAssertThrowsError(try engine.ask("\0\0")) { XCTAssertEqual($0 as? KZQAError, .emptyQuestion) }
        XCTAssertThrowsError(try engine.ask(megabyte)) {
            guard case .questionTooLong? = $0 as? KZQAError else { return XCTFail("\($0)") }
        }
        // A NUL inside a real question is only a separator.
        let nul = try engine.ask("Qui\0entraîne l'équipe première ?").answer
        XCTAssertTrue(nul.passages.first?.text.contains("Karim Benali") ?? false, "\(nul.passages.map(\.passageID))")
        // FTS5 operators around real words are plain words.
        let syntax = try engine.ask("NEAR(\"stade\" places*) AND ^Tilleuls : combien ?").answer
        XCTAssertTrue(syntax.passages.first?.text.contains("Tilleuls") ?? false, "\(syntax.passages.map(\.passageID))")
    }

    /// FTS5 patterns quote every term, so user text never reaches MATCH raw.
    func testFTS5PatternQuotesTerms() {
        XCTAssertNil(FTS5Pattern.anyOf([]))
        XCTAssertNil(FTS5Pattern.anyOf([""]))
        XCTAssertEqual(FTS5Pattern.anyOf(["minister", "ia"]), "\"minister\" OR \"ia\"")
        XCTAssertEqual(FTS5Pattern.anyOf(["a\"b", "NEAR("]), "\"a\"\"b\" OR \"NEAR(\"")
    }

    // MARK: - ask --json through the CLI

    /// `kzqa ask --json` prints one object with exactly the contract's keys, citations and passages included, and
    /// its offsets reproduce the quotes from the file named by `source` (relative to the working directory).
    func testAskJSONHasExactlyTheContractKeys() throws {
        let cli = try CLITestSupport.temporaryFolder(for: self)
        try CLITestSupport.buildIndex(in: cli)
        let topKeys: Set<String> = ["question", "answer", "abstained", "confidence", "short_answer", "language", "citations", "passages"]
        let citationKeys: Set<String> = ["n", "passage_id", "source", "title", "start", "end", "quote"]
        let passageKeys: Set<String> = ["rank", "passage_id", "source", "score", "text"]

        for (question, answerable) in [("Combien d'agents emploie le ministère de l'Agriculture ?", true),
                                       ("Combien de volcans sont actifs en Islande ?", false)] {
            let r = try CLITestSupport.run(["ask", "--index", "index.sqlite", "--json", "--top", "3", question], in: cli)
            CLITestSupport.assertSuccess(r)
            let lines = r.stdout.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "one JSON object on one line: \(r)")
            guard let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else {
                XCTFail("not a JSON object: \(r)"); continue
            }
            XCTAssertEqual(Set(object.keys), topKeys)
            XCTAssertEqual(object["question"] as? String, question)
            XCTAssertEqual(object["language"] as? String, "fr")
            XCTAssertNotNil(object["answer"] as? String)
            XCTAssertNotNil(object["confidence"] as? Double)
            let abstained = try XCTUnwrap(object["abstained"] as? Bool)
            XCTAssertEqual(abstained, !answerable, r.stdout)
            let citations = try XCTUnwrap(object["citations"] as? [[String: Any]])
            let passages = try XCTUnwrap(object["passages"] as? [[String: Any]])
            XCTAssertLessThanOrEqual(passages.count, 3)
            if answerable {
                XCTAssertFalse(citations.isEmpty)
                XCTAssertFalse(passages.isEmpty)
            } else {
                XCTAssertEqual(object["answer"] as? String, Answer.abstention)
            }
            for c in citations {
                XCTAssertEqual(Set(c.keys), citationKeys)
                let source = try XCTUnwrap(c["source"] as? String)
                XCTAssertTrue(source.hasPrefix("corpus/"), "source relative to the working directory: \(source)")
                let start = try XCTUnwrap(c["start"] as? Int), end = try XCTUnwrap(c["end"] as? Int)
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: (cli as NSString).appendingPathComponent(source))))
                XCTAssertTrue(0 <= start && start < end && end <= bytes.count, "\(start)..<\(end)")
                if 0 <= start && start < end && end <= bytes.count {
                    XCTAssertEqual(String(decoding: bytes[start..<end], as: UTF8.self), c["quote"] as? String)
                }
                XCTAssertNotNil(c["n"] as? Int)
                XCTAssertNotNil(c["passage_id"] as? String)
                XCTAssertNotNil(c["title"] as? String)
            }
            for (i, p) in passages.enumerated() {
                XCTAssertEqual(Set(p.keys), passageKeys)
                XCTAssertEqual(p["rank"] as? Int, i + 1)
                XCTAssertNotNil(p["score"] as? Double)
                XCTAssertNotNil(p["text"] as? String)
                XCTAssertTrue((p["source"] as? String)?.hasPrefix("corpus/") ?? false)
            }
        }
    }
}
