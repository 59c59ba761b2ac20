import Foundation
import XCTest
@testable import KZQA

/// The French lexicon (libhunspell + Grammalecte's dictionary, hunspell-fr-comprehensive): lemmas and parts
/// of speech of inflected forms, what the indexer stores of them, and how questions use them.
final class FrenchLexiconTests: XCTestCase {
    typealias F = IndexFixtures

    func lexicon() throws -> FrenchLexicon {
        try XCTUnwrap(FrenchLexicon.shared, "the French dictionary is missing: run scripts/setup.sh (hunspell-fr-comprehensive)")
    }

    // MARK: - reading hunspell's output

    func testAMorphologyLineIsRead() throws {
        let r = try XCTUnwrap(LexicalReading(morphology: " st:nommer po:v1__tnq__a po:ppas po:adj po:1jsg is:mas is:sg"))
        XCTAssertEqual(r.lemma, "nommer")
        XCTAssertEqual(r.partsOfSpeech, [.verb, .pastParticiple, .adjective])
        XCTAssertEqual(r.gender, "mas")
        XCTAssertEqual(r.number, "sg")
        XCTAssertNil(LexicalReading(morphology: " po:nom is:fem"), "a line without st: is no reading")
        XCTAssertEqual(PartOfSpeech.of(tag: "v3_it_q__a"), .verb)
        XCTAssertEqual(PartOfSpeech.of(tag: "patr"), .personName)
        XCTAssertNil(PartOfSpeech.of(tag: "ipre"), "tense tags are no word class")
        XCTAssertNil(PartOfSpeech.of(tag: "v"))
        XCTAssertEqual(PartOfSpeech.of(tag: "nb"), .numeral)
        XCTAssertEqual(PartOfSpeech.of(tag: "det"), .function)
    }

    /// Cardinal numbers written in words are figures (Grammalecte tags them `po:nb`); a noun is not one.
    func testNumbersInWordsAreNumerals() throws {
        let lexicon = try lexicon()
        XCTAssertTrue(lexicon.entry("trois").wordClass(surface: "trois").isNumeral)
        XCTAssertTrue(lexicon.entry("huit").wordClass(surface: "huit").isNumeral)
        XCTAssertTrue(lexicon.entry("Trois").wordClass(surface: "Trois").isNumeral, "at a sentence's start too")
        XCTAssertFalse(lexicon.entry("ans").wordClass(surface: "ans").isNumeral)
        XCTAssertFalse(lexicon.entry("ministre").wordClass(surface: "ministre").isNumeral)
    }

    func testStoredReadingsRoundTrip() {
        let e = LexicalEntry(isKnown: true, readings: [
            LexicalReading(lemma: "élu", partsOfSpeech: [.noun], gender: "mas", number: "pl"),
            LexicalReading(lemma: "élire", partsOfSpeech: [.verb, .pastParticiple, .adjective], gender: "mas", number: "pl"),
            LexicalReading(lemma: "élire", partsOfSpeech: [.verb]),
        ])
        XCTAssertEqual(LexicalEntry(isKnown: true, storedReadings: e.storedReadings), e)
        XCTAssertEqual(e.lemmas, ["élu", "élire"])
        XCTAssertTrue(e.isVerb)
        XCTAssertTrue(e.isNoun)
        XCTAssertFalse(e.isProperNoun)
    }

    // MARK: - the dictionary

    func testLemmaAndPartOfSpeechOfInflectedForms() throws {
        let lexicon = try lexicon()
        let nomme = lexicon.entry("nommé")
        XCTAssertTrue(nomme.isKnown)
        XCTAssertTrue(nomme.lemmas.contains("nommer"), "\(nomme.lemmas)")
        let verb = try XCTUnwrap(nomme.readings.first { $0.lemma == "nommer" })
        XCTAssertTrue(verb.partsOfSpeech.isSuperset(of: [.verb, .pastParticiple]), "\(verb.partsOfSpeech)")
        XCTAssertEqual(verb.gender, "mas")
        XCTAssertEqual(verb.number, "sg")

        let reunis = lexicon.entry("réunis")
        XCTAssertEqual(reunis.lemmas, ["réunir"])
        XCTAssertTrue(reunis.isVerb)
        XCTAssertEqual(reunis.readings.first?.number, "pl")

        XCTAssertEqual(lexicon.entry("construites").lemmas, ["construire"])
        XCTAssertEqual(lexicon.entry("travaux").lemmas, ["travail"], "an irregular plural")
        let dirigeants = lexicon.entry("dirigeantes")
        XCTAssertTrue(dirigeants.isNoun)
        XCTAssertEqual(dirigeants.readings.first?.gender, "fem")
    }

    func testProperNounsAndUnknownWords() throws {
        let lexicon = try lexicon()
        let astana = lexicon.entry("Astana")
        XCTAssertTrue(astana.isKnown)
        XCTAssertTrue(astana.isProperNoun)
        XCTAssertTrue(astana.partsOfSpeech.contains(.properNoun))
        XCTAssertFalse(lexicon.entry("ministre").isProperNoun)
        XCTAssertTrue(lexicon.entry("Emmanuel").partsOfSpeech.contains(.personName))
        let unknown = lexicon.entry("Zorbaquix")
        XCTAssertFalse(unknown.isKnown)
        XCTAssertTrue(unknown.readings.isEmpty)
        XCTAssertFalse(unknown.isVerb || unknown.isNoun || unknown.isProperNoun)
        XCTAssertEqual(lexicon.entry(""), .unknown)
        XCTAssertTrue(lexicon.entry("aujourd'hui").isKnown, "a straight apostrophe is read as the dictionary's ’")
    }

    func testAMissingDictionaryIsATypedError() {
        XCTAssertThrowsError(try FrenchLexicon(path: "/nonexistent/fr_FR")) { error in
            guard case KZQAError.fileUnreadable(let path, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "/nonexistent/fr_FR.aff")
        }
    }

    // MARK: - the index and the questions

    /// The indexer stores each new content word's entry and its lemmas' terms; the query side reads them and
    /// joins a question word the index lacks to the forms of its lemma.
    func testTheIndexStoresLemmasAndAQuestionWordMatchesItsLemmasForms() throws {
        _ = try lexicon()
        let root = try F.temporaryFolder(for: self)
        let corpus = root + "/corpus", index = root + "/index/kzqa.sqlite"
        try F.write("Les élus ont voté. Astana accueille le forum.\n", to: "a.txt", in: corpus)
        _ = try F.index([corpus], into: index)
        let store = try IndexStore(path: index)
        let stored = try XCTUnwrap(try store.lexicalEntry(form: "elus"))
        XCTAssertEqual(stored.term, FrenchAnalyzer().terms("élus").first)
        XCTAssertTrue(stored.entry.lemmas.contains("élire"), "\(stored.entry.lemmas)")
        XCTAssertTrue(try XCTUnwrap(try store.lexicalEntry(form: "astana")).entry.isProperNoun)
        XCTAssertNil(try store.lexicalEntry(form: "les"), "stopwords are not looked up")
        XCTAssertEqual(try store.terms(ofLemma: "elire", limit: 5), [stored.term])

        let lexicon = QueryLexicon(store: store)
        let query = Query("Qui a-t-on élit ?", lexicon: lexicon)
        let elit = try XCTUnwrap(query.lexical[FrenchAnalyzer().terms("élit")[0]])
        XCTAssertTrue(elit.isVerb)
        XCTAssertFalse(elit.isProperNoun)
        XCTAssertNil(try store.term(elit.term), "the index lacks the form itself")
        let expanded = try QueryExpansion().expand(query, store: store, lexicon: lexicon)
        let lemma = expanded.filter { $0.origin == .lemma }
        XCTAssertEqual(lemma.map(\.term), [stored.term], "élit reaches élus through élire")
        XCTAssertEqual(lemma.first?.of, elit.term)
        XCTAssertTrue(try QueryExpansion().expand(query, store: store).allSatisfy { $0.origin != .lemma },
                      "no lexicon, no lemma expansion")
    }

    func testAQuestionWordTheIndexNeverMetIsLookedUpInTheDictionary() throws {
        let hunspell = try lexicon()
        let root = try F.temporaryFolder(for: self)
        let corpus = root + "/corpus", index = root + "/index/kzqa.sqlite"
        try F.write("Le forum a lieu en juin.\n", to: "a.txt", in: corpus)
        _ = try F.index([corpus], into: index)
        let store = try IndexStore(path: index)
        var asked = 0
        let lexicon = QueryLexicon(store: store, fallback: { asked += 1; return hunspell })
        let query = Query("Qui dirige Astana ?", lexicon: lexicon)
        XCTAssertTrue(try XCTUnwrap(query.lexical[FrenchAnalyzer().terms("dirige")[0]]).isVerb)
        XCTAssertTrue(try XCTUnwrap(query.lexical[FrenchAnalyzer().terms("Astana")[0]]).isProperNoun)
        XCTAssertEqual(asked, 2, "both words are missing from the index's table")
        _ = Query("Où a lieu le forum ?", lexicon: lexicon)
        XCTAssertEqual(asked, 2, "forum and lieu are in the index's table")
    }
}

/// Hunspell's output read byte by byte gives the readings the Character-by-Character reading gives.
final class MorphologyParsingTests: XCTestCase {
    func testByteParserEqualsTheCharacterParser() throws {
        let lexicon = try XCTUnwrap(FrenchLexicon.shared, "the French dictionary is missing: run scripts/setup.sh")
        var words = Set<String>()
        for url in try AnalysisTestSupport.seedURLs() {
            for t in Tokenizer().tokenize(try String(contentsOf: url, encoding: .utf8)) { words.insert(t.surface); words.insert(t.term) }
        }
        var lines = ["", " ", "st:", " st: st:x", " st:a st:b po:nom po:v1__t po:zz is:mas is:fem is:pl is:sg is:zz",
                     " st:élu po:adj is:epi is:inv", " st:e\u{301}lu po:nom", " st:x po:nom\u{301}", " st:x\tpo:nom",
                     " st:x\r\n po:adj", " xx:y st:z", " st:日本 po:npr", "po:nom is:mas"]
        for w in words.sorted() { lines += lexicon.analyses(w) }
        var fast = 0
        for line in lines {
            XCTAssertEqual(LexicalReading(morphology: line), LexicalReading(characters: line), line.debugDescription)
            if LexicalReading.parseBytes(line) != nil { fast += 1 }
        }
        XCTAssertGreaterThan(lines.count, 1_000)
        XCTAssertGreaterThan(fast, lines.count * 9 / 10)
    }
}

/// Synonyms by sense: the meaning of a thesaurus entry that fits the indexed vocabulary, and synonyms of the
/// head's word class.
final class ThesaurusSenseTests: XCTestCase {
    func stem(_ w: String) -> String { FrenchAnalyzer().terms(w)[0] }

    func write(_ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kzqa-thes-\(getpid())-\(name.hashValue)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("th.dat").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// « avocat » has a fruit meaning and a lawyer meaning; the index speaks of courts, so the lawyer meaning
    /// (two of its words indexed, against one of the fruit's) gives the synonyms.
    func testTheMeaningThatOverlapsTheVocabularyIsChosen() throws {
        let path = try write("UTF-8\navocat|2\n(Nom)|fruit|poire\n(Nom)|défenseur|plaideur|juriste\n")
        let vocabulary: Set<String> = [stem("avocat"), stem("fruit"), stem("défenseur"), stem("juriste")]
        let one = try Thesaurus.pairs(path: path, vocabulary: vocabulary, senses: 1)
        let h = stem("avocat")
        XCTAssertEqual(one.filter { $0.0 == h }.map(\.1), [stem("défenseur"), stem("juriste")])
        XCTAssertFalse(one.contains { $0.1 == stem("fruit") || $0.0 == stem("fruit") }, "the other meaning gives nothing")
        // Every meaning, as before sense choice.
        let all = try Thesaurus.pairs(path: path, vocabulary: vocabulary, senses: 0)
        XCTAssertEqual(all.filter { $0.0 == h }.map(\.1), [stem("fruit"), stem("défenseur"), stem("juriste")])
        // A tie keeps the thesaurus order.
        let tie = try Thesaurus.pairs(path: path, vocabulary: [h, stem("fruit"), stem("juriste")], senses: 1)
        XCTAssertEqual(tie.filter { $0.0 == h }.map(\.1), [stem("fruit")])
    }

    func testChosenKeepsEveryMeaningWhenNothingTellsThemApart() {
        let a = Thesaurus.Meaning(stems: ["x"], overlap: 0), b = Thesaurus.Meaning(stems: ["y"], overlap: 0)
        XCTAssertEqual(Thesaurus.chosen([a, b], senses: 1).map(\.stems), [["x"], ["y"]])
        let c = Thesaurus.Meaning(stems: ["z"], overlap: 2)
        XCTAssertEqual(Thesaurus.chosen([a, c, b], senses: 1).map(\.stems), [["z"]])
    }

    /// The thesaurus read once is kept in the cache folder and read back by the next run: the same pairs as
    /// reading the file, for every vocabulary and number of senses; a changed thesaurus gets a reading of its
    /// own, and a damaged cache file is read again from the thesaurus.
    func testTheCompiledThesaurusIsCachedAndGivesTheSamePairs() throws {
        let lexicon = try XCTUnwrap(FrenchLexicon.shared, "the French dictionary is missing: run scripts/setup.sh")
        let path = try write("""
            UTF-8
            avocat|2
            (Nom)|fruit|poire|plaideur
            (Nom)|défenseur|plaideur|juriste|homme de loi
            diriger|1
            (Verbe)|conduire|directeur|gérer|chef
            homme de loi|1
            (Nom)|avocat
            chef|1
            (Nom)|directeur|patron|chef
            défenseur|1
            (Nom)|avocat|protecteur

            """)
        let cache = (path as NSString).deletingLastPathComponent + "/cache"
        try? FileManager.default.removeItem(atPath: cache)
        let words = ["avocat", "fruit", "défenseur", "juriste", "diriger", "conduire", "chef", "patron", "protecteur"]
        let vocabularies: [Set<String>] = [Set(words.map(stem)), Set(words.prefix(4).map(stem)), [stem("patron")], []]
        func key(_ pairs: [(String, String)]) -> [String] { pairs.map { $0.0 + ">" + $0.1 } }
        for senses in [0, 1, 2] {
            for vocabulary in vocabularies {
                for lex in [lexicon, nil] {
                    let plain = try Thesaurus.pairs(path: path, vocabulary: vocabulary, senses: senses, lexicon: lex)
                    let first = try Thesaurus.pairs(path: path, vocabulary: vocabulary, senses: senses, lexicon: lex, cacheFolder: cache)
                    let again = try Thesaurus.pairs(path: path, vocabulary: vocabulary, senses: senses, lexicon: lex, cacheFolder: cache)
                    XCTAssertEqual(key(first), key(plain))
                    XCTAssertEqual(key(again), key(plain))
                }
            }
        }
        XCTAssertFalse(key(try Thesaurus.pairs(path: path, vocabulary: vocabularies[0], lexicon: lexicon, cacheFolder: cache)).isEmpty)
        // One file with the lexicon, one without.
        let files = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasPrefix("thesaurus-") }
        XCTAssertEqual(files.count, 2)
        let compiled = try Thesaurus.Compiled.load(path: path, lexicon: lexicon, analyzer: FrenchAnalyzer(), cacheFolder: cache)
        XCTAssertEqual(compiled, Thesaurus.Compiled.compile(Array(try Data(contentsOf: URL(fileURLWithPath: path))),
                                                           lexicon: lexicon, analyzer: FrenchAnalyzer()))
        XCTAssertGreaterThan(compiled.heads.count, 3)
        // Damaged: cut short, they are not read (and are written anew).
        var written: [String: Data] = [:]
        for name in files {
            let url = URL(fileURLWithPath: cache + "/" + name)
            written[name] = try Data(contentsOf: url)
            try written[name]!.dropLast(3).write(to: url)
        }
        XCTAssertEqual(try Thesaurus.Compiled.load(path: path, lexicon: lexicon, analyzer: FrenchAnalyzer(), cacheFolder: cache), compiled)
        _ = try Thesaurus.Compiled.load(path: path, lexicon: nil, analyzer: FrenchAnalyzer(), cacheFolder: cache)
        for name in files { XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: cache + "/" + name)), written[name]) }
        // Another thesaurus: a file of its own.
        try (try String(contentsOfFile: path, encoding: .utf8) + "patron|1\n(Nom)|chef\n").write(toFile: path, atomically: true, encoding: .utf8)
        let changed = try Thesaurus.pairs(path: path, vocabulary: vocabularies[0], lexicon: lexicon, cacheFolder: cache)
        XCTAssertTrue(changed.contains { $0 == (stem("patron"), stem("chef")) })
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasPrefix("thesaurus-") }.count, 3)
        // At most `kept` of them: the oldest go.
        for n in 0..<Thesaurus.Compiled.kept + 2 {
            try (try String(contentsOfFile: path, encoding: .utf8) + "mot\(n)|1\n(Nom)|chef\n").write(toFile: path, atomically: true, encoding: .utf8)
            _ = try Thesaurus.pairs(path: path, vocabulary: vocabularies[0], lexicon: lexicon, cacheFolder: cache)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasPrefix("thesaurus-") }.count,
                       Thesaurus.Compiled.kept)
        XCTAssertEqual(key(try Thesaurus.pairs(path: path, vocabulary: vocabularies[0], lexicon: lexicon, cacheFolder: cache)),
                       key(try Thesaurus.pairs(path: path, vocabulary: vocabularies[0], lexicon: lexicon)))
    }

    /// One line mixing the verb's and the nouns' synonyms: with the lexicon, a verb keeps verbs.
    func testSynonymsShareTheHeadsWordClass() throws {
        let lexicon = try XCTUnwrap(FrenchLexicon.shared, "the French dictionary is missing: run scripts/setup.sh")
        let path = try write("UTF-8\ndiriger|1\n(Verbe)|conduire|directeur|gérer|chef\n")
        let words = ["diriger", "conduire", "directeur", "gérer", "chef"]
        let vocabulary = Set(words.map(stem))
        let h = stem("diriger")
        let byClass = try Thesaurus.pairs(path: path, vocabulary: vocabulary, lexicon: lexicon).filter { $0.0 == h }.map(\.1)
        XCTAssertEqual(byClass, [stem("conduire"), stem("gérer")])
        let plain = try Thesaurus.pairs(path: path, vocabulary: vocabulary).filter { $0.0 == h }.map(\.1)
        XCTAssertEqual(plain, ["conduire", "directeur", "gérer", "chef"].map(stem))
    }
}
