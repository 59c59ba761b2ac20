import Foundation
import XCTest
@testable import KZQA

/// Sentence boundaries on hand-written French, asserting exact UTF-8 byte ranges (trimmed of white space).
final class SentenceSplitterTests: XCTestCase {
    private let splitter = SentenceSplitter()

    private func assertSentences(_ text: String, _ expected: [(Range<Int>, String)],
                                 file: StaticString = #filePath, line: UInt = #line) {
        AnalysisTestSupport.assertRanges(splitter.split(text), expected, in: text, file: file, line: line)
    }

    func testSimpleSentencesAndTheDocExample() {
        assertSentences("M. Lee a parlé. Il est parti.", [(0..<16, "M. Lee a parlé."), (17..<30, "Il est parti.")])
        assertSentences("Sans point final", [(0..<16, "Sans point final")])
        assertSentences("Fin de phrase.\nNouvelle ligne.", [(0..<14, "Fin de phrase."), (15..<30, "Nouvelle ligne.")])
    }

    func testEmptyAndBlankTextHaveNoSentence() {
        XCTAssertEqual(splitter.split(""), [])
        XCTAssertEqual(splitter.split(" \n\t\u{00A0}\u{202F}"), [])
    }

    func testRangesAreTrimmedOfAllWhiteSpace() {
        assertSentences("  Phrase un.\u{00A0}\u{00A0}Phrase deux.\u{202F} \n",
                        [(2..<12, "Phrase un."), (16..<28, "Phrase deux.")])
    }

    func testTitlesAndAbbreviationsDoNotEndSentences() {
        assertSentences("Le Dr. Kai-Fu Lee est venu. Voir p. 12 et pp. 105-119. Mme Dupont aussi. Mlle Roy, S. Martin et M. Durand.", [
            (0..<27, "Le Dr. Kai-Fu Lee est venu."),
            (28..<54, "Voir p. 12 et pp. 105-119."),
            (55..<72, "Mme Dupont aussi."),
            (73..<106, "Mlle Roy, S. Martin et M. Durand."),
        ])
        assertSentences("Il habite au 3 av. Foch. Il part.", [(0..<24, "Il habite au 3 av. Foch."), (25..<33, "Il part.")])
    }

    func testEtceteraEndsASentenceOnlyBeforeACapital() {
        assertSentences("Les pays (France, etc.) sont là. Les États-Unis, l’ONU, etc. Le reste suit, etc. et ainsi de suite.", [
            (0..<33, "Les pays (France, etc.) sont là."),
            (34..<64, "Les États-Unis, l’ONU, etc."),
            (65..<103, "Le reste suit, etc. et ainsi de suite."),
        ])
    }

    func testInitialsInReferencesDoNotEndSentences() {
        // The example of the issue: no break after "G.", a break after "(2025, October 7).".
        assertSentences("Khassenkhanova, G. (2025, October 7). Kazakhstan’s quiet revolution.", [
            (0..<37, "Khassenkhanova, G. (2025, October 7)."),
            (38..<70, "Kazakhstan’s quiet revolution."),
        ])
        assertSentences("Tokayev, K.-J. (2025, September 24). Statement. In I. Qoraboyev & Z. Bekshora (Eds.), Yearbook (pp. 105-119). Maqsut.", [
            (0..<36, "Tokayev, K.-J. (2025, September 24)."),
            (37..<47, "Statement."),
            (48..<109, "In I. Qoraboyev & Z. Bekshora (Eds.), Yearbook (pp. 105-119)."),
            (110..<117, "Maqsut."),
        ])
        assertSentences("Selon Barlybayeva, S. et Ayapbergenova, A. (2025), l’économie croîtra de 30 %.", [
            (0..<82, "Selon Barlybayeva, S. et Ayapbergenova, A. (2025), l’économie croîtra de 30 %."),
        ])
        // Initials in Cyrillic, and a period followed by a comma.
        assertSentences("Барлыбаева, С., & Аяпбергенова, A. (2025). Digital Kazakhstan.", [
            (0..<65, "Барлыбаева, С., & Аяпбергенова, A. (2025)."),
            (66..<85, "Digital Kazakhstan."),
        ])
    }

    func testDecimalsDoNotEndSentences() {
        assertSentences("Le taux est de 1.5 point. Il monte à 2,5. Les prix suivent.", [
            (0..<25, "Le taux est de 1.5 point."),
            (26..<42, "Il monte à 2,5."),
            (43..<60, "Les prix suivent."),
        ])
    }

    func testGuillemets() {
        // Inside « … » nothing ends before the closing guillemet, which belongs to the sentence.
        assertSentences("« Bonjour. Au revoir. », dit-il. Puis il partit.", [
            (0..<34, "« Bonjour. Au revoir. », dit-il."),
            (35..<50, "Puis il partit."),
        ])
        assertSentences("« L’IA est partout. » Le pays suit.", [(0..<25, "« L’IA est partout. »"), (26..<39, "Le pays suit.")])
        assertSentences("Il a dit : « C’est fini ! » Ensuite il est parti… Vraiment ?! Oui.", [
            (0..<31, "Il a dit : « C’est fini ! »"),
            (32..<55, "Ensuite il est parti…"),
            (56..<67, "Vraiment ?!"),
            (68..<72, "Oui."),
        ])
        // Guillemets with no-break spaces inside, as French typography writes them.
        let text = "«\u{00A0}Il vient.\u{00A0}» Puis il part."
        assertSentences(text, [(0..<17, "«\u{00A0}Il vient.\u{00A0}»"), (18..<31, "Puis il part.")])
    }

    func testStraightQuotesAndBracketsCloseTheSentence() {
        assertSentences("Il a dit \"Bonjour.\" Puis il partit.", [(0..<19, "Il a dit \"Bonjour.\""), (20..<35, "Puis il partit.")])
        assertSentences("(Voir le rapport.) Ensuite.", [(0..<18, "(Voir le rapport.)"), (19..<27, "Ensuite.")])
    }

    func testWhatMayStartASentence() {
        // A digit or a dash may start a sentence; a lowercase word may not (`e-Gov`, `dit-il`).
        assertSentences("Il est parti. 2025 fut une année. — Oui ! dit-il.", [
            (0..<13, "Il est parti."),
            (14..<34, "2025 fut une année."),
            (35..<52, "— Oui ! dit-il."),
        ])
        assertSentences("Il parle de l’e-gouvernement. e-Gov est un nom. Fin.", [
            (0..<49, "Il parle de l’e-gouvernement. e-Gov est un nom."),
            (50..<54, "Fin."),
        ])
    }

    func testEditorialMarksInBracketsDoNotEndSentences() {
        assertSentences("Il dit que […] le pays avance. Il dit (...) Vraiment. Fin.", [
            (0..<32, "Il dit que […] le pays avance."),
            (33..<55, "Il dit (...) Vraiment."),
            (56..<60, "Fin."),
        ])
        assertSentences("Il dit que […] Le pays avance.", [(0..<32, "Il dit que […] Le pays avance.")])
    }

    func testRangesAreValidOnSeeds() throws {
        for url in try AnalysisTestSupport.seedURLs() {
            let text = try String(contentsOf: url, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let lineText = String(line)
                let ranges = splitter.split(lineText)
                var previousEnd = 0
                for r in ranges {
                    XCTAssertLessThanOrEqual(previousEnd, r.lowerBound)
                    XCTAssertLessThan(r.lowerBound, r.upperBound)
                    let sentence = AnalysisTestSupport.slice(lineText, r)
                    XCTAssertEqual(sentence, sentence.trimmingCharacters(in: .whitespacesAndNewlines))
                    previousEnd = r.upperBound
                }
            }
        }
    }
}
