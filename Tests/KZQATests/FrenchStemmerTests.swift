import Foundation
import XCTest
@testable import KZQA

final class FrenchStemmerTests: XCTestCase {
    private let stemmer = FrenchStemmer()

    /// Every pair of the reference fixture (Snowball French as shipped in PyStemmer 3.1.0) must agree.
    func testAgreesWithSnowballReferenceFixture() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .appendingPathComponent("Fixtures/snowball-french.tsv")
        let text = try String(contentsOf: url, encoding: .utf8)

        var total = 0
        var mismatches: [String] = []
        var mismatchCount = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 else {
                XCTFail("Malformed fixture line: \(line)")
                continue
            }
            let word = String(fields[0]), expected = String(fields[1])
            total += 1
            let got = stemmer.stem(word)
            if got != expected {
                mismatchCount += 1
                if mismatches.count < 20 { mismatches.append("\(word): expected \(expected), got \(got)") }
            }
        }

        XCTAssertGreaterThan(total, 20_000, "fixture looks truncated")
        XCTAssertEqual(
            mismatchCount, 0,
            "\(mismatchCount) of \(total) stems differ from the reference; first ones:\n"
                + mismatches.joined(separator: "\n"))
    }

    /// Hand-picked cases, each checked against PyStemmer 3.1.0.
    func testHandWrittenCases() {
        let cases: [(String, String)] = [
            ("ministère", "minister"),
            ("genoux", "genou"),                  // -oux → -ou after n
            ("choux", "chou"),                    // … and after h
            ("l'intelligence", "intelligent"),    // elision + -ence → -ent
            ("d'accord", "accord"),
            ("qu'il", "il"),
            ("jusqu'à", "jusqu'à"),               // only c d j l m n s t and qu elide
            ("l’intelligence", "l’intelligent"),  // U+2019 is not an elision apostrophe in the reference
            ("l'", "l'"),                         // nothing after the apostrophe: kept
            ("continuellement", "continuel"),
            ("heureusement", "heureux"),
            ("évidemment", "évident"),
            ("constamment", "const"),
            ("chevaux", "cheval"),
            ("beaux", "beau"),
            ("mangeaient", "mang"),
            ("finissions", "fin"),
            ("palais", "palais"),                 // -ais exceptions
            ("mauvais", "mauvais"),
            ("naïveté", "naïvet"),
            ("québécoises", "québécois"),
            ("complètement", "complet"),
            ("", ""),
        ]
        for (word, expected) in cases {
            XCTAssertEqual(stemmer.stem(word), expected, "stem(\(word))")
        }
    }
}
