import Foundation
import XCTest
@testable import KZQA

/// The `kzqa ask --json` object as `AnswerJSON` writes it: the contract's key order, rounding, null short answer,
/// escaping, byte-identical output, and a JSON parser reading back every value.
final class AnswerJSONTests: XCTestCase {
    static func sample(short: ShortAnswer?) -> Answer {
        var a = Answer(
            question: "Combien coûte « le pain » ? \"vraiment\"\n",
            answer: "Il coûte 1,30 euro [1].",
            abstained: false,
            confidence: 0.9249999999999999,
            citations: [Citation(n: 1, passageID: "pain:3.1", source: "corpus/a/pain.txt", title: "Le pain\tdu jour",
                                 start: 10, end: 42, quote: "Il coûte 1,30 euro \\ la pièce.", paragraph: 3)],
            passages: [AnswerPassage(rank: 1, passageID: "pain:3.1", source: "corpus/a/pain.txt", score: 12.700000000000001,
                                     text: "Il coûte 1,30 euro.\u{1}"),
                       AnswerPassage(rank: 2, passageID: "vin:1.1", source: "corpus/vin.txt", score: 0.00004, text: "Autre.")])
        a.shortAnswer = short
        a.language = "fr"
        return a
    }

    func testKeysComeInTheContractOrderWithRoundedNumbers() {
        let json = AnswerJSON.encode(Self.sample(short: nil))
        XCTAssertEqual(json, #"""
        {"question":"Combien coûte « le pain » ? \"vraiment\"\n","answer":"Il coûte 1,30 euro [1].","abstained":false,"confidence":0.925,"short_answer":null,"language":"fr","citations":[{"n":1,"passage_id":"pain:3.1","source":"corpus/a/pain.txt","title":"Le pain\tdu jour","start":10,"end":42,"quote":"Il coûte 1,30 euro \\ la pièce."}],"passages":[{"rank":1,"passage_id":"pain:3.1","source":"corpus/a/pain.txt","score":12.7,"text":"Il coûte 1,30 euro.\u0001"},{"rank":2,"passage_id":"vin:1.1","source":"corpus/vin.txt","score":0.0,"text":"Autre."}]}
        """#)
    }

    func testShortAnswerIsAnObjectAndEverythingReadsBack() throws {
        let short = ShortAnswer(text: "1,30 euro", citation: 1, source: "corpus/a/pain.txt", start: 19, end: 28)
        let answer = Self.sample(short: short)
        let json = AnswerJSON.encode(answer)
        XCTAssertTrue(json.contains(#""short_answer":{"text":"1,30 euro","citation":1,"source":"corpus/a/pain.txt","start":19,"end":28},"language":"fr""#), json)
        let back = try JSONDecoder().decode(Answer.self, from: Data(json.utf8))
        XCTAssertEqual(back.question, answer.question)
        XCTAssertEqual(back.shortAnswer, short)
        XCTAssertEqual(back.citations.map(\.quote), answer.citations.map(\.quote))
        XCTAssertEqual(back.citations.first?.title, "Le pain\tdu jour")
        XCTAssertEqual(back.passages.map(\.text), answer.passages.map(\.text))
        XCTAssertEqual(back.confidence, 0.925)
    }

    func testRounding() {
        XCTAssertEqual(JSONText.rounded(0.9249999999999999), "0.925")
        XCTAssertEqual(JSONText.rounded(0.12345), "0.1235")
        XCTAssertEqual(JSONText.rounded(-0.00001), "0.0")
        XCTAssertEqual(JSONText.rounded(3), "3.0")
        XCTAssertEqual(JSONText.rounded(.nan), "0")
        XCTAssertEqual(JSONText.rounded(123.456789), "123.4568")
    }

    /// The same question gives the same bytes, run after run, through the real engine.
    func testSameQuestionSameBytes() throws {
        let folder = try CLITestSupport.temporaryFolder(for: self, "kzqa-json-tests")
        let corpus = try CLITestSupport.writeCorpus(in: folder)
        let path = folder + "/index.sqlite"
        try IndexFixtures.index([corpus], into: path)
        var seen = Set<String>()
        for _ in 0..<3 {
            let engine = QAEngine(store: try IndexStore(path: path))
            seen.insert(AnswerJSON.encode(try engine.ask("Combien coûtent les croissants au beurre ?").answer))
        }
        XCTAssertEqual(seen.count, 1)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try XCTUnwrap(seen.first).utf8)) as? [String: Any])
        XCTAssertEqual(object.count, 8)
    }
}
