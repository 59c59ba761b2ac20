import Foundation
import XCTest
@testable import KZQA

/// The French analysis steps one by one — tokenizer, elision, folding, stop words, stemming — and the whole
/// pipeline, on hand-written French, asserting exact tokens and UTF-8 byte offsets.
final class AnalysisTests: XCTestCase {
    typealias Expected = AnalysisTestSupport.ExpectedToken

    private func tok(_ surface: String, _ term: String, _ kind: Token.Kind, _ start: Int, _ end: Int,
                     stop: Bool = false) -> Expected {
        Expected(surface, term, kind, start, end, stop: stop)
    }

    private func assertTokens(_ tokens: [Token], _ expected: [Expected], in text: String,
                              file: StaticString = #filePath, line: UInt = #line) {
        AnalysisTestSupport.assertTokens(tokens, expected, in: text, file: file, line: line)
    }

    private let tokenizer = Tokenizer()

    // MARK: - Tokenizer

    func testWordListsSplitOnWhiteSpace() {
        XCTAssertEqual(Folding.words(" a  bé\nc\td "), ["a", "bé", "c", "d"])
        XCTAssertEqual(Folding.words(""), [])
        XCTAssertEqual(FrenchStopwords.fold("même  à\nété"), ["meme", "a", "ete"])
    }

    func testTokenizerClassTableIsTheUnicodeProperties() {
        XCTAssertEqual(Tokenizer.classes.count, 0x250 + 0x70)
        XCTAssertEqual(Tokenizer.classes, Tokenizer.computedClasses())
    }

    func testTokenizerKeepsApostrophesInsideWords() {
        let text = "L’intelligence d'abord, jusqu’à l’IA aujourd’hui."
        assertTokens(tokenizer.tokenize(text), [
            tok("L’intelligence", "l'intelligence", .word, 0, 16),
            tok("d'abord", "d'abord", .word, 17, 24),
            tok("jusqu’à", "jusqu'à", .word, 26, 36),
            tok("l’IA", "l'ia", .word, 37, 43),
            tok("aujourd’hui", "aujourd'hui", .word, 44, 57),
        ], in: text)
    }

    func testTokenizerHyphenatedWordsGivePartsAndCompound() {
        let text = "De l’e-Gov à l’IA-Gov, le vice-Premier ministre et Alatau City."
        assertTokens(tokenizer.tokenize(text), [
            tok("De", "de", .word, 0, 2),
            tok("l’e", "l'e", .word, 3, 8),
            tok("Gov", "gov", .word, 9, 12),
            tok("l’e-Gov", "l'egov", .compound, 3, 12),
            tok("à", "à", .word, 13, 15),
            tok("l’IA", "l'ia", .word, 16, 22),
            tok("Gov", "gov", .word, 23, 26),
            tok("l’IA-Gov", "l'iagov", .compound, 16, 26),
            tok("le", "le", .word, 28, 30),
            tok("vice", "vice", .word, 31, 35),
            tok("Premier", "premier", .word, 36, 43),
            tok("vice-Premier", "vicepremier", .compound, 31, 43),
            tok("ministre", "ministre", .word, 44, 52),
            tok("et", "et", .word, 53, 55),
            tok("Alatau", "alatau", .word, 56, 62),
            tok("City", "city", .word, 63, 67),
        ], in: text)
    }

    func testTokenizerDoesNotJoinVerbAndCliticPronoun() {
        // `a-t-il`, `elle-même`, `peut-on` are not compounds; `Kassym-Jomart`, `au-delà` are.
        let text = "A-t-il vu Kassym-Jomart elle-même ? Peut-on aller au-delà ?"
        assertTokens(tokenizer.tokenize(text), [
            tok("A", "a", .word, 0, 1),
            tok("t", "t", .word, 2, 3),
            tok("il", "il", .word, 4, 6),
            tok("vu", "vu", .word, 7, 9),
            tok("Kassym", "kassym", .word, 10, 16),
            tok("Jomart", "jomart", .word, 17, 23),
            tok("Kassym-Jomart", "kassymjomart", .compound, 10, 23),
            tok("elle", "elle", .word, 24, 28),
            tok("même", "même", .word, 29, 34),
            tok("Peut", "peut", .word, 37, 41),
            tok("on", "on", .word, 42, 44),
            tok("aller", "aller", .word, 45, 50),
            tok("au", "au", .word, 51, 53),
            tok("delà", "delà", .word, 54, 59),
            tok("au-delà", "audelà", .compound, 51, 59),
        ], in: text)
    }

    func testTokenizerAcronyms() {
        // Two to six capitals are an acronym; dotted acronyms are one token, with or without the last period.
        let text = "L’ONU, l’IA et l’O.N.U. ou O.N.U avec AI-Sana, COVID-19 et CEGREG."
        assertTokens(tokenizer.tokenize(text), [
            tok("L’ONU", "l'onu", .word, 0, 7),
            tok("l’IA", "l'ia", .word, 9, 15),
            tok("et", "et", .word, 16, 18),
            tok("l’O.N.U.", "l'onu", .acronym, 19, 29),
            tok("ou", "ou", .word, 30, 32),
            tok("O.N.U", "onu", .acronym, 33, 38),
            tok("avec", "avec", .word, 39, 43),
            tok("AI", "ai", .acronym, 44, 46),
            tok("Sana", "sana", .word, 47, 51),
            tok("AI-Sana", "aisana", .compound, 44, 51),
            tok("COVID", "covid", .acronym, 53, 58),
            tok("19", "19", .number, 59, 61),
            tok("et", "et", .word, 62, 64),
            tok("CEGREG", "cegreg", .acronym, 65, 71),
        ], in: text)
    }

    func testTokenizerSingleCapitalsMixedCaseAndLongCapitalWordsAreWords() {
        let text = "BIBLIOGRAPHY À Astana, IQanat et GovTech"
        assertTokens(tokenizer.tokenize(text), [
            tok("BIBLIOGRAPHY", "bibliography", .word, 0, 12),
            tok("À", "à", .word, 13, 15),
            tok("Astana", "astana", .word, 16, 22),
            tok("IQanat", "iqanat", .word, 24, 30),
            tok("et", "et", .word, 31, 33),
            tok("GovTech", "govtech", .word, 34, 41),
        ], in: text)
    }

    func testTokenizerFrenchNumbers() {
        // Thousands separated by a space, U+00A0 or U+202F; decimal comma or point; percent with or without a space.
        let text = "67 000 élèves, 67\u{00A0}000 et 67\u{202F}000 ; 1,2 billion, 2,2 et 1.5 ; 1 234,5 ; "
            + "92 % et 85% ; 30\u{202F}% ; en 2025 100 pays ; 147-154."
        assertTokens(tokenizer.tokenize(text), [
            tok("67 000", "67000", .number, 0, 6),
            tok("élèves", "élèves", .word, 7, 15),
            tok("67\u{00A0}000", "67000", .number, 17, 24),
            tok("et", "et", .word, 25, 27),
            tok("67\u{202F}000", "67000", .number, 28, 36),
            tok("1,2", "1_2", .number, 39, 42),
            tok("billion", "billion", .word, 43, 50),
            tok("2,2", "2_2", .number, 52, 55),
            tok("et", "et", .word, 56, 58),
            tok("1.5", "1_5", .number, 59, 62),
            tok("1 234,5", "1234_5", .number, 65, 72),
            tok("92", "92", .number, 75, 77),
            tok("%", "pourcent", .symbol, 78, 79),
            tok("et", "et", .word, 80, 82),
            tok("85", "85", .number, 83, 85),
            tok("%", "pourcent", .symbol, 85, 86),
            tok("30", "30", .number, 89, 91),
            tok("%", "pourcent", .symbol, 94, 95),
            tok("en", "en", .word, 98, 100),
            // A four-digit year is not a thousands group: `2025 100` stays two numbers.
            tok("2025", "2025", .number, 101, 105),
            tok("100", "100", .number, 106, 109),
            tok("pays", "pays", .word, 110, 114),
            // A range is two numbers, never a compound.
            tok("147", "147", .number, 117, 120),
            tok("154", "154", .number, 121, 124),
        ], in: text)
    }

    func testTokenizerLargeNumbersAndListsOfNumbers() {
        let text = "1 000 000 de tengués, 18 000 entreprises, 1,2,3 et 2025, 7 octobre"
        assertTokens(tokenizer.tokenize(text), [
            tok("1 000 000", "1000000", .number, 0, 9),
            tok("de", "de", .word, 10, 12),
            tok("tengués", "tengués", .word, 13, 21),
            tok("18 000", "18000", .number, 23, 29),
            tok("entreprises", "entreprises", .word, 30, 41),
            tok("1,2", "1_2", .number, 43, 46),
            tok("3", "3", .number, 47, 48),
            tok("et", "et", .word, 49, 51),
            tok("2025", "2025", .number, 52, 56),
            tok("7", "7", .number, 58, 59),
            tok("octobre", "octobre", .word, 60, 67),
        ], in: text)
    }

    func testTokenizerOrdinals() {
        let text = "le 1er octobre, la 1re, la 1ère, la 80ᵉ session, 24ᵉ et 10ᵉ, le 3ème, 1ᵉʳ"
        assertTokens(tokenizer.tokenize(text), [
            tok("le", "le", .word, 0, 2),
            tok("1er", "1er", .number, 3, 6),
            tok("octobre", "octobre", .word, 7, 14),
            tok("la", "la", .word, 16, 18),
            tok("1re", "1er", .number, 19, 22),
            tok("la", "la", .word, 24, 26),
            tok("1ère", "1er", .number, 27, 32),
            tok("la", "la", .word, 34, 36),
            tok("80ᵉ", "80e", .number, 37, 42),
            tok("session", "session", .word, 43, 50),
            tok("24ᵉ", "24e", .number, 52, 57),
            tok("et", "et", .word, 58, 60),
            tok("10ᵉ", "10e", .number, 61, 66),
            tok("le", "le", .word, 68, 70),
            tok("3ème", "3e", .number, 71, 76),
            tok("1ᵉʳ", "1er", .number, 78, 84),
        ], in: text)
    }

    func testTokenizerCurrencySymbolsOnlyAfterNumbers() {
        let text = "100 € et 5 $ mais pas % seul"
        assertTokens(tokenizer.tokenize(text), [
            tok("100", "100", .number, 0, 3),
            tok("€", "euro", .symbol, 4, 7),
            tok("et", "et", .word, 8, 10),
            tok("5", "5", .number, 11, 12),
            tok("$", "dollar", .symbol, 13, 14),
            tok("mais", "mais", .word, 15, 19),
            tok("pas", "pas", .word, 20, 23),
            tok("seul", "seul", .word, 26, 30),
        ], in: text)
    }

    func testTokenizerPositions() {
        // Parts count one position each; a compound shares its first part's; a symbol follows its number.
        let text = "Le vice-Premier : 92 %."
        let tokens = tokenizer.tokenize(text)
        XCTAssertEqual(tokens.map(\.surface), ["Le", "vice", "Premier", "vice-Premier", "92", "%"])
        XCTAssertEqual(tokens.map(\.position), [0, 1, 2, 1, 3, 4])
        XCTAssertEqual(tokens.map(\.isStopword), [false, false, false, false, false, false])
    }

    func testTokenizerDecomposedAccentsStayInTheWord() {
        // "élève" written with combining accents (e + U+0301 …): one token, term composed by NFKC.
        let text = "une e\u{0301}le\u{0300}ve"
        assertTokens(tokenizer.tokenize(text), [
            tok("une", "une", .word, 0, 3),
            tok("e\u{0301}le\u{0300}ve", "élève", .word, 4, 13),
        ], in: text)
    }

    func testTokenizerEmptyAndPunctuationOnly() {
        XCTAssertEqual(tokenizer.tokenize("").count, 0)
        XCTAssertEqual(tokenizer.tokenize(" \n\t\u{00A0}").count, 0)
        XCTAssertEqual(tokenizer.tokenize("« … » — ! ? % , ; : ’ '").count, 0)
    }

    func testTokenizerOffsetsOnMixedScriptsAndEmoji() {
        let text = "Барлыбаева, С. 🇰🇿 café ﬁn 東京 l’État"
        let tokens = tokenizer.tokenize(text)
        AnalysisTestSupport.assertOffsetsReproduceSurfaces(tokens, in: text)
        XCTAssertEqual(tokens.map(\.surface), ["Барлыбаева", "С", "café", "ﬁn", "東京", "l’État"])
        XCTAssertEqual(tokens.map(\.term), ["барлыбаева", "с", "café", "fin", "東京", "l'état"])
    }

    func testTokenizerOffsetsReproduceSurfacesOnSeeds() throws {
        for url in try AnalysisTestSupport.seedURLs() {
            let text = try String(contentsOf: url, encoding: .utf8)
            let tokens = tokenizer.tokenize(text)
            XCTAssertGreaterThan(tokens.count, 500, url.lastPathComponent)
            AnalysisTestSupport.assertOffsetsReproduceSurfaces(tokens, in: text)
            let analyzed = FrenchAnalyzer().analyze(text)
            AnalysisTestSupport.assertOffsetsReproduceSurfaces(analyzed, in: text)
            // Tokens come in text order (a compound right after its last part, starting where its first did).
            for (a, b) in zip(tokens, tokens.dropFirst()) where b.kind != .compound {
                XCTAssertLessThanOrEqual(a.end, b.start, "\(a.surface) / \(b.surface) in \(url.lastPathComponent)")
            }
        }
    }

    func testTokenizerOnSeedPhrases() throws {
        let seed = try AnalysisTestSupport.seed("003_")
        let tokens = tokenizer.tokenize(seed.text)
        func find(_ surface: String) -> Token? { tokens.first { $0.surface == surface } }
        XCTAssertEqual(find("24ᵉ")?.term, "24e")
        XCTAssertEqual(find("24ᵉ")?.kind, .number)
        XCTAssertEqual(find("67 000")?.term, "67000")
        XCTAssertEqual(find("1 700")?.term, "1700")
        XCTAssertEqual(find("1,2")?.term, "1_2")
        XCTAssertEqual(find("259,6")?.term, "259_6")
        XCTAssertEqual(find("vice-Premier")?.kind, .compound)
        XCTAssertEqual(find("AI-Sana")?.term, "aisana")
        XCTAssertEqual(find("Alatau")?.kind, .word)
        XCTAssertEqual(find("City")?.kind, .word)
        // "92 %": a number then the percent symbol.
        guard let n = tokens.firstIndex(where: { $0.surface == "92" }) else { return XCTFail("no 92") }
        XCTAssertEqual(tokens[n + 1].term, "pourcent")
        XCTAssertEqual(tokens[n + 1].start, tokens[n].end + 1)

        let seed0 = try AnalysisTestSupport.seed("000_")
        let tokens0 = tokenizer.tokenize(seed0.text)
        guard let m = tokens0.firstIndex(where: { $0.surface == "92" }) else { return XCTFail("no 92%") }
        XCTAssertEqual(tokens0[m + 1].surface, "%")
        XCTAssertEqual(tokens0[m + 1].start, tokens0[m].end)
        XCTAssertTrue(tokens0.contains { $0.surface == "l’e-Gov" && $0.kind == .compound })
        XCTAssertTrue(tokens0.contains { $0.surface == "l’IA-Gov" && $0.kind == .compound })
    }

    /// Offsets stay exact on many generated texts mixing the tricky pieces (apostrophes, hyphens, dotted capitals,
    /// French number spacing, combining marks, emoji, quotes); the sentence splitter's ranges stay trimmed and
    /// ordered and lose nothing but white space.
    func testInvariantsOnGeneratedText() {
        let pieces = ["a", "é", "L", "É", "l", "qu", "IA", "ONU", "O.N.U", "’", "'", "-", "-", ".", ".", " ", " ", " ",
                      "\u{00A0}", "\u{202F}", "1", "0", "000", "24ᵉ", "1er", ",", "%", "«", "»", "?", "!", "…", "(", ")",
                      "[", "]", "\"", "M", "Dr", "etc", "œ", "e\u{0301}", "🇰🇿", "С", "\n", "\r\n", "\u{FEFF}"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let analyzer = FrenchAnalyzer()
        let splitter = SentenceSplitter()
        for _ in 0..<2000 {
            let text = (0..<next(40)).map { _ in pieces[next(pieces.count)] }.joined()
            AnalysisTestSupport.assertOffsetsReproduceSurfaces(tokenizer.tokenize(text), in: text)
            AnalysisTestSupport.assertOffsetsReproduceSurfaces(analyzer.analyze(text), in: text)
            let bytes = Array(text.utf8)
            var covered = 0
            var rest = ""
            for r in splitter.split(text) {
                XCTAssertLessThanOrEqual(covered, r.lowerBound, text.debugDescription)
                XCTAssertLessThan(r.lowerBound, r.upperBound, text.debugDescription)
                guard covered <= r.lowerBound, r.upperBound <= bytes.count else { break }
                let sentence = String(decoding: bytes[r], as: UTF8.self)
                XCTAssertEqual(sentence.first?.isWhitespace, false, text.debugDescription)
                XCTAssertEqual(sentence.last?.isWhitespace, false, text.debugDescription)
                rest += String(decoding: bytes[covered..<r.lowerBound], as: UTF8.self)
                covered = r.upperBound
            }
            rest += String(decoding: bytes[min(covered, bytes.count)...], as: UTF8.self)
            XCTAssertTrue(rest.unicodeScalars.allSatisfy(\.properties.isWhitespace),
                          "text outside sentences in \(text.debugDescription): \(rest.debugDescription)")
        }
    }

    // MARK: - Elision

    func testElisionStripsArticlesAndMovesOffsets() {
        let text = "L’intelligence d'abord, jusqu’à l’IA aujourd’hui."
        assertTokens(ElisionFilter().apply(tokenizer.tokenize(text)), [
            tok("intelligence", "intelligence", .word, 4, 16),
            tok("abord", "abord", .word, 19, 24),
            tok("à", "à", .word, 34, 36),
            tok("IA", "ia", .acronym, 41, 43),
            tok("aujourd’hui", "aujourd'hui", .word, 44, 57),
        ], in: text)
    }

    func testElisionOfEveryFormWithBothApostrophes() {
        let forms = ["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"]
        XCTAssertEqual(ElisionFilter.articles, Set(forms))
        for form in forms {
            for apostrophe in ["’", "'"] {
                for prefix in [form, form.prefix(1).uppercased() + form.dropFirst()] {
                    let text = "« \(prefix)\(apostrophe)avion »"
                    let start = 3 + prefix.utf8.count + apostrophe.utf8.count
                    assertTokens(ElisionFilter().apply(tokenizer.tokenize(text)),
                                 [tok("avion", "avion", .word, start, start + 5)], in: text)
                }
            }
        }
    }

    func testElisionLeavesOtherApostrophesAlone() {
        let text = "Kazakhstan’s presqu’île, aujourd'hui, l’ et t"
        assertTokens(ElisionFilter().apply(tokenizer.tokenize(text)), [
            tok("Kazakhstan’s", "kazakhstan's", .word, 0, 14),
            tok("presqu’île", "presqu'île", .word, 15, 28),
            tok("aujourd'hui", "aujourd'hui", .word, 30, 41),
            tok("l", "l", .word, 43, 44),
            tok("et", "et", .word, 48, 50),
            tok("t", "t", .word, 51, 52),
        ], in: text)
    }

    func testElisionInsideCompoundsAndBeforeAcronyms() {
        let text = "De l’e-Gov à l’IA-Gov, jusqu’aujourd’hui, l’ONU et L’O.N.U."
        assertTokens(ElisionFilter().apply(tokenizer.tokenize(text)), [
            tok("De", "de", .word, 0, 2),
            tok("e", "e", .word, 7, 8),
            tok("Gov", "gov", .word, 9, 12),
            tok("e-Gov", "egov", .compound, 7, 12),
            tok("à", "à", .word, 13, 15),
            tok("IA", "ia", .acronym, 20, 22),
            tok("Gov", "gov", .word, 23, 26),
            tok("IA-Gov", "iagov", .compound, 20, 26),
            tok("aujourd’hui", "aujourd'hui", .word, 36, 49),
            tok("ONU", "onu", .acronym, 55, 58),
            tok("et", "et", .word, 59, 61),
            tok("O.N.U.", "onu", .acronym, 66, 72),
        ], in: text)
    }

    func testElisionKeepsNumbersAndSymbols() {
        let text = "d’1,2 % et l’an 2025"
        assertTokens(ElisionFilter().apply(tokenizer.tokenize(text)), [
            tok("d", "d", .word, 0, 1),
            tok("1,2", "1_2", .number, 4, 7),
            tok("%", "pourcent", .symbol, 8, 9),
            tok("et", "et", .word, 10, 12),
            tok("an", "an", .word, 17, 19),
            tok("2025", "2025", .number, 20, 24),
        ], in: text)
    }

    // MARK: - Folding

    func testFoldingLowercaseKeepsAccentsAndMapsCompatibilityForms() {
        XCTAssertEqual(Folding.lowercase("Ministère"), "ministère")
        XCTAssertEqual(Folding.lowercase("CŒUR"), "coeur")
        XCTAssertEqual(Folding.lowercase("cœur"), "coeur")
        XCTAssertEqual(Folding.lowercase("Æther"), "aether")
        XCTAssertEqual(Folding.lowercase("Straße"), "strasse")
        XCTAssertEqual(Folding.lowercase("24ᵉ"), "24e")
        XCTAssertEqual(Folding.lowercase("1ᵉʳ"), "1er")
        XCTAssertEqual(Folding.lowercase("ﬁn"), "fin")
        XCTAssertEqual(Folding.lowercase("Ｉｎｔｅｒｎｅｔ"), "internet")
        XCTAssertEqual(Folding.lowercase("L’IA l‘IA lʼIA l'IA"), "l'ia l'ia l'ia l'ia")
        // Decomposed input comes out composed.
        XCTAssertEqual(Folding.lowercase("E\u{0301}tat"), "état")
    }

    /// The byte-by-byte path for Latin-1 and French apostrophes gives what the scalar-by-scalar path gives: on
    /// every scalar below U+0300 and of General Punctuation, alone and inside a word, and on French words; it
    /// takes every Latin-1 letter but × and ÷.
    func testLatin1LowercaseEqualsTheScalarPath() {
        var texts = ["Ministère", "CŒUR", "cœur", "Æther", "Straße", "L’IA", "lʼÉtat", "ÉLÈVES", "naïve", "Noël", "‘quote’",
                     "ÿ", "Ÿ", "ÀÉÎÕÜ-àéîõü.09'", "Ça", "", "œuvre", "AŒB"]
        for v in Array(UInt32(0)..<0x300) + Array(0x2000...0x206F) {
            guard let s = Unicode.Scalar(v) else { continue }
            texts += [String(s), "a" + String(s) + "É", "É" + String(s)]
        }
        var taken = 0
        for t in texts {
            guard let fast = Folding.lowercaseLatin1(t) else { continue }
            taken += 1
            XCTAssertEqual(fast, Folding.lowercaseLatin(t), t.debugDescription)
            XCTAssertEqual(fast, Folding.lowercase(t), t.debugDescription)
        }
        for v in UInt32(0xC0)...0xFF where v != 0xD7 && v != 0xF7 {
            XCTAssertNotNil(Folding.lowercaseLatin1(String(Unicode.Scalar(v)!)), "U+\(String(v, radix: 16))")
        }
        XCTAssertGreaterThan(taken, 200)
    }

    /// The Latin table (built in one decomposition) gives each scalar what decomposing it alone gives.
    func testLatinTableEqualsScalarByScalarDecomposition() {
        for v in UInt32(0x80)..<Folding.stripLatinLimit {
            guard let s = Unicode.Scalar(v) else { continue }
            XCTAssertEqual(Folding.stripDiacriticsLatin(String(s)), Folding.stripDiacriticsFully(String(s)), "U+\(String(v, radix: 16))")
        }
        XCTAssertEqual(Folding.stripDiacriticsLatin("Ŀéß\u{24F}"), Folding.stripDiacriticsFully("Ŀéß\u{24F}"))
    }

    func testFoldingStripsDiacritics() {
        XCTAssertEqual(Folding.stripDiacritics("développement"), "developpement")
        XCTAssertEqual(Folding.stripDiacritics("ministère"), "ministere")
        XCTAssertEqual(Folding.stripDiacritics("ça où être naïf tokaïev"), "ca ou etre naif tokaiev")
        XCTAssertEqual(Folding.stripDiacritics("plain ascii"), "plain ascii")
        XCTAssertEqual(Folding.fold("Ministère"), "ministere")
        XCTAssertEqual(Folding.fold("Cœur"), "coeur")
        XCTAssertEqual(Folding.fold("24ᵉ"), "24e")
        XCTAssertEqual(Folding.fold("ÉTATS-UNIS"), "etats-unis")
        XCTAssertEqual(Folding.fold("Tamás Otkjær"), "tamas otkjaer")
    }

    func testFoldedFormsMatchAcrossTheAnalyzer() {
        // Matching ignores case, accents and compatibility forms; the original text stays as the surface.
        let analyzer = FrenchAnalyzer()
        let pairs: [(String, String)] = [
            ("ministère", "ministere"), ("Ministère", "MINISTÈRE"), ("cœur", "coeur"), ("Œuvre", "oeuvre"),
            ("24ᵉ", "24e"), ("24ᵉ", "24ème"), ("1ʳᵉ", "1er"), ("67 000", "67000"), ("67\u{202F}000", "67 000"),
            ("l’IA", "l'ia"), ("État", "etat"), ("élèves", "eleves"), ("développement", "developpement"),
            ("ﬁn", "fin"), ("92 %", "92%"),
        ]
        for (a, b) in pairs {
            XCTAssertEqual(analyzer.terms(a), analyzer.terms(b), "\(a) ~ \(b)")
            XCTAssertFalse(analyzer.terms(a).isEmpty, a)
        }
        let tokens = analyzer.analyze("Au cœur du Ministère")
        XCTAssertEqual(tokens.map(\.surface), ["Au", "cœur", "du", "Ministère"])
        XCTAssertEqual(tokens.map(\.term), ["au", "coeur", "du", "minister"])
    }

    // MARK: - Stop words

    func testSnowballStopList() {
        let stop = FrenchStopwords.snowball
        // Folded: compared after accents are removed.
        for w in ["au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "il", "je", "la",
                  "le", "les", "leur", "lui", "mais", "meme", "ne", "nous", "on", "ou", "par", "pas", "pour", "qu",
                  "que", "qui", "se", "sur", "un", "une", "vous", "c", "d", "j", "l", "a", "m", "n", "s", "t", "y",
                  "ete", "etant", "suis", "est", "sont", "sera", "etait", "fut", "soit", "ai", "ont", "avait",
                  "eut", "aient", "eussent"] {
            XCTAssertTrue(stop.contains(w), w)
        }
        for w in ["intelligence", "ia", "pays", "kazakhstan", "numerique", "plus", "selon", "ministre", "à", "été"] {
            XCTAssertFalse(stop.contains(w), w)
        }
        XCTAssertTrue(stop.allSatisfy { $0 == Folding.fold($0) && !$0.isEmpty }, "stop words are folded")
    }

    /// The lists are the published ones: Snowball's stop.txt (its later additions included, its commented-out
    /// English homonyms kept apart) and Lucene's extended list.
    func testStopListsFollowTheirSources() {
        let published = FrenchStopwords.snowballPublished
        XCTAssertEqual(published.count, 152, "stop.txt's 154 uncommented entries; folded, eût is eut and celà cela")
        for w in ["ceci", "cela", "cet", "cette", "ici", "leurs", "quel", "quelles", "sans", "soi", "etee", "fussent"] {
            XCTAssertTrue(published.contains(w), w)
        }
        for w in ["son", "ete", "est", "sommes", "as", "aura", "avions"] {
            XCTAssertFalse(published.contains(w), "\(w) is commented out in stop.txt")
            XCTAssertTrue(FrenchStopwords.snowballEnglishHomonyms.contains(w), w)
            XCTAssertTrue(FrenchStopwords.snowball.contains(w), w)
        }
        let lucene = FrenchStopwords.luceneExtended
        XCTAssertEqual(lucene.count, 210, "the array's 217 entries, folded (où is ou, à is a…)")
        for w in ["afin", "chez", "parmi", "selon", "combien", "pourquoi", "lorsque", "ca", "o"] { XCTAssertTrue(lucene.contains(w), w) }
        XCTAssertFalse(lucene.contains("ministre"))
        // Every interrogative a question drops is in Lucene's list, as its doc comment says.
        XCTAssertTrue(QuestionWords.interrogatives.subtracting(QuestionWords.framingVerbs).isSubset(of: lucene))
        XCTAssertTrue(Query.pronouns.subtracting(["envers", "via"]).isSubset(of: lucene))
    }

    func testStopwordFilterFlagsWordsOnly() {
        let text = "Le pays et l’IA ont été à la tête des États-Unis, où LA réglementation 2 % sera."
        let tokens = StopwordFilter().apply(ElisionFilter().apply(tokenizer.tokenize(text)))
        assertTokens(tokens, [
            tok("Le", "le", .word, 0, 2, stop: true),
            tok("pays", "pays", .word, 3, 7),
            tok("et", "et", .word, 8, 10, stop: true),
            tok("IA", "ia", .acronym, 15, 17),
            tok("ont", "ont", .word, 18, 21, stop: true),
            tok("été", "été", .word, 22, 27, stop: true),
            tok("à", "à", .word, 28, 30, stop: true),
            tok("la", "la", .word, 31, 33, stop: true),
            tok("tête", "tête", .word, 34, 39),
            tok("des", "des", .word, 40, 43, stop: true),
            tok("États", "états", .word, 44, 50),
            tok("Unis", "unis", .word, 51, 55),
            tok("États-Unis", "étatsunis", .compound, 44, 55),
            tok("où", "où", .word, 57, 60, stop: true),
            // All capitals reads as an acronym, and acronyms are never stop words (`AI` is not `ai`).
            tok("LA", "la", .acronym, 61, 63),
            tok("réglementation", "réglementation", .word, 64, 79),
            tok("2", "2", .number, 80, 81),
            tok("%", "pourcent", .symbol, 82, 83),
            tok("sera", "sera", .word, 84, 88, stop: true),
        ], in: text)
    }

    func testStopwordFilterWithCustomList() {
        let text = "selon le pays"
        let tokens = StopwordFilter(words: ["selon"]).apply(tokenizer.tokenize(text))
        XCTAssertEqual(tokens.map(\.isStopword), [true, false, false])
    }

    // MARK: - Stemming

    func testStemFilterStemsWordsCompoundsAndAcronymsOnly() {
        let text = "Ministère développement vice-Premier ONU 24ᵉ 92 %"
        assertTokens(StemFilter().apply(tokenizer.tokenize(text)), [
            tok("Ministère", "minister", .word, 0, 10),
            tok("développement", "developp", .word, 11, 25),
            tok("vice", "vic", .word, 26, 30),
            tok("Premier", "premi", .word, 31, 38),
            tok("vice-Premier", "vicepremi", .compound, 26, 38),
            tok("ONU", "onu", .acronym, 39, 42),
            tok("24ᵉ", "24e", .number, 43, 48),
            tok("92", "92", .number, 49, 51),
            tok("%", "pourcent", .symbol, 52, 53),
        ], in: text)
    }

    // MARK: - Whole pipeline

    func testAnalyzerPipeline() {
        let text = "L’intelligence artificielle au Kazakhstan : plus de 92 % des services publics "
            + "sont en ligne depuis le 1er octobre."
        assertTokens(FrenchAnalyzer().analyze(text), [
            tok("intelligence", "intelligent", .word, 4, 16),
            tok("artificielle", "artificiel", .word, 17, 29),
            tok("au", "au", .word, 30, 32, stop: true),
            tok("Kazakhstan", "kazakhstan", .word, 33, 43),
            tok("plus", "plus", .word, 46, 50),
            tok("de", "de", .word, 51, 53, stop: true),
            tok("92", "92", .number, 54, 56),
            tok("%", "pourcent", .symbol, 57, 58),
            tok("des", "de", .word, 59, 62, stop: true),  // stop words are stemmed too, and flagged
            tok("services", "servic", .word, 63, 71),
            tok("publics", "public", .word, 72, 79),
            tok("sont", "sont", .word, 80, 84, stop: true),
            tok("en", "en", .word, 85, 87, stop: true),
            tok("ligne", "lign", .word, 88, 93),
            tok("depuis", "depuis", .word, 94, 100),
            tok("le", "le", .word, 101, 103, stop: true),
            tok("1er", "1er", .number, 104, 107),
            tok("octobre", "octobr", .word, 108, 115),
        ], in: text)
    }

    func testAnalyzerPipelineOnCompoundsNumbersAndFolding() {
        let text = "Le Ministère de l’e-Gov et l’IA-Gov du vice-Premier ministre ; 67 000 élèves, 1,2 billion, "
            + "la 24ᵉ place au cœur d’Astana."
        assertTokens(FrenchAnalyzer().analyze(text), [
            tok("Le", "le", .word, 0, 2, stop: true),
            tok("Ministère", "minister", .word, 3, 13),
            tok("de", "de", .word, 14, 16, stop: true),
            tok("e", "e", .word, 21, 22),
            tok("Gov", "gov", .word, 23, 26),
            tok("e-Gov", "egov", .compound, 21, 26),
            tok("et", "et", .word, 27, 29, stop: true),
            tok("IA", "ia", .acronym, 34, 36),
            tok("Gov", "gov", .word, 37, 40),
            tok("IA-Gov", "iagov", .compound, 34, 40),
            tok("du", "du", .word, 41, 43, stop: true),
            tok("vice", "vic", .word, 44, 48),
            tok("Premier", "premi", .word, 49, 56),
            tok("vice-Premier", "vicepremi", .compound, 44, 56),
            tok("ministre", "ministr", .word, 57, 65),
            tok("67 000", "67000", .number, 68, 74),
            tok("élèves", "elev", .word, 75, 83),
            tok("1,2", "1_2", .number, 85, 88),
            tok("billion", "billion", .word, 89, 96),
            tok("la", "la", .word, 98, 100, stop: true),
            tok("24ᵉ", "24e", .number, 101, 106),
            tok("place", "plac", .word, 107, 112),
            tok("au", "au", .word, 113, 115, stop: true),
            tok("cœur", "coeur", .word, 116, 121),
            tok("Astana", "astan", .word, 126, 132),
        ], in: text)
    }

    func testAnalyzerTerms() {
        let analyzer = FrenchAnalyzer()
        // The example of the doc comment.
        XCTAssertEqual(analyzer.terms("L’intelligence artificielle"), ["intelligent", "artificiel"])
        XCTAssertEqual(analyzer.terms("Le Kazakhstan et l’IA : 92 %"), ["kazakhstan", "ia", "92", "pourcent"])
        XCTAssertEqual(analyzer.terms("de la et le qu’il"), [])
        XCTAssertEqual(analyzer.terms(""), [])
    }

    func testAnalyzerWithoutFiltersIsTheTokenizer() {
        let text = "L’IA-Gov : 67 000"
        XCTAssertEqual(FrenchAnalyzer(filters: []).analyze(text), tokenizer.tokenize(text))
    }
}
