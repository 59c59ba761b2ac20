import Foundation
import XCTest
@testable import KZQA

/// Passages: whole sentences of one line, at most `maxCharacters` characters, with byte offsets into the file;
/// hand-written documents first, then a golden test over the seed articles.
final class ChunkerTests: XCTestCase {
    /// (id, paragraph, start, end, text) of each passage.
    private func summary(_ passages: [Passage]) -> [String] {
        passages.map { "\($0.id) ¶\($0.paragraph) \($0.start)..<\($0.end) \($0.text.debugDescription)" }
    }

    /// Every passage's byte range of `text` is exactly its text.
    private func assertOffsetsReproduceText(_ passages: [Passage], in text: String,
                                            file: StaticString = #filePath, line: UInt = #line) {
        let bytes = Array(text.utf8)
        for p in passages {
            guard 0 <= p.start, p.start < p.end, p.end <= bytes.count else {
                XCTFail("\(p.id): bad range \(p.start)..<\(p.end)", file: file, line: line)
                continue
            }
            XCTAssertTrue(bytes[p.start..<p.end].elementsEqual(p.text.utf8),
                          "\(p.id): bytes \(p.start)..<\(p.end) are not its text", file: file, line: line)
        }
    }

    // MARK: - Titles and ids

    func testTitleIsTheFirstNonEmptyLineTrimmed() {
        XCTAssertEqual(Chunker.title(of: "Titre\nUne phrase."), "Titre")
        XCTAssertEqual(Chunker.title(of: "\n \n\t  Le titre  \nSuite"), "Le titre")
        XCTAssertEqual(Chunker.title(of: "Seule ligne"), "Seule ligne")
        XCTAssertEqual(Chunker.title(of: ""), "")
        XCTAssertEqual(Chunker.title(of: "\n  \n"), "")
    }

    /// A Markdown file's title is its heading's text: the `#` marks (and a closing run) are not part of it; a
    /// text file keeps its first line as written.
    func testMarkdownTitleDropsTheHeadingMarks() {
        XCTAssertEqual(Chunker.title(of: "# Le vélo\n\nTexte.", markdown: true), "Le vélo")
        XCTAssertEqual(Chunker.title(of: "\n  ## Le vélo ##  \nTexte.", markdown: true), "Le vélo")
        XCTAssertEqual(Chunker.title(of: "#hashtag\n", markdown: true), "#hashtag", "not a heading without a space")
        XCTAssertEqual(Chunker.title(of: "####### sept\n", markdown: true), "####### sept", "at most six marks")
        XCTAssertEqual(Chunker.title(of: "#\nLe vrai titre\n", markdown: true), "#", "an empty heading stays as written")
        XCTAssertEqual(Chunker.title(of: "# Le vélo\n"), "# Le vélo", "a .txt keeps its first line")
        let passages = Chunker().passages(of: "# Le vélo\n\nLa piste mesure 42 km.\n", source: "notes/velo.md")
        XCTAssertEqual(passages.map(\.title), ["Le vélo", "Le vélo"])
        XCTAssertEqual(passages.first?.text, "# Le vélo", "the passage text stays the file's bytes")
    }

    func testTitleWithWindowsLineEndingsAndByteOrderMark() {
        XCTAssertEqual(Chunker.title(of: "Titre\r\nUne phrase.\r\n"), "Titre")
        XCTAssertEqual(Chunker.title(of: "\r\n\r\nTitre\r\nSuite"), "Titre")
        XCTAssertEqual(Chunker.title(of: "\u{FEFF}Titre\nSuite"), "Titre")
    }

    func testIdPrefix() {
        XCTAssertEqual(Chunker.idPrefix(for: "seeds/003_aedf.txt"), "003_aedf")
        XCTAssertEqual(Chunker.idPrefix(for: "a.txt"), "a")
        XCTAssertEqual(Chunker.idPrefix(for: "/tmp/x/notes.v2.md"), "notes.v2")
        XCTAssertEqual(Chunker.idPrefix(for: "dir/sans-extension"), "sans-extension")
        XCTAssertEqual(Chunker.idPrefix(for: ".cache"), ".cache")
    }

    // MARK: - Hand-written documents

    func testDocExample() {
        XCTAssertEqual(Chunker().passages(of: "Titre\nUne phrase. Une autre.", source: "a.txt").count, 2)
    }

    func testPassagesAreLinesWithExactOffsets() {
        let text = "Titre de l’article\n\nUne phrase. Une autre phrase.\n  « Citation. » Fin.  \nDernière ligne sans point"
        let passages = Chunker().passages(of: text, source: "corpus/doc.txt")
        XCTAssertEqual(summary(passages), [
            "doc:1.1 ¶1 0..<20 \"Titre de l’article\"",
            "doc:2.1 ¶2 22..<51 \"Une phrase. Une autre phrase.\"",
            "doc:3.1 ¶3 54..<74 \"« Citation. » Fin.\"",
            "doc:4.1 ¶4 77..<103 \"Dernière ligne sans point\"",
        ])
        assertOffsetsReproduceText(passages, in: text)
        for p in passages {
            XCTAssertEqual(p.title, "Titre de l’article")
            XCTAssertEqual(p.source, "corpus/doc.txt")
        }
    }

    func testSentencesArePackedUpToTheLimitInCharactersNotBytes() {
        // "Première phrase. Deuxième." is 26 characters but 28 bytes.
        let text = "Titre\nPremière phrase. Deuxième. Une troisième phrase bien plus longue que la limite. Fin.\n"
        let passages = Chunker(maxCharacters: 26).passages(of: text, source: "d.txt", idPrefix: "d")
        XCTAssertEqual(summary(passages), [
            "d:1.1 ¶1 0..<5 \"Titre\"",
            "d:2.1 ¶2 6..<34 \"Première phrase. Deuxième.\"",
            // A sentence longer than the limit stands alone.
            "d:2.2 ¶2 35..<88 \"Une troisième phrase bien plus longue que la limite.\"",
            "d:2.3 ¶2 89..<93 \"Fin.\"",
        ])
        assertOffsetsReproduceText(passages, in: text)

        let tighter = Chunker(maxCharacters: 25).passages(of: text, source: "d.txt", idPrefix: "d")
        XCTAssertEqual(tighter.map(\.text), [
            "Titre", "Première phrase.", "Deuxième.", "Une troisième phrase bien plus longue que la limite.", "Fin.",
        ])
        assertOffsetsReproduceText(tighter, in: text)
    }

    func testPassagesNeverCrossLines() {
        let text = "Titre\nUne. Deux.\nTrois. Quatre.\n"
        let passages = Chunker().passages(of: text, source: "x.txt")
        XCTAssertEqual(passages.map(\.text), ["Titre", "Une. Deux.", "Trois. Quatre."])
        XCTAssertEqual(passages.map(\.paragraph), [1, 2, 3])
        assertOffsetsReproduceText(passages, in: text)
    }

    func testWindowsLineEndings() {
        let text = "Titre\r\nUne phrase.\r\n\r\nDeux."
        let passages = Chunker().passages(of: text, source: "w.txt")
        XCTAssertEqual(summary(passages), [
            "w:1.1 ¶1 0..<5 \"Titre\"",
            "w:2.1 ¶2 7..<18 \"Une phrase.\"",
            "w:3.1 ¶3 22..<27 \"Deux.\"",
        ])
        XCTAssertEqual(passages.first?.title, "Titre")
        assertOffsetsReproduceText(passages, in: text)
    }

    func testByteOrderMarkIsNotPartOfThePassage() {
        let text = "\u{FEFF}Titre\nUne phrase."
        let passages = Chunker().passages(of: text, source: "b.txt")
        XCTAssertEqual(summary(passages), ["b:1.1 ¶1 3..<8 \"Titre\"", "b:2.1 ¶2 9..<20 \"Une phrase.\""])
        XCTAssertEqual(passages.first?.title, "Titre")
        assertOffsetsReproduceText(passages, in: text)
    }

    func testEmptyAndBlankDocumentsHaveNoPassage() {
        XCTAssertEqual(Chunker().passages(of: "", source: "e.txt").count, 0)
        XCTAssertEqual(Chunker().passages(of: "\n \n\t\n", source: "e.txt").count, 0)
    }

    func testRecordPassages() {
        let text = "Une phrase. Une autre."
        let one = Chunker().passages(ofRecord: text, id: "r1", title: "T", source: "c.jsonl", number: 7)
        XCTAssertEqual(summary(one), ["r1 ¶7 0..<22 \"Une phrase. Une autre.\""])
        XCTAssertEqual(one.first?.title, "T")
        XCTAssertEqual(one.first?.source, "c.jsonl")

        let two = Chunker(maxCharacters: 15).passages(ofRecord: text, id: "r1", title: "T", source: "c.jsonl", number: 7)
        XCTAssertEqual(summary(two), ["r1#1 ¶7 0..<11 \"Une phrase.\"", "r1#2 ¶7 12..<22 \"Une autre.\""])
        assertOffsetsReproduceText(two, in: text)
    }

    /// Offsets, line and size rules hold on many generated documents.
    func testInvariantsOnGeneratedDocuments() {
        let pieces = ["Le pays", " avance", ". ", "! ", "? ", "M. Lee", " et", " l’IA", "« Oui. »", " 1,2 %", "\n", "\n\n",
                      "\r\n", "  ", "\u{00A0}", "Élève", " ", "… ", "(sic)", "etc. ", "G. (2025)", "🇰🇿", "e\u{0301}"]
        var state: UInt64 = 42
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let splitter = SentenceSplitter()
        for round in 0..<500 {
            let text = (0..<next(60)).map { _ in pieces[next(pieces.count)] }.joined()
            let limit = [20, 50, 800][round % 3]
            let passages = Chunker(maxCharacters: limit).passages(of: text, source: "g.txt")
            assertOffsetsReproduceText(passages, in: text)
            var lastEnd = 0
            for p in passages {
                XCTAssertGreaterThanOrEqual(p.start, lastEnd, text.debugDescription)
                lastEnd = p.end
                XCTAssertFalse(p.text.contains("\n"), text.debugDescription)
                XCTAssertEqual(p.text, p.text.trimmingCharacters(in: .whitespacesAndNewlines), text.debugDescription)
                if p.text.count > limit {
                    XCTAssertEqual(splitter.split(p.text).count, 1, "\(p.text.debugDescription) in \(text.debugDescription)")
                }
            }
        }
    }

    // MARK: - Golden test over the seed articles

    /// The byte ranges of the lines of `text` (without their `\n`).
    private func lineRanges(_ text: String) -> [Range<Int>] {
        let bytes = Array(text.utf8)
        var out: [Range<Int>] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            out.append(start..<i)
            start = i + 1
        }
        out.append(start..<bytes.count)
        return out
    }

    func testSeedPassagesGolden() throws {
        let urls = try AnalysisTestSupport.seedURLs()
        XCTAssertGreaterThanOrEqual(urls.count, 2)
        let splitter = SentenceSplitter()
        for url in urls {
            let name = url.lastPathComponent
            let data = try Data(contentsOf: url)
            let text = try XCTUnwrap(String(validating: Array(data), as: UTF8.self), name)
            let bytes = Array(data)
            let source = "seeds/\(name)"
            let title = Chunker.title(of: text)
            let firstLine = try XCTUnwrap(text.split(separator: "\n").first.map(String.init))
            XCTAssertEqual(title, firstLine.trimmingCharacters(in: .whitespaces), name)

            for limit in [Chunker.defaultMaxCharacters, 200] {
                let passages = Chunker(maxCharacters: limit).passages(of: text, source: source)
                XCTAssertFalse(passages.isEmpty, name)
                XCTAssertEqual(Set(passages.map(\.id)).count, passages.count, "ids are unique in \(name)")
                let lines = lineRanges(text)
                let nonBlank = lines.filter { r in
                    !String(decoding: bytes[r], as: UTF8.self).allSatisfy(\.isWhitespace)
                }
                var lastEnd = 0
                for p in passages {
                    let context = "\(name) \(p.id) (limit \(limit))"
                    // Offsets: the file's bytes [start, end) are exactly the passage text.
                    XCTAssertTrue(bytes[p.start..<p.end].elementsEqual(p.text.utf8), context)
                    XCTAssertGreaterThanOrEqual(p.start, lastEnd, "passages are in order and disjoint: \(context)")
                    lastEnd = p.end
                    // Size: at most `limit` characters, unless the passage is a single sentence.
                    if p.text.count > limit {
                        XCTAssertEqual(splitter.split(p.text).count, 1, "long passage of several sentences: \(context)")
                    }
                    // One line only, trimmed.
                    XCTAssertFalse(p.text.contains("\n"), context)
                    XCTAssertEqual(p.text, p.text.trimmingCharacters(in: .whitespacesAndNewlines), context)
                    let lineIndex = try XCTUnwrap(nonBlank.firstIndex { $0.contains(p.start) }, context)
                    XCTAssertLessThanOrEqual(p.end, nonBlank[lineIndex].upperBound, "passage crosses a line: \(context)")
                    XCTAssertEqual(p.paragraph, lineIndex + 1, context)
                    XCTAssertEqual(p.id.hasPrefix(Chunker.idPrefix(for: source) + ":\(p.paragraph)."), true, context)
                    XCTAssertEqual(p.title, title, context)
                    XCTAssertEqual(p.source, source, context)
                }
                // Whole sentences, and nothing lost: each line's passages are its sentences, in order.
                for (index, r) in nonBlank.enumerated() {
                    let line = String(decoding: bytes[r], as: UTF8.self)
                    let expected = splitter.split(line).map { AnalysisTestSupport.slice(line, $0) }
                    let got = passages.filter { $0.paragraph == index + 1 }
                        .flatMap { p in splitter.split(p.text).map { AnalysisTestSupport.slice(p.text, $0) } }
                    XCTAssertEqual(got, expected, "\(name) line \(index + 1) (limit \(limit))")
                }
                if limit == Chunker.defaultMaxCharacters {
                    // Every seed line is shorter than 800 characters: one passage per line, the line trimmed.
                    XCTAssertEqual(passages.count, nonBlank.count, name)
                    for (p, r) in zip(passages, nonBlank) {
                        let line = String(decoding: bytes[r], as: UTF8.self)
                        XCTAssertEqual(p.text, line.trimmingCharacters(in: .whitespaces), "\(name) \(p.id)")
                    }
                }
            }
        }
    }

    func testSeedPassageCountsAndTitles() throws {
        let s0 = try AnalysisTestSupport.seed("000_")
        let p0 = Chunker().passages(of: s0.text, source: "seeds/" + s0.url.lastPathComponent)
        XCTAssertEqual(p0.count, 28)
        XCTAssertEqual(p0.first?.title,
                       "Kazakhstan : une révolution silencieuse avec la crypto, l’IA et une transformation technologique")
        XCTAssertEqual(p0.first?.id, "000_97e4ce527f562e4e:1.1")

        let s3 = try AnalysisTestSupport.seed("003_")
        let p3 = Chunker().passages(of: s3.text, source: "seeds/" + s3.url.lastPathComponent)
        XCTAssertEqual(p3.count, 73)
        XCTAssertEqual(p3.first?.title, "Digital Bridge Astana")
        XCTAssertEqual(p3.last?.text, "Yorum Yazın")
        XCTAssertEqual(p3.last?.end, s3.text.utf8.count)
    }

    /// The sentences of the seed line that starts with `prefix`.
    private func sentences(ofLineStartingWith prefix: String, in text: String,
                           file: StaticString = #filePath, line: UInt = #line) -> [String] {
        guard let found = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else {
            XCTFail("no line starts with \(prefix.debugDescription)", file: file, line: line)
            return []
        }
        let l = String(found)
        return SentenceSplitter().split(l).map { AnalysisTestSupport.slice(l, $0) }
    }

    func testSeedSentenceBoundaries003References() throws {
        let text = try AnalysisTestSupport.seed("003_").text
        XCTAssertEqual(sentences(ofLineStartingWith: "Khassenkhanova, G. (2025, October 7)", in: text), [
            "Khassenkhanova, G. (2025, October 7).",
            "Kazakhstan’s quiet revolution: Crypto, AI, and a tech transformation.",
            "Euronews. https://www.euronews.com/business/2025/10/07/kazakhstans-quiet-revolution-crypto-ai-and-a-tech-transformation",
        ])
        XCTAssertEqual(sentences(ofLineStartingWith: "Mukhamedkaziy", in: text), [
            "Mukhamedkaziy, N., Maratova, A., & Mustafin, A. (2025).",
            "Digitalization in Kazakhstan.",
            "In I. Qoraboyev & Z. Bekshora (Eds.), CEGREG Yearbook: Central Asia in Global and Regional Governance (pp. 105-119).",
            "Maqsut Narikbayev University.",
            "ISBN: 978-601-7450-76-2",
        ])
        XCTAssertEqual(sentences(ofLineStartingWith: "Tokayev, K.-J.", in: text).first, "Tokayev, K.-J. (2025, September 24).")
        XCTAssertEqual(sentences(ofLineStartingWith: "Барлыбаева", in: text), [
            "Барлыбаева, С., & Аяпбергенова, A. (2025).",
            "Digital Kazakhstan–an innovation way of development.",
            "Herald of Journalism, 76(2), 147-154.=",
        ])
        XCTAssertEqual(sentences(ofLineStartingWith: "Trend News Agency.", in: text), [
            "Trend News Agency.",
            "(2025, October 9).",
            "Kazakhstan accelerates digital transformation with AI, blockchain, and global tech ambitions.",
            "Trend.az. https://www.trend.az/azerbaijan/politics/4098559.html",
        ])
        // Initials inside the article's own sentences.
        XCTAssertEqual(sentences(ofLineStartingWith: "Selon les recherches de Barlybayeva", in: text).count, 1)
        XCTAssertEqual(sentences(ofLineStartingWith: "Une autre étape audacieuse", in: text).count, 1)
        XCTAssertEqual(sentences(ofLineStartingWith: "Khassenkhanova, G. (2025, 7 octobre)", in: text), [
            "Khassenkhanova, G. (2025, 7 octobre) a écrit dans Euronews que le Kazakhstan,",
        ])
        XCTAssertEqual(sentences(ofLineStartingWith: "Le ministère de l’Intelligence", in: text).last,
                       "Cette priorité reflète la prise de conscience croissante que l’intelligence artificielle n’est "
                       + "plus un outil complémentaire, mais un moteur de transformation de la modernisation économique, "
                       + "selon Unbayeva, B. (2025).")
    }

    func testSeedSentenceBoundaries003QuotesAndAbbreviations() throws {
        let text = try AnalysisTestSupport.seed("003_").text
        // A quotation of three sentences stays one sentence up to its closing guillemet.
        let quote = sentences(ofLineStartingWith: "« Aujourd’hui, plus de 92 %", in: text)
        XCTAssertEqual(quote.count, 1)
        XCTAssertEqual(quote.first?.hasSuffix("dont la moitié via des smartphones. »"), true)
        XCTAssertEqual(sentences(ofLineStartingWith: "« La mission du Kazakhstan", in: text).count, 1)
        XCTAssertEqual(sentences(ofLineStartingWith: "« autrefois connu", in: text).count, 1)
        // « … » in parentheses, then a real boundary.
        XCTAssertEqual(sentences(ofLineStartingWith: "Le thème de cette année", in: text).map { String($0.prefix(30)) }, [
            "Le thème de cette année, Gener", "Le concept souligne l’objectif",
        ])
        // "Dr" before a name; the quoted phrase closes the sentence.
        XCTAssertEqual(sentences(ofLineStartingWith: "L’un des intervenants", in: text).count, 1)
        // "etc.)" inside parentheses does not end the sentence.
        XCTAssertEqual(sentences(ofLineStartingWith: "Le forum a réuni plus de 67 000", in: text).map { String($0.prefix(28)) }, [
            "Le forum a réuni plus de 67 ", "Plus de 500 startups et près",
        ])
        // "Akorda.kz." ends the paragraph; the inner period of the domain name is no boundary.
        XCTAssertEqual(sentences(ofLineStartingWith: "La veille du forum", in: text).last?.hasSuffix("selon Akorda.kz."), true)
        XCTAssertEqual(sentences(ofLineStartingWith: "La veille du forum", in: text).count, 3)
    }

    func testSeedSentenceBoundaries000() throws {
        let text = try AnalysisTestSupport.seed("000_").text
        XCTAssertEqual(sentences(ofLineStartingWith: "« J’ai défini", in: text), [
            "« J’ai défini la tâche stratégiquement importante de transformer le Kazakhstan en un pays numérique "
                + "à part entière dans les trois ans », a-t-il déclaré.",
        ])
        XCTAssertEqual(sentences(ofLineStartingWith: "« Nous ne devons pas", in: text).count, 1)
        XCTAssertEqual(sentences(ofLineStartingWith: "Parallèlement", in: text).first,
                       "Parallèlement, Astana expérimente la finance numérique.")
        XCTAssertEqual(sentences(ofLineStartingWith: "Parallèlement", in: text).count, 2)
        XCTAssertEqual(sentences(ofLineStartingWith: "Le Alem.ai", in: text).count, 1)
        XCTAssertEqual(sentences(ofLineStartingWith: "Cet été", in: text).count, 2)
        XCTAssertEqual(sentences(ofLineStartingWith: "Le Kazakhstan souhaite", in: text), [
            "Le Kazakhstan souhaite désormais passer de l’e-Gov à l’IA-Gov — intégrant l’apprentissage automatique "
                + "dans la gouvernance elle-même.",
        ])
    }
}
