import CBLAS
import Foundation

/// Pure scoring functions of the hybrid ranker, each small enough to check by hand.
public enum Scoring {
    /// Scores divided by the largest one, so runs of different scales can be fused: `[2, 1, 0]` → `[1, 0.5, 0]`.
    /// All-zero or empty input stays as it is.
    public static func maxNormalized(_ scores: [Double]) -> [Double] {
        guard let top = scores.max(), top > 0 else { return scores.map { _ in 0 } }
        return scores.map { max(0, $0) / top }
    }

    /// BM25 parameters (Robertson & Zaragoza 2009), the values Lucene and FTS5 use.
    public static let k1 = 1.2, b = 0.75

    /// BM25 idf, never negative (Lucene's variant): `ln(1 + (N − df + 0.5) / (df + 0.5))`.
    public static func bm25IDF(documents n: Int, documentFrequency df: Int) -> Double {
        log(1 + (Double(n) - Double(df) + 0.5) / (Double(df) + 0.5))
    }

    /// The idf of SQLite FTS5's `bm25()` (fts5_aux.c): `ln((N − df + 0.5) / (df + 0.5))`, and 10⁻⁶ when that is not
    /// positive (a term in half the passages or more counts for almost nothing). Mode bm25 ranks with it, as it did
    /// when FTS5 ranked: `fts5IDF(documents: 10, documentFrequency: 1)` = ln(9.5 / 1.5) ≈ 1.846.
    public static func fts5IDF(documents n: Int, documentFrequency df: Int) -> Double {
        let idf = log((Double(n) - Double(df) + 0.5) / (Double(df) + 0.5))
        return idf > 0 ? idf : 1e-6
    }

    /// One term's BM25 contribution: `idf · tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))`.
    public static func bm25(tf: Double, idf: Double, length: Double, averageLength: Double) -> Double {
        guard tf > 0 else { return 0 }
        let norm = k1 * (1 - b + b * length / max(averageLength, 1e-9))
        return idf * tf * (k1 + 1) / (tf + norm)
    }

    /// Weighted sum of already normalised score parts: `Σ wᵢ·sᵢ`.
    public static func fuse(_ parts: [Double], weights: [Double]) -> Double {
        zip(parts, weights).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// Proximity of query terms in a passage: for every pair of distinct query terms that occur, the
    /// smallest distance between their positions gives `1 / distance`; the result is the mean over the
    /// pairs of query terms present (0 when fewer than two are present).
    ///
    /// `proximity(positions: ["a": [0], "b": [2]])` → `0.5`.
    public static func proximity(positions: [String: [Int]]) -> Double {
        let lists = positions.values.filter { !$0.isEmpty }
        guard lists.count >= 2 else { return 0 }
        var total = 0.0, pairs = 0
        for i in 0..<lists.count {
            for j in (i + 1)..<lists.count {
                var best = Int.max
                var a = 0, b = 0
                let x = lists[i].sorted(), y = lists[j].sorted()
                while a < x.count, b < y.count {
                    best = min(best, abs(x[a] - y[b]))
                    if x[a] < y[b] { a += 1 } else { b += 1 }
                }
                total += best == 0 ? 1 : 1 / Double(best)
                pairs += 1
            }
        }
        return total / Double(pairs)
    }

    /// Stems of month names and seasons, the signs of a date among index terms.
    static let dateStems: Set<String> = Set(["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                                             "septembre", "octobre", "novembre", "décembre", "été", "hiver",
                                             "printemps", "automne"].map { FrenchAnalyzer().terms($0).first ?? $0 })

    /// Whether a passage's terms hold what the question type asks for: a number (or percent) the question
    /// does not already contain for quantities; a date word or number for dates. 0.5 for other types.
    public static func answerType(_ type: QuestionType, passageTerms: [String], questionTerms: Set<String>) -> Double {
        func isNumber(_ t: String) -> Bool { t.first?.isNumber ?? false }
        switch type {
        case .quantity:
            return passageTerms.contains { (isNumber($0) || $0 == "pourcent") && !questionTerms.contains($0) } ? 1 : 0
        case .date:
            return passageTerms.contains { (isNumber($0) || dateStems.contains($0)) && !questionTerms.contains($0) } ? 1 : 0
        default:
            return 0.5
        }
    }

    /// Cosines of the rows of a dense row-major block (`rows × columns`, rows already unit-norm over their
    /// full vectors) with a query vector over the same columns: one `cblas_sgemv` call.
    public static func blockScores(block: [Float], rows: Int, columns: Int, query: [Float]) -> [Float] {
        guard rows > 0, columns > 0 else { return [Float](repeating: 0, count: rows) }
        var y = [Float](repeating: 0, count: rows)
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(columns), 1, block, Int32(columns),
                    query, 1, 0, &y, 1)
        return y
    }
}
