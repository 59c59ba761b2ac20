import Foundation
import XCTest
@testable import KZQA

/// Query translation over a small French index written by the test.
final class TranslationTests: XCTestCase {
    static let text = """
    Le Premier ministre Olzhas Bektenov a nommé le ministre du Numérique en 2025.
    Le pays a signé un accord avec ses voisins sur la digitalisation et l’IA.
    Les étudiants de l’université étrangère participent au programme.
    """

    func makeStore() throws -> IndexStore {
        let folder = try IndexFixtures.temporaryFolder(for: self, "kzqa-translation-tests")
        try IndexFixtures.write(Self.text, to: "docs/article.txt", in: folder)
        let index = folder + "/index.sqlite"
        try IndexFixtures.index([folder + "/docs"], into: index)
        return try IndexStore(path: index)
    }

    func stem(_ french: String) -> String { FrenchAnalyzer().terms(french)[0] }

    func concept(_ t: QueryTranslation, _ english: String) -> TranslatedConcept? {
        t.concepts.first { $0.english == english }
    }

    func testPhraseFirstThenLemmaNamesAndNumbers() throws {
        let store = try makeStore()
        let dictionary = TranslationDictionary(translations: [
            "prime minister": ["Premier ministre"], "minister": ["ministre"], "prime": ["primo"],
            "appoint": ["désigner", "nommer"], "country": ["campagne", "pays"],
        ])
        let t = try QueryTranslator(dictionary: dictionary).translate("Which country appointed the prime minister in 2025?", store: store)
        XCTAssertEqual(t.concepts.map(\.english), ["country", "appointed", "prime minister", "2025"])
        XCTAssertEqual(concept(t, "prime minister")?.source, .phrase)
        XCTAssertEqual(concept(t, "prime minister")?.terms, [stem("Premier"), stem("ministre")])
        // By lemma (appointed ~ appoint); only the translations the articles use (nommer, not désigner).
        XCTAssertEqual(concept(t, "appointed")?.terms, [stem("nommé")])
        XCTAssertEqual(concept(t, "country")?.terms, [stem("pays")], "campagne is not in the articles")
        XCTAssertEqual(concept(t, "2025")?.source, .passThrough)
        XCTAssertEqual(t.type, .place, "which country asks for a place")
        XCTAssertEqual(t.focus, stem("pays"))
    }

    /// A headword whose last word is a stop word (`according to`) is a phrase only when written exactly so; the
    /// stop word does not let a longer span through by stem (`country in` is no headword).
    func testPhraseEndingOnAStopWordIsTakenOnlyAsWritten() throws {
        let store = try makeStore()
        let dictionary = TranslationDictionary(translations: ["according to": ["accord"], "country": ["pays"], "minister": ["ministre"]])
        let t = try QueryTranslator(dictionary: dictionary).translate("Which country signed, according to the minister?", store: store)
        XCTAssertEqual(concept(t, "according to")?.source, .phrase, "\(t.concepts)")
        XCTAssertEqual(concept(t, "according to")?.terms, [stem("accord")])
        XCTAssertEqual(concept(t, "country")?.terms, [stem("pays")])
        XCTAssertNil(concept(t, "according"))
    }

    func testNamesAcronymsAndSpellingMatchesAgainstTheIndex() throws {
        let store = try makeStore()
        let t = try QueryTranslator(dictionary: TranslationDictionary(translations: [:]))
            .translate("Did Bektenov sign AI digitalization deals?", store: store)
        XCTAssertEqual(concept(t, "Bektenov")?.source, .passThrough)
        XCTAssertEqual(concept(t, "AI")?.terms, ["ia"], "AI ~ IA by its letters, never the French stopword ai")
        XCTAssertEqual(concept(t, "AI")?.source, .spelling)
        XCTAssertEqual(concept(t, "digitalization")?.terms, [stem("digitalisation")])
        XCTAssertEqual(concept(t, "digitalization")?.source, .spelling)
        XCTAssertLessThan(concept(t, "digitalization")?.weight ?? 1, 1, "a spelling match weighs its similarity")
        XCTAssertEqual(concept(t, "deals")?.source, .unknown, "a word found nowhere stays, unknown")
        XCTAssertEqual(t.type, .other)
    }

    func testAllTranslationsOfAWordAreOneConcept() throws {
        let store = try makeStore()
        let dictionary = TranslationDictionary(translations: ["agreement": ["accord", "voisin"]])
        let t = try QueryTranslator(dictionary: dictionary).translate("agreement", store: store)
        XCTAssertEqual(t.conceptOf, [stem("accord"): stem("accord"), stem("voisins"): stem("accord")])
        XCTAssertEqual(t.query.terms, [stem("accord")])
        XCTAssertEqual(t.expandedTerms.map(\.origin), [.question, .equivalent])
    }

    /// Pirkola's structure: the concept's tf is the sum of its terms', its df the largest.
    func testSensesAreTakenInTurnSoACapKeepsEachSense() {
        let senses = [["accepter", "accueillir", "admettre"], ["occuper"], ["prendre", "accepter"]]
        XCTAssertEqual(TranslationDictionary.interleaved(senses), ["accepter", "occuper", "prendre", "accueillir", "admettre"])
        XCTAssertEqual(TranslationDictionary.interleaved([]), [])
    }

    func testIrregularFormsTakeTheirBaseFormsTranslations() {
        var table = ["take": ["prendre"], "speak": ["parler"], "good": ["bon"], "took": ["déjà là"]]
        let verbs = "spoke speak\ntook take\ntaken take\nbroadcast_over broadcast\n"
        let adjectives = "better good well\nbest best good\n"
        TranslationDictionary.addIrregularForms(&table, exceptionLists: [verbs, adjectives])
        XCTAssertEqual(table["spoke"], ["parler"])
        XCTAssertEqual(table["taken"], ["prendre"])
        XCTAssertEqual(table["took"], ["déjà là"], "a form the dictionary has keeps its own translations")
        XCTAssertEqual(table["better"], ["bon"])
        XCTAssertEqual(table["best"], ["bon"], "the first base form the dictionary has")
        XCTAssertNil(table["broadcast over"], "no base form in the dictionary")
    }

    func testStructuredBM25SumsTfAndTakesTheLargestDf() {
        let names: [Int32: String] = [1: "accord", 2: "pacte", 3: "pays"]
        let known: [String: (id: Int32, df: Int)] = ["accord": (1, 3), "pacte": (2, 1), "pays": (3, 2)]
        let terms = ["accord", "pacte", "pays"].map { ExpandedTerm(term: $0, weight: 1, origin: .question, of: $0) }
        let s = StructuredBM25(concepts: ["accord": "accord", "pacte": "accord"], terms: terms, names: names, known: known, passages: 10)
        var a = s.accumulator()
        XCTAssertTrue(a.add(id: 1, tf: 1))
        XCTAssertTrue(a.add(id: 2, tf: 1))
        XCTAssertFalse(a.add(id: 3, tf: 1), "a term of no concept is scored as usual")
        let expected = Scoring.bm25(tf: 2, idf: Scoring.bm25IDF(documents: 10, documentFrequency: 3), length: 10, averageLength: 10)
        XCTAssertEqual(a.score(length: 10, averageLength: 10), expected, accuracy: 1e-12)
        XCTAssertTrue(StructuredBM25(concepts: [:], terms: terms, names: names, known: known, passages: 10).conceptOfID.isEmpty)
    }

    /// With the installed FreeDict dictionary (scripts/setup.sh installs dict-freedict-eng-fra): fails when it is missing.
    func testInstalledDictionaryTranslatesHandMadeQuestions() throws {
        let dictionary = try TranslationDictionary.load(cache: nil)
        let store = try makeStore()
        let translator = QueryTranslator(dictionary: dictionary)
        let t = try translator.translate("Which country signed an agreement with the minister?", store: store)
        XCTAssertTrue(concept(t, "country")?.terms.contains(stem("pays")) ?? false, "\(t.concepts)")
        XCTAssertTrue(concept(t, "signed")?.terms.contains(stem("signé")) ?? false, "\(t.concepts)")
        XCTAssertTrue(concept(t, "agreement")?.terms.contains(stem("accord")) ?? false, "\(t.concepts)")
        XCTAssertEqual(concept(t, "minister")?.terms, [stem("ministre")])
        let u = try translator.translate("How many foreign students take part in the university programme?", store: store)
        XCTAssertEqual(u.type, .quantity)
        XCTAssertTrue(concept(u, "students")?.terms.contains(stem("étudiants")) ?? false, "\(u.concepts)")
        XCTAssertTrue(concept(u, "university")?.terms.contains(stem("université")) ?? false, "\(u.concepts)")
        XCTAssertTrue(concept(u, "foreign")?.terms.contains(stem("étrangère")) ?? false, "\(u.concepts)")
    }

    func testEnglishQuestionIsAnsweredInFrenchWithEnglishAbstention() throws {
        let store = try makeStore()
        let engine = QAEngine(store: store)
        engine.translator = QueryTranslator(dictionary: TranslationDictionary(translations: ["minister": ["ministre"], "appoint": ["nommer"]]))
        let r = try engine.ask("Who appointed the minister?")
        XCTAssertEqual(r.language, .en)
        XCTAssertEqual(r.answer.language, "en")
        XCTAssertTrue(r.ranked.first?.passage.text.contains("nommé") ?? false)
        let none = try engine.ask("Why do penguins migrate?")
        XCTAssertTrue(none.answer.abstained)
        XCTAssertEqual(none.answer.answer, Answer.abstentionEnglish)
        XCTAssertEqual(try engine.ask("Qui a nommé le ministre ?").answer.language, "fr")
    }
}
