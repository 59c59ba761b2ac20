/// Gathers the passages worth scoring for a question without scoring every passage that shares a word with it,
/// so that query time follows the candidate set, not the corpus.
///
/// Terms are read most telling first (weight × idf). A term in at most `maxPostings` passages has its whole posting list read
/// (the stored list of `PostingsSchema`: row ids only, no ranking) and adds its weighted BM25 idf to each passage it holds. Common terms are not read:
/// they cannot tell passages apart, and they still count in the full scoring of the candidates. When every term is
/// common, an AND of the rarest terms gives the candidates. The best `depth` passages by accumulated idf go on
/// to full scoring.
public struct CandidateGenerator: Sendable, Codable, Equatable {
    /// A searched term with what candidate generation needs to know of it.
    public struct Term: Sendable {
        public var term: String
        public var weight: Double
        public var df: Int
        /// The term's id in the index, when known: its rows are then read from its stored posting list.
        public var id: Int32?
        public init(term: String, weight: Double, df: Int, id: Int32? = nil) {
            self.term = term
            self.weight = weight
            self.df = df
            self.id = id
        }
    }

    /// Terms in more passages than this are not read for candidates.
    public var maxPostings = 5_000
    /// How many rare terms are read at most.
    public var maxTerms = 32

    public init() {}

    /// Accumulated first-pass scores, best first (ties by row id), at most `depth` of them.
    public func candidates(_ terms: [Term], passages n: Int, depth: Int, store: IndexStore) throws -> [(rowid: Int64, score: Double)] {
        let known = terms.filter { $0.df > 0 }.sorted { $0.df != $1.df ? $0.df < $1.df : $0.term < $1.term }
        guard !known.isEmpty else { return [] }
        var scores: [Int64: Double] = [:]
        scores.reserveCapacity(min(n, maxPostings * 4))
        // The most telling rare terms first: weight × idf (the question's own words before their expansions).
        let rare = known.filter { $0.df <= maxPostings }
            .sorted { $0.weight * Scoring.bm25IDF(documents: n, documentFrequency: $0.df) > $1.weight * Scoring.bm25IDF(documents: n, documentFrequency: $1.df) }
            .prefix(maxTerms)
        for t in rare {
            guard let match = FTS5Pattern.anyOf([t.term]) else { continue }
            let idf = t.weight * Scoring.bm25IDF(documents: n, documentFrequency: t.df)
            for rowid in try rows(of: t, match: match, store: store) { scores[rowid, default: 0] += idf }
        }
        if scores.count < depth {
            // Too few passages hold a rare term: passages holding all of the rarest common terms join them.
            let common = known.filter { $0.df > maxPostings && $0.weight >= 1 }.prefix(3)
            if !common.isEmpty, let match = FTS5Pattern.allOf(common.map(\.term)) {
                let idf = common.reduce(0) { $0 + $1.weight * Scoring.bm25IDF(documents: n, documentFrequency: $1.df) }
                for rowid in try store.rowids(match: match, limit: maxPostings) { scores[rowid, default: 0] += idf }
            }
        }
        return Self.top(depth, of: scores)
    }

    /// The passages holding a rare term, in row-id order: for a term FTS5 reads as one token, its stored posting
    /// list (`PostingsReader.list`, one primary-key read, a few instructions a row) holds the rows FTS5 matches —
    /// all of them, the term being in at most `maxPostings` passages — without a full-text query; FTS5 for any
    /// other term, and when the list is missing or malformed.
    func rows(of t: Term, match: String, store: IndexStore) throws -> [Int64] {
        if let id = t.id, Self.isOneFTS5Token(t.term), let list = try store.postings.list(termID: id) {
            var rows: [Int64] = []
            rows.reserveCapacity(list.count)
            var cursor = list.cursor()
            while cursor.rowid != PostingCursor.end, rows.count < maxPostings {
                rows.append(cursor.rowid)
                cursor.next()
            }
            if !cursor.malformed { return rows }
        }
        return try store.rowids(match: match, limit: maxPostings)
    }

    /// Whether FTS5's tokenizer (unicode61, token characters L*, N*, Co and `_`, case folded) reads `term` as
    /// exactly itself, one token: only then does its MATCH hold the rows of the term's posting list. A term with
    /// an apostrophe, a hyphen or a symbol (`kazakhstan'`) is split by FTS5 and matches more rows.
    static func isOneFTS5Token(_ term: String) -> Bool {
        !term.isEmpty && term.unicodeScalars.allSatisfy { c in
            if c.isASCII {
                return (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "_"
            }
            guard !c.properties.changesWhenLowercased else { return false }
            switch c.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .decimalNumber, .letterNumber, .otherNumber, .privateUse: return true
            default: return false
            }
        }
    }

    /// The `k` best entries, best first (ties by row id), selected with a bounded min-heap (`BM25Search.TopHeap`):
    /// O(n log k) instead of sorting every passage that holds a rare term.
    static func top(_ k: Int, of scores: [Int64: Double]) -> [(rowid: Int64, score: Double)] {
        guard k > 0 else { return [] }
        var heap = BM25Search.TopHeap(k)
        for entry in scores { _ = heap.offer(rowid: entry.key, score: entry.value) }
        return heap.sorted()
    }
}
