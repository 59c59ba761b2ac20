import Foundation
import XCTest
@testable import KZQA

/// What neighbouring paragraphs lend a passage (`NeighbourContext`): a quotation's speaker, a pronoun's
/// antecedent, a byline's title; and the whole pipeline finding a quotation by its speaker, an article's author by
/// its byline, and nothing for JSONL records.
final class NeighbourContextTests: XCTestCase {
    func testQuotationsAndFragments() {
        XCTAssertTrue(NeighbourContext.isQuotation("« Le port deviendra piéton »,"))
        XCTAssertTrue(NeighbourContext.isQuotation("  “Open data” first"))
        XCTAssertFalse(NeighbourContext.isQuotation("Le maire a parlé."))
        XCTAssertTrue(NeighbourContext.isFragment("a déclaré la maire Hélène Garnier."))
        XCTAssertTrue(NeighbourContext.isFragment("Hélène Garnier a déclaré :"))
        XCTAssertTrue(NeighbourContext.isFragment("Le journal a écrit que la ville,"))
        XCTAssertFalse(NeighbourContext.isFragment("Le conseil municipal s’est réuni lundi."), "a whole sentence")
        XCTAssertFalse(NeighbourContext.isFragment("« a quoted fragment »"))
        XCTAssertFalse(NeighbourContext.isFragment("a " + String(repeating: "long ", count: 40) + "."), "too long")
    }

    func context(_ text: String, previous: String?, next: String?) -> [String] {
        NeighbourContext.context(of: text, previous: previous, next: next).map(\.text)
    }

    func testContextOfAQuotation() {
        let quote = "« Le marché couvert ouvrira au printemps »,"
        let after = "a déclaré la maire Hélène Garnier."
        let before = "Hélène Garnier a déclaré :"
        let sentence = "Le conseil municipal s’est réuni lundi."
        // Attribution after the quotation, continuing its sentence.
        XCTAssertEqual(context(quote, previous: sentence, next: after), [after])
        // Introduced before.
        XCTAssertEqual(context(quote, previous: before, next: sentence), [before])
        // The same speaker goes on: the attribution of the quotation before counts for this one too.
        XCTAssertEqual(context("« Et les quais aussi. »", previous: after, next: nil), [after])
        // A quotation with its own attribution after it does not take the one before.
        XCTAssertEqual(context(quote, previous: after, next: "a répondu Marc Lemoine."),
                       ["a répondu Marc Lemoine."])
        // The fragments get their quotations.
        XCTAssertEqual(context(after, previous: quote, next: sentence), [quote])
        XCTAssertEqual(context(before, previous: sentence, next: quote), [quote])
        // Plain paragraphs get nothing, nor does a quotation next to whole sentences.
        XCTAssertEqual(context(sentence, previous: quote, next: after), [])
        XCTAssertEqual(context(quote, previous: sentence, next: sentence), [])
        XCTAssertEqual(context(quote, previous: nil, next: nil), [])
        // What each neighbour lends.
        XCTAssertEqual(NeighbourContext.context(of: quote, previous: nil, next: after).map(\.kind), [.attribution])
        XCTAssertEqual(NeighbourContext.context(of: after, previous: quote, next: nil).map(\.kind), [.quotation])
    }

    func testParagraphOpeningOnAPronounTakesThePreviousOne() {
        let previous = "La maire Hélène Garnier a visité le port."
        let pronoun = "Elle a indiqué que les quais seraient rénovés."
        XCTAssertTrue(NeighbourContext.opensOnPronoun(pronoun))
        XCTAssertFalse(NeighbourContext.opensOnPronoun("Île de Ré : les quais."), "a word starting like a pronoun")
        XCTAssertFalse(NeighbourContext.opensOnPronoun("il fait beau"), "lowercase: a fragment, not a paragraph start")
        XCTAssertEqual(NeighbourContext.context(of: pronoun, previous: previous, next: nil).map(\.kind), [.antecedent])
        XCTAssertEqual(context(pronoun, previous: nil, next: previous), [])
    }

    /// An engine over one article (no thesaurus).
    func engine(for article: String) throws -> QAEngine {
        let folder = try CLITestSupport.temporaryFolder(for: self, "kzqa-context-tests")
        try Data(article.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("article.txt")))
        let indexPath = (folder as NSString).appendingPathComponent("index.sqlite")
        let indexer = Indexer(indexPath: indexPath)
        indexer.thesaurusPath = nil
        _ = try indexer.run(roots: [folder])
        return QAEngine(store: try IndexStore(path: indexPath))
    }

    /// Records of a JSONL passage file stand alone: consecutive records lend each other nothing.
    func testJSONLRecordsHaveNoNeighbours() throws {
        let folder = try CLITestSupport.temporaryFolder(for: self, "kzqa-context-tests")
        let records = [
            #"{"id": "r1", "text": "« Le marché couvert ouvrira au printemps »,"}"#,
            #"{"id": "r2", "text": "a déclaré la maire Hélène Garnier."}"#,
            #"{"id": "r3", "text": "Par Jeanne Martin"}"#,
        ]
        let file = (folder as NSString).appendingPathComponent("records.jsonl")
        try Data((records.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
        let indexPath = (folder as NSString).appendingPathComponent("index.sqlite")
        let indexer = Indexer(indexPath: indexPath)
        indexer.thesaurusPath = nil
        _ = try indexer.run(roots: [file])
        let store = try IndexStore(path: indexPath)
        XCTAssertFalse(store.hasTextDocuments)
        for rowid in try store.allPassageRowIDs() {
            XCTAssertNil(try store.neighbourhood(rowid: rowid))
        }
        XCTAssertEqual(try store.leadPassages(of: try store.allPassageRowIDs(), paragraphs: 3), [])
        let engine = QAEngine(store: store)
        let first = try XCTUnwrap(try engine.ask("Quand ouvrira le marché selon Hélène Garnier ?").ranked.first)
        XCTAssertTrue(first.contextTerms.isEmpty)
    }

    func testReferenceEntries() {
        XCTAssertTrue(NeighbourContext.isReferenceEntry(
            "Sakenova, S. (2025, August 11). Astana to host a forum. The Astana Times. https://astanatimes.com/x"))
        XCTAssertTrue(NeighbourContext.isReferenceEntry("Doe, J. (1999). A book. Publisher. ISBN: 978-0-00"))
        XCTAssertFalse(NeighbourContext.isReferenceEntry("Khassenkhanova, G. (2025, 7 octobre) a écrit que le pays,"),
                       "a sentence citing its source, with no link")
        XCTAssertFalse(NeighbourContext.isReferenceEntry("Le site https://example.org publie les chiffres (voir annexe)."))
        XCTAssertFalse(NeighbourContext.isReferenceEntry("(2025"))
    }

    /// A bibliography entry does not follow an answer from the text, however well its words match.
    func testBibliographyEntriesDoNotFollowAnAnswer() {
        let analyzer = FrenchAnalyzer()
        func passage(_ n: Int, _ text: String, reference: Bool) -> RankedPassage {
            let p = Passage(id: "p:\(n).1", source: "p.txt", title: "t", paragraph: n, start: 0, end: text.utf8.count, text: text)
            return RankedPassage(rank: n, rowid: Int64(n), passage: p, score: 1, parts: ScoreParts(),
                                 matchedTerms: analyzer.terms(text), isReference: reference)
        }
        // A plural question: only a question asking for several things may take a second sentence.
        let query = Query("Quelles startups le forum a-t-il réunies à Astana ?")
        var statistics = QuestionStatistics()
        for t in query.terms {
            statistics.idf[t] = 1
            statistics.known.insert(t)
        }
        let text = passage(1, "Le forum a réuni 500 startups à Astana.", reference: false)
        let entry = "Smith, J. (2025, May 1). Startups of Astana meet at the forum. https://example.org/forum"
        // Any novel sentence may follow (threshold 0): only the entry's being a bibliography entry keeps it out.
        var composer = AnswerComposer()
        composer.settings.followerShare = 0
        for reference in [true, false] {
            let answer = composer.compose(query, ranked: [text, passage(2, entry, reference: reference)],
                                          statistics: statistics).answer
            XCTAssertEqual(answer.citations.first?.passageID, "p:1.1", answer.answer)
            XCTAssertEqual(answer.citations.contains { $0.passageID == "p:2.1" }, !reference, answer.answer)
        }
    }

    func testBylines() {
        XCTAssertTrue(NeighbourContext.isByline("Par Derya Soysal"))
        XCTAssertTrue(NeighbourContext.isByline("By Jane Doe and John Roe"))
        XCTAssertFalse(NeighbourContext.isByline("Par ailleurs, le pays construit une économie."), "lowercase: a sentence")
        XCTAssertFalse(NeighbourContext.isByline("Parmi les invités, Jeanne Martin."))
        XCTAssertFalse(NeighbourContext.isByline("Par Jeanne Martin, " + String(repeating: "et d’autres ", count: 10)))
        let context = NeighbourContext.context(of: "Par Jeanne Martin", previous: "Le titre", next: nil, title: "Le titre")
        XCTAssertEqual(context.map(\.kind), [.byline, .byline])
        XCTAssertEqual(context.first?.text, "Le titre")
    }

    /// The byline shares no word with a question about the author: it joins the candidates as an opening
    /// paragraph of the article, and its context (title, what a byline is) ranks it first.
    func testAuthorQuestionFindsTheByline() throws {
        let engine = try engine(for: """
            Le marché couvert de la ville

            Par Jeanne Martin

            Le conseil municipal s’est réuni lundi pour parler du futur marché couvert.

            Les commerçants attendent la décision du conseil sur le marché.
            """)
        XCTAssertTrue(engine.store.hasTextDocuments)
        let response = try engine.ask("Qui est l’auteur de l’article sur le marché couvert ?")
        XCTAssertEqual(response.ranked.first?.passage.text, "Par Jeanne Martin")
        XCTAssertTrue(response.answer.answer.contains("Jeanne Martin"), response.answer.answer)
        engine.retriever.settings.leadDocuments = 0
        XCTAssertNotEqual(try engine.ask("Qui est l’auteur de l’article sur le marché couvert ?").ranked.first?.passage.text,
                          "Par Jeanne Martin", "without the opening paragraphs the byline is no candidate")
    }

    /// Two quotations alike but for their speaker: the question naming the second speaker ranks the second first.
    func testQuotationIsFoundByItsSpeaker() throws {
        let text = """
            Le marché couvert de la ville

            Le conseil municipal s’est réuni lundi pour parler du futur marché couvert.

            « Le marché couvert ouvrira au printemps »,

            a déclaré la maire Hélène Garnier.

            « Le marché couvert ouvrira plutôt à l’automne »,

            a répondu l’opposant Marc Lemoine.

            Les commerçants attendent la décision du conseil.
            """
        let engine = try engine(for: text)
        for (speaker, expected) in [("Marc Lemoine", "automne"), ("Hélène Garnier", "printemps")] {
            let response = try engine.ask("Quand ouvrira le marché couvert selon \(speaker) ?")
            let first = try XCTUnwrap(response.ranked.first)
            XCTAssertTrue(first.passage.text.contains(expected), "\(speaker): \(first.passage.text)")
            XCTAssertFalse(first.contextTerms.isEmpty)
            XCTAssertTrue(response.answer.answer.contains(expected), response.answer.answer)
        }
        // Without the attribution context the speaker's name cannot tell the quotations apart: both questions
        // get the same first passage.
        engine.retriever.settings.contextWeight = 0
        let firsts = try ["Marc Lemoine", "Hélène Garnier"].map {
            try engine.ask("Quand ouvrira le marché couvert selon \($0) ?").ranked.first?.passage.id
        }
        XCTAssertEqual(firsts[0], firsts[1])
    }
}

/// Equivalent expressions (`FrenchEquivalents`) found in a question's content terms.
final class FrenchEquivalentsTests: XCTestCase {
    func sequence(_ text: String) -> [String] { Query(text).wordSequence }

    func testPhrasesMatchOnlyInARow() {
        let analyzer = FrenchAnalyzer()
        let startup = analyzer.terms("startups")
        let young = sequence("Quel programme aide les jeunes pousses ?")
        XCTAssertTrue(FrenchEquivalents.matches(in: young).contains { $0.equivalent == startup }, "\(young)")
        // The same words apart are no phrase.
        let apart = sequence("Les pousses des jeunes arbres ?")
        XCTAssertFalse(FrenchEquivalents.matches(in: apart).contains { $0.equivalent == startup }, "\(apart)")
    }

    func testBothDirectionsAndPeoples() {
        let analyzer = FrenchAnalyzer()
        let back = FrenchEquivalents.matches(in: sequence("Combien de startups ?")).map(\.equivalent)
        XCTAssertTrue(back.contains(analyzer.analyze("jeune pousse").filter { !$0.isStopword }.map(\.term)), "\(back)")
        let americans = FrenchEquivalents.matches(in: sequence("Que dominent les Américains ?"))
        XCTAssertTrue(americans.contains { $0.equivalent == ["etat", "unis"] }, "\(americans)")
        XCTAssertTrue(FrenchEquivalents.matches(in: sequence("Combien de personnes ont pris part au forum ?")).isEmpty,
                      "set phrases are no FranceTerme equivalents")
        XCTAssertTrue(FrenchEquivalents.matches(in: []).isEmpty)
    }

    /// Every pair analyses to terms on both sides (a pair of stopwords would match nothing).
    func testEveryPairHasTerms() {
        XCTAssertEqual(FrenchEquivalents.analysed.count, 2 * FrenchEquivalents.pairs.count)
    }

    /// The written-out tables are what the analyser makes of the lists today; on a difference the test prints
    /// the file to paste into Sources/KZQA/Retrieval/AnalysedTables.swift.
    func testEquivalentsTableIsTheAnalysedPairs() {
        let computed = FrenchEquivalents.analyse(FrenchEquivalents.pairs)
        let equal = computed.count == FrenchEquivalents.analysed.count
            && zip(computed, FrenchEquivalents.analysed).allSatisfy { $0.from == $1.from && $0.to == $1.to }
        XCTAssertTrue(equal, "AnalysedTables.equivalents is stale; write:\n" + AnalysedTablesText.file())
    }

    func testAcronymTableIsTheAnalysedAcronyms() {
        let computed = QueryExpansion.analyseAcronyms()
        let equal = computed.count == QueryExpansion.acronymTerms.count
            && zip(computed, QueryExpansion.acronymTerms).allSatisfy { $0.acronym == $1.acronym && $0.terms == $1.terms }
        XCTAssertTrue(equal, "AnalysedTables.acronyms is stale; write:\n" + AnalysedTablesText.file())
    }
}

/// The text of AnalysedTables.swift for the lists as they are.
enum AnalysedTablesText {
    static func file() -> String {
        func list(_ terms: [String]) -> String { "[" + terms.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
        let header = try? String(contentsOfFile: #filePath.replacingOccurrences(of: "Tests/KZQATests/NeighbourContextTests.swift",
                                                                                with: "Sources/KZQA/Retrieval/AnalysedTables.swift"),
                                 encoding: .utf8)
        let comment = header?.split(separator: "\n", omittingEmptySubsequences: false).prefix { $0.hasPrefix("//") }
            .joined(separator: "\n") ?? ""
        var out = comment + "\n\n/// Language tables analysed once and written out, so that no process analyses them before its first question.\n"
        out += "enum AnalysedTables {\n    static let equivalents: [(from: [String], to: [String])] = [\n"
        for e in FrenchEquivalents.analyse(FrenchEquivalents.pairs) { out += "        (\(list(e.from)), \(list(e.to))),\n" }
        out += "    ]\n    static let acronyms: [(acronym: String, terms: [String])] = [\n"
        for a in QueryExpansion.analyseAcronyms() { out += "        (\"\(a.acronym)\", \(list(a.terms))),\n" }
        out += "    ]\n}\n"
        return out
    }
}
