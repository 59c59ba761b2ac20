import CSQLite
import Foundation
import XCTest
@testable import KZQA

/// The indexer end to end: files in temporary folders → an index file in a temporary folder → read back with
/// plain SQLite (IndexFixtures.Raw) and checked against an independent recomputation.
final class IndexerTests: XCTestCase {
    typealias F = IndexFixtures

    /// A fresh temporary folder holding `corpus/` (created) and the index path `index/kzqa.sqlite` (not created).
    private func workspace() throws -> (root: String, corpus: String, index: String) {
        let root = try F.temporaryFolder(for: self)
        let corpus = root + "/corpus"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        return (root, corpus, root + "/index/kzqa.sqlite")
    }

    /// The seeds indexed into a fresh temporary index; returns the index path.
    private func indexedSeeds(log: F.WarningLog? = nil) throws -> String {
        let index = try workspace().index
        let summary = try F.index([F.seedsFolder], into: index, log: log)
        XCTAssertEqual(summary.added, 2, "both seed articles are indexed")
        XCTAssertEqual(summary.documents, 2)
        XCTAssertEqual(summary.skipped, 0)
        return index
    }

    private func seedPaths() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: F.seedsFolder)
            .filter { $0.hasSuffix(".txt") }.sorted().map { F.seedsFolder + "/" + $0 }
    }

    /// The stem the analyser gives one word (so tests do not hard-code Snowball's output).
    private func stem(_ word: String) -> String {
        let t = FrenchAnalyzer().terms(word)
        XCTAssertEqual(t.count, 1, "\(word) should give one term")
        return t.first ?? word
    }

    private func assertThrowsKZQA(_ expression: @autoclosure () throws -> some Any, _ check: (KZQAError) -> Bool,
                                  _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), message, file: file, line: line) { error in
            guard let e = error as? KZQAError else {
                XCTFail("\(message): threw \(type(of: error)) \(error), not a KZQAError", file: file, line: line)
                return
            }
            XCTAssertTrue(check(e), "\(message): threw \(e)", file: file, line: line)
        }
    }

    // MARK: - Seeds: offsets, limits, norms

    func testOffsetsReproduceTheSourceBytesForEverySeedPassage() throws {
        let index = try indexedSeeds()
        let snapshot = try F.snapshot(index)
        let seeds = try seedPaths()
        XCTAssertEqual(seeds.count, 2, "two seed articles expected in seeds/")
        XCTAssertEqual(Set(snapshot.documents.keys), Set(seeds))
        for path in seeds {
            let bytes = try F.bytes(of: path)
            let stored = snapshot.passages(of: path)
            XCTAssertGreaterThan(stored.count, 10, "\(path) has passages")
            for p in stored {
                guard 0 <= p.start, p.start < p.end, p.end <= bytes.count else {
                    XCTFail("\(p.pid): range \(p.start)..<\(p.end) outside the \(bytes.count)-byte file")
                    continue
                }
                XCTAssertTrue(bytes[p.start..<p.end].elementsEqual(p.text.utf8),
                              "\(p.pid): bytes \(p.start)..<\(p.end) of \(path) are not the passage text")
            }
            // The same passages the chunker cuts from the file, in file order.
            let text = String(decoding: bytes, as: UTF8.self)
            let expected = Chunker().passages(of: text, source: path)
            XCTAssertEqual(stored.map { "\($0.pid) ¶\($0.paragraph) \($0.start)..<\($0.end) \($0.title)" },
                           expected.map { "\($0.id) ¶\($0.paragraph) \($0.start)..<\($0.end) \($0.title)" })
            XCTAssertEqual(snapshot.documents[path]?.title, Chunker.title(of: text))
            XCTAssertEqual(snapshot.documents[path]?.bytes, Int64(bytes.count))
            XCTAssertEqual(snapshot.documents[path]?.hash, ContentHash.of(bytes))
        }
        // Also through the public reading API.
        let store = try IndexStore(path: index)
        for rowid in try store.allPassageRowIDs() {
            guard let p = try store.passage(rowid: rowid) else { XCTFail("no passage \(rowid)"); continue }
            let bytes = try F.bytes(of: p.source)
            XCTAssertEqual(String(decoding: bytes[p.start..<p.end], as: UTF8.self), p.text, p.id)
        }
    }

    func testSeedPassagesRespectTheLimits() throws {
        let index = try indexedSeeds()
        let snapshot = try F.snapshot(index)
        XCTAssertEqual(snapshot.meta["max_passage_characters"], "800")
        let splitter = SentenceSplitter()
        for path in try seedPaths() {
            let bytes = try F.bytes(of: path)
            var previousEnd = 0
            for p in snapshot.passages(of: path) {
                XCTAssertLessThanOrEqual(previousEnd, p.start, "\(p.pid) overlaps the previous passage")
                previousEnd = p.end
                XCTAssertFalse(bytes[p.start..<p.end].contains(0x0A), "\(p.pid) crosses a line")
                XCTAssertFalse(p.text.contains("\n") || p.text.contains("\r\n"), "\(p.pid) holds a line break")
                if p.text.count > 800 {
                    XCTAssertEqual(splitter.split(p.text).count, 1, "\(p.pid): \(p.text.count) characters and several sentences")
                }
                XCTAssertEqual(p.text, p.text.trimmingCharacters(in: .whitespacesAndNewlines), "\(p.pid) is trimmed")
            }
        }
    }

    /// Both sides of the limit on a hand-made file: a long paragraph of short sentences is cut into runs of
    /// ≤ 800 characters, one longer sentence stands alone, and two short lines are never merged.
    func testPassageLimitsOnLongParagraphsAndLongSentences() throws {
        let w = try workspace()
        let sentence = "Le chat noir dort sur le tapis rouge du salon. "  // 47 characters with its space
        let longParagraph = String(repeating: sentence, count: 30).trimmingCharacters(in: .whitespaces)
        let longSentence = String(repeating: "très ", count: 200) + "long."
        let text = "Titre\n\(longParagraph)\n\(longSentence)\nPremière ligne.\nSeconde ligne.\n"
        let path = try F.write(text, to: "long.txt", in: w.corpus)
        try F.index([w.corpus], into: w.index)
        let passages = try F.snapshot(w.index).passages(of: path)
        let splitter = SentenceSplitter()
        for p in passages {
            XCTAssertTrue(p.text.count <= 800 || splitter.split(p.text).count == 1, "\(p.pid): \(p.text.count) characters")
        }
        let paragraph2 = passages.filter { $0.paragraph == 2 }
        XCTAssertGreaterThanOrEqual(paragraph2.count, 2, "a 1 400-character paragraph is cut")
        XCTAssertEqual(paragraph2.map(\.text).joined(separator: " "), longParagraph, "the cut keeps every sentence, in order")
        XCTAssertTrue(paragraph2.allSatisfy { $0.text.count <= 800 })
        XCTAssertEqual(passages.filter { $0.paragraph == 3 }.map(\.text), [longSentence], "a long sentence stands alone")
        XCTAssertGreaterThan(longSentence.count, 800)
        XCTAssertEqual(passages.filter { $0.paragraph >= 4 }.map(\.text), ["Première ligne.", "Seconde ligne."],
                       "passages never span two lines")
        try F.assertOffsetsReproduceSource(w.index)
    }

    func testEverySeedVectorHasUnitNormAndMatchesTheFormula() throws {
        let index = try indexedSeeds()
        let snapshot = try F.snapshot(index)
        XCTAssertFalse(snapshot.passages.isEmpty)
        for p in snapshot.passages {
            guard let w = p.weights, !w.isEmpty else { XCTFail("\(p.pid) has no weights"); continue }
            let norm = w.values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            XCTAssertEqual(norm, 1, accuracy: 1e-5, "\(p.pid): norm")
        }
        // And through the public API.
        let store = try IndexStore(path: index)
        for rowid in try store.allPassageRowIDs() {
            let v = try XCTUnwrap(store.vectors(rowid: rowid)).weights
            XCTAssertEqual(v.values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot(), 1, accuracy: 1e-5)
        }
        try F.assertConsistent(index)
    }

    // MARK: - TF-IDF by hand

    /// Three one-sentence documents, each one passage; every word is its own stem and no word is a stopword.
    ///
    ///     a.txt  "chat chat chien."      counts chat 2, chien 1
    ///     b.txt  "chat lion."            counts chat 1, lion 1
    ///     c.txt  "lion lion lion loup."  counts lion 3, loup 1
    ///
    /// N = 3 passages; df(chat) = 2, df(lion) = 2, df(chien) = 1, df(loup) = 1.
    ///     idf(df 2) = ln(4/3) + 1 = 1.2876820724517808
    ///     idf(df 1) = ln(4/2) + 1 = 1.6931471805599454
    /// a: chat  tf = 1 + ln 2 = 1.6931471805599454, × 1.2876820724517808 = 2.18023527042932
    ///    chien tf = 1,                              × 1.6931471805599454 = 1.6931471805599454
    ///    norm = √(2.18023527042932² + 1.6931471805599454²) = 2.7604661217740207
    ///    → chat 0.7898069290660905, chien 0.6133555370249717
    /// b: chat and lion both tf 1 × idf 1.2876820724517808 → equal, each 1/√2 = 0.7071067811865476
    /// c: lion  tf = 1 + ln 3 = 2.09861228866811, × 1.2876820724517808 = 2.7023454211449267
    ///    loup  tf = 1,                          × 1.6931471805599454 = 1.6931471805599454
    ///    norm = √(2.7023454211449267² + 1.6931471805599454²) = 3.1889525161439836
    ///    → lion 0.8474084852202652, loup 0.5309414837594586
    func testTFIDFWeightsMatchHandComputedValues() throws {
        let w = try workspace()
        let analyzer = FrenchAnalyzer()
        // The premises of the arithmetic: the words are their own index terms, none is a stopword, "." is no term.
        XCTAssertEqual(analyzer.indexTerms("chat chat chien."), ["chat", "chat", "chien"])
        XCTAssertEqual(analyzer.terms("chat chat chien."), ["chat", "chat", "chien"])
        XCTAssertEqual(analyzer.indexTerms("chat lion."), ["chat", "lion"])
        XCTAssertEqual(analyzer.indexTerms("lion lion lion loup."), ["lion", "lion", "lion", "loup"])
        XCTAssertEqual(analyzer.terms("lion lion lion loup."), ["lion", "lion", "lion", "loup"])
        let a = try F.write("chat chat chien.\n", to: "a.txt", in: w.corpus)
        let b = try F.write("chat lion.\n", to: "b.txt", in: w.corpus)
        let c = try F.write("lion lion lion loup.\n", to: "c.txt", in: w.corpus)
        let summary = try F.index([w.corpus], into: w.index)
        XCTAssertEqual(summary.documents, 3)
        XCTAssertEqual(summary.passages, 3)
        XCTAssertEqual(summary.terms, 4)

        let s = try F.snapshot(w.index)
        XCTAssertEqual(s.meta["passages"], "3")
        XCTAssertEqual(s.df, ["chat": 2, "chien": 1, "lion": 2, "loup": 1])
        func weights(_ path: String) -> [String: Float] {
            let ps = s.passages(of: path)
            XCTAssertEqual(ps.count, 1, "\(path) is one passage")
            return ps.first.map(s.weightsByTerm) ?? [:]
        }
        let wa = weights(a), wb = weights(b), wc = weights(c)
        XCTAssertEqual(Set(wa.keys), ["chat", "chien"])
        XCTAssertEqual(Double(wa["chat"] ?? 0), 0.7898069290660905, accuracy: 1e-5)
        XCTAssertEqual(Double(wa["chien"] ?? 0), 0.6133555370249717, accuracy: 1e-5)
        XCTAssertEqual(Set(wb.keys), ["chat", "lion"])
        XCTAssertEqual(Double(wb["chat"] ?? 0), 0.7071067811865476, accuracy: 1e-5)
        XCTAssertEqual(Double(wb["lion"] ?? 0), 0.7071067811865476, accuracy: 1e-5)
        XCTAssertEqual(Set(wc.keys), ["lion", "loup"])
        XCTAssertEqual(Double(wc["lion"] ?? 0), 0.8474084852202652, accuracy: 1e-5)
        XCTAssertEqual(Double(wc["loup"] ?? 0), 0.5309414837594586, accuracy: 1e-5)

        // The raw counts are stored too (tf blob), and the library's formulas agree with the hand values.
        let pa = try XCTUnwrap(s.passages(of: a).first)
        XCTAssertEqual(pa.tf?[s.termIDs["chat"]!], 2)
        XCTAssertEqual(pa.tf?[s.termIDs["chien"]!], 1)
        XCTAssertEqual(Double(TFIDF.idf(documents: 3, documentFrequency: 2)), 1.2876820724517808, accuracy: 1e-6)
        XCTAssertEqual(Double(TFIDF.idf(documents: 3, documentFrequency: 1)), 1.6931471805599454, accuracy: 1e-6)
        XCTAssertEqual(Double(TFIDF.tf(3)), 2.09861228866811, accuracy: 1e-6)

        // Through the public reading API.
        let store = try IndexStore(path: w.index)
        XCTAssertEqual(store.passageCount, 3)
        XCTAssertEqual(try store.term("chat")?.df, 2)
        XCTAssertEqual(try store.term("loup")?.df, 1)
        XCTAssertNil(try store.term("tigre"))
        let v = try XCTUnwrap(store.vectors(rowid: pa.rowid))
        XCTAssertEqual(v.length, 3)
        let chatID = try XCTUnwrap(store.term("chat")?.id)
        let i = try XCTUnwrap(v.weights.ids.firstIndex(of: chatID))
        XCTAssertEqual(Double(v.weights.values[i]), 0.7898069290660905, accuracy: 1e-5)
        XCTAssertEqual(try store.meta("average_length").flatMap(Double.init) ?? 0, 3, accuracy: 1e-9, "(3 + 2 + 4) / 3")
        try F.assertConsistent(w.index)
    }

    // MARK: - Incremental updates

    private let astana = "Astana\nAstana est la capitale du Kazakhstan. La ville est moderne.\nLe pays exporte du pétrole et du gaz.\n"
    private let chats = "Les chats\nLes chats dorment beaucoup. Un chat noir traverse la rue.\nLe zèbre galope dans la savane.\n"
    private let fleuve = "Le fleuve Ili\nLe fleuve Ili traverse le Kazakhstan et la Chine.\n"

    /// A corpus of three small documents, indexed; returns the workspace and the three paths.
    private func threeDocuments() throws -> (w: (root: String, corpus: String, index: String), a: String, b: String, c: String) {
        let w = try workspace()
        let a = try F.write(astana, to: "a.txt", in: w.corpus)
        let b = try F.write(chats, to: "b.txt", in: w.corpus)
        let c = try F.write(fleuve, to: "sub/c.txt", in: w.corpus)
        let s = try F.index([w.corpus], into: w.index)
        XCTAssertEqual(s.added, 3)
        try F.assertConsistent(w.index)
        return (w, a, b, c)
    }

    /// Documents in `untouched` keep their document row and their passage rows (ids, offsets, text, terms,
    /// counts) exactly; their weights are those of the new N and df (checked by `assertConsistent`).
    private func assertUntouched(_ untouched: [String], before: F.Snapshot, after: F.Snapshot,
                                 file: StaticString = #filePath, line: UInt = #line) {
        for path in untouched {
            let d0 = before.documents[path], d1 = after.documents[path]
            XCTAssertNotNil(d1, "\(path) is still indexed", file: file, line: line)
            XCTAssertEqual(d0.map { "\($0.id) \($0.title) \($0.hash) \($0.bytes)" }, d1.map { "\($0.id) \($0.title) \($0.hash) \($0.bytes)" },
                           "\(path): document row", file: file, line: line)
            func rows(_ s: F.Snapshot) -> [String] {
                s.passages(of: path).map { p in
                    let counts = (p.tf ?? [:]).map { "\(s.termText[$0.key] ?? "?")=\($0.value)" }.sorted().joined(separator: ",")
                    return "\(p.rowid) \(p.docID) \(p.pid) \(p.title) ¶\(p.paragraph) \(p.start)..<\(p.end) \(p.text) [\(p.ftsTerms ?? "-")] \(counts)"
                }
            }
            XCTAssertEqual(rows(before), rows(after), "\(path): passage rows", file: file, line: line)
        }
    }

    /// Whether some weight of `path`'s passages changed between the snapshots.
    private func weightsChanged(_ path: String, before: F.Snapshot, after: F.Snapshot) -> Bool {
        zip(before.passages(of: path), after.passages(of: path)).contains { p0, p1 in
            let w0 = before.weightsByTerm(p0), w1 = after.weightsByTerm(p1)
            return w0.contains { abs(Double($0.value) - Double(w1[$0.key] ?? 0)) > 1e-6 }
        }
    }

    /// The incrementally updated index holds what a fresh build of the same roots holds (ids aside).
    private func assertSameAsFreshBuild(_ index: String, roots: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let fresh = try F.temporaryFolder(for: self, "kzqa-fresh") + "/fresh.sqlite"
        try F.index(roots, into: fresh)
        let s = try F.snapshot(index), f = try F.snapshot(fresh)
        XCTAssertEqual(s.df, f.df, "df differs from a fresh build", file: file, line: line)
        XCTAssertEqual(s.meta, f.meta, "meta differs from a fresh build", file: file, line: line)
        func key(_ p: F.StoredPassage) -> String { "\(p.path) \(p.pid) \(p.start)..<\(p.end)" }
        XCTAssertEqual(s.passages.map(key).sorted(), f.passages.map(key).sorted(), "passages differ from a fresh build", file: file, line: line)
        let freshByKey = Dictionary(f.passages.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        for p in s.passages {
            guard let q = freshByKey[key(p)] else { continue }
            let a = s.weightsByTerm(p), b = f.weightsByTerm(q)
            XCTAssertEqual(Set(a.keys), Set(b.keys), "\(p.pid): weight terms", file: file, line: line)
            for (t, x) in a { XCTAssertEqual(x, b[t] ?? .nan, accuracy: 1e-6, "\(p.pid): weight of \(t)", file: file, line: line) }
        }
    }

    func testEditingAFileUpdatesOnlyItsPassagesAndTheStatistics() throws {
        let (w, a, b, c) = try threeDocuments()
        let before = try F.snapshot(w.index)
        let zebre = stem("zèbre"), savane = stem("savane"), xylophone = stem("xylophone"), chat = stem("chats")
        XCTAssertEqual(before.df[zebre], 1)
        XCTAssertEqual(before.df[savane], 1)
        XCTAssertNil(before.df[xylophone])
        XCTAssertEqual(before.df[chat], 2, "the title and the second line")

        // Drop the zebra line, add two lines: one new term, and chat in a second passage.
        let edited = "Les chats\nLes chats dorment beaucoup. Un chat noir traverse la rue.\nLe xylophone résonne dans la salle.\nUne dernière ligne sur les chats.\n"
        try F.write(edited, to: "b.txt", in: w.corpus)
        let summary = try F.index([w.corpus], into: w.index)
        XCTAssertEqual(summary.updated, 1)
        XCTAssertEqual(summary.unchanged, 2)
        XCTAssertEqual(summary.added + summary.removed + summary.skipped, 0)

        let after = try F.snapshot(w.index)
        XCTAssertEqual(after.passageCount, before.passageCount + 1)
        XCTAssertEqual(after.meta["passages"], String(before.passageCount + 1), "N in meta follows")
        XCTAssertNil(after.df[zebre], "a term whose df drops to 0 is removed")
        XCTAssertNil(after.df[savane], "a term whose df drops to 0 is removed")
        XCTAssertEqual(after.df[xylophone], 1)
        XCTAssertEqual(after.df[chat], 3, "one more passage with chat")
        XCTAssertEqual(after.df[stem("Kazakhstan")], before.df[stem("Kazakhstan")], "terms of other files keep their df")
        // The edited file's passages are exactly the chunker's cut of its new text.
        XCTAssertEqual(after.passages(of: b).map { "\($0.pid) \($0.start)..<\($0.end) \($0.text)" },
                       Chunker().passages(of: edited, source: b).map { "\($0.id) \($0.start)..<\($0.end) \($0.text)" })
        XCTAssertEqual(after.documents[b]?.hash, ContentHash.of(Array(edited.utf8)))
        assertUntouched([a, c], before: before, after: after)
        XCTAssertTrue(weightsChanged(a, before: before, after: after), "N changed, so other documents' weights must change")
        XCTAssertTrue(weightsChanged(c, before: before, after: after))
        try F.assertConsistent(w.index)
        try F.assertOffsetsReproduceSource(w.index)
        try assertSameAsFreshBuild(w.index, roots: [w.corpus])
    }

    func testAddingAFileUpdatesOnlyItsPassagesAndTheStatistics() throws {
        let (w, a, b, c) = try threeDocuments()
        let before = try F.snapshot(w.index)
        let kazakhstan = stem("Kazakhstan"), almaty = stem("Almaty")
        XCTAssertEqual(before.df[kazakhstan], 2)
        XCTAssertNil(before.df[almaty])

        let text = "Almaty\nAlmaty est la plus grande ville du Kazakhstan.\n"
        let d = try F.write(text, to: "sub/deeper/d.md", in: w.corpus)
        let summary = try F.index([w.corpus], into: w.index)
        XCTAssertEqual(summary.added, 1)
        XCTAssertEqual(summary.unchanged, 3)
        XCTAssertEqual(summary.updated + summary.removed + summary.skipped, 0)
        XCTAssertEqual(summary.documents, 4)

        let after = try F.snapshot(w.index)
        XCTAssertEqual(after.passages(of: d).map(\.text), ["Almaty", "Almaty est la plus grande ville du Kazakhstan."])
        XCTAssertEqual(after.passageCount, before.passageCount + 2)
        XCTAssertEqual(after.meta["passages"], String(before.passageCount + 2))
        XCTAssertEqual(after.df[kazakhstan], 3)
        XCTAssertEqual(after.df[almaty], 2)
        XCTAssertEqual(after.documents[d]?.title, "Almaty")
        assertUntouched([a, b, c], before: before, after: after)
        XCTAssertTrue(weightsChanged(a, before: before, after: after))
        XCTAssertTrue(weightsChanged(b, before: before, after: after))
        try F.assertConsistent(w.index)
        try assertSameAsFreshBuild(w.index, roots: [w.corpus])
    }

    func testDeletingAFileRemovesItsPassagesAndUpdatesTheStatistics() throws {
        let (w, a, b, c) = try threeDocuments()
        let before = try F.snapshot(w.index)
        let kazakhstan = stem("Kazakhstan"), ili = stem("Ili"), fleuve = stem("fleuve")
        XCTAssertEqual(before.df[ili], 2)
        XCTAssertEqual(before.df[fleuve], 2)
        let removedPassages = before.passages(of: c).count
        XCTAssertEqual(removedPassages, 2)

        try FileManager.default.removeItem(atPath: c)
        let summary = try F.index([w.corpus], into: w.index)
        XCTAssertEqual(summary.removed, 1)
        XCTAssertEqual(summary.unchanged, 2)
        XCTAssertEqual(summary.added + summary.updated + summary.skipped, 0)
        XCTAssertEqual(summary.documents, 2)

        let after = try F.snapshot(w.index)
        XCTAssertNil(after.documents[c])
        XCTAssertTrue(after.passages(of: c).isEmpty)
        XCTAssertEqual(after.passageCount, before.passageCount - removedPassages)
        XCTAssertEqual(after.meta["passages"], String(before.passageCount - removedPassages))
        XCTAssertNil(after.df[ili], "terms whose df drops to 0 are removed")
        XCTAssertNil(after.df[fleuve])
        XCTAssertEqual(after.df[kazakhstan], 1)
        XCTAssertEqual(after.df[stem("chats")], before.df[stem("chats")])
        let raw = try F.Raw(w.index)
        XCTAssertEqual(try raw.scalar("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH '\(ili)'")?.int, 0,
                       "the FTS rows of the deleted file are gone")
        assertUntouched([a, b], before: before, after: after)
        XCTAssertTrue(weightsChanged(a, before: before, after: after))
        try F.assertConsistent(w.index)
        try assertSameAsFreshBuild(w.index, roots: [w.corpus])
    }

    /// A file whose only passage has no index term still changes N, so every other vector must be re-weighted.
    func testAddingAFileWithoutTermsStillReweightsTheOthers() throws {
        let (w, a, _, _) = try threeDocuments()
        XCTAssertEqual(FrenchAnalyzer().indexTerms("— … !"), [], "premise: punctuation gives no index term")
        let before = try F.snapshot(w.index)
        let e = try F.write("— … !\n", to: "e.txt", in: w.corpus)
        let summary = try F.index([w.corpus], into: w.index)
        XCTAssertEqual(summary.added, 1)
        let after = try F.snapshot(w.index)
        XCTAssertEqual(after.passages(of: e).count, 1)
        XCTAssertEqual(after.passageCount, before.passageCount + 1)
        XCTAssertTrue(weightsChanged(a, before: before, after: after), "N changed, so other documents' weights must change")
        try F.assertConsistent(w.index)
        try assertSameAsFreshBuild(w.index, roots: [w.corpus])

        // And removing it again restores the former weights.
        try FileManager.default.removeItem(atPath: e)
        XCTAssertEqual(try F.index([w.corpus], into: w.index).removed, 1)
        try F.assertConsistent(w.index)
    }

    func testReindexingAnUnchangedFolderChangesNothing() throws {
        let index = try indexedSeeds()
        let before = try F.dump(index)
        XCTAssertFalse(before.isEmpty)
        let summary = try F.index([F.seedsFolder], into: index)
        XCTAssertEqual(summary.unchanged, 2)
        XCTAssertEqual(summary.added, 0)
        XCTAssertEqual(summary.updated, 0)
        XCTAssertEqual(summary.removed, 0)
        XCTAssertEqual(summary.skipped, 0)
        XCTAssertEqual(summary.documents, 2)
        let after = try F.dump(index)
        XCTAssertEqual(before.count, after.count)
        XCTAssertEqual(before, after, "re-indexing unchanged files must leave every row as it was")
        // Same through another spelling of the root (trailing slash).
        XCTAssertEqual(try F.index([F.seedsFolder + "/"], into: index).unchanged, 2)
        XCTAssertEqual(try F.dump(index), before)
    }

    /// Documents indexed from another root stay when a root is re-indexed; removal is limited to the given roots.
    func testDocumentsFromOtherRootsStay() throws {
        let w = try workspace()
        let one = w.corpus + "/one", two = w.corpus + "/two"
        let a1 = try F.write("Astana est la capitale.\n", to: "a1.txt", in: one)
        let a2 = try F.write("Le pays exporte du gaz.\n", to: "a2.txt", in: one)
        let b1 = try F.write("Les chats dorment.\n", to: "b1.txt", in: two)
        XCTAssertEqual(try F.index([one], into: w.index).added, 2)
        XCTAssertEqual(try F.index([two], into: w.index).added, 1)
        XCTAssertEqual(Set(try F.snapshot(w.index).documents.keys), [a1, a2, b1])
        try FileManager.default.removeItem(atPath: a1)
        let s = try F.index([two], into: w.index)
        XCTAssertEqual(s.removed, 0, "a1 is not under the given root")
        XCTAssertEqual(Set(try F.snapshot(w.index).documents.keys), [a1, a2, b1])
        let s2 = try F.index([one], into: w.index)
        XCTAssertEqual(s2.removed, 1)
        XCTAssertEqual(s2.unchanged, 1)
        XCTAssertEqual(Set(try F.snapshot(w.index).documents.keys), [a2, b1])
        try F.assertConsistent(w.index)
    }

    // MARK: - Problem files

    func testNonUTF8FileIsSkippedWithAWarningAndTheRunGoesOn() throws {
        let w = try workspace()
        let a = try F.write("Astana est la capitale du Kazakhstan.\n", to: "a.txt", in: w.corpus)
        let bad = try F.write([0xff, 0xfe, 0x41], to: "b.txt", in: w.corpus)
        let c = try F.write("Le fleuve Ili traverse la steppe.\n", to: "c.txt", in: w.corpus)
        let log = F.WarningLog()
        let summary = try F.index([w.corpus], into: w.index, log: log)
        XCTAssertEqual(summary.skipped, 1)
        XCTAssertEqual(summary.added, 2, "the files after the bad one are indexed too")
        XCTAssertEqual(log.lines.count, 1, "one warning: \(log.lines)")
        XCTAssertTrue(log.lines.first?.contains(bad) ?? false, "the warning names the file: \(log.lines)")
        XCTAssertFalse(log.lines.first?.contains("\n") ?? true, "one line")
        XCTAssertEqual(Set(try F.snapshot(w.index).documents.keys), [a, c])
        try F.assertConsistent(w.index)

        // Next run: still skipped (and said again), the others unchanged.
        let log2 = F.WarningLog()
        let again = try F.index([w.corpus], into: w.index, log: log2)
        XCTAssertEqual(again.skipped, 1)
        XCTAssertEqual(again.unchanged, 2)
        XCTAssertTrue(log2.lines.contains { $0.contains(bad) })
    }

    func testJSONLRecordsBecomePassagesAndInvalidLinesAreReported() throws {
        let w = try workspace()
        let long = String(repeating: "Le chat noir dort sur le tapis rouge du salon. ", count: 25).trimmingCharacters(in: .whitespaces)
        let lines = [
            #"{"id": "r1", "title": "Premier", "text": "Astana est la capitale. Elle est moderne."}"#,  // 1
            #"{"id": "r2", "text": "#,                                                                 // 2: broken
            "",                                                                                           // 3: blank
            #"{"title": "Sans id", "text": "Le Kazakhstan exporte du pétrole."}"#,                       // 4
            #"{"id": "r5", "text": 42}"#,                                                                 // 5: text not a string
            #"[1, 2]"#,                                                                                   // 6: not an object
            #"{"id": 7, "text": "Un identifiant numérique, « cité » — ça va."}"#,                       // 7
            #"{"id": "long", "text": "\#(long)"}"#,                                                       // 8: > 800 characters
        ]
        let path = try F.write(lines.joined(separator: "\n") + "\n", to: "records.jsonl", in: w.corpus)
        let txt = try F.write("Un fichier texte à côté.\n", to: "z.txt", in: w.corpus)
        let log = F.WarningLog()
        let summary = try F.index([w.corpus], into: w.index, log: log)
        XCTAssertEqual(summary.added, 2)
        XCTAssertEqual(summary.skipped, 0)

        XCTAssertEqual(log.lines.count, 3, "\(log.lines)")
        for n in [2, 5, 6] {
            XCTAssertTrue(log.lines.contains { $0.contains("line \(n)") && $0.contains(path) }, "line \(n) reported: \(log.lines)")
        }
        for n in [1, 3, 4, 7, 8] {
            XCTAssertFalse(log.lines.contains { $0.contains("line \(n):") }, "line \(n) is not reported")
        }

        let s = try F.snapshot(w.index)
        let passages = s.passages(of: path)
        XCTAssertEqual(passages.prefix(3).map { "\($0.pid) | \($0.title) | ¶\($0.paragraph) | \($0.text)" }, [
            "r1 | Premier | ¶1 | Astana est la capitale. Elle est moderne.",
            "records:4 | Sans id | ¶4 | Le Kazakhstan exporte du pétrole.",
            "7 | records.jsonl | ¶7 | Un identifiant numérique, « cité » — ça va.",
        ])
        let longParts = passages.dropFirst(3)
        XCTAssertGreaterThanOrEqual(longParts.count, 2, "a long record is cut like a paragraph")
        XCTAssertEqual(longParts.map(\.pid), (1...longParts.count).map { "long#\($0)" })
        XCTAssertTrue(longParts.allSatisfy { $0.paragraph == 8 && $0.text.count <= 800 })
        XCTAssertEqual(longParts.map(\.text).joined(separator: " "), long)
        // Offsets are into the record's text.
        let records: [String: String] = ["r1": "Astana est la capitale. Elle est moderne.", "records:4": "Le Kazakhstan exporte du pétrole.",
                                         "7": "Un identifiant numérique, « cité » — ça va."]
        for p in passages {
            let record = records[p.pid] ?? long
            let bytes = Array(record.utf8)
            XCTAssertTrue(p.start >= 0 && p.start < p.end && p.end <= bytes.count, "\(p.pid): range")
            if p.end <= bytes.count, p.start < p.end {
                XCTAssertEqual(String(decoding: bytes[p.start..<p.end], as: UTF8.self), p.text, p.pid)
            }
        }
        XCTAssertEqual(s.documents[path]?.title, "records.jsonl")
        XCTAssertEqual(s.passages(of: txt).map(\.text), ["Un fichier texte à côté."])
        try F.assertConsistent(w.index)
    }

    /// A JSONL file written with Windows line endings reads the same as with `\n`.
    func testJSONLWithWindowsLineEndings() throws {
        let w = try workspace()
        let body = [#"{"id": "a", "text": "Astana est la capitale."}"#, #"{"id": "b", "text": "Le pays exporte du gaz."}"#, "nope"]
        let path = try F.write(body.joined(separator: "\r\n") + "\r\n", to: "crlf.jsonl", in: w.corpus)
        let log = F.WarningLog()
        try F.index([w.corpus], into: w.index, log: log)
        let s = try F.snapshot(w.index)
        XCTAssertEqual(s.passages(of: path).map { "\($0.pid) ¶\($0.paragraph) \($0.text)" },
                       ["a ¶1 Astana est la capitale.", "b ¶2 Le pays exporte du gaz."])
        XCTAssertEqual(log.lines.count, 1, "\(log.lines)")
        XCTAssertTrue(log.lines.first?.contains("line 3") ?? false, "\(log.lines)")
    }

    // MARK: - Synonyms

    /// A tiny MyThes file: pairs whose synonym stem the index holds are stored, both ways, direct ones first;
    /// they follow the vocabulary when documents go.
    func testSynonymsFromATinyThesaurus() throws {
        let w = try workspace()
        let thesaurus = try F.write("UTF-8\nchat|1\n(Nom)|matou|minet|chat sauvage\ntapis|1\n(Nom)|carpette\n", to: "thes.dat", in: w.root)
        try F.write("Le chat dort.\n", to: "a.txt", in: w.corpus)
        let b = try F.write("Le matou mange.\n", to: "b.txt", in: w.corpus)
        let indexer = F.indexer(w.index)
        indexer.thesaurusPath = thesaurus
        _ = try indexer.run(roots: [w.corpus])
        let (chat, matou, minet) = (stem("chat"), stem("matou"), stem("minet"))
        let raw = try F.Raw(w.index)
        func rows() throws -> [String] {
            try raw.query("SELECT term, synonym FROM synonyms ORDER BY rank").map { "\($0[0].text ?? "") → \($0[1].text ?? "")" }
        }
        XCTAssertEqual(try rows(), ["\(chat) → \(matou)", "\(matou) → \(chat)", "\(minet) → \(chat)"],
                       "multi-word synonyms and entries with no stem in the index are left out")
        let store = try IndexStore(path: w.index)
        XCTAssertEqual(try store.synonyms(of: chat, limit: 5), [matou])
        XCTAssertEqual(try store.synonyms(of: matou, limit: 5), [chat])

        // Without matou in the index, only chat's pairs whose synonym is indexed remain.
        try FileManager.default.removeItem(atPath: b)
        _ = try indexer.run(roots: [w.corpus])
        XCTAssertEqual(try rows(), ["\(matou) → \(chat)", "\(minet) → \(chat)"])
    }

    func testAnUnreadableThesaurusIsReportedAndIndexingGoesOn() throws {
        let w = try workspace()
        try F.write("Le chat dort.\n", to: "a.txt", in: w.corpus)
        let log = F.WarningLog()
        let indexer = F.indexer(w.index, log: log)
        indexer.thesaurusPath = w.root + "/absent-thesaurus.dat"
        XCTAssertEqual(try indexer.run(roots: [w.corpus]).added, 1)
        XCTAssertEqual(log.lines.count, 1, "\(log.lines)")
        XCTAssertTrue(log.lines.first?.hasPrefix("no synonyms") ?? false, "\(log.lines)")
        XCTAssertEqual(try F.Raw(w.index).scalar("SELECT count(*) FROM synonyms")?.int, 0)
        try F.assertConsistent(w.index)
    }

    // MARK: - Rebuild and locking

    func testRebuildProducesAFreshIndexAndLeavesNoTemporaryFile() throws {
        let w = try workspace()
        let one = w.corpus + "/one", two = w.corpus + "/two"
        try F.write("Astana est la capitale.\n", to: "a.txt", in: one)
        let b = try F.write("Les chats dorment. Le zèbre galope.\n", to: "b.txt", in: two)
        try F.index([one], into: w.index)
        try F.index([two], into: w.index)
        XCTAssertEqual(try F.snapshot(w.index).documents.count, 2)

        let summary = try F.index([two], into: w.index, rebuild: true)
        // Checked before anything reads the index (a read-only reader may leave its own -wal/-shm files).
        let folder = (w.index as NSString).deletingLastPathComponent
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        XCTAssertEqual(left, ["kzqa.sqlite", "kzqa.sqlite.lock"], "only the index and its lock file are left")
        XCTAssertEqual(summary.added, 1)
        XCTAssertEqual(summary.documents, 1)
        XCTAssertEqual(summary.unchanged, 0, "a rebuild starts from nothing")
        XCTAssertEqual(Set(try F.snapshot(w.index).documents.keys), [b])

        // Exactly what a first build of the same roots gives.
        let fresh = try F.temporaryFolder(for: self, "kzqa-fresh") + "/fresh.sqlite"
        try F.index([two], into: fresh)
        XCTAssertEqual(try F.dump(w.index), try F.dump(fresh))

        try F.assertConsistent(w.index)
        _ = try IndexStore(path: w.index)
    }

    /// A file that is not a kzqa index is never written into nor replaced, rebuild or not; `force` replaces it.
    func testAFileThatIsNotAnIndexIsNeverWrittenInto() throws {
        let w = try workspace()
        try F.write("Astana est la capitale.\n", to: "a.txt", in: w.corpus)
        let text = Array(String(repeating: "not an index at all\n", count: 100).utf8)
        try F.write(String(decoding: text, as: UTF8.self), to: "index/kzqa.sqlite", in: w.root)
        for rebuild in [false, true] {
            assertThrowsKZQA(try F.index([w.corpus], into: w.index, rebuild: rebuild),
                             { if case .notAnIndex(let p, _) = $0 { p == w.index } else { false } },
                             "a run (rebuild: \(rebuild)) refuses a file that is not an index")
            XCTAssertEqual(try F.bytes(of: w.index), text, "and leaves it untouched")
        }
        XCTAssertEqual(try F.indexer(w.index).run(roots: [w.corpus], rebuild: true, force: true).added, 1, "--force replaces it")
        XCTAssertEqual(try IndexStore(path: w.index).documents().count, 1)
        try F.assertConsistent(w.index)
    }

    func testSecondIndexerWhileTheLockIsHeldFailsBusy() throws {
        let w = try workspace()
        try F.write("Astana est la capitale.\n", to: "a.txt", in: w.corpus)
        try FileManager.default.createDirectory(atPath: (w.index as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let lock = try IndexLock(indexPath: w.index)
        assertThrowsKZQA(try F.index([w.corpus], into: w.index), { $0 == .indexBusy(path: w.index) }, "lock held")
        assertThrowsKZQA(try F.index([w.corpus], into: w.index, rebuild: true), { $0 == .indexBusy(path: w.index) }, "lock held, rebuild")
        XCTAssertFalse(FileManager.default.fileExists(atPath: w.index), "nothing was written while locked")
        // A second lock on the same file is refused too.
        assertThrowsKZQA(try IndexLock(indexPath: w.index), { $0 == .indexBusy(path: w.index) }, "second lock")
        lock.release()
        XCTAssertEqual(try F.index([w.corpus], into: w.index).added, 1, "works once the lock is released")
    }

    // MARK: - Opening

    func testOpeningANonSQLiteFileThrowsUnreadable() throws {
        let w = try workspace()
        let path = try F.write(String(repeating: "Ceci n’est pas une base SQLite.\n", count: 64), to: "notadb.sqlite", in: w.root)
        assertThrowsKZQA(try IndexStore(path: path), { if case .notAnIndex(let p, _) = $0 { p == path } else { false } },
                         "text file")
        // An SQLite file that is not a kzqa index.
        let other = w.root + "/other.sqlite"
        do {
            let db = try SQLiteDatabase(path: other)
            try db.execute("CREATE TABLE things(x); INSERT INTO things VALUES (1);")
        }
        assertThrowsKZQA(try IndexStore(path: other), { if case .notAnIndex(let p, _) = $0 { p == other } else { false } },
                         "SQLite file without meta")
        assertThrowsKZQA(try IndexStore(path: w.root + "/absent.sqlite"), { $0 == .indexMissing(path: w.root + "/absent.sqlite") },
                         "missing file")
    }

    func testADifferentSchemaVersionThrowsIncompatible() throws {
        let w = try workspace()
        try F.write("Astana est la capitale.\n", to: "a.txt", in: w.corpus)
        try F.index([w.corpus], into: w.index)
        XCTAssertNoThrow(try IndexStore(path: w.index))
        do {
            let raw = try F.Raw(w.index, readOnly: false)
            try raw.execute("UPDATE meta SET value = '0-old' WHERE key = 'schema_version'")
        }
        // The error names the paths the index was built from, for the --rebuild hint.
        let expected = KZQAError.indexIncompatible(path: w.index, found: "0-old", expected: IndexSchema.version,
                                                   sources: [CorpusFiles.realPath(w.corpus)])
        assertThrowsKZQA(try IndexStore(path: w.index), { $0 == expected }, "IndexStore")
        assertThrowsKZQA(try F.index([w.corpus], into: w.index), { $0 == expected }, "an incremental run refuses it too")
        XCTAssertTrue(expected.description.contains("--rebuild --index \(w.index) \(CorpusFiles.realPath(w.corpus))"), expected.description)
        // An index that does not store its sources (schema 1) names its documents' folders instead.
        do {
            let raw = try F.Raw(w.index, readOnly: false)
            try raw.execute("DELETE FROM meta WHERE key = 'sources'")
        }
        XCTAssertEqual(IndexFile.sources(of: w.index), [w.corpus])
        XCTAssertEqual(try F.index([w.corpus], into: w.index, rebuild: true).added, 1)
        XCTAssertNoThrow(try IndexStore(path: w.index))
    }

    // MARK: - Plain SQL

    func testMatchQueryAndIntegrityThroughPlainSQL() throws {
        let index = try indexedSeeds()
        let analyzer = FrenchAnalyzer()
        let snapshot = try F.snapshot(index)
        let expected = snapshot.passages.filter { analyzer.indexTerms($0.text).contains("kazakhstan") }.count
        XCTAssertGreaterThan(expected, 0)

        let raw = try F.Raw(index)
        let count = try raw.scalar("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH 'kazakhstan'")?.int
        XCTAssertEqual(count, Int64(expected))
        XCTAssertEqual(try raw.query("PRAGMA integrity_check").map { $0.first?.text }, ["ok"])
        XCTAssertEqual(try raw.scalar("PRAGMA journal_mode")?.text, "wal")
        let rw = try F.Raw(index, readOnly: false)
        XCTAssertNoThrow(try rw.execute("INSERT INTO passages_fts(passages_fts) VALUES('integrity-check')"), "FTS5 integrity check")

        let cli = "/usr/bin/sqlite3"
        guard FileManager.default.isExecutableFile(atPath: cli) else { return }
        func sqlite3(_ sql: String) throws -> String {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: cli)
            p.arguments = ["-readonly", index, sql]
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            _ = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, "sqlite3 \(sql)")
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        XCTAssertEqual(try sqlite3("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH 'kazakhstan';"), String(expected))
        XCTAssertEqual(try sqlite3("PRAGMA integrity_check;"), "ok")
    }
}
