/// Exact BM25 top k over posting lists (`Scoring.bm25`, each term's idf times its weight), with MaxScore pruning
/// (Turtle & Flood 1995): terms are ordered by the largest score they can give (from their list's largest tf and
/// shortest passage); the terms whose bounds together cannot lift a passage above the k-th best score so far
/// are only looked up (`advance(to:)`) for passages the other terms bring, and a passage is dropped as soon as
/// its bound falls below that score. The result is the ranking of scoring every passage: score descending, ties by
/// row id ascending, each score summed over the terms in the order given.
public enum BM25Search {
    /// A searched term: its idf times its weight, and its postings.
    public struct Term {
        public var idf: Double
        public var list: PostingList
        public init(idf: Double, list: PostingList) {
            self.idf = idf
            self.list = list
        }
    }

    /// Bounds are compared with this relative slack, so that rounding never prunes a passage that belongs.
    static let slack = 1e-9

    /// The best `k` passages, best first.
    public static func top(_ k: Int, terms: [Term], lengths: [UInt32], averageLength: Double) -> [(rowid: Int64, score: Double)] {
        guard k > 0, !terms.isEmpty else { return [] }
        let n = terms.count
        func contribution(_ t: Int, tf: UInt32, rowid: Int64) -> Double {
            let length = rowid >= 0 && Int(rowid) < lengths.count ? Double(lengths[Int(rowid)]) : 0
            return Scoring.bm25(tf: Double(tf), idf: terms[t].idf, length: length, averageLength: averageLength)
        }
        let bound = terms.map {
            Scoring.bm25(tf: Double($0.list.maxTF), idf: $0.idf, length: Double($0.list.minLength), averageLength: averageLength)
        }
        // Terms by bound ascending; `prefix[j]`: the bounds of the first j + 1 summed.
        let order = (0..<n).sorted { bound[$0] != bound[$1] ? bound[$0] < bound[$1] : $0 < $1 }
        var prefix = [Double](repeating: 0, count: n)
        var sum = 0.0
        for (j, t) in order.enumerated() { sum += bound[t]; prefix[j] = sum }
        var cursors = order.map { terms[$0].list.cursor() }

        var heap = TopHeap(k)
        var contributions = [Double](repeating: 0, count: n)
        // Terms order[0..<essential] cannot make a passage enter alone: passages are drawn from the others.
        var essential = 0
        func below(_ value: Double, _ threshold: Double) -> Bool { value * (1 + slack) < threshold }
        while true {
            var rowid = PostingCursor.end
            for j in essential..<n where cursors[j].rowid < rowid { rowid = cursors[j].rowid }
            if rowid == PostingCursor.end { break }
            var partial = 0.0
            for j in essential..<n where cursors[j].rowid == rowid {
                let c = contribution(order[j], tf: cursors[j].tf, rowid: rowid)
                contributions[order[j]] = c
                partial += c
                cursors[j].next()
            }
            var pruned = false
            if essential > 0 {
                for j in stride(from: essential - 1, through: 0, by: -1) {
                    if heap.isFull, below(partial + prefix[j], heap.threshold) { pruned = true; break }
                    cursors[j].advance(to: rowid)
                    if cursors[j].rowid == rowid {
                        let c = contribution(order[j], tf: cursors[j].tf, rowid: rowid)
                        contributions[order[j]] = c
                        partial += c
                    }
                }
            }
            if !pruned {
                var score = 0.0
                for t in 0..<n { score += contributions[t] }
                if heap.offer(rowid: rowid, score: score), heap.isFull {
                    while essential < n, below(prefix[essential], heap.threshold) { essential += 1 }
                }
            }
            for t in 0..<n { contributions[t] = 0 }
        }
        return heap.sorted()
    }

    /// A bounded min-heap of the best entries (score descending, ties by row id ascending).
    struct TopHeap {
        let k: Int
        private var items: [(rowid: Int64, score: Double)] = []
        init(_ k: Int) { self.k = k; items.reserveCapacity(k) }

        var isFull: Bool { items.count >= k }
        /// The k-th best score (the smallest kept).
        var threshold: Double { items.first?.score ?? 0 }

        /// `a` ranks below `b`.
        static func worse(_ a: (rowid: Int64, score: Double), _ b: (rowid: Int64, score: Double)) -> Bool {
            a.score != b.score ? a.score < b.score : a.rowid > b.rowid
        }

        /// Keeps the entry when it ranks among the best k so far; says whether it did.
        mutating func offer(rowid: Int64, score: Double) -> Bool {
            let e = (rowid: rowid, score: score)
            if items.count < k {
                items.append(e)
                var i = items.count - 1
                while i > 0, Self.worse(items[i], items[(i - 1) / 2]) { items.swapAt(i, (i - 1) / 2); i = (i - 1) / 2 }
                return true
            }
            guard Self.worse(items[0], e) else { return false }
            items[0] = e
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, Self.worse(items[l], items[m]) { m = l }
                if r < items.count, Self.worse(items[r], items[m]) { m = r }
                if m == i { return true }
                items.swapAt(i, m)
                i = m
            }
        }

        func sorted() -> [(rowid: Int64, score: Double)] { items.sorted { Self.worse($1, $0) } }
    }
}
