import Foundation
import XCTest
@testable import KZQA

final class EnglishStemmerTests: XCTestCase {
    /// Every pair of the reference fixture (Snowball English from snowballstemmer 3.1.1) must agree.
    func testAgreesWithSnowballReferenceFixture() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/english-stems.tsv")
        let text = try String(contentsOf: url, encoding: .utf8)
        let stemmer = EnglishStemmer()
        var total = 0, mismatches: [String] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 2 else { XCTFail("Malformed fixture line: \(line)"); continue }
            total += 1
            let got = stemmer.stem(String(f[0]))
            if got != String(f[1]) { mismatches.append("\(f[0]): expected \(f[1]), got \(got)") }
        }
        XCTAssertGreaterThan(total, 8_000, "fixture looks truncated")
        XCTAssertEqual(mismatches.count, 0, mismatches.prefix(20).joined(separator: "\n"))
    }

    func testAlgorithmExceptionsAndShortWords() {
        let s = EnglishStemmer()
        XCTAssertEqual(s.stem("dying"), "die")
        XCTAssertEqual(s.stem("skies"), "sky")
        XCTAssertEqual(s.stem("succeeded"), "succeed")
        XCTAssertEqual(s.stem("is"), "is")
        XCTAssertEqual(s.stem("généralement"), "généralement", "non-ASCII words are left alone")
    }
}

final class EnglishAnalyzerTests: XCTestCase {
    func testPossessiveStrippedWithOffsetsOfTheSurface() {
        let text = "Who is Kazakhstan’s minister?"
        let tokens = EnglishAnalyzer().analyze(text)
        let k = tokens.first { $0.surface == "Kazakhstan" }
        XCTAssertNotNil(k)
        if let k {
            XCTAssertEqual(String(decoding: Array(text.utf8)[k.start..<k.end], as: UTF8.self), "Kazakhstan")
            XCTAssertEqual(k.term, "kazakhstan")
        }
        XCTAssertEqual(EnglishAnalyzer().terms(text), ["kazakhstan", "minist"])
        XCTAssertTrue(tokens.first { $0.surface == "Who" }?.isStopword ?? false)
    }

    func testAcronymsKeepTheirTermAndNumbersPass() {
        XCTAssertEqual(EnglishAnalyzer().terms("AI students in 2025"), ["ai", "student", "2025"])
    }
}

final class LanguageDetectorTests: XCTestCase {
    let detector = LanguageDetector()

    func testShortAndMixedFrenchQuestionsStayFrench() {
        for q in ["Qui est Kai-Fu Lee ?", "Digital Bridge Awards ?", "Combien ?", "C’est quoi Astana Hub ?",
                  "Que dit le rapport State of the Art ?", "Où se tient le Digital Bridge ?", "Alem.ai ?", "AI Act ?",
                  "Quand l’Astana International Forum a-t-il lieu ?"] {
            XCTAssertEqual(detector.detect(q), .fr, q)
        }
    }

    func testEnglishQuestionsShortOrFullOfNames() {
        for q in ["Who won?", "Where is Astana?", "How much?", "Who is Kai-Fu Lee?", "What is Alem.ai?",
                  "Which ministry did Tokayev create in 2024?", "When does the Digital Bridge forum take place?"] {
            XCTAssertEqual(detector.detect(q), .en, q)
        }
    }

    /// An undecided question (one English function word) asks the lexicon; a decided one never does.
    func testLexiconDecidesOnlyWhatFunctionWordsLeaveOpen() {
        let english: Set<String> = ["rank", "development", "decree"], french: Set<String> = ["décret", "rang"]
        let lexicon: (String) -> Language? = { english.contains($0) ? .en : french.contains($0) ? .fr : nil }
        XCTAssertEqual(detector.detect("kazakhstan rank for development"), .fr)
        XCTAssertEqual(detector.detect("kazakhstan rank for development", lexicon: lexicon), .en)
        XCTAssertEqual(detector.detect("Tokayev's decree?", lexicon: lexicon), .en)
        var asked = false
        XCTAssertEqual(detector.detect("Quel rang pour le décret ?", lexicon: { _ in asked = true; return .en }), .fr)
        XCTAssertFalse(asked)
        XCTAssertEqual(detector.detect("Digital Bridge Awards ?", lexicon: { _ in .en }), .fr, "no English evidence: not undecided")
    }

    func testEvidenceSaysWhatCounted() {
        let e = detector.evidence("Who is it?")
        XCTAssertEqual(e.english, 4, "who opening (2) + is + it")
        XCTAssertEqual(e.french, 0)
        XCTAssertTrue(e.notes.contains("en Who"))
    }
}

final class DictdTests: XCTestCase {
    func testBase64Numbers() {
        XCTAssertEqual(DictdDictionary.base64Number("A"), 0)
        XCTAssertEqual(DictdDictionary.base64Number("B"), 1)
        XCTAssertEqual(DictdDictionary.base64Number("BA"), 64)
        XCTAssertEqual(DictdDictionary.base64Number("LNK"), 11 * 4096 + 13 * 64 + 10)
        XCTAssertEqual(DictdDictionary.base64Number("/"), 63)
        XCTAssertNil(DictdDictionary.base64Number("a-b"))
        XCTAssertNil(DictdDictionary.base64Number(""))
    }

    /// A hand-made dictd pair: a gzip body and an index with base64 offsets, several senses, a multi-word headword.
    func testReadsHandMadeGzipDictionary() throws {
        let entries = [
            "lead /liːd/\n1. guider, régler\n2. conduire, diriger (une équipe, un pays)\n3. plomb\n",
            "prime minister /praimministər/\nPremier ministre\n",
            "ministry /ministriː/\nministère\n",
        ]
        var body = Data("00-database-info\nA hand-made test dictionary\n".utf8)
        var index = "00databaseinfo\tA\t\(DictdTests.base64(body.count))\n"
        for (e, head) in zip(entries, ["lead", "prime minister", "ministry"]) {
            index += "\(head)\t\(DictdTests.base64(body.count))\t\(DictdTests.base64(e.utf8.count))\n"
            body.append(Data(e.utf8))
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kzqa-dictd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = dir.appendingPathComponent("test-eng-fra").path
        try index.write(toFile: base + ".index", atomically: true, encoding: .utf8)
        try body.write(to: URL(fileURLWithPath: base + ".dict"))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-S", ".dz", base + ".dict"]
        try gzip.run()
        gzip.waitUntilExit()
        XCTAssertEqual(gzip.terminationStatus, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: base + ".dict.dz"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: base + ".dict"), "the test must read the gzip body")

        let dict = try DictdDictionary(base: base)
        XCTAssertEqual(dict.entries.map(\.headword), ["lead", "prime minister", "ministry"])
        XCTAssertEqual(dict.entries[0].senses, [["guider", "régler"], ["conduire", "diriger (une équipe, un pays)"], ["plomb"]])
        XCTAssertEqual(dict.entries[1].translations, ["Premier ministre"])
    }

    /// The Ding layout keeps the first line only; the Wiktionary layout keeps the first line and the numbered
    /// ones, not the definitions in the source language between them, and drops a next sense's number.
    func testFirstLineAndGlossedLayouts() {
        let ding = "council /ˈkaʊnsəl/\nRat <masc>, Ratsversammlung <fem> [pol.]\n\"council of war\" - Kriegsrat\nsee: {councils}\n"
        XCTAssertEqual(DictdDictionary.senses(of: ding, layout: .firstLine), [["Rat <masc>", "Ratsversammlung <fem> [pol.]"]])
        let wiktionary = "Rat /ʁaːt/ <n, masc>\n1. conseil, avis\nEmpfehlung, sich in einer bestimmten Weise zu verhalten\n2. conseil\nberatendes Gremium\n"
        XCTAssertEqual(DictdDictionary.senses(of: wiktionary, layout: .glossed), [["conseil", "avis"], ["conseil"]])
        let unnumbered = "Souveränität /zuvəʁɛniˈtɛːt/ <n, fem>\nsouveraineté 2.\nselbstsichere Haltung einer Person\n 3.\nvon anderen Staaten unabhängige Selbstständigkeit\n"
        XCTAssertEqual(DictdDictionary.senses(of: unnumbered, layout: .glossed), [["souveraineté"]])
        XCTAssertEqual(DictdDictionary.senses(of: wiktionary).count, 4, "the default layout reads every line")
    }

    /// English words the direct dictionaries lack go through German: each German word's French translations in
    /// turn, labels dropped; a word the direct table has is left to it; the table is found by stem key.
    func testPivotThroughGermanAndItsTable() throws {
        let englishGerman = [
            DictdDictionary.Entry(headword: "Sovereignty", senses: [["Hoheit <fem>", "Souveränität <fem> [pol.]"]]),
            DictdDictionary.Entry(headword: "council", senses: [["Rat <masc>"]]),
            DictdDictionary.Entry(headword: "minister", senses: [["Minister <masc>"]]),
            DictdDictionary.Entry(headword: "gadget", senses: [["Dingsbums <neut>"]]),
        ]
        let germanFrench = [
            DictdDictionary.Entry(headword: "Hoheit", senses: [["altesse"], ["souveraineté"]]),
            DictdDictionary.Entry(headword: "Souveränität", senses: [["souveraineté"]]),
            DictdDictionary.Entry(headword: "Rat", senses: [["conseil", "avis"], ["conseil"]]),
            DictdDictionary.Entry(headword: "Minister", senses: [["ministre (fédéral)"]]),
        ]
        let pivoted = TranslationDictionary.pivotTranslations(direct: ["minister": ["ministre"]], englishGerman: englishGerman,
                                                              germanFrench: germanFrench)
        XCTAssertEqual(pivoted, ["sovereignty": ["altesse", "souveraineté"], "council": ["conseil", "avis"]])
        let table = try XCTUnwrap(PivotTable(data: PivotTable.text(pivoted, stamp: "# test"), stamp: "# test"))
        XCTAssertNil(PivotTable(data: PivotTable.text(pivoted, stamp: "# test"), stamp: "# other"))
        let stem = EnglishAnalyzer(filters: [EnglishStemFilter()]).analyze("councils").map(\.term)
        XCTAssertEqual(table.entries(key: TranslationDictionary.key(stem)).map(\.headword), ["council"])
        XCTAssertEqual(table.entries(key: "zzz").count, 0)
        let dictionary = TranslationDictionary(translations: ["minister": ["ministre"]], pivot: table)
        XCTAssertEqual(dictionary.lookup(surface: "councils", stems: stem).first?.translations, ["conseil", "avis"])
        XCTAssertEqual(dictionary.lookup(surface: "minister", stems: ["minist"]).first?.translations, ["ministre"])
        XCTAssertNil(dictionary.language(of: "council"), "pivot headwords do not tell the languages apart")
    }

    func testMissingDictionaryIsAnActionableError() {
        XCTAssertThrowsError(try DictdDictionary(base: "/nonexistent/freedict")) { error in
            XCTAssertTrue(((error as? KZQAError)?.description ?? "").contains("dict-freedict-eng-fra"))
        }
    }

    static func base64(_ n: Int) -> String {
        let digits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var n = n, out = ""
        repeat { out = String(digits[n % 64]) + out; n /= 64 } while n > 0
        return out
    }
}
