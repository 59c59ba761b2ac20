import Foundation
import XCTest
@testable import KZQA
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Benchmark measures on small hand-computed rankings, the question loader, the report's JSON shape and the SVG plot.
final class MetricsTests: XCTestCase {
    private let accuracy = 1e-9

    // MARK: - recall@k and MRR

    func testRecallAtK() {
        // Five questions; first relevant ranks 1, 3, none, 2, 7.
        let ranks: [Int?] = [1, 3, nil, 2, 7]
        XCTAssertEqual(Metrics.recallAt(k: 1, firstRelevantRanks: ranks), 1.0 / 5, accuracy: accuracy)  // {1}
        XCTAssertEqual(Metrics.recallAt(k: 3, firstRelevantRanks: ranks), 3.0 / 5, accuracy: accuracy)  // {1,3,2}
        XCTAssertEqual(Metrics.recallAt(k: 5, firstRelevantRanks: ranks), 3.0 / 5, accuracy: accuracy)
        XCTAssertEqual(Metrics.recallAt(k: 10, firstRelevantRanks: ranks), 4.0 / 5, accuracy: accuracy)  // + 7
        XCTAssertEqual(Metrics.recallAt(k: 10, firstRelevantRanks: []), 0)
        XCTAssertEqual(Metrics.recallCurve(k: 1...4, firstRelevantRanks: ranks), [0.2, 0.4, 0.6, 0.6])  // k = 2: {1, 2}
        XCTAssertEqual(Metrics.recallCurve(firstRelevantRanks: ranks).count, 10)
        XCTAssertEqual(Metrics.recallCurve(firstRelevantRanks: ranks).last ?? 0, 0.8, accuracy: accuracy)
    }

    func testMRR() {
        // MRR@10 = (1/1 + 1/3 + 0 + 1/2 + 1/7) / 5 = (42 + 14 + 21 + 6) / 42 / 5 = 83/210.
        let ranks: [Int?] = [1, 3, nil, 2, 7]
        XCTAssertEqual(Metrics.mrr(at: 10, firstRelevantRanks: ranks), 83.0 / 210, accuracy: accuracy)
        // MRR@5 drops rank 7: (1 + 1/3 + 1/2) / 5 = (11/6) / 5 = 11/30.
        XCTAssertEqual(Metrics.mrr(at: 5, firstRelevantRanks: ranks), 11.0 / 30, accuracy: accuracy)
        XCTAssertEqual(Metrics.mrr(firstRelevantRanks: [nil, nil]), 0)
        XCTAssertEqual(Metrics.mrr(firstRelevantRanks: []), 0)
    }

    // MARK: - nDCG

    func testNDCGWithSeveralRelevantPassages() {
        // Relevant at ranks 1 and 3: DCG = 1/log2(2) + 1/log2(4) = 1 + 0.5 = 1.5.
        // Ideal puts both first: IDCG = 1/log2(2) + 1/log2(3) = 1 + 0.6309297535714575 = 1.6309297535714575.
        // nDCG = 1.5 / 1.6309297535714575 = 0.9197207891481876.
        let a = [true, false, true, false]
        XCTAssertEqual(Metrics.ndcg(at: 10, relevance: a), 1.5 / (1 + 1 / log2(3.0)), accuracy: accuracy)
        XCTAssertEqual(Metrics.ndcg(at: 10, relevance: a), 0.9197207891481876, accuracy: 1e-12)

        // Relevant at ranks 2 and 3: DCG = 1/log2(3) + 1/log2(4) = 0.6309297535714575 + 0.5 = 1.1309297535714575.
        // IDCG as above = 1.6309297535714575; nDCG = 0.6934264036172708.
        let b = [false, true, true]
        XCTAssertEqual(Metrics.ndcg(at: 10, relevance: b), 0.6934264036172708, accuracy: 1e-12)

        // Nothing relevant: 0. Everything relevant (three tied "perfect" passages): DCG = IDCG, so 1.
        XCTAssertEqual(Metrics.ndcg(relevance: [false, false, false]), 0)
        XCTAssertEqual(Metrics.ndcg(relevance: [true, true, true]), 1, accuracy: accuracy)
        XCTAssertEqual(Metrics.ndcg(relevance: [Bool]()), 0)

        // Mean over the three questions a, b, none: (0.9197207891481876 + 0.6934264036172708 + 0) / 3.
        XCTAssertEqual(Metrics.ndcg(at: 10, relevance: [a, b, [false, false, false]]),
                       (0.9197207891481876 + 0.6934264036172708) / 3, accuracy: 1e-12)
    }

    func testNDCGCutoffAndTies() {
        // k = 2, relevant at ranks 1 and 3: DCG@2 = 1; R = 2 counts the passage past the cut-off, so
        // IDCG@2 = 1 + 1/log2(3) = 1.6309297535714575 and nDCG@2 = 0.6131471927654584.
        XCTAssertEqual(Metrics.ndcg(at: 2, relevance: [true, false, true]), 1 / (1 + 1 / log2(3.0)),
                       accuracy: accuracy)
        // k = 2, only relevant passage at rank 3: DCG@2 = 0, so 0.
        XCTAssertEqual(Metrics.ndcg(at: 2, relevance: [false, false, true]), 0)
        // Two passages with tied scores, one relevant: the order given is scored as is, not averaged.
        // [relevant, not]: 1/1 = 1.  [not, relevant]: (1/log2(3)) / 1 = 0.6309297535714575.
        XCTAssertEqual(Metrics.ndcg(relevance: [true, false]), 1, accuracy: accuracy)
        XCTAssertEqual(Metrics.ndcg(relevance: [false, true]), 0.6309297535714575, accuracy: 1e-12)
    }

    // MARK: - Percentiles

    func testPercentileLinearInterpolation() {
        // Sorted 15 20 35 40 50 (n = 5). p40: h = 4 × 0.40 = 1.6 → 20 + 0.6 × (35 − 20) = 29.
        let values: [Double] = [40, 15, 50, 35, 20]
        XCTAssertEqual(Metrics.percentile(values, 40), 29, accuracy: accuracy)
        XCTAssertEqual(Metrics.percentile(values, 50), 35, accuracy: accuracy)  // h = 2 exactly
        // p95: h = 4 × 0.95 = 3.8 → 40 + 0.8 × (50 − 40) = 48.
        XCTAssertEqual(Metrics.percentile(values, 95), 48, accuracy: accuracy)
        XCTAssertEqual(Metrics.percentile(values, 0), 15)
        XCTAssertEqual(Metrics.percentile(values, 100), 50)
        // 1 2 3 4: p50: h = 1.5 → 2.5; p95: h = 2.85 → 3 + 0.85 = 3.85.
        XCTAssertEqual(Metrics.percentile([1, 2, 3, 4], 50), 2.5, accuracy: accuracy)
        XCTAssertEqual(Metrics.percentile([1, 2, 3, 4], 95), 3.85, accuracy: accuracy)
        XCTAssertEqual(Metrics.percentile([7], 95), 7)
        XCTAssertEqual(Metrics.percentile([], 50), 0)
        XCTAssertEqual(Metrics.percentile([1, .nan, 3], 50), 2, accuracy: accuracy)  // NaN ignored
    }

    // MARK: - Normalisation

    func testNormalizeWhiteSpaceCaseAndNFC() {
        XCTAssertEqual(AnswerMatching.normalize("  Le\u{00A0}Kazakhstan\u{202F}:  ÉTAT\n\tnumérique \r\n"),
                       "le kazakhstan : état numérique")
        // NFD "E + combining acute" and NFC "É" normalise alike.
        XCTAssertEqual(AnswerMatching.normalize("E\u{0301}tat"), AnswerMatching.normalize("\u{00C9}tat"))
        XCTAssertEqual(AnswerMatching.normalize("E\u{0301}tat").unicodeScalars.count, 4)
        // Full case folding, not just lowercasing.
        XCTAssertEqual(AnswerMatching.normalize("STRASSE"), AnswerMatching.normalize("Straße"))
        XCTAssertEqual(AnswerMatching.normalize("ŒUVRE"), "œuvre")
        // Superscript ᵉ is kept (NFC, not NFKC).
        XCTAssertEqual(AnswerMatching.normalize("24ᵉ"), "24ᵉ")
        XCTAssertEqual(AnswerMatching.normalize(" \u{00A0}\u{202F} "), "")
    }

    func testContains() {
        XCTAssertTrue(AnswerMatching.contains("Rien que cette année, 650\u{00A0}000 étudiants", "650 000 ÉTUDIANTS"))
        XCTAssertTrue(AnswerMatching.contains("le 1er octobre\n2025", "1er octobre 2025"))
        XCTAssertTrue(AnswerMatching.contains("Le Kazakhstan se classe 24ᵉ", "24ᵉ"))
        XCTAssertTrue(AnswerMatching.contains("Ministère de l’Intelligence", "ministe\u{0300}re"))
        // The contract folds no apostrophes: ’ (U+2019) and ' differ.
        XCTAssertFalse(AnswerMatching.contains("l’IA", "l'IA"))
        XCTAssertFalse(AnswerMatching.contains("trois", "trois ans"))
        XCTAssertTrue(AnswerMatching.containsAny("dans les trois ans", of: ["deux ans", "TROIS ANS"]))
        XCTAssertFalse(AnswerMatching.containsAny("anything", of: []))
        XCTAssertEqual(AnswerMatching.relevance(passages: ["a b", "c", "B  a"], answers: ["b a", "c"]),
                       [false, true, true])
    }

    // MARK: - Outcome measures

    private func sampleOutcomes() -> [QuestionOutcome] {
        [
            // Answered right, cited right (two sentences); first relevant passage at rank 2. Short answer
            // "dans les trois ans" → tokens dans, trois, ans against trois, ans: P = 2/3, R = 1, F1 = 0.8, not exact.
            QuestionOutcome(id: "a", answerable: true, answers: ["trois ans"], relevance: [false, true],
                            answer: "Dans les trois ans [1]. Tokayev [2].", abstained: false,
                            citedQuotes: ["un pays numérique à part entière dans les trois ans", "Tokayev"],
                            latencyMs: 10, shortAnswer: "dans les trois ans"),
            // Answered wrong; short answer 16 against 30: F1 0.
            QuestionOutcome(id: "b", answerable: true, answers: ["30 %"], relevance: [true],
                            answer: "De 16 % [1].", abstained: false, citedQuotes: ["16 %"], latencyMs: 20,
                            shortAnswer: "16 %"),
            // Abstained on an answerable question: its short answer (there should be none) scores 0.
            QuestionOutcome(id: "c", answerable: true, answers: ["IQanat"], relevance: [false, false],
                            answer: "Les articles indexés ne répondent pas à cette question.", abstained: true,
                            citedQuotes: [], latencyMs: 30, shortAnswer: "IQanat"),
            // Answered right, but the citation does not hold the answer; the short answer is exact.
            QuestionOutcome(id: "d", answerable: true, answers: ["Astana Hub Battle"], relevance: [],
                            answer: "La compétition Astana Hub Battle [1].", abstained: false,
                            citedQuotes: ["Startup Alley"], latencyMs: 40, shortAnswer: "l’Astana Hub Battle"),
            // Unanswerable, abstained.
            QuestionOutcome(id: "e", answerable: false, answers: [], relevance: [false], answer: "…",
                            abstained: true, citedQuotes: [], latencyMs: 50),
            // Unanswerable, answered anyway.
            QuestionOutcome(id: "f", answerable: false, answers: [], relevance: [false], answer: "Astana.",
                            abstained: false, citedQuotes: ["Astana"], latencyMs: 60),
        ]
    }

    func testOutcomeMeasures() {
        let outcomes = sampleOutcomes()
        XCTAssertEqual(outcomes.map(\.answerCorrect), [true, false, false, true, true, false])
        XCTAssertEqual(outcomes.map(\.firstRelevantRank), [2, 1, nil, nil, nil, nil])
        XCTAssertEqual(Metrics.answerAccuracy(outcomes), 2.0 / 4, accuracy: accuracy)     // a, d of a b c d
        XCTAssertEqual(Metrics.citationAccuracy(outcomes), 1.0 / 2, accuracy: accuracy)   // a of a, d
        XCTAssertEqual(Metrics.abstainRecall(outcomes), 1.0 / 2, accuracy: accuracy)      // e of e, f
        XCTAssertEqual(Metrics.falseAbstainRate(outcomes), 1.0 / 4, accuracy: accuracy)   // c of a b c d
        XCTAssertEqual(Metrics.abstainRecall([]), 0)

        let m = ModeMeasures(outcomes: outcomes)
        // Answerable ranks 2, 1, nil, nil → recall@1 = 1/4, recall@3 = 2/4; MRR = (1/2 + 1) / 4 = 0.375.
        XCTAssertEqual(m.recallAt1, 0.25, accuracy: accuracy)
        XCTAssertEqual(m.recallAt3, 0.5, accuracy: accuracy)
        XCTAssertEqual(m.recallAt10, 0.5, accuracy: accuracy)
        XCTAssertEqual(m.mrrAt10, 0.375, accuracy: accuracy)
        // nDCG: a = (1/log2(3)) / 1 = 0.6309297535714575, b = 1, c = d = 0 → 1.6309297535714575 / 4.
        XCTAssertEqual(m.ndcgAt10, (1 + 1 / log2(3.0)) / 4, accuracy: accuracy)
        // Latencies 10…60 over all six questions: p50 h = 2.5 → 35; p95 h = 4.75 → 50 + 7.5 = 57.5.
        XCTAssertEqual(m.latencyMsP50, 35, accuracy: accuracy)
        XCTAssertEqual(m.latencyMsP95, 57.5, accuracy: accuracy)
    }

    func testShortAnswerMeasures() {
        let outcomes = sampleOutcomes()
        XCTAssertEqual(outcomes.map(\.shortAnswerF1), [0.8, 0, 0, 1, 0, 0])
        XCTAssertEqual(outcomes.map(\.firstCitationCorrect), [true, false, false, false, false, false])
        // Exact: d only, of a b c d.
        XCTAssertEqual(Metrics.shortAnswerExact(outcomes), 1.0 / 4, accuracy: accuracy)
        // F1: (0.8 + 0 + 0 + 1) / 4 = 0.45.
        XCTAssertEqual(Metrics.shortAnswerF1(outcomes), 0.45, accuracy: accuracy)
        // Citation [1] holds the answer for a only, of the four answerable questions (c abstained counts against).
        XCTAssertEqual(Metrics.firstCitationAccuracy(outcomes), 1.0 / 4, accuracy: accuracy)
        // Not abstained: a (2 citations), b (1), d (1), f (1) → 5 / 4.
        XCTAssertEqual(Metrics.sentencesPerAnswer(outcomes), 1.25, accuracy: accuracy)
        // All six: a 0.8, b 0, c 0, d 1, e abstained 1, f answered 0 → 2.8 / 6.
        XCTAssertEqual(Metrics.squad2F1(outcomes), 2.8 / 6, accuracy: accuracy)
        let m = ModeMeasures(outcomes: outcomes)
        XCTAssertEqual(m.shortAnswerF1, 0.45, accuracy: accuracy)
        XCTAssertEqual(m.value(named: "squad2_f1") ?? -1, 2.8 / 6, accuracy: accuracy)
        XCTAssertEqual(m.value(named: "first_citation_accuracy") ?? -1, 0.25, accuracy: accuracy)
        for empty in [Metrics.shortAnswerF1([]), Metrics.sentencesPerAnswer([]), Metrics.squad2F1([])] {
            XCTAssertEqual(empty, 0)
        }
        // No short answer at all: F1 and exact 0 even though the sentence is right.
        var noSpan = outcomes[3]
        noSpan.shortAnswer = nil
        XCTAssertEqual(noSpan.shortAnswerF1, 0)
        XCTAssertEqual(noSpan.shortAnswerExact, 0)
        XCTAssertTrue(noSpan.answerCorrect)
    }

    func testShortAnswerTokens() {
        XCTAssertEqual(ShortAnswerScoring.tokens("L’étiquetage du contenu"), ["étiquetage", "contenu"])
        XCTAssertEqual(ShortAnswerScoring.tokens("« au nord d’Almaty »"), ["nord", "almaty"])
        XCTAssertEqual(ShortAnswerScoring.tokens("l'IA-Gov"), ["ia", "gov"])  // ASCII apostrophe, hyphen
        XCTAssertEqual(ShortAnswerScoring.tokens("Kai-Fu Lee."), ["kai", "fu", "lee"])
        XCTAssertEqual(ShortAnswerScoring.tokens("92\u{202F}%"), ["92"])
        XCTAssertEqual(ShortAnswerScoring.tokens("1,2 billion de tengués"), ["1", "2", "billion", "tengués"])
        XCTAssertEqual(ShortAnswerScoring.tokens("24ᵉ"), ["24ᵉ"])
        // Only l’ and d’ are elided articles: qu’ stays a word, and a d inside a word is not an article.
        XCTAssertEqual(ShortAnswerScoring.tokens("jusqu’en 2029"), ["jusqu", "en", "2029"])
        XCTAssertEqual(ShortAnswerScoring.tokens("grand’mère"), ["grand", "mère"])
        XCTAssertEqual(ShortAnswerScoring.tokens("Les Des UNE aux Au"), [])
        XCTAssertEqual(ShortAnswerScoring.tokens("ÉTATS-UNIS"), ["états", "unis"])
    }

    func testShortAnswerExactAndF1() {
        // Zhaslan, Madiyev against Madiyev: P = 1/2, R = 1, F1 = 2/3.
        XCTAssertEqual(ShortAnswerScoring.f1("Zhaslan Madiyev", "Madiyev"), 2.0 / 3, accuracy: accuracy)
        // 2, octobre against 2, 4, octobre: P = 1, R = 2/3, F1 = 0.8.
        XCTAssertEqual(ShortAnswerScoring.f1("le 2 octobre", "du 2 au 4 octobre"), 0.8, accuracy: accuracy)
        // Tokens count with multiplicity: crypto, crypto against crypto: common 1, P = 1/2, R = 1.
        XCTAssertEqual(ShortAnswerScoring.f1("la crypto, la crypto", "crypto"), 2.0 / 3, accuracy: accuracy)
        XCTAssertEqual(ShortAnswerScoring.f1("Astana", "Almaty"), 0)
        XCTAssertEqual(ShortAnswerScoring.exact("L’Union  européenne", "union Européenne"), 1)
        XCTAssertEqual(ShortAnswerScoring.exact("Union européenne", "européenne"), 0)
        // Nothing left on either side: 1 when both are empty, else 0.
        XCTAssertEqual(ShortAnswerScoring.f1("les", "le"), 1)
        XCTAssertEqual(ShortAnswerScoring.f1("la", "Astana"), 0)
        // The best gold counts; no prediction or no gold scores 0.
        XCTAssertEqual(ShortAnswerScoring.bestF1("Madiyev", golds: ["Zhaslan Madiyev", "Madiyev"]), 1)
        XCTAssertEqual(ShortAnswerScoring.bestF1("Madiyev", golds: ["Zhaslan Madiyev", "Sulyok"]), 2.0 / 3,
                       accuracy: accuracy)
        XCTAssertEqual(ShortAnswerScoring.bestExact("Madiyev", golds: ["Zhaslan Madiyev", "Madiyev"]), 1)
        XCTAssertEqual(ShortAnswerScoring.bestF1(nil, golds: ["Madiyev"]), 0)
        XCTAssertEqual(ShortAnswerScoring.bestF1("Madiyev", golds: []), 0)
    }

    func testOutcomeFromAnswerOrdersCitationsByNumber() {
        let question = BenchQuestion(id: "q", question: "Qui ?", answers: ["Madiyev"])
        func citation(_ n: Int, _ quote: String) -> Citation {
            Citation(n: n, passageID: "p\(n)", source: "s.txt", title: "t", start: 0, end: quote.utf8.count,
                     quote: quote, paragraph: 1)
        }
        let answer = Answer(question: "Qui ?", answer: "x [1]. y [2].", abstained: false, confidence: 0.9,
                            citations: [citation(2, "Astana"), citation(1, "Zhaslan Madiyev")],
                            passages: [AnswerPassage(rank: 1, passageID: "p1", source: "s.txt", score: 1,
                                                     text: "nomination de Zhaslan Madiyev")],
                            shortAnswer: ShortAnswer(text: "Zhaslan Madiyev", citation: 1, source: "s.txt",
                                                     start: 0, end: 15))
        let outcome = QuestionOutcome(question: question, answer: answer, latencyMs: 1)
        XCTAssertEqual(outcome.citedQuotes, ["Zhaslan Madiyev", "Astana"])
        XCTAssertTrue(outcome.firstCitationCorrect)
        XCTAssertEqual(outcome.shortAnswer, "Zhaslan Madiyev")
        XCTAssertEqual(outcome.shortAnswerF1, 2.0 / 3, accuracy: accuracy)
        XCTAssertEqual(outcome.firstRelevantRank, 1)
        // A refused question (no answer) is an abstention with nothing cited.
        let refused = QuestionOutcome(question: question, answer: nil, latencyMs: 1)
        XCTAssertTrue(refused.abstained)
        XCTAssertEqual(refused.citedQuotes, [])
        XCTAssertNil(refused.shortAnswer)
    }

    func testOutcomeFromPassageTexts() {
        let question = BenchQuestion(id: "q", question: "Combien d’étudiants ?", answers: ["650 000"])
        let outcome = QuestionOutcome(
            question: question,
            passageTexts: ["Astana Hub", "Rien que cette année, 650\u{00A0}000 étudiants", "650 000 étudiants"],
            answer: "650 000 étudiants [1].", abstained: false, citedQuotes: ["650 000 étudiants"], latencyMs: 1)
        XCTAssertEqual(outcome.relevance, [false, true, true])
        XCTAssertEqual(outcome.firstRelevantRank, 2)
        XCTAssertTrue(outcome.answerCorrect)
        XCTAssertTrue(outcome.citationCorrect)
    }

    // MARK: - Question loader

    private func temporaryFile(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("kzqa-metrics-\(UUID().uuidString).jsonl").path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    private func assertInvalidLine(_ contents: String, line expected: Int, reasonContains: String,
                                   file: StaticString = #filePath, lineNumber: UInt = #line) throws {
        let path = try temporaryFile(contents)
        XCTAssertThrowsError(try QuestionSet.load(path: path), file: file, line: lineNumber) { error in
            guard case let KZQAError.invalidQuestionFile(errorPath, line, reason) = error else {
                return XCTFail("unexpected error \(error)", file: file, line: lineNumber)
            }
            XCTAssertEqual(errorPath, path, file: file, line: lineNumber)
            XCTAssertEqual(line, expected, file: file, line: lineNumber)
            XCTAssertTrue(reason.contains(reasonContains), "reason: \(reason)", file: file, line: lineNumber)
        }
    }

    func testLoadValidFile() throws {
        let path = try temporaryFile("""
        {"id": "q1", "question": "Quand ?", "answers": ["du 2 au 4 octobre"], "lang": "fr", "kind": "date", "difficulty": "easy"}

        {"id": "q2", "question": "Qui dirige alem.ai ?", "answerable": false, "answers": []}
           \r
        {"id": "q3", "question": "Combien ?", "answerable": true, "answers": ["16 %", "16\u{00A0}%"], "evidence": {"x": 1}}\r
        {"question": "Sans id ?", "answerable": false}
        """)
        let questions = try QuestionSet.load(path: path)
        XCTAssertEqual(questions.map(\.id), ["q1", "q2", "q3", "L6"])
        XCTAssertEqual(questions[0], BenchQuestion(id: "q1", question: "Quand ?", answerable: true,
                                                   answers: ["du 2 au 4 octobre"], lang: "fr", kind: "date"))
        XCTAssertNil(questions[1].lang)
        XCTAssertNil(questions[1].kind)
        XCTAssertTrue(questions[0].answerable, "answerable defaults to true")
        XCTAssertFalse(questions[1].answerable)
        XCTAssertEqual(questions[2].answers, ["16 %", "16\u{00A0}%"])
        XCTAssertEqual(questions[3].answers, [])
    }

    func testLoadReportsTheBadLine() throws {
        try assertInvalidLine("""
        {"id": "q1", "question": "ok ?", "answers": ["a"]}

        {"id": "q2", "question": "broken ?", "answers": ["a"]
        """, line: 3, reasonContains: "JSON")
        try assertInvalidLine("""
        {"id": "q1", "question": "ok ?", "answers": ["a"]}
        {"id": "q2", "question": "bad \\ud800 text", "answers": ["a"]}
        """, line: 2, reasonContains: "surrogate")
        try assertInvalidLine("""
        {"id": "q1", "question": "low \\udc00 alone", "answers": ["a"]}
        """, line: 1, reasonContains: "surrogate")
        try assertInvalidLine("""
        {"id": "q1", "answers": ["a"]}
        """, line: 1, reasonContains: "question")
        try assertInvalidLine("""
        {"id": "q1", "question": "ok ?", "answers": ["a"]}
        {"id": "q1", "question": "again ?", "answers": ["a"]}
        """, line: 2, reasonContains: "duplicate")
        try assertInvalidLine("""
        {"id": "q1", "question": "ok ?", "answerable": "yes", "answers": ["a"]}
        """, line: 1, reasonContains: "answerable")
        try assertInvalidLine("""
        {"id": "q1", "question": "no answers ?"}
        """, line: 1, reasonContains: "answers")
        try assertInvalidLine("[1, 2]\n", line: 1, reasonContains: "object")
        try assertInvalidLine("""
        {"id": "q1", "question": "ok ?", "answers": ["a"], "kind": 3}
        """, line: 1, reasonContains: "kind")
        // A properly paired surrogate escape (😀) is fine, and so is an escaped backslash before "u".
        let path = try temporaryFile(#"{"id": "q1", "question": "\ud83d\ude00 \\ud800 ?", "answers": ["a"]}"#)
        XCTAssertEqual(try QuestionSet.load(path: path).first?.question, "😀 \\ud800 ?")
    }

    func testLoadMissingFile() {
        XCTAssertThrowsError(try QuestionSet.load(path: "/nonexistent/kzqa/questions.jsonl")) { error in
            XCTAssertEqual(error as? KZQAError, .pathNotFound(path: "/nonexistent/kzqa/questions.jsonl"))
        }
    }

    /// The project's own question sets load, and every gold answer occurs verbatim (normalised) in a seed article.
    func testBenchmarkSetsAnswersOccurInSeeds() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let seedsURL = root.appendingPathComponent("seeds")
        let seedFiles = (try? FileManager.default.contentsOfDirectory(atPath: seedsURL.path)) ?? []
        let seeds = try seedFiles.filter { $0.hasSuffix(".txt") }
            .map { try String(contentsOf: seedsURL.appendingPathComponent($0), encoding: .utf8) }
            .map(AnswerMatching.normalize)
        try XCTSkipIf(seeds.isEmpty, "no seeds/ folder next to the tests")
        for name in ["dev-questions.jsonl", "own-questions.jsonl", "check-questions.jsonl"] {
            let path = root.appendingPathComponent("benchmarks").appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let questions = try QuestionSet.load(path: path)
            XCTAssertGreaterThanOrEqual(questions.count, 50, name)
            XCTAssertGreaterThanOrEqual(questions.filter { !$0.answerable }.count, 10, name)
            for question in questions where question.answerable {
                for answer in question.answers {
                    let needle = AnswerMatching.normalize(answer)
                    XCTAssertTrue(seeds.contains { AnswerMatching.containsNormalized($0, needle) },
                                  "\(name) \(question.id): \(answer) is not in the seed articles")
                }
            }
        }
    }

    // MARK: - Report JSON and Markdown

    private func sampleReport() -> BenchReport {
        let outcomes = sampleOutcomes()
        var worse = outcomes
        worse[0].relevance = [false, false, false, true]
        worse[0].latencyMs = 12.345678
        return BenchReport(runs: [(mode: "hybrid", outcomes: outcomes), (mode: "bm25", outcomes: worse)])
    }

    /// Retrieval timed apart gives the report a "stages" object per timed mode: retrieval and whole-answer
    /// percentiles (the latter the mode's own latency percentiles); a report without it has no such key.
    func testStageLatenciesAreReportedWhenRetrievalWasTimed() throws {
        var outcomes = sampleOutcomes()
        for i in outcomes.indices { outcomes[i].retrievalMs = Double(i + 1) }
        let report = BenchReport(runs: [(mode: "bm25", outcomes: outcomes)])
        let stage = try XCTUnwrap(report.stages["bm25"])
        XCTAssertEqual(stage.retrievalMsP50, Metrics.percentile(outcomes.compactMap(\.retrievalMs), 50), accuracy: 1e-3)
        XCTAssertEqual(stage.retrievalMsP95, Metrics.percentile(outcomes.compactMap(\.retrievalMs), 95), accuracy: 1e-3)
        XCTAssertEqual(stage.answerMsP95, try XCTUnwrap(report.modes["bm25"]).latencyMsP95, accuracy: 1e-9)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        let stages = try XCTUnwrap(object["stages"] as? [String: [String: Double]])
        XCTAssertEqual(Set(try XCTUnwrap(stages["bm25"]).keys), ["retrieval_ms_p50", "retrieval_ms_p95", "answer_ms_p50", "answer_ms_p95"])
        XCTAssertEqual(try JSONDecoder().decode(BenchReport.self, from: report.jsonData()).stages, report.stages)
        XCTAssertTrue(BenchReport(runs: [(mode: "bm25", outcomes: sampleOutcomes())]).stages.isEmpty)
    }

    func testReportJSONShape() throws {
        let report = sampleReport()
        let data = try report.jsonData()
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["questions", "modes", "per_question"])
        XCTAssertEqual(object["questions"] as? Int, 6)

        let modes = try XCTUnwrap(object["modes"] as? [String: Any])
        XCTAssertEqual(Set(modes.keys), ["hybrid", "bm25"])
        let hybrid = try XCTUnwrap(modes["hybrid"] as? [String: Any])
        XCTAssertEqual(Set(hybrid.keys), [
            "recall@1", "recall@3", "recall@5", "recall@10", "mrr@10", "ndcg@10", "answer_accuracy",
            "citation_accuracy", "abstain_recall", "false_abstain_rate", "short_answer_exact", "short_answer_f1",
            "first_citation_accuracy", "sentences_per_answer", "squad2_f1", "latency_ms_p50", "latency_ms_p95",
        ])
        XCTAssertEqual(try XCTUnwrap(hybrid["short_answer_f1"] as? Double), 0.45, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(hybrid["recall@1"] as? Double), 0.25, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(hybrid["latency_ms_p95"] as? Double), 57.5, accuracy: accuracy)

        let perQuestion = try XCTUnwrap(object["per_question"] as? [[String: Any]])
        XCTAssertEqual(perQuestion.count, 12)
        for entry in perQuestion {
            XCTAssertEqual(Set(entry.keys),
                           ["id", "mode", "first_relevant_rank", "answer_correct", "abstained", "latency_ms",
                            "short_answer", "short_answer_f1", "first_citation_correct", "sentences"])
        }
        XCTAssertEqual(perQuestion[0]["short_answer"] as? String, "dans les trois ans")
        XCTAssertEqual(try XCTUnwrap(perQuestion[0]["short_answer_f1"] as? Double), 0.8, accuracy: accuracy)
        XCTAssertEqual(perQuestion[0]["sentences"] as? Int, 2)
        XCTAssertEqual(perQuestion[0]["first_citation_correct"] as? Bool, true)
        XCTAssertEqual(perQuestion[4]["sentences"] as? Int, 0)  // c abstained
        XCTAssertTrue(perQuestion[8]["short_answer"] is NSNull)  // e: unanswerable, no short answer
        XCTAssertTrue(perQuestion[8]["short_answer_f1"] is NSNull)
        // Question order, then mode order; a missing rank is JSON null, not a missing key.
        XCTAssertEqual(perQuestion.prefix(4).map { "\($0["id"] ?? "")/\($0["mode"] ?? "")" },
                       ["a/hybrid", "a/bm25", "b/hybrid", "b/bm25"])
        XCTAssertEqual(perQuestion[0]["first_relevant_rank"] as? Int, 2)
        XCTAssertEqual(perQuestion[1]["first_relevant_rank"] as? Int, 4)
        XCTAssertTrue(perQuestion[4]["first_relevant_rank"] is NSNull)
        XCTAssertEqual(try XCTUnwrap(perQuestion[1]["latency_ms"] as? Double), 12.346, accuracy: 1e-9)

        // Pretty-printed with sorted keys.
        let text = try XCTUnwrap(String(data: data, encoding: .utf8))
        XCTAssertTrue(text.contains("\n  \"modes\" : {"), text)
        let keys = ["\"modes\"", "\"per_question\"", "\"questions\""].compactMap { text.range(of: $0)?.lowerBound }
        XCTAssertEqual(keys.count, 3)
        XCTAssertEqual(keys, keys.sorted())

        // Round trip.
        let decoded = try JSONDecoder().decode(BenchReport.self, from: data)
        XCTAssertEqual(decoded.questions, report.questions)
        XCTAssertEqual(decoded.modes, report.modes)
        XCTAssertEqual(decoded.perQuestion, report.perQuestion)

        // A report written before the short-answer measures still decodes, with those measures at 0.
        let old = """
        {"questions": 1, "modes": {"bm25": {"recall@1": 1, "recall@3": 1, "recall@5": 1, "recall@10": 1,
        "mrr@10": 1, "ndcg@10": 1, "answer_accuracy": 1, "citation_accuracy": 1, "abstain_recall": 0,
        "false_abstain_rate": 0, "latency_ms_p50": 2, "latency_ms_p95": 3}},
        "per_question": [{"id": "q", "mode": "bm25", "first_relevant_rank": 1, "answer_correct": true,
        "abstained": false, "latency_ms": 2}]}
        """
        let oldReport = try JSONDecoder().decode(BenchReport.self, from: Data(old.utf8))
        XCTAssertEqual(oldReport.modes["bm25"]?.squad2F1, 0)
        XCTAssertEqual(oldReport.modes["bm25"]?.latencyMsP95, 3)
        XCTAssertNil(oldReport.perQuestion.first?.shortAnswer)
    }

    func testMarkdownTable() {
        let report = sampleReport()
        let lines = report.markdown().split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4)
        XCTAssertEqual(lines[0], "| mode | recall@1 | recall@3 | recall@5 | recall@10 | mrr@10 | ndcg@10 | "
            + "answer_accuracy | citation_accuracy | abstain_recall | false_abstain_rate | "
            + "short_answer_exact | short_answer_f1 | first_citation_accuracy | sentences_per_answer | squad2_f1 | "
            + "latency_ms_p50 | latency_ms_p95 |")
        XCTAssertTrue(lines[1].hasPrefix("|:--|--:|"))
        XCTAssertEqual(lines[2], "| hybrid | 0.250 | 0.500 | 0.500 | 0.500 | 0.375 | 0.408 | 0.500 | 0.500 | "
            + "0.500 | 0.250 | 0.250 | 0.450 | 0.250 | 1.250 | 0.467 | 35.00 | 57.50 |")
        XCTAssertTrue(lines[3].hasPrefix("| bm25 | 0.250 | 0.250 | 0.500 | 0.500 |"), lines[3])
    }

    // MARK: - SVG plot

    private final class SVGCollector: NSObject, XMLParserDelegate {
        var elements: [String: Int] = [:]
        var text = ""
        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            elements[elementName, default: 0] += 1
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    func testRecallPlotIsWellFormedSVG() throws {
        let report = sampleReport()
        let curves = RecallPlot.curves(of: report)
        XCTAssertEqual(curves.map(\.mode), ["hybrid", "bm25"])
        XCTAssertEqual(curves[0].points.count, 10)
        let svg = RecallPlot.svg(report)
        XCTAssertTrue(svg.hasPrefix("<?xml"))

        let parser = XMLParser(data: Data(svg.utf8))
        let collector = SVGCollector()
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "SVG is not well-formed: \(String(describing: parser.parserError))")
        XCTAssertEqual(collector.elements["svg"], 1)
        XCTAssertEqual(collector.elements["polyline"], 2)
        XCTAssertEqual(collector.elements["circle"], 2 * 10 + 2)  // markers, plus one per legend entry
        for label in ["Recall@k by retrieval mode", "hybrid", "bm25", "recall@k", "0.0", "1.0", "10"] {
            XCTAssertTrue(collector.text.contains(label), label)
        }

        // Names needing escapes, and a report decoded from JSON (no curves: falls back to k = 1, 3, 5, 10).
        let odd = RecallPlot.svg(curves: [RecallCurve(mode: "a<b & \"c\"", recall: [0.1, 0.5, 1.2])],
                                 title: "R&D <test>", subtitle: "x > y")
        let oddParser = XMLParser(data: Data(odd.utf8))
        XCTAssertTrue(oddParser.parse(), "\(String(describing: oddParser.parserError))")
        let decoded = try JSONDecoder().decode(BenchReport.self, from: report.jsonData())
        XCTAssertEqual(RecallPlot.curves(of: decoded).first?.points.map(\.k), [1, 3, 5, 10])
        XCTAssertTrue(XMLParser(data: Data(RecallPlot.svg(decoded).utf8)).parse())
        XCTAssertTrue(XMLParser(data: Data(RecallPlot.svg(curves: []).utf8)).parse())
    }
}
