import XCTest
@testable import KZQA

/// How a question's words are sorted: content terms, function words (framing verbs, compound prepositions,
/// demonstrative pronouns), compound parts, and the time qualifiers its answer must meet.
final class QueryWordsTests: XCTestCase {
    func testDemonstrativePronounsAreFunctionWords() {
        let q = Query("Prévoit-il un autre supercalculateur après celui de cet été ?")
        XCTAssertFalse(q.terms.contains("celui"), "\(q.terms)")
        XCTAssertTrue(q.functionTerms.contains("celui"), "\(q.functionTerms)")
    }

    /// « après » is met by a word saying something comes next; « avant » only by itself.
    func testLaterQualifiersAreMetBySequenceWords() {
        let analyzer = FrenchAnalyzer()
        func meets(_ qualifier: String, _ sentence: String) -> Bool {
            let tokens = analyzer.analyze(sentence)
            let term = analyzer.analyze(qualifier)[0].term
            return AnswerComposer.meets(term, sentence: tokens, terms: Set(tokens.map(\.term)))
        }
        XCTAssertTrue(meets("après", "Le pays a lancé un superordinateur ; un autre suivra ensuite."))
        XCTAssertTrue(meets("après", "Après le forum, le pays a signé."))
        XCTAssertFalse(meets("après", "Le pays a lancé un superordinateur."))
        XCTAssertFalse(meets("avant", "Le nouveau ministre, un second mandat."))
        XCTAssertTrue(meets("avant", "Avant lui, personne."))
    }

    func testCompoundPrepositionsAreFunctionWords() {
        let q = Query("Qu’a-t-il dit au sujet du budget, à l’égard des écoles et au-delà de la ville ?")
        for noun in ["sujet", "egard", "dela", "audela"] {
            XCTAssertFalse(q.terms.contains(noun), "\(noun) in \(q.terms)")
        }
        XCTAssertTrue(q.functionTerms.contains("sujet"), "\(q.functionTerms)")
        let analyzer = FrenchAnalyzer()
        for word in ["budget", "écoles", "ville"] {
            XCTAssertTrue(q.terms.contains(analyzer.terms(word)[0]), word)
        }
        // The same noun outside the phrase is a content word.
        XCTAssertTrue(Query("Quel est le sujet du débat ?").terms.contains("sujet"))
    }

    func testCompoundPartsWeighHalfAndFramingVerbsAreScoredOnly() {
        let query = Query("Que doit devenir Kai-Fu Lee ?")
        XCTAssertEqual(query.compoundTerms, ["kaifu"])
        XCTAssertEqual(query.compoundPartTerms, ["kai", "fu"])
        XCTAssertTrue(query.functionTerms.contains("doit"), "\(query.functionTerms)")
        XCTAssertFalse(query.terms.contains("doit"), "framing verbs are never searched")
        XCTAssertFalse(query.functionTerms.contains("que"), "interrogatives are dropped")
    }

    /// An ordinal of the question (première fois, second, dernier) must be in the answering sentence.
    func testOrdinalsMustBeMet() {
        let analyzer = FrenchAnalyzer()
        func terms(_ text: String) -> Set<String> { Set(analyzer.analyze(text).map(\.term)) }
        let first = Query("En quelle année est-il venu pour la première fois ?")
        XCTAssertTrue(AnswerComposer.unmetOrdinal(first, sentenceTerms: terms("Il est venu en 2019.")))
        XCTAssertFalse(AnswerComposer.unmetOrdinal(first, sentenceTerms: terms("Il est venu une première fois en 2019.")))
        let last = Query("Quelle part des paiements l’an dernier ?")
        XCTAssertFalse(AnswerComposer.unmetOrdinal(last, sentenceTerms: terms("L’année dernière, 85 % des paiements.")))
        XCTAssertFalse(AnswerComposer.unmetOrdinal(Query("Quand est-il venu ?"), sentenceTerms: []))
    }
}
