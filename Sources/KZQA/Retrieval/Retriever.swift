import Foundation

/// How passages are ranked.
public enum RetrievalMode: String, CaseIterable, Sendable, Codable {
    /// Weighted BM25, TF-IDF cosine, pseudo-relevance feedback and term proximity over the candidates, fused. The default.
    case hybrid
    /// Exact BM25 alone over the question's terms (FTS5's bm25, from their stored posting lists: `BM25Search`).
    case bm25
    /// TF-IDF cosine (through CBLAS) over the candidates of `CandidateGenerator`.
    case tfidf
}

/// The parts of a passage's score, kept so `--explain` can show why it ranked where it did.
public struct ScoreParts: Sendable, Codable, Equatable {
    /// BM25 (mode bm25: `BM25Search` over the question's terms; hybrid: weighted over the expanded terms), and
    /// its share of the best candidate's.
    public var bm25 = 0.0, bm25Normalized = 0.0
    /// TF-IDF cosine with the question.
    public var cosine = 0.0
    /// TF-IDF cosine with the question expanded by pseudo-relevance feedback.
    public var feedback = 0.0
    /// Closeness of the question's terms in the passage (see `Scoring.proximity`).
    public var proximity = 0.0
    /// 1 when the passage holds what the question type asks for (a number for combien, a date for quand).
    public var answerType = 0.0
    /// The score of the passage's best answer sentence (hybrid reranking; see `QAEngine.rerank`).
    public var sentence = 0.0
    /// The score of the fusion the retriever sorts on (in hybrid mode `QAEngine.rerank` then sorts on
    /// `RankedPassage.score`, which mixes it with `sentence`).
    public var fused = 0.0
}

/// A passage in a ranking.
public struct RankedPassage: Sendable {
    public var rank: Int
    public var rowid: Int64
    public var passage: Passage
    public var score: Double
    public var parts: ScoreParts
    /// Question terms found in the passage.
    public var matchedTerms: [String]
    /// Terms the passage's context lends it, with the credit each is worth against a word of the passage (1):
    /// the neighbouring paragraph that attributes its quotation, a byline's title (see `NeighbourContext`).
    public var contextTerms: [String: Double] = [:]
    /// Whether the passage is a bibliography entry (`NeighbourContext.isReferenceEntry`).
    public var isReference = false
}

/// Knobs of the ranker, with the values the benchmark chose.
public struct RetrievalSettings: Sendable, Codable, Equatable {
    /// Candidates gathered before reranking.
    public var candidateDepth = 300
    /// Passages and terms used for pseudo-relevance feedback (Rocchio).
    public var feedbackPassages = 3
    public var feedbackTerms = 30
    /// Weight of the feedback centroid against the question vector.
    public var feedbackBeta: Float = 0.5
    /// Fusion weights of bm25, cosine, feedback, proximity (each part normalised to 0…1 first).
    public var weights: [Double] = [0.6, 0.2, 0.1, 0.1]
    /// Weight of the answer-type part (see `ScoreParts.answerType`).
    public var answerTypeWeight = 0.1
    /// Share of the BM25 part computed with expansions (the rest counts the question's own words only).
    public var expansionShare = 0.2
    /// Candidates whose term positions are read for proximity.
    public var proximityDepth = 50
    /// Weight of a question word found only in the passage's attribution context (see `NeighbourContext`),
    /// against the word in the passage itself (1).
    public var contextWeight = 1.0
    /// Shares of `contextWeight` that a fragment gets from the quotation it attributes, and a paragraph opening
    /// on a pronoun from the names of the paragraph before.
    public var quotationShare = 1.0
    public var antecedentShare = 0.5
    /// Factor on the fused score of a bibliography entry (`NeighbourContext.isReferenceEntry`).
    public var referenceFactor = 0.8
    /// The opening paragraphs (up to `leadParagraphs`) of the documents of this many best candidates join them.
    public var leadDocuments = 10
    public var leadParagraphs = 3

    public init() {}
}

/// Ranks passages of an index for a question, in one of three modes.
public final class Retriever {
    public let store: IndexStore
    public var settings: RetrievalSettings
    public var expansion = QueryExpansion()
    public var generator = CandidateGenerator()
    let analyzer = FrenchAnalyzer()

    public init(store: IndexStore, settings: RetrievalSettings = RetrievalSettings()) {
        self.store = store
        self.settings = settings
    }

    /// The question's TF-IDF vector over the index vocabulary (unknown terms dropped), as term id → weight,
    /// plus the id → term map of the terms found.
    func queryVector(_ query: Query, terms: [ExpandedTerm], known: [String: (id: Int32, df: Int)]) -> (weights: [Int32: Float], names: [Int32: String], bm25: [Int32: Double]) {
        var ids: [Int32] = [], values: [Float] = [], names: [Int32: String] = [:], bm25: [Int32: Double] = [:]
        for e in terms {
            guard let info = known[e.term], names[info.id] == nil else { continue }
            ids.append(info.id)
            names[info.id] = e.term
            bm25[info.id] = Double(e.weight) * Scoring.bm25IDF(documents: store.passageCount, documentFrequency: info.df)
            values.append(e.weight * TFIDF.tf(Float(query.termCounts[e.term] ?? 1)) * TFIDF.idf(documents: store.passageCount, documentFrequency: info.df))
        }
        TFIDF.normalize(&values)
        return (Dictionary(uniqueKeysWithValues: zip(ids, values)), names, bm25)
    }

    /// The top `top` passages for `query`.
    public func rank(_ query: Query, mode: RetrievalMode, top: Int) throws -> [RankedPassage] {
        let terms = mode == .bm25 ? ExpandedTerm.plain(query)
                                  : try expansion.expand(query, store: store)
        return try rank(query, terms: terms, mode: mode, top: top)
    }

    /// The top `top` passages for `query` searched through `terms` (its terms and their expansions), in named
    /// stages: gather candidates (and, in hybrid mode, the lead paragraphs of their documents), read their vectors,
    /// score them as the mode says, sort. `concepts` groups terms (term → its concept's name) that BM25 scores as
    /// one (see `StructuredBM25`): the translations of one English word.
    public func rank(_ query: Query, terms: [ExpandedTerm], mode: RetrievalMode, top: Int,
                     concepts: [String: String] = [:]) throws -> [RankedPassage] {
        // Each term's id and df, read once.
        var known: [String: (id: Int32, df: Int)] = [:]
        for e in terms where known[e.term] == nil {
            if let info = try store.term(e.term) { known[e.term] = info }
        }
        var pool = try gatherCandidates(terms, known: known, mode: mode, top: top)
        guard !pool.rowids.isEmpty else { return [] }
        let contextual = mode == .hybrid && store.hasTextDocuments
        if contextual, settings.leadDocuments > 0 { try addLeadPassages(to: &pool) }
        try readVectors(of: &pool)
        let weights = QueryWeights(query, terms: terms, known: known, retriever: self, concepts: concepts)

        var parts = [ScoreParts](repeating: ScoreParts(), count: pool.count)
        let bm25n = Scoring.maxNormalized(pool.bm25)
        for i in parts.indices {
            parts[i].bm25 = pool.bm25[i]
            parts[i].bm25Normalized = bm25n[i]
        }
        var contexts: [Int: [String: Double]] = [:]
        var references = Set<Int>()
        switch mode {
        case .bm25:
            for i in parts.indices { parts[i].fused = parts[i].bm25 }
        case .tfidf:
            let cos = Self.cosines(pool.vectors, query: weights.vector)
            for i in parts.indices { parts[i].cosine = Double(cos[i]); parts[i].fused = Double(cos[i]) }
        case .hybrid:
            let maxOwn = weightedBM25(&parts, pool: pool, weights: weights)
            let order = similarityStage(&parts, pool: pool, weights: weights)
            if contextual && settings.contextWeight > 0 {
                (contexts, references) = try contextStage(&parts, pool: pool, order: order, terms: terms, known: known,
                                                          weights: weights, maxOwn: maxOwn)
            }
            try proximityStage(&parts, pool: pool, order: order, query: query)
            for i in parts.indices {
                parts[i].fused = Scoring.fuse([parts[i].bm25Normalized, parts[i].cosine, parts[i].feedback, parts[i].proximity], weights: settings.weights)
                    + settings.answerTypeWeight * parts[i].answerType
                // A bibliography entry restates titles, not facts: it yields to the text that states them.
                if references.contains(i) { parts[i].fused *= settings.referenceFactor }
            }
        }
        return try ranking(parts, pool: pool, names: weights.names, contexts: contexts, references: references, top: top)
    }

    /// The candidates of one ranking, in parallel arrays: row id, the first-stage score (exact BM25 or accumulated
    /// idf), whether it joined as a lead paragraph, and its stored counts, length and TF-IDF vector.
    struct CandidatePool {
        var rowids: [Int64] = [], bm25: [Double] = []
        var leads = Set<Int64>()
        var vectors: [SparseVector] = [], counts: [SparseVector] = [], lengths: [Int] = []
        var count: Int { rowids.count }
    }

    /// What the question weighs: its TF-IDF vector over the index vocabulary, the term of each id, each id's BM25
    /// idf times its weight, and the question's own words (the user's words, acronym expansions and equivalents).
    struct QueryWeights {
        var vector: [Int32: Float], names: [Int32: String], bm25: [Int32: Double]
        var ownTerms: Set<String>, ownIDs: Set<Int32>
        /// The concepts BM25 scores as one term (translations of one English word); empty for a French question.
        var structured: StructuredBM25

        init(_ query: Query, terms: [ExpandedTerm], known: [String: (id: Int32, df: Int)], retriever: Retriever,
             concepts: [String: String] = [:]) {
            (vector, names, bm25) = retriever.queryVector(query, terms: terms, known: known)
            structured = StructuredBM25(concepts: concepts, terms: terms, names: names, known: known,
                                        passages: retriever.store.passageCount)
            structured.adjust(cosineQuery: &vector)
            // Acronym expansions say exactly what the user said (IA = intelligence artificielle): they count as own
            // words. So do equivalent expressions (jeunes pousses = startups).
            let ownOrigins: [ExpandedTerm.Origin] = [.question, .function, .acronym, .equivalent]
            let own = Set(terms.filter { ownOrigins.contains($0.origin) }.map(\.term))
            ownTerms = own
            ownIDs = Set(names.filter { own.contains($0.value) }.map(\.key))
        }
    }

    /// Stage 1: the exact BM25 top k (mode bm25, `bm25Top`), or the rare-term postings of `CandidateGenerator`.
    func gatherCandidates(_ terms: [ExpandedTerm], known: [String: (id: Int32, df: Int)], mode: RetrievalMode, top: Int) throws -> CandidatePool {
        let depth = mode == .bm25 ? max(top, 1) : max(settings.candidateDepth, top)
        var pool = CandidatePool()
        if mode == .bm25 {
            for c in try bm25Top(terms, known: known, depth: depth) { pool.rowids.append(c.rowid); pool.bm25.append(c.score) }
        } else {
            let searched = terms.filter { $0.origin != .function }.compactMap { e in
                known[e.term].map { CandidateGenerator.Term(term: e.term, weight: Double(e.weight), df: $0.df, id: $0.id) }
            }
            for c in try generator.candidates(searched, passages: store.passageCount, depth: depth, store: store) {
                pool.rowids.append(c.rowid)
                pool.bm25.append(c.score)
            }
        }
        return pool
    }

    /// Mode bm25: exact BM25 (`Scoring.bm25` with FTS5's idf, `Scoring.fts5IDF`, every searched term alike and
    /// counted once, in the order given: the ranking FTS5's `ORDER BY bm25()` gave) over the stored posting lists
    /// of the searched terms, the best `depth` by `BM25Search`'s pruning.
    func bm25Top(_ terms: [ExpandedTerm], known: [String: (id: Int32, df: Int)], depth: Int) throws -> [(rowid: Int64, score: Double)] {
        var seen = Set<String>(), search: [BM25Search.Term] = []
        for e in terms where e.origin != .function && seen.insert(e.term).inserted {
            guard let info = known[e.term], let list = try store.postings.list(termID: info.id) else { continue }
            search.append(BM25Search.Term(idf: Scoring.fts5IDF(documents: store.passageCount, documentFrequency: info.df), list: list))
        }
        guard !search.isEmpty else { return [] }
        return BM25Search.top(depth, terms: search, lengths: try store.postings.lengths(), averageLength: store.averageLength)
    }

    /// Stage 2 (hybrid): the opening paragraphs (title, byline, lead) of the best candidates' documents compete
    /// too: what they say holds for the whole article, and a byline shares no word with a question about its author.
    func addLeadPassages(to pool: inout CandidatePool) throws {
        let have = Set(pool.rowids)
        for rowid in try store.leadPassages(of: Array(pool.rowids.prefix(settings.leadDocuments)),
                                            paragraphs: settings.leadParagraphs) where !have.contains(rowid) {
            pool.rowids.append(rowid)
            pool.bm25.append(0)
            pool.leads.insert(rowid)
        }
    }

    /// Stage 3: every candidate's stored term counts, length and TF-IDF vector.
    func readVectors(of pool: inout CandidatePool) throws {
        pool.vectors.reserveCapacity(pool.count)
        for rowid in pool.rowids {
            let v = try store.vectors(rowid: rowid)
            pool.vectors.append(v?.weights ?? SparseVector(ids: [], values: []))
            pool.counts.append(v?.counts ?? SparseVector(ids: [], values: []))
            pool.lengths.append(v?.length ?? 0)
        }
    }

    /// Hybrid: BM25 recomputed over the expanded terms, each weighted.
    /// Two sums: over the question's own words, and over them with their expansions; the normalised part is
    /// `(1 − expansionShare)` of the first's max-normalised value plus `expansionShare` of the second's, so
    /// expansions widen the net without drowning the user's words. Returns the best own-words sum.
    func weightedBM25(_ parts: inout [ScoreParts], pool: CandidatePool, weights: QueryWeights) -> Double {
        var own: [Double] = [], expanded: [Double] = []
        own.reserveCapacity(pool.count)
        for i in 0..<pool.count {
            var mine = 0.0, all = 0.0
            var grouped = weights.structured.accumulator()
            for (id, tf) in zip(pool.counts[i].ids, pool.counts[i].values) {
                guard let w = weights.bm25[id] else { continue }
                if grouped.add(id: id, tf: Double(tf)) { continue }
                let s = Scoring.bm25(tf: Double(tf), idf: w, length: Double(pool.lengths[i]), averageLength: store.averageLength)
                all += s
                if weights.ownIDs.contains(id) { mine += s }
            }
            let conceptScore = grouped.score(length: Double(pool.lengths[i]), averageLength: store.averageLength)
            all += conceptScore
            mine += conceptScore
            own.append(mine)
            expanded.append(all)
        }
        let normalizedOwn = Scoring.maxNormalized(own), normalizedAll = Scoring.maxNormalized(expanded)
        let share = settings.expansionShare
        for i in parts.indices {
            parts[i].bm25 = expanded[i]
            parts[i].bm25Normalized = (1 - share) * normalizedOwn[i] + share * normalizedAll[i]
        }
        return own.max() ?? 0
    }

    /// Hybrid: TF-IDF cosine, then Rocchio feedback from the best passages by bm25 and cosine. Returns the
    /// candidates' order by that first score (what the later stages read the best of).
    func similarityStage(_ parts: inout [ScoreParts], pool: CandidatePool, weights: QueryWeights) -> [Int] {
        let cos = Self.cosines(pool.vectors, query: weights.vector)
        for i in parts.indices { parts[i].cosine = Double(cos[i]) }
        let w = settings.weights
        let stageOne = parts.indices.map { w[0] * parts[$0].bm25Normalized + w[1] * parts[$0].cosine }
        let order = stageOne.indices.sorted { stageOne[$0] != stageOne[$1] ? stageOne[$0] > stageOne[$1] : $0 < $1 }
        let expanded = Self.feedbackQuery(weights.vector, from: order.prefix(settings.feedbackPassages).map { pool.vectors[$0] },
                                          terms: settings.feedbackTerms, beta: settings.feedbackBeta)
        let fb = Self.cosines(pool.vectors, query: expanded)
        for i in parts.indices { parts[i].feedback = Double(fb[i]) }
        return order
    }

    /// Hybrid: for the best `proximityDepth` candidates and the lead paragraphs, what their neighbours lend them
    /// (`passageContext`). Own words of the question absent from the passage but in its context count as if there
    /// once, at the context's weight, in the passage and its context read as one text (a short fragment does not
    /// outscore the long quotation it lends its words to); a word no passage holds (`auteur` next to a byline)
    /// weighs as the rarest. The credit joins the own-words share of the normalised BM25 part. Returns the lent
    /// terms of each candidate and the candidates that are bibliography entries.
    func contextStage(_ parts: inout [ScoreParts], pool: CandidatePool, order: [Int], terms: [ExpandedTerm],
                      known: [String: (id: Int32, df: Int)], weights: QueryWeights, maxOwn: Double) throws -> ([Int: [String: Double]], Set<Int>) {
        var contexts: [Int: [String: Double]] = [:]
        var references = Set<Int>()
        var contextCredit = [Double](repeating: 0, count: pool.count)
        for i in order.prefix(settings.proximityDepth) + pool.rowids.indices.filter({ pool.leads.contains(pool.rowids[$0]) }) {
            guard let context = try passageContext(rowid: pool.rowids[i]) else { continue }
            if context.isReference { references.insert(i) }
            let contextTerms = context.terms, contextLength = context.length
            guard !contextTerms.isEmpty else { continue }
            contexts[i] = contextTerms
            let present = Set(pool.counts[i].ids)
            for e in terms where weights.ownTerms.contains(e.term) && e.origin != .function {
                guard let credit = contextTerms[e.term] else { continue }
                let idf: Double
                if let info = known[e.term] {
                    guard !present.contains(info.id), let w = weights.bm25[info.id] else { continue }
                    idf = w
                } else {
                    idf = Double(e.weight) * Scoring.bm25IDF(documents: store.passageCount, documentFrequency: 1)
                }
                contextCredit[i] += credit * Scoring.bm25(tf: 1, idf: idf, length: Double(pool.lengths[i] + contextLength),
                                                          averageLength: store.averageLength)
            }
        }
        for i in parts.indices where contextCredit[i] > 0 && maxOwn > 0 {
            parts[i].bm25Normalized += (1 - settings.expansionShare) * contextCredit[i] / maxOwn
        }
        return (contexts, references)
    }

    /// Hybrid: query-term proximity and the answer-type sign for the best `proximityDepth` candidates (their
    /// stored term sequences).
    func proximityStage(_ parts: inout [ScoreParts], pool: CandidatePool, order: [Int], query: Query) throws {
        let wanted = Set(query.terms)
        // The stored terms are matched as bytes against the question's few terms: a string is made only for a
        // term the answer-type sign must read (one opening on a digit or a non-ASCII byte, or any for a date).
        let wantedBytes = Array(wanted).map { (term: $0, bytes: Array($0.utf8)) }
        let readsAll = query.type == .date
        for i in order.prefix(settings.proximityDepth) {
            var positions: [String: [Int]] = [:]
            var signs: [String] = []
            try store.forEachPassageTerm(rowid: pool.rowids[i]) { p, bytes in
                if let w = wantedBytes.first(where: { $0.bytes.count == bytes.count && $0.bytes.elementsEqual(bytes) }) {
                    positions[w.term, default: []].append(p)
                }
                if let first = bytes.first, readsAll || (first >= 0x30 && first <= 0x39) || first >= 0x80
                    || (query.type == .quantity && bytes.elementsEqual("pourcent".utf8)) {
                    signs.append(String(decoding: bytes, as: UTF8.self))
                }
            }
            parts[i].proximity = Scoring.proximity(positions: positions)
            parts[i].answerType = Scoring.answerType(query.type, passageTerms: signs, questionTerms: wanted)
        }
    }

    /// The last stage: candidates sorted by fused score (ties by row id), the best `top` read with their passages.
    func ranking(_ parts: [ScoreParts], pool: CandidatePool, names: [Int32: String], contexts: [Int: [String: Double]],
                 references: Set<Int>, top: Int) throws -> [RankedPassage] {
        let order = parts.indices.sorted {
            parts[$0].fused != parts[$1].fused ? parts[$0].fused > parts[$1].fused : pool.rowids[$0] < pool.rowids[$1]
        }
        var out: [RankedPassage] = []
        for i in order.prefix(top) {
            guard let passage = try store.passage(rowid: pool.rowids[i]) else { continue }
            let matched = pool.vectors[i].ids.compactMap { names[$0] }
            out.append(RankedPassage(rank: out.count + 1, rowid: pool.rowids[i], passage: passage,
                                     score: parts[i].fused, parts: parts[i], matchedTerms: matched,
                                     contextTerms: contexts[i] ?? [:], isReference: references.contains(i)))
        }
        return out
    }

    /// What a passage's neighbours lend it (`NeighbourContext`): each lent term with its credit, the length in
    /// index terms of the lending text, and whether the passage is a bibliography entry. Nil for passages
    /// without neighbours (JSONL records). The loan is read as the indexer stored it (`PassageAnalysis`); only the
    /// credits, which are knobs, are applied here.
    func passageContext(rowid: Int64) throws -> (terms: [String: Double], length: Int, isReference: Bool)? {
        let loan: NeighbourLoan
        switch try store.neighbourLoan(rowid: rowid) {
        case .standsAlone: return nil
        case .loan(let stored): loan = stored
        case .missing:
            guard let n = try store.neighbourhood(rowid: rowid) else { return nil }
            loan = NeighbourLoan.of(n.text, previous: n.previous, next: n.next, title: n.title, analyzer: analyzer)
        }
        var terms: [String: Double] = [:]
        var length = 0
        for item in loan.items {
            let weight: Double
            switch item.kind {
            case .attribution, .byline: weight = settings.contextWeight
            case .quotation: weight = settings.contextWeight * settings.quotationShare
            case .antecedent: weight = settings.contextWeight * settings.antecedentShare
            }
            for t in item.terms { terms[t] = max(terms[t] ?? 0, weight) }
            length += item.length
        }
        return (terms, length, loan.isReference)
    }

    /// Cosines of each (unit-norm) vector with a sparse query: the candidates are gathered into a dense block
    /// over the query's terms and multiplied in one CBLAS call.
    static func cosines(_ vectors: [SparseVector], query: [Int32: Float]) -> [Float] {
        let columns = query.keys.sorted()
        guard !columns.isEmpty else { return [Float](repeating: 0, count: vectors.count) }
        var column: [Int32: Int] = [:]
        var block = [Float](repeating: 0, count: vectors.count * columns.count)
        for (r, v) in vectors.enumerated() {
            // Stored vectors list their ids in ascending order, as `columns` does: one merge of the two lists
            // instead of a hash lookup per id. Any other vector goes through the table of columns.
            if Self.mergeRow(v, columns: columns, into: &block, row: r) { continue }
            if column.isEmpty { for (i, id) in columns.enumerated() { column[id] = i } }
            for (id, w) in zip(v.ids, v.values) {
                if let c = column[id] { block[r * columns.count + c] = w }
            }
        }
        let q = columns.map { query[$0] ?? 0 }
        return Scoring.blockScores(block: block, rows: vectors.count, columns: columns.count, query: q)
    }

    /// Writes the weights of `v` at the columns of its ids (both ascending) into row `row` of `block`; false,
    /// writing nothing, when `v`'s ids are not strictly ascending.
    static func mergeRow(_ v: SparseVector, columns: [Int32], into block: inout [Float], row: Int) -> Bool {
        let width = columns.count, ids = v.ids, values = v.values
        for k in ids.indices.dropFirst() where ids[k] <= ids[k - 1] { return false }
        var c = 0
        for k in ids.indices {
            while c < width && columns[c] < ids[k] { c += 1 }
            if c == width { break }
            if columns[c] == ids[k] { block[row * width + c] = values[k] }
        }
        return true
    }

    /// Rocchio feedback: the question vector plus `beta` times the centroid of the feedback passages
    /// (its `terms` heaviest terms), renormalised.
    static func feedbackQuery(_ q: [Int32: Float], from passages: [SparseVector], terms: Int, beta: Float) -> [Int32: Float] {
        guard !passages.isEmpty else { return q }
        var centroid: [Int32: Float] = [:]
        for v in passages { for (id, w) in zip(v.ids, v.values) { centroid[id, default: 0] += w / Float(passages.count) } }
        let kept = centroid.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(terms)
        var out = q
        for (id, w) in kept { out[id, default: 0] += beta * w }
        let ids = Array(out.keys)
        var values = ids.map { out[$0] ?? 0 }
        TFIDF.normalize(&values)
        return Dictionary(uniqueKeysWithValues: zip(ids, values))
    }
}
