import Foundation
import XCTest
@testable import KZQA

/// The pure scoring functions of retrieval and answering, checked on numbers computed by hand.
final class ScoringTests: XCTestCase {
    func testBM25IDFIsLuceneVariant() {
        // N = 10, df = 2: ln(1 + (10 − 2 + 0.5) / (2 + 0.5)) = ln(1 + 3.4) = ln 4.4 = 1.4816045
        XCTAssertEqual(Scoring.bm25IDF(documents: 10, documentFrequency: 2), 1.4816045, accuracy: 1e-6)
        // A term in every passage still scores above zero: ln(1 + 0.5 / 10.5) = 0.0465200
        XCTAssertEqual(Scoring.bm25IDF(documents: 10, documentFrequency: 10), 0.0465200, accuracy: 1e-6)
        // FTS5's idf: ln(9.5 / 1.5); a term in more than half the passages gets 10⁻⁶.
        XCTAssertEqual(Scoring.fts5IDF(documents: 10, documentFrequency: 1), 1.8458267, accuracy: 1e-6)
        XCTAssertEqual(Scoring.fts5IDF(documents: 10, documentFrequency: 6), 1e-6)
    }

    func testBM25TermScore() {
        // tf 2, idf 1.5, dl 10, avgdl 5: norm = 1.2·(0.25 + 0.75·2) = 2.1; 1.5·2·2.2 / (2 + 2.1) = 6.6 / 4.1 = 1.6097561
        XCTAssertEqual(Scoring.bm25(tf: 2, idf: 1.5, length: 10, averageLength: 5), 1.6097561, accuracy: 1e-6)
        // At average length: norm = 1.2; 1·1·2.2 / (1 + 1.2) = 1
        XCTAssertEqual(Scoring.bm25(tf: 1, idf: 1, length: 7, averageLength: 7), 1, accuracy: 1e-12)
        XCTAssertEqual(Scoring.bm25(tf: 0, idf: 3, length: 7, averageLength: 7), 0)
    }

    func testMaxNormalizedAndFuse() {
        XCTAssertEqual(Scoring.maxNormalized([2, 1, 0]), [1, 0.5, 0])
        XCTAssertEqual(Scoring.maxNormalized([0, 0]), [0, 0])
        XCTAssertEqual(Scoring.maxNormalized([]), [])
        // 0.6·1 + 0.2·0.5 + 0.2·0.25 = 0.75
        XCTAssertEqual(Scoring.fuse([1, 0.5, 0.25], weights: [0.6, 0.2, 0.2]), 0.75, accuracy: 1e-12)
    }

    func testProximity() {
        XCTAssertEqual(Scoring.proximity(positions: ["a": [0], "b": [2]]), 0.5, accuracy: 1e-12)
        // Pairs (a,b): min |3−4| = 1 → 1; (a,c): min |3−9| = 6 → 1/6; (b,c): |4−9| = 5 → 1/5; mean = (1 + 1/6 + 1/5) / 3
        XCTAssertEqual(Scoring.proximity(positions: ["a": [3, 20], "b": [4], "c": [9]]), (1 + 1.0 / 6 + 0.2) / 3, accuracy: 1e-12)
        XCTAssertEqual(Scoring.proximity(positions: ["a": [1]]), 0)
    }

    func testBlockScoresIsMatrixVectorProduct() {
        // Rows (1, 0), (0.6, 0.8) · query (0.8, 0.6) = 0.8, 0.48 + 0.48 = 0.96
        let y = Scoring.blockScores(block: [1, 0, 0.6, 0.8], rows: 2, columns: 2, query: [0.8, 0.6])
        XCTAssertEqual(y[0], 0.8, accuracy: 1e-6)
        XCTAssertEqual(y[1], 0.96, accuracy: 1e-6)
        XCTAssertEqual(Scoring.blockScores(block: [], rows: 3, columns: 0, query: []), [0, 0, 0])
    }

    func testAnswerTypeOfPassages() {
        XCTAssertEqual(Scoring.answerType(.quantity, passageTerms: ["forum", "67000", "particip"], questionTerms: ["forum"]), 1)
        XCTAssertEqual(Scoring.answerType(.quantity, passageTerms: ["forum", "2025"], questionTerms: ["forum", "2025"]), 0)
        XCTAssertEqual(Scoring.answerType(.date, passageTerms: ["lanc", "octobr"], questionTerms: ["lanc"]), 1)
        XCTAssertEqual(Scoring.answerType(.entity, passageTerms: ["x"], questionTerms: []), 0.5)
    }

    func testTFIDFFormulas() {
        // ln((1 + 3) / (1 + 1)) + 1 = ln 2 + 1
        XCTAssertEqual(TFIDF.idf(documents: 3, documentFrequency: 1), Float(log(2.0) + 1), accuracy: 1e-6)
        XCTAssertEqual(TFIDF.tf(1), 1)
        XCTAssertEqual(TFIDF.tf(Float(M_E)), 2, accuracy: 1e-6)
        XCTAssertEqual(TFIDF.tf(0), 0)
        var v: [Float] = [3, 4]
        TFIDF.normalize(&v)
        XCTAssertEqual(v[0], 0.6, accuracy: 1e-6)
        XCTAssertEqual(v[1], 0.8, accuracy: 1e-6)
        var zero: [Float] = [0, 0]
        TFIDF.normalize(&zero)
        XCTAssertEqual(zero, [0, 0])
    }

    func testSparseVectorRoundTrip() throws {
        let v = SparseVector(ids: [3, 9, 12], values: [0.5, -1, 2.25])
        let blob = v.encoded()
        XCTAssertEqual(blob.count, 4 + 3 * 8)
        let back = try XCTUnwrap(blob.withUnsafeBytes { SparseVector(blob: $0) })
        XCTAssertEqual(back, v)
        XCTAssertNil([UInt8](repeating: 1, count: 7).withUnsafeBytes { SparseVector(blob: $0) })
    }

    func testFTS5PatternQuotesEverything() {
        XCTAssertEqual(FTS5Pattern.anyOf(["minister", "ia"]), "\"minister\" OR \"ia\"")
        XCTAssertEqual(FTS5Pattern.allOf(["a", "b"]), "\"a\" AND \"b\"")
        XCTAssertEqual(FTS5Pattern.anyOf(["say \"hi\""]), "\"say \"\"hi\"\"\"")
        XCTAssertNil(FTS5Pattern.anyOf([]))
        XCTAssertNil(FTS5Pattern.anyOf([""]))
    }

    func testQuestionTypes() {
        XCTAssertEqual(Query("Combien d’étudiants suivront les cours ?").type, .quantity)
        XCTAssertEqual(Query("Qui a signé l’article ?").type, .person)
        XCTAssertEqual(Query("Quand s’est tenu le forum ?").type, .date)
        XCTAssertEqual(Query("Où le fondateur a-t-il rencontré des étudiants ?").type, .place)
        XCTAssertEqual(Query("Pourquoi le fonds a-t-il été créé ?").type, .explanation)
        let q = Query("Quel type de machine le pays a-t-il lancé ?")
        XCTAssertEqual(q.type, .entity)
        XCTAssertEqual(q.focus, FrenchAnalyzer().terms("machine").first, "light nouns such as « type » are skipped")
        XCTAssertEqual(Query("Quelle organisation a construit la machine ?").type, .person, "organisations answer like people")
        XCTAssertEqual(Query("Quel pourcentage de la population a accès à Internet ?").type, .quantity)
        XCTAssertEqual(Query("Quelle année a vu le lancement ?").type, .date)
        // Interrogatives and framing verbs are not content terms; stopwords and framing verbs are kept apart
        // (scored, never searched), interrogatives dropped.
        let terms = Query("Que veut exporter le Kazakhstan ?")
        XCTAssertEqual(terms.terms, ["export", "kazakhstan"])
        XCTAssertEqual(terms.functionTerms, ["veut", "le"])
    }

    func testSentenceFeatures() {
        XCTAssertEqual(SentenceScorer.coverage(question: ["a", "b"], sentence: ["a"], idf: ["a": 3, "b": 1]), 0.75, accuracy: 1e-12)
        XCTAssertEqual(SentenceScorer.novelty(sentence: ["a", "x", "y", "z"], question: ["a"]), 0.75, accuracy: 1e-12)
        XCTAssertEqual(SentenceScorer.phraseOverlap(question: ["a", "b", "c"], sentence: ["x", "a", "b"]), 0.5, accuracy: 1e-12)
        // Pairs of stopwords do not count when content terms are given: only (b, c) of the question qualifies.
        XCTAssertEqual(SentenceScorer.phraseOverlap(question: ["de", "la", "b", "c"], sentence: ["de", "la", "b", "c"],
                                                    content: ["b", "c"]), 1, accuracy: 1e-12)
        // One question side scores many sentences: alternatives of a question term stand in for it, and a
        // sentence without any pair, or a question without a counted pair, scores 0.
        let phrases = SentenceScorer.QuestionPhrases(question: ["ministere", "de", "ia"], content: ["ministere", "ia"],
                                                     alternatives: ["ministere": ["ministr"], "ia": ["intelligent"]])
        XCTAssertEqual(phrases.overlap(sentence: ["le", "ministr", "de", "intelligent"]), 1, accuracy: 1e-12)
        XCTAssertEqual(phrases.overlap(sentence: ["ministere", "de", "la", "ia"]), 0.5, accuracy: 1e-12)
        XCTAssertEqual(phrases.overlap(sentence: ["ia", "ministere"]), 0)
        XCTAssertEqual(SentenceScorer.QuestionPhrases(question: ["de", "la"], content: ["x"]).overlap(sentence: ["de", "la"]), 0)
        let analyzer = FrenchAnalyzer()
        let q = Query("Combien de participants le forum a-t-il réunis ?")
        XCTAssertTrue(SentenceScorer.hasQuantity(analyzer.analyze("Le forum a réuni 67 000 participants."), questionTerms: Set(q.terms)))
        XCTAssertTrue(SentenceScorer.hasQuantity(analyzer.analyze("Il y avait trois ans de travail."), questionTerms: []))
        XCTAssertFalse(SentenceScorer.hasQuantity(analyzer.analyze("Le forum s’est tenu le 2 octobre 2025."), questionTerms: []),
                       "a day of a month and a year are dates, not quantities")
        XCTAssertFalse(SentenceScorer.hasQuantity(analyzer.analyze("Sakenova, S. (2025, August 11)."), questionTerms: []),
                       "a number after an English month is its day")
        XCTAssertTrue(SentenceScorer.hasDate(analyzer.analyze("Il a été lancé cet été."), questionTerms: []))
        XCTAssertEqual(SentenceScorer.names(analyzer.analyze("Le président a reçu Zhaslan Madiyev à Astana.")).count, 2)
        let person = Query("Qui dirige le ministère ?")
        XCTAssertEqual(SentenceScorer.typeMatch(.person, sentence: analyzer.analyze("Le ministre est Zhaslan Madiyev."), question: person), 1)
        XCTAssertEqual(SentenceScorer.typeMatch(.person, sentence: analyzer.analyze("Le ministère coordonne la stratégie."), question: person), 0)
        // With a lexicon, capitalised dictionary words are not names.
        let dictionary: (String) -> Bool = { ["developp", "numer"].contains($0) }
        XCTAssertFalse(SentenceScorer.hasNewName(analyzer.analyze("Il gère le Développement Numérique."), questionTerms: [],
                                                 isDictionaryWord: dictionary))
    }

    func testLinksAreFoundWhereTheyAreWritten() {
        let text = "Lire https://a.kz/2025/08 ici, (www.b.org/x) et [HTTP://C.KZ]. Pas d’adresse: xhttp://d.kz"
        let bytes = Array(text.utf8)
        let links = Links.ranges(in: text).map { String(decoding: bytes[$0], as: UTF8.self) }
        XCTAssertEqual(links, ["https://a.kz/2025/08", "www.b.org/x)", "HTTP://C.KZ]."])
        XCTAssertEqual(Links.ranges(in: "Aucun lien, 67 000 participants."), [])
        let analyzer = FrenchAnalyzer()
        let sentence = "The Astana Times. https://astanatimes.com/2025/08/astana-to-host"
        let outside = Links.outside(analyzer.analyze(sentence), text: sentence).map(\.surface)
        XCTAssertEqual(outside, ["The", "Astana", "Times"])
        XCTAssertFalse(SentenceScorer.hasQuantity(Links.outside(analyzer.analyze(sentence), text: sentence), questionTerms: []))
    }

    /// Fixed decimals as printf writes them (`%.2f`), ties to even on exact binary ties.
    func testNumberTextWritesFixedDecimals() {
        XCTAssertEqual(NumberText.fixed(0.8349, places: 2), "0.83")
        XCTAssertEqual(NumberText.fixed(0.835001, places: 2), "0.84")
        XCTAssertEqual(NumberText.fixed(0.125, places: 2), "0.12")   // 12.5 exactly: to even
        XCTAssertEqual(NumberText.fixed(0.375, places: 2), "0.38")
        XCTAssertEqual(NumberText.fixed(1, places: 2), "1.00")
        XCTAssertEqual(NumberText.fixed(0.004, places: 2), "0.00")
        XCTAssertEqual(NumberText.fixed(-0.004, places: 2), "-0.00")
        XCTAssertEqual(NumberText.fixed(-12.3456, places: 3), "-12.346")
        XCTAssertEqual(NumberText.fixed(2.5, places: 0), "2")
        XCTAssertEqual(NumberText.fixed(0.05, places: 1), "0.1")   // 0.05 is a little above: printf writes 0.1
        XCTAssertEqual(NumberText.fixed(0.15, places: 1), "0.1")   // 0.15 is a little below
        XCTAssertEqual(NumberText.fixed(.nan, places: 2), "nan")
        XCTAssertEqual(NumberText.fixed(-.infinity, places: 2), "-inf")
        // Values on a grid of thousandths (where ties lie) and in between, against printf itself.
        var grid = (0...2000).map { Double($0) / 1000 } + (0...2000).map { Double($0) / 1000 + 0.0005 }
        grid += [0.3366, 0.5098, 0.9951, 3.14159, 42.0]
        for x in grid {
            XCTAssertEqual(NumberText.fixed(x, places: 2), String(format: "%.2f", x), "\(x)")
            XCTAssertEqual(NumberText.fixed(x, places: 3), String(format: "%.3f", x), "\(x)")
        }
    }

    /// A question loses its control characters (as spaces) and its surrounding white space.
    func testQuestionValidationCleans() throws {
        XCTAssertEqual(try QAEngine.validate("  Qui\u{7}dirige ?\n\t"), "Qui dirige ?")
        XCTAssertEqual(try QAEngine.validate("\u{A0}Où ?\u{2003}"), "Où ?")
        XCTAssertEqual(try QAEngine.validate("é"), "é")
        XCTAssertThrowsError(try QAEngine.validate("\u{0}\n ")) { XCTAssertEqual($0 as? KZQAError, .emptyQuestion) }
        XCTAssertThrowsError(try QAEngine.validate(" ?! ")) { XCTAssertEqual($0 as? KZQAError, .questionWithoutWords) }
    }
}
