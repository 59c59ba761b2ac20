import Foundation
import XCTest
@testable import KZQA
import KZQAFuzzing

/// The question-independent analysis the indexer stores (`passage_analysis`): what is read back equals what the
/// splitter, the analyzer and `NeighbourContext` compute from the passages' texts.
final class PassageAnalysisTests: XCTestCase {
    /// An article with what analysis treats specially: elisions, a compound, numbers with a group separator, an
    /// acronym, quotations with their attribution fragments, a byline, a paragraph opening on a pronoun.
    static let article = """
    Le marché couvert de Lyon

    Par Jeanne Martin

    « Le marché couvert ouvrira au printemps 2026 »,

    a déclaré la maire Hélène Garnier. L’e-commerce local pèse 1 200 emplois, soit 12 % de l’activité.

    Elle a ajouté que l’IA aidera les commerçants. Le budget atteint 3,5 millions d’euros.

    Il a indiqué : « Les travaux dureront dix-huit mois. »
    """

    func index(_ text: String, name: String) throws -> IndexStore {
        let folder = try IndexFixtures.temporaryFolder(for: self, "kzqa-analysis-tests")
        let file = try IndexFixtures.write(text, to: name, in: folder)
        let indexPath = (folder as NSString).appendingPathComponent("index.sqlite")
        try IndexFixtures.index([file], into: indexPath)
        return try IndexStore(path: indexPath)
    }

    func testStoredSentencesEqualTheSplitterAndAnalyzer() throws {
        let store = try index(Self.article, name: "article.txt")
        let rowids = try store.allPassageRowIDs()
        XCTAssertGreaterThan(rowids.count, 4)
        var tokens = 0
        for rowid in rowids {
            let passage = try XCTUnwrap(try store.passage(rowid: rowid))
            let stored = try XCTUnwrap(try store.sentences(rowid: rowid, text: passage.text))
            XCTAssertEqual(stored, AnalysedSentence.split(passage.text), passage.text)
            for s in stored {
                XCTAssertEqual(s.text, String(decoding: Array(passage.text.utf8)[s.start..<s.end], as: UTF8.self))
                tokens += s.tokens.count
            }
        }
        XCTAssertGreaterThan(tokens, 40)
    }

    func testStoredLoansEqualTheNeighbourContext() throws {
        let store = try index(Self.article, name: "article.txt")
        var kinds = Set<String>()
        for rowid in try store.allPassageRowIDs() {
            let n = try XCTUnwrap(try store.neighbourhood(rowid: rowid))
            let computed = NeighbourLoan.of(n.text, previous: n.previous, next: n.next, title: n.title)
            XCTAssertEqual(try store.neighbourLoan(rowid: rowid), .loan(computed), n.text)
            for item in computed.items { kinds.insert("\(item.kind)") }
        }
        // The article exercises every kind of loan but one (the quotation a fragment attributes is the same pair
        // seen from the other side), so the comparison above is not between empty loans.
        XCTAssertTrue(kinds.isSuperset(of: ["byline", "attribution", "antecedent"]), "\(kinds)")
    }

    /// The indexer tokenizes a passage once (`AnalysedSentence.analysed`): its sentences, their tokens, its index
    /// terms and the forms gathered for the lexicon are exactly those of the two-pass way (the passage's terms,
    /// then each sentence tokenized again), and the sentence ranges the chunker hands over are the splitter's.
    /// Compared on every passage of the seeds (as text files, with two passage sizes, and each line as a record)
    /// and of generated text (the fuzzer's generator: numbers, acronyms, compounds, elisions, quotes, marks).
    func testOneTokenizationGivesTheTwoPassAnalysis() throws {
        var texts = try AnalysisTestSupport.seedURLs().map { try String(contentsOf: $0, encoding: .utf8) }
        let sentences = seedSentences(in: AnalysisTestSupport.packageRoot.appendingPathComponent("seeds").path)
        var generator = InputGenerator(seed: 20_261_202, sentences: sentences, maxBytes: 4 * 1024)
        for _ in 0..<400 { texts.append(generator.next()) }
        let analyzer = FrenchAnalyzer()
        var once = AnalysisCache(), twice = AnalysisCache()
        // Small memos, emptied often: the two ways may then gather a form again at different times, but the
        // lexicon keeps the first of each folded form (`LexiconForms.add`), and those must be the same.
        var onceSmall = AnalysisCache(capacity: 300), twiceSmall = AnalysisCache(capacity: 300)
        var formsOnce: [String] = [], formsTwice: [String] = []
        var compared = 0, known = 0, multiSentence = 0
        func compare(_ chunk: Chunker.Chunk, _ what: String) {
            let text = chunk.passage.text
            if let ranges = chunk.sentences {
                XCTAssertEqual(ranges, SentenceSplitter().split(text), "\(what): \(text.debugDescription)")
                known += 1
            }
            let one = AnalysedSentence.analysed(text, sentences: chunk.sentences, analyzer: analyzer, cache: &once)
            let two = AnalysedSentence.twoPasses(text, analyzer: analyzer, cache: &twice)
            XCTAssertEqual(one.terms, two.terms, "\(what): \(text.debugDescription)")
            XCTAssertEqual(one.terms, analyzer.indexTerms(text), "\(what): \(text.debugDescription)")
            XCTAssertEqual(one.sentences, two.sentences, "\(what): \(text.debugDescription)")
            XCTAssertEqual(one.sentences, AnalysedSentence.split(text), "\(what): \(text.debugDescription)")
            XCTAssertEqual(once.takeNewForms().map { "\($0.surface) \($0.term)" },
                           twice.takeNewForms().map { "\($0.surface) \($0.term)" }, "\(what): \(text.debugDescription)")
            let small = AnalysedSentence.analysed(text, sentences: chunk.sentences, analyzer: analyzer, cache: &onceSmall)
            XCTAssertEqual(small.terms, one.terms)
            XCTAssertEqual(small.sentences, one.sentences)
            _ = AnalysedSentence.twoPasses(text, analyzer: analyzer, cache: &twiceSmall)
            formsOnce += onceSmall.takeNewForms().map { Folding.fold($0.surface) + "\t" + $0.term }
            formsTwice += twiceSmall.takeNewForms().map { Folding.fold($0.surface) + "\t" + $0.term }
            compared += 1
            if one.sentences.count > 1 { multiSentence += 1 }
        }
        func firsts(_ forms: [String]) -> [String] {
            var seen = Set<String>()
            return forms.filter { seen.insert(String($0.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")).inserted }
        }
        for (n, text) in texts.enumerated() {
            for limit in [Chunker.defaultMaxCharacters, 120] {
                for chunk in Chunker(maxCharacters: limit).chunks(of: text, source: "t\(n).txt") { compare(chunk, "text \(n)") }
            }
            for (k, line) in text.split(separator: "\n").enumerated() {
                for chunk in Chunker().chunks(ofRecord: String(line), id: "r", title: "t", source: "r.jsonl", number: k) {
                    compare(chunk, "record \(n).\(k)")
                }
            }
        }
        XCTAssertEqual(firsts(formsOnce), firsts(formsTwice))
        XCTAssertGreaterThan(firsts(formsOnce).count, 500)
        XCTAssertGreaterThan(compared, 1_000)
        XCTAssertGreaterThan(known, compared / 2)
        XCTAssertGreaterThan(multiSentence, 200)
    }

    func testRecordsOfAPassageFileStandAlone() throws {
        let store = try index(#"{"id": "r1", "text": "« Le marché ouvrira au printemps »,"}"# + "\n"
                              + #"{"id": "r2", "text": "a déclaré la maire Hélène Garnier."}"# + "\n", name: "records.jsonl")
        let rowids = try store.allPassageRowIDs()
        XCTAssertEqual(rowids.count, 2)
        for rowid in rowids {
            XCTAssertEqual(try store.neighbourLoan(rowid: rowid), .standsAlone)
            let passage = try XCTUnwrap(try store.passage(rowid: rowid))
            XCTAssertEqual(try store.sentences(rowid: rowid, text: passage.text), AnalysedSentence.split(passage.text))
        }
    }

    /// A token whose surface is not the bytes its offsets cover is stored with its surface; a blob cut short or
    /// one that does not fit the passage's text is refused rather than read wrong.
    func testBlobsRoundTripAndRefuseDamage() throws {
        let text = "Un mot. Deux mots"
        var sentences = AnalysedSentence.split(text)
        XCTAssertEqual(sentences.count, 2)
        sentences[0].tokens[0].surface = "autre"
        let blob = PassageAnalysis.encode(sentences)
        let back = blob.withUnsafeBytes { PassageAnalysis.decodeSentences($0, text: text) }
        XCTAssertEqual(back, sentences)
        XCTAssertNil(Array(blob.dropLast(2)).withUnsafeBytes { PassageAnalysis.decodeSentences($0, text: text) })
        XCTAssertNil(blob.withUnsafeBytes { PassageAnalysis.decodeSentences($0, text: "Un mot.") })

        let loan = NeighbourLoan(items: [.init(kind: .antecedent, terms: ["helen", "garni"], length: 2),
                                         .init(kind: .byline, terms: [], length: 0)], isReference: true)
        let loanBlob = PassageAnalysis.encode(loan)
        XCTAssertEqual(loanBlob.withUnsafeBytes { PassageAnalysis.decodeLoan($0) }, loan)
        XCTAssertNil(Array(loanBlob.dropLast()).withUnsafeBytes { PassageAnalysis.decodeLoan($0) })
    }

    /// The engine's answers come from the stored sentences: the same as computing them per question.
    func testAnswersFromStoredSentencesEqualComputedOnes() throws {
        let store = try index(Self.article, name: "article.txt")
        let stored = QAEngine(store: store)
        let computed = QAEngine(store: store)
        computed.composer.storedSentences = nil
        for question in ["Combien d’emplois pèse l’e-commerce local ?", "Qui a annoncé l’ouverture du marché couvert ?",
                         "Quel est le budget ?"] {
            let a = try stored.ask(question), b = try computed.ask(question)
            XCTAssertEqual(AnswerJSON.encode(a.answer), AnswerJSON.encode(b.answer), question)
        }
    }

    /// The lazily looked-up dictionary stems are the ones the thesaurus stored.
    func testDictionaryStemsLookedUpOneByOne() throws {
        let folder = try IndexFixtures.temporaryFolder(for: self, "kzqa-analysis-tests")
        let indexPath = (folder as NSString).appendingPathComponent("index.sqlite")
        // The default thesaurus (scripts/setup.sh installs it): without it no stem is stored and the test fails.
        let indexer = Indexer(indexPath: indexPath)
        _ = try indexer.run(roots: [IndexFixtures.seedsFolder])
        let store = try IndexStore(path: indexPath)
        let stems = try store.dictionaryStems()
        XCTAssertFalse(stems.isEmpty)
        let lexicon = Lexicon(store: store)
        for stem in stems.sorted().prefix(200) { XCTAssertTrue(lexicon.contains(stem), stem) }
        for name in ["madiyev", "tokaiev", "euronew"] where !stems.contains(name) { XCTAssertFalse(lexicon.contains(name)) }
    }

    /// Hunspell's answers kept by `LexiconCache` are read back exactly, by another instance, and a cache made for
    /// another dictionary is started anew.
    func testLexiconCacheRoundTrip() throws {
        let folder = try IndexFixtures.temporaryFolder(for: self, "kzqa-analysis-tests")
        let dictionary = (folder as NSString).appendingPathComponent("fr")
        _ = try IndexFixtures.write("SET UTF-8\n", to: "fr.aff", in: folder)
        _ = try IndexFixtures.write("1\nmot\n", to: "fr.dic", in: folder)
        let path = (folder as NSString).appendingPathComponent("cache/entries.tsv")
        let entry = LexicalEntry(isKnown: true, readings: [
            LexicalReading(lemma: "diriger", partsOfSpeech: [.verb], gender: nil, number: nil),
            LexicalReading(lemma: "dirigé", partsOfSpeech: [.adjective, .pastParticiple], gender: "mas", number: "sg"),
        ])
        let cache = try XCTUnwrap(LexiconCache(path: path, dictionary: dictionary))
        XCTAssertNil(cache.entry("dirige"))
        cache.store(entry, for: "dirige")
        cache.store(.unknown, for: "Madiyev")
        let again = try XCTUnwrap(LexiconCache(path: path, dictionary: dictionary))
        XCTAssertEqual(again.entry("dirige"), entry)
        XCTAssertEqual(again.entry("Madiyev"), .unknown)
        XCTAssertNil(again.entry("mot"))
        // Another dictionary (its .dic changed size): the entries are not its answers.
        _ = try IndexFixtures.write("2\nmot\nmots\n", to: "fr.dic", in: folder)
        let changed = try XCTUnwrap(LexiconCache(path: path, dictionary: dictionary))
        XCTAssertNil(changed.entry("dirige"))
        XCTAssertNil(LexiconCache(path: path, dictionary: (folder as NSString).appendingPathComponent("none")))
    }
}
