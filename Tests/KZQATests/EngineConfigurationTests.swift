import Foundation
import XCTest
@testable import KZQA

final class EngineConfigurationTests: XCTestCase {
    func testRoundTripKeepsEveryValue() throws {
        var c = EngineConfiguration()
        c.retrieval.candidateDepth = 123
        c.expansion.synonymWeight = 0.25
        c.composer.abstainBelow = 0.42
        c.rerank.depth = 7
        c.translation.maxTranslations = 3
        let data = Data(c.json().utf8)
        XCTAssertEqual(try EngineConfiguration.decode(data, path: "c.json"), c)
    }

    func testPartialFileOverridesOnlyItsKeys() throws {
        let data = Data(#"{"retrieval": {"candidateDepth": 50}, "composer": {"weights": [1, 0, 0, 0, 0]}}"#.utf8)
        let c = try EngineConfiguration.decode(data, path: "c.json")
        var expected = EngineConfiguration()
        expected.retrieval.candidateDepth = 50
        expected.composer.weights = [1, 0, 0, 0, 0]
        XCTAssertEqual(c, expected)
        XCTAssertEqual(c.retrieval.feedbackPassages, RetrievalSettings().feedbackPassages)
    }

    func testUnknownKeyIsRefusedWithItsName() {
        let data = Data(#"{"retrieval": {"candidateDeph": 50}}"#.utf8)
        XCTAssertThrowsError(try EngineConfiguration.decode(data, path: "c.json")) { error in
            XCTAssertTrue("\(error)".contains("retrieval.candidateDeph"), "\(error)")
        }
    }

    func testWrongTypeAndMalformedFileAreRefused() {
        XCTAssertThrowsError(try EngineConfiguration.decode(Data(#"{"rerank": {"depth": "deep"}}"#.utf8), path: "c.json")) { error in
            XCTAssertTrue("\(error)".contains("rerank.depth"), "\(error)")
        }
        XCTAssertThrowsError(try EngineConfiguration.decode(Data("[1, 2]".utf8), path: "c.json"))
        XCTAssertThrowsError(try EngineConfiguration.load(path: "/nonexistent/kzqa-config.json"))
    }

    func testSetAssignmentsChangeTheNamedKnob() throws {
        var c = EngineConfiguration()
        try c.set("fusion=0.4,0.3,0.2,0.1")
        try c.set("rerank.depth=9")
        try c.set("abstain=0.5")
        XCTAssertEqual(c.retrieval.weights, [0.4, 0.3, 0.2, 0.1])
        XCTAssertEqual(c.rerank.depth, 9)
        XCTAssertEqual(c.composer.abstainBelow, 0.5)
        XCTAssertThrowsError(try c.set("fusion=1,2"))
        XCTAssertThrowsError(try c.set("nonsense=1"))
        XCTAssertThrowsError(try c.set("depth"))
    }

    func testConfigurationDoesNotCarryTheFittedModels() throws {
        let json = EngineConfiguration().json()
        XCTAssertFalse(json.contains("answerability"))
        XCTAssertFalse(json.contains("\"span\""))
        XCTAssertTrue(json.contains("\"abstainBelow\""))
    }
}

/// Word classes from lexical entries as Grammalecte's dictionary gives them (readings written by hand).
final class WordClassTests: XCTestCase {
    func testNameClassesOfCapitalisedForms() {
        let firstName = LexicalEntry(isKnown: true, readings: [LexicalReading(lemma: "Michel", partsOfSpeech: [.personName])])
        let city = LexicalEntry(isKnown: true, readings: [LexicalReading(lemma: "pari", partsOfSpeech: [.noun]),
                                                          LexicalReading(lemma: "Paris", partsOfSpeech: [.properNoun])])
        let country = LexicalEntry(isKnown: true, readings: [LexicalReading(lemma: "chine", partsOfSpeech: [.noun]),
                                                             LexicalReading(lemma: "Chine", partsOfSpeech: [.noun])])
        let title = LexicalEntry(isKnown: true, readings: [LexicalReading(lemma: "intelligence", partsOfSpeech: [.noun])])
        XCTAssertEqual(firstName.wordClass(surface: "Michel").name, .personName)
        XCTAssertEqual(city.wordClass(surface: "Paris").name, .properNoun)
        XCTAssertEqual(country.wordClass(surface: "Chine").name, .capitalisedNoun)
        XCTAssertEqual(title.wordClass(surface: "Intelligence").name, .ordinary)
        XCTAssertEqual(LexicalEntry.unknown.wordClass(surface: "Madiyev").name, .unknown)
        // Written in lower case, a form is never a name, whatever its readings.
        XCTAssertEqual(city.wordClass(surface: "paris").name, .ordinary)
    }

    func testVerbFormsAreVerbsOnlyWithoutANounReading() {
        let participle = LexicalEntry(isKnown: true, readings: [LexicalReading(lemma: "lancer", partsOfSpeech: [.verb, .pastParticiple, .adjective])])
        let both = LexicalEntry(isKnown: true, readings: [LexicalReading(lemma: "élu", partsOfSpeech: [.noun]),
                                                          LexicalReading(lemma: "élire", partsOfSpeech: [.verb, .pastParticiple])])
        XCTAssertTrue(participle.wordClass(surface: "lancé").isVerb)
        XCTAssertFalse(both.wordClass(surface: "élus").isVerb)
    }
}
