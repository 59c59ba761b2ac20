/// BM25 over concepts rather than terms (Pirkola, "The effects of query structure and dictionary setups in
/// dictionary-based cross-language information retrieval", SIGIR 1998): the translations of one English word
/// form a concept whose tf in a passage is the sum of its terms' tf and whose df is the largest of theirs, at
/// the concept's weight. A word with many translations then weighs as one word, and a passage is not rewarded
/// for holding several translations of the same word more than for repeating one.
/// With no concepts (French questions) it changes nothing.
struct StructuredBM25 {
    /// Term id → concept index.
    let conceptOfID: [Int32: Int]
    /// Per concept: weight × BM25 idf of its largest df.
    let idf: [Double]
    /// Per concept: how many of its terms the index holds (the cosine query shares the concept's weight among them).
    let members: [Int]

    init(concepts: [String: String], terms: [ExpandedTerm], names: [Int32: String], known: [String: (id: Int32, df: Int)],
         passages: Int) {
        guard !concepts.isEmpty else { conceptOfID = [:]; idf = []; members = []; return }
        var weight: [String: Float] = [:]
        for e in terms where weight[e.term] == nil { weight[e.term] = e.weight }
        var index: [String: Int] = [:], ofID: [Int32: Int] = [:], maxDF: [Int] = [], count: [Int] = [], w: [Float] = []
        for (id, term) in names.sorted(by: { $0.key < $1.key }) {
            guard let concept = concepts[term], let df = known[term]?.df else { continue }
            let c: Int
            if let existing = index[concept] { c = existing } else {
                c = maxDF.count
                index[concept] = c
                maxDF.append(0)
                count.append(0)
                w.append(0)
            }
            ofID[id] = c
            maxDF[c] = max(maxDF[c], df)
            count[c] += 1
            w[c] = max(w[c], weight[term] ?? 1)
        }
        conceptOfID = ofID
        idf = maxDF.indices.map { Double(w[$0]) * Scoring.bm25IDF(documents: passages, documentFrequency: maxDF[$0]) }
        members = count
    }

    /// The cosine query with each concept term's weight divided by the square root of the concept's terms, so
    /// the concept's share of the (normalised) query is that of one word.
    func adjust(cosineQuery q: inout [Int32: Float]) {
        guard !conceptOfID.isEmpty else { return }
        for (id, c) in conceptOfID where members[c] > 1 {
            if let w = q[id] { q[id] = w / Float(members[c]).squareRoot() }
        }
        var values = Array(q.values)
        let keys = Array(q.keys)
        TFIDF.normalize(&values)
        q = Dictionary(uniqueKeysWithValues: zip(keys, values))
    }

    /// Per-passage tf sums by concept.
    struct Accumulator {
        let owner: StructuredBM25
        var tf: [Double]

        /// Adds a term's tf to its concept; false when the term belongs to none.
        mutating func add(id: Int32, tf value: Double) -> Bool {
            guard let c = owner.conceptOfID[id] else { return false }
            tf[c] += value
            return true
        }

        func score(length: Double, averageLength: Double) -> Double {
            var s = 0.0
            for (c, t) in tf.enumerated() where t > 0 {
                s += Scoring.bm25(tf: t, idf: owner.idf[c], length: length, averageLength: averageLength)
            }
            return s
        }
    }

    func accumulator() -> Accumulator { Accumulator(owner: self, tf: [Double](repeating: 0, count: idf.count)) }
}
