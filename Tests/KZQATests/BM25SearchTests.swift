import Foundation
import XCTest
import KZQAFuzzing
@testable import KZQA

/// The postings path of mode bm25: the block codec, the cursor's skips, and MaxScore's top k against a ranking that
/// scores every passage, on a seeded generated corpus, after a build and after incremental edits and deletions.
final class BM25SearchTests: XCTestCase {
    // MARK: - codec

    func testCodecRoundTripsAndConcatenates() throws {
        var rng = SplitMix64(seed: 7)
        var postings: [(rowid: Int64, tf: UInt32)] = []
        var rowid: Int64 = 0
        for _ in 0..<1_000 {
            rowid += Int64(rng.next() % 300) + 1
            postings.append((rowid, UInt32(rng.next() % 20) + 1))
        }
        let head = Array(postings[..<333]), tail = Array(postings[333...])
        let joined = PostingCodec.encode(head) + PostingCodec.encode(tail)
        for bytes in [PostingCodec.encode(postings), joined] {
            let decoded = try XCTUnwrap(bytes.withUnsafeBytes { PostingCodec.decode($0) })
            XCTAssertEqual(decoded.map(\.rowid), postings.map(\.rowid))
            XCTAssertEqual(decoded.map(\.tf), postings.map(\.tf))
        }
        // advance(to:) lands on the first posting at or after the target, skipping blocks.
        let list = PostingList(postings, minLength: 1)
        var cursor = list.cursor()
        var targets = (0..<200).map { _ in Int64(rng.next() % UInt64(rowid + 50)) }
        targets.sort()
        for target in targets {
            cursor.advance(to: target)
            let expected = postings.first { $0.rowid >= target }
            XCTAssertEqual(cursor.rowid, expected?.rowid ?? PostingCursor.end, "target \(target)")
            if let expected { XCTAssertEqual(cursor.tf, expected.tf) }
        }
    }

    func testMalformedListsEndWithoutReadingPastTheBytes() {
        let good = PostingCodec.encode([(3, 1), (9, 2), (40, 1)])
        for cut in 0..<good.count {
            let bytes = Array(good[..<cut])
            let decoded = bytes.withUnsafeBytes { PostingCodec.decode($0) }
            if cut > 0 { XCTAssertNil(decoded, "cut at \(cut)") }
        }
        // Varints that never end.
        let runaway = [UInt8](repeating: 0xff, count: 12)
        XCTAssertNil(runaway.withUnsafeBytes { PostingCodec.decode($0) })
    }

    // MARK: - MaxScore against every passage scored

    /// Exact BM25 of every passage holding a term, score descending, ties by row id: the ranking `BM25Search`
    /// must reproduce.
    static func bruteForce(_ terms: [(postings: [(rowid: Int64, tf: UInt32)], idf: Double)], lengths: [UInt32],
                           averageLength: Double, k: Int) -> [(rowid: Int64, score: Double)] {
        var perTerm: [[Int64: UInt32]] = terms.map { t in Dictionary(uniqueKeysWithValues: t.postings.map { ($0.rowid, $0.tf) }) }
        var rows = Set<Int64>()
        for t in perTerm { rows.formUnion(t.keys) }
        var scored: [(rowid: Int64, score: Double)] = []
        for rowid in rows {
            var score = 0.0
            for (i, t) in terms.enumerated() {
                guard let tf = perTerm[i][rowid] else { continue }
                score += Scoring.bm25(tf: Double(tf), idf: t.idf, length: Double(lengths[Int(rowid)]), averageLength: averageLength)
            }
            scored.append((rowid, score))
        }
        perTerm.removeAll()
        return Array(scored.sorted { $0.score != $1.score ? $0.score > $1.score : $0.rowid < $1.rowid }.prefix(k))
    }

    func testMaxScoreEqualsScoringEveryPassageOnRandomLists() {
        var rng = SplitMix64(seed: 20_240_101)
        let passages = 4_000
        // Few distinct lengths and small tfs: many ties, which pruning must break like the full ranking.
        let lengths = (0...passages).map { _ in UInt32(rng.next() % 6) * 5 + 5 }
        let average = Double(lengths.reduce(0, +)) / Double(lengths.count)
        for query in 0..<200 {
            let termCount = Int(rng.next() % 6) + 1
            var terms: [(postings: [(rowid: Int64, tf: UInt32)], idf: Double)] = []
            for _ in 0..<termCount {
                let density = [0.002, 0.02, 0.2, 0.6][Int(rng.next() % 4)]
                var postings: [(rowid: Int64, tf: UInt32)] = []
                for rowid in 1...passages where Double(rng.next() % 10_000) / 10_000 < density {
                    postings.append((Int64(rowid), UInt32(rng.next() % 3) + 1))
                }
                let idf = Scoring.bm25IDF(documents: passages, documentFrequency: max(postings.count, 1)) * [1, 0.5, 0.8][Int(rng.next() % 3)]
                terms.append((postings, idf))
            }
            let k = [1, 10, 50][query % 3]
            let search = terms.compactMap { t -> BM25Search.Term? in
                guard !t.postings.isEmpty else { return nil }
                let minLength = t.postings.map { lengths[Int($0.rowid)] }.min() ?? 0
                return BM25Search.Term(idf: t.idf, list: PostingList(t.postings, minLength: minLength))
            }
            let got = BM25Search.top(k, terms: search, lengths: lengths, averageLength: average)
            let want = Self.bruteForce(terms.filter { !$0.postings.isEmpty }, lengths: lengths, averageLength: average, k: k)
            XCTAssertEqual(got.map(\.rowid), want.map(\.rowid), "query \(query)")
            XCTAssertEqual(got.map(\.score), want.map(\.score), "query \(query)")
        }
    }

    // MARK: - on an index

    /// A seeded corpus of `count` JSONL records over a Zipf-like vocabulary of made-up words.
    static func corpus(count: Int, seed: UInt64) -> (lines: [String], words: [String]) {
        var rng = SplitMix64(seed: seed)
        let syllables = ["ba", "ko", "ti", "ru", "me", "sa", "lo", "vi", "da", "nu", "pe", "zo"]
        var words: [String] = []
        var seen = Set<String>()
        while words.count < 300 {
            let n = Int(rng.next() % 3) + 2
            let w = (0..<n).map { _ in syllables[Int(rng.next() % UInt64(syllables.count))] }.joined() + "x"
            if seen.insert(w).inserted { words.append(w) }
        }
        // Zipf: the word of rank r drawn with probability ∝ 1 / r.
        let harmonic = (1...words.count).reduce(0.0) { $0 + 1 / Double($1) }
        func draw() -> String {
            var u = Double(rng.next() % 1_000_000) / 1_000_000 * harmonic
            for (r, w) in words.enumerated() {
                u -= 1 / Double(r + 1)
                if u <= 0 { return w }
            }
            return words[words.count - 1]
        }
        let lines = (0..<count).map { i -> String in
            let length = Int(rng.next() % 40) + 3
            let text = (0..<length).map { _ in draw() }.joined(separator: " ") + "."
            return #"{"id": "p\#(i)", "title": "t\#(i % 97)", "text": "\#(text)"}"#
        }
        return (lines, words)
    }

    /// For random queries over `words`: mode bm25's top 10 (through the stored postings) equals every passage
    /// scored from its stored counts and length, and its scores are those of FTS5's `bm25()` for the same query.
    func checkTopTen(store: IndexStore, words: [String], seed: UInt64, queries: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        var rng = SplitMix64(seed: seed)
        let retriever = Retriever(store: store)
        let raw = try IndexFixtures.Raw(store.path)
        var rows: [(rowid: Int64, counts: SparseVector, length: Int)] = []
        for rowid in try store.allPassageRowIDs() {
            let v = try XCTUnwrap(try store.vectors(rowid: rowid))
            rows.append((rowid, v.counts, v.length))
        }
        for q in 0..<queries {
            let n = Int(rng.next() % 5) + 1
            let question = (0..<n).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
            let terms = ExpandedTerm.plain(Query(question))
            var known: [String: (id: Int32, df: Int)] = [:]
            for e in terms { if let info = try store.term(e.term) { known[e.term] = info } }
            let got = try retriever.bm25Top(terms, known: known, depth: 10)
            // Every passage scored, each distinct term once, in the order given.
            var searched: [(id: Int32, idf: Double)] = [], seen = Set<String>()
            for e in terms where seen.insert(e.term).inserted {
                guard let info = known[e.term] else { continue }
                searched.append((info.id, Scoring.fts5IDF(documents: store.passageCount, documentFrequency: info.df)))
            }
            var scored: [(rowid: Int64, score: Double)] = []
            for r in rows {
                var score = 0.0, any = false
                for t in searched {
                    guard let k = r.counts.ids.firstIndex(of: t.id) else { continue }
                    any = true
                    score += Scoring.bm25(tf: Double(r.counts.values[k]), idf: t.idf, length: Double(r.length),
                                          averageLength: store.averageLength)
                }
                if any { scored.append((r.rowid, score)) }
            }
            let want = scored.sorted { $0.score != $1.score ? $0.score > $1.score : $0.rowid < $1.rowid }.prefix(10)
            XCTAssertEqual(got.map(\.rowid), want.map(\.rowid), "query \(q): \(question)", file: file, line: line)
            XCTAssertEqual(got.map(\.score), want.map(\.score), "query \(q): \(question)", file: file, line: line)
            // The scores FTS5's own ranking gives the same query (ties may order apart: FTS5 does not say how).
            if let match = FTS5Pattern.anyOf(terms.map(\.term)) {
                let fts = try raw.query("SELECT -bm25(passages_fts) FROM passages_fts WHERE passages_fts MATCH '\(match.replacingOccurrences(of: "'", with: "''"))' ORDER BY rank LIMIT 10")
                let theirs = fts.compactMap { row -> Double? in if case .double(let d) = row[0] { return d }; return nil }
                XCTAssertEqual(theirs.count, got.count, "query \(q): \(question)", file: file, line: line)
                for (a, b) in zip(got.map(\.score), theirs) {
                    XCTAssertEqual(a, b, accuracy: 1e-9 * max(1, abs(b)), "query \(q): \(question) (FTS5 bm25)", file: file, line: line)
                }
            }
        }
    }

    /// Every stored posting list holds exactly the passages whose counts have the term, with their tf, and its
    /// bounds hold; the lengths and dfs arrays agree with the vectors and terms tables.
    func checkPostingsMatchVectors(store: IndexStore, file: StaticString = #filePath, line: UInt = #line) throws {
        var expected: [Int32: [(rowid: Int64, tf: UInt32)]] = [:]
        let lengths = try store.postings.lengths()
        for rowid in try store.allPassageRowIDs() {
            let v = try XCTUnwrap(try store.vectors(rowid: rowid))
            XCTAssertEqual(Int(lengths[Int(rowid)]), v.length, "length of \(rowid)", file: file, line: line)
            for (id, tf) in zip(v.counts.ids, v.counts.values) { expected[id, default: []].append((rowid, UInt32(tf))) }
        }
        let dfs = try store.postings.documentFrequencies()
        for (id, want) in expected {
            let list = try XCTUnwrap(try store.postings.list(termID: id), "term \(id)", file: file, line: line)
            let got = try XCTUnwrap(PostingCodec.decode(UnsafeRawBufferPointer(start: list.bytes.baseAddress, count: list.size)))
            XCTAssertEqual(got.map(\.rowid), want.map(\.rowid), "term \(id)", file: file, line: line)
            XCTAssertEqual(got.map(\.tf), want.map(\.tf), "term \(id)", file: file, line: line)
            XCTAssertEqual(list.count, want.count, file: file, line: line)
            XCTAssertGreaterThanOrEqual(list.maxTF, want.map(\.tf).max() ?? 0, file: file, line: line)
            XCTAssertLessThanOrEqual(list.minLength, want.map { lengths[Int($0.rowid)] }.min() ?? 0, file: file, line: line)
            XCTAssertEqual(Int(dfs[Int(id)]), want.count, "df of term \(id)", file: file, line: line)
        }
        let stored = try IndexFixtures.Raw(store.path).query("SELECT count(*) FROM postings").first?.first?.int
        XCTAssertEqual(stored, Int64(expected.count), "no list for a term no passage holds", file: file, line: line)
    }

    /// Hybrid candidates read a rare term's rows from its stored posting list instead of an FTS5 MATCH
    /// (`CandidateGenerator.rows`): on real French text (numbers, elisions, hyphens, names, compounds) the two
    /// hold the same rows for every term, so the candidates are the same.
    func testPostingListsHoldTheRowsFTS5MatchesForEveryTerm() throws {
        let folder = try IndexFixtures.temporaryFolder(for: self)
        let index = folder + "/index.sqlite"
        try IndexFixtures.index([IndexFixtures.seedsFolder], into: index)
        let store = try IndexStore(path: index)
        let generator = CandidateGenerator()
        let terms = try IndexFixtures.Raw(index).query("SELECT id, term, df FROM terms WHERE df > 0")
        XCTAssertGreaterThan(terms.count, 500)
        var fromLists = 0, split = 0
        for row in terms {
            guard let id = row[0].int, let term = row[1].text, let df = row[2].int,
                  let match = FTS5Pattern.anyOf([term]) else { continue }
            let fts5 = try store.rowids(match: match, limit: generator.maxPostings)
            let rows = try generator.rows(of: .init(term: term, weight: 1, df: Int(df), id: Int32(id)), match: match, store: store)
            XCTAssertEqual(rows, fts5, "term \(term)")
            if CandidateGenerator.isOneFTS5Token(term) {
                fromLists += 1
                XCTAssertEqual(rows.count, Int(df), "term \(term)")
            } else {
                split += 1
            }
        }
        XCTAssertGreaterThan(fromLists, 500)
        // Terms FTS5 splits (`kazakhstan'`, an elided form kept whole) exist in the seeds and keep FTS5's rows.
        XCTAssertGreaterThan(split, 0)
        XCTAssertTrue(CandidateGenerator.isOneFTS5Token("ministr") && CandidateGenerator.isOneFTS5Token("2025"))
        XCTAssertFalse(CandidateGenerator.isOneFTS5Token("kazakhstan'") || CandidateGenerator.isOneFTS5Token("digital-bridg"))
    }

    func testTopTenEqualsEveryPassageScoredAfterBuildAndIncrementalRuns() throws {
        let folder = try IndexFixtures.temporaryFolder(for: self)
        let (lines, words) = Self.corpus(count: 3_000, seed: 424_242)
        let corpus = folder + "/corpus"
        try IndexFixtures.write(lines[..<2_000].joined(separator: "\n") + "\n", to: "a.jsonl", in: corpus)
        try IndexFixtures.write(lines[2_000...].joined(separator: "\n") + "\n", to: "b.jsonl", in: corpus)
        let index = folder + "/index.sqlite"
        try IndexFixtures.index([corpus], into: index)
        do {
            let store = try IndexStore(path: index)
            try checkPostingsMatchVectors(store: store)
            try checkTopTen(store: store, words: words, seed: 1, queries: 150)
        }
        // Edit a file (lines dropped and changed) and delete the other: lists lose and gain passages.
        let edited = lines[..<2_000].enumerated().compactMap { i, l -> String? in
            i % 5 == 0 ? nil : (i % 7 == 0 ? l.replacingOccurrences(of: #""text": ""#, with: #""text": "\#(words[0]) \#(words[299]) "#) : l)
        }
        try IndexFixtures.write(edited.joined(separator: "\n") + "\n", to: "a.jsonl", in: corpus)
        try IndexFixtures.index([corpus], into: index)
        try FileManager.default.removeItem(atPath: corpus + "/b.jsonl")
        try IndexFixtures.write(lines[2_500...].joined(separator: "\n") + "\n", to: "c.jsonl", in: corpus)
        try IndexFixtures.index([corpus], into: index)
        let store = try IndexStore(path: index)
        XCTAssertEqual(store.passageCount, edited.count + 500)
        try checkPostingsMatchVectors(store: store)
        try checkTopTen(store: store, words: words, seed: 2, queries: 150)
    }
}
