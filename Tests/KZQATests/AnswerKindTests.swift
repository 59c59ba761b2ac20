import Foundation
import XCTest
@testable import KZQA

/// The finer answer kinds read from questions, and whether hand-made sentences hold an answer of that kind.
final class AnswerKindTests: XCTestCase {
    let analyzer = FrenchAnalyzer()

    func kind(_ question: String) -> AnswerKind? { AnswerKind.read(Query(question)).kind }

    /// Checks that each sentence of `meets` answers `question` with a figure of the kind it asks for, and that
    /// none of `misses` does.
    func check(_ question: String, meets: [String], misses: [String], file: StaticString = #filePath, line: UInt = #line) {
        let q = Query(question)
        guard let kind = AnswerKind.read(q).kind else {
            return XCTFail("no answer kind read from « \(question) »", file: file, line: line)
        }
        let questionTerms = Set(q.tokens.map(\.term))
        for sentence in meets {
            XCTAssertTrue(kind.isMet(by: analyzer.analyze(sentence), questionTerms: questionTerms), sentence, file: file, line: line)
        }
        for sentence in misses {
            XCTAssertFalse(kind.isMet(by: analyzer.analyze(sentence), questionTerms: questionTerms), sentence, file: file, line: line)
        }
    }

    func testKindsReadFromTheQuestion() {
        let expected: [(String, AnswerKind)] = [
            ("Quel est le budget de la réforme ?", .money),
            ("Quel salaire touche un ingénieur ?", .money),
            ("Quelle est la valeur des réserves du fonds ?", .money),
            ("Quel chiffre d’affaires la société a-t-elle réalisé ?", .money),
            ("Combien coûtera le nouveau pont ?", .money),
            ("Combien les exportations ont-elles rapporté ?", .money),
            ("À combien s’élève le budget du programme ?", .money),
            ("Combien d’euros la ville a-t-elle reçus ?", .money),
            ("Quelle somme, en dollars, a été levée ?", .money),
            ("Quelle part du budget va à l’éducation ?", .percent),
            ("Quel est le taux de chômage ?", .percent),
            ("Combien de pour cent des foyers sont raccordés ?", .percent),
            ("Quelle est la longueur, en kilomètres, de la ligne ?", .measure(unit: analyzer.terms("kilomètres").first)),
            ("Combien de mégawatts la centrale produit-elle ?", .measure(unit: analyzer.terms("mégawatts").first)),
            ("Quelle est la superficie du parc ?", .measure(unit: nil)),
            ("En quelle année la ville a-t-elle été fondée ?", .year),
            ("Combien d’habitants compte la ville ?", .count),
            ("Quelle est la population de la région ?", .count),
        ]
        for (question, answerKind) in expected {
            XCTAssertEqual(kind(question), answerKind, question)
        }
    }

    func testQuestionsWithNoFinerKind() {
        let questions = [
            "Dans quels budgets la monnaie sera-t-elle utilisée ?",  // plural quels asks which ones, not how much
            "Quelles valeurs défend la charte ?",
            "Quel prix a reçu la startup ?",  // a prix is as often an award
            "Quel investissement majeur le pays a-t-il annoncé ?",
            "Quelle puissance asiatique domine le marché ?",
            "En combien de temps le pays veut-il se numériser ?",  // a duration takes many forms
            "Combien de fois le forum s’est-il tenu ?",
            "Qui a investi en euros dans le projet ?",  // a person is asked for, not an amount
            "Quand le pont sera-t-il mis en service ?",
            "Quelle entreprise a construit la machine ?",
        ]
        for question in questions {
            XCTAssertNil(kind(question), question)
        }
    }

    func testSubjectIsWhatIsCountedOrPriced() {
        XCTAssertEqual(AnswerKind.read(Query("Combien de fonctionnaires emploie le ministère ?")).subject,
                       analyzer.terms("fonctionnaires").first)
        XCTAssertEqual(AnswerKind.read(Query("Combien coûtera le pont ?")).subject, analyzer.terms("coûtera").first)
        XCTAssertEqual(AnswerKind.read(Query("Quel est le budget du programme ?")).subject, analyzer.terms("budget").first)
    }

    func testMoneyNeedsACurrency() {
        check("Quel est le budget du programme ?",
              meets: ["Le programme dispose de 1,2 billion de tengués.",
                      "Il a coûté environ 2,2 milliards de dollars américains.",
                      "Le budget atteint 5 € par habitant.",
                      "Le fonds a reçu 5 $ par habitant.",
                      "Le budget est de USD 40 millions."],
              misses: ["Le programme a formé 650 000 étudiants en 2025.",  // a count and a year
                       "Le programme est financé par le tenge numérique."])  // a currency with no amount
    }

    func testPercentNeedsAShare() {
        check("Quelle part des paiements se fait sans espèces ?",
              meets: ["La part des paiements sans numéraire a dépassé 85 %.",
                      "Elle atteint 30 pour cent.",
                      "La moitié des services passent par des smartphones."],
              misses: ["Plus de 26 millions de paiements ont été faits en 2024."])
    }

    func testMeasureNeedsTheUnitNextToANumber() {
        check("Quelle est la puissance, en mégawatts, de la centrale ?",
              meets: ["La centrale atteint 2 mégawatts."],
              misses: ["Le pays a construit la centrale la plus puissante de la région.",
                       "Elle compte 300 panneaux."])  // a number in another unit
        check("Quelle est la superficie du parc ?", meets: ["Le parc s’étend sur 300 hectares."], misses: ["Le parc est vaste."])
    }

    func testYearNeedsAFourDigitYear() {
        check("En quelle année le fondateur était-il venu pour la première fois ?",
              meets: ["Il était venu à Astana en 2019."],
              misses: ["Il est venu cet été rencontrer des étudiants.",  // a season is no year
                       "L’année dernière, 85 % des paiements se sont faits sans espèces.",
                       "Le hub regroupe plus de 1 700 membres."])  // a thousands space makes a count
        // A year the question already gives is no answer.
        check("En quelle année, après 2019, le forum a-t-il doublé ?", meets: [], misses: ["Depuis 2019, le forum a doublé."])
    }

    func testCountNeedsAPlainNumber() {
        check("Quelle est la population du pays ?",
              meets: ["Le pays compte 20 millions d’habitants.",
                      "Le hub regroupe plus de 1 700 membres.",
                      "Le forum a réuni 2000 participants.",  // a year-like number before a common noun counts
                      "Ils étaient plusieurs dizaines."],
              misses: ["93 % de la population a accès à Internet.",  // a percent
                       "Le pays se classe 24ᵉ au niveau mondial.",  // an ordinal
                       "Le forum s’est tenu le 2 octobre 2025.",  // a date
                       "En 2024, le pays a créé un fonds.",
                       "Les revenus ont atteint 140 milliards de tengués.",  // a sum of money
                       "Elle atteint 30 pour cent."])
    }

    /// The composer's evidence: the best sentence's passage must hold a figure of the kind asked for.
    /// One passage of `text`, ranked first.
    func ranked(_ text: String) -> [RankedPassage] {
        let passage = Passage(id: "p:1.1", source: "p.txt", title: "t", paragraph: 1, start: 0, end: text.utf8.count, text: text)
        return [RankedPassage(rank: 1, rowid: 1, passage: passage, score: 1, parts: ScoreParts(),
                              matchedTerms: analyzer.terms(text))]
    }

    /// Statistics in which every term of `query` is known, at idf 1.
    func statistics(knowing query: Query) -> QuestionStatistics {
        var statistics = QuestionStatistics()
        for t in query.terms {
            statistics.idf[t] = 1
            statistics.known.insert(t)
        }
        return statistics
    }

    func testComposerLowersConfidenceWhenTheKindIsUnmet() {
        let query = Query("Quel est le budget du programme AI-Sana ?")
        let statistics = statistics(knowing: query)
        let composer = AnswerComposer()
        let without = composer.compose(query, ranked: ranked("Le budget du programme AI-Sana soutient les startups. Il a formé 650 000 étudiants."),
                                       statistics: statistics).evidence
        let with = composer.compose(query, ranked: ranked("Le budget du programme AI-Sana soutient les startups. Il atteint 40 milliards de tengués."),
                                    statistics: statistics).evidence
        XCTAssertEqual(without.answerKind, "money")
        XCTAssertTrue(without.unmetKind, "a count in the passage is no sum of money")
        XCTAssertEqual(without.typeMatch, 0)
        XCTAssertFalse(with.unmetKind, "another sentence of the best sentence's passage gives the amount")
        XCTAssertLessThan(without.confidence, with.confidence * 0.5)
    }

    /// The composer reads no answer from a link: its digits are an address, its words no name.
    func testComposerReadsNoAnswerFromALink() {
        let text = "Digital Bridge 2025 sur The Astana Times. https://astanatimes.com/2025/08/astana-to-host-digital-bridge-2025-in-october/"
        let ranked = ranked(text)
        let query = Query("Combien de visiteurs a accueillis Digital Bridge 2025 ?")
        let statistics = statistics(knowing: query)
        let candidates = AnswerComposer().candidates(for: query, ranked: ranked, statistics: statistics)
        XCTAssertEqual(candidates.count, 1)
        XCTAssertEqual(candidates.first?.typeMatch, 0, "08 of the link's path is no count")
        XCTAssertTrue(candidates.first?.terms.contains("astanatim") ?? false, "the link's words still say what it is about")
        let answer = AnswerComposer().compose(query, ranked: ranked, statistics: statistics).answer
        XCTAssertFalse(answer.shortAnswer?.text.contains("/") ?? false)
    }
}
