import Foundation

/// A logistic regression model over standardised features: `p = σ(bias + Σ wᵢ·(xᵢ − meanᵢ)/scaleᵢ)`.
/// The answerability model and the short-answer span model are both of this form; `fit` learns one from
/// examples (Newton's method with an L2 penalty), so no weight is set by hand.
public struct LogisticModel: Sendable, Codable, Equatable {
    public var names: [String]
    public var weights: [Double]
    public var bias: Double
    public var means: [Double]
    public var scales: [Double]

    public init(names: [String], weights: [Double], bias: Double, means: [Double]? = nil, scales: [Double]? = nil) {
        self.names = names
        self.weights = weights
        self.bias = bias
        self.means = means ?? [Double](repeating: 0, count: weights.count)
        self.scales = scales ?? [Double](repeating: 1, count: weights.count)
    }

    /// A model that gives every input probability σ(bias).
    public static func constant(names: [String], bias: Double = 0) -> LogisticModel {
        LogisticModel(names: names, weights: [Double](repeating: 0, count: names.count), bias: bias)
    }

    public static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
    }

    /// The linear score before the sigmoid.
    public func logit(_ x: [Double]) -> Double {
        var z = bias
        for i in weights.indices where i < x.count {
            z += weights[i] * (x[i] - means[i]) / scales[i]
        }
        return z
    }

    public func probability(_ x: [Double]) -> Double { Self.sigmoid(logit(x)) }

    /// Each feature's contribution to the logit, `wᵢ·(xᵢ − meanᵢ)/scaleᵢ`, for `--explain`.
    public func contributions(_ x: [Double]) -> [Double] {
        weights.indices.map { i in i < x.count ? weights[i] * (x[i] - means[i]) / scales[i] : 0 }
    }

    /// Fits a model to `x` (rows of features) and targets `y` in 0…1 (soft labels allowed) by minimising the
    /// mean log loss plus `l2/2·‖w‖²` (the bias is not penalised) with Newton steps on standardised features.
    /// `sampleWeights` weigh the rows (1 each when nil).
    /// With `signs` (+1, −1 or 0 a feature), a weight that comes out on the wrong side is fixed at 0 and the
    /// rest refitted, until every weight keeps its sign (an active-set method for sign-constrained fits).
    public static func fit(names: [String], x: [[Double]], y: [Double], sampleWeights: [Double]? = nil,
                           l2: Double = 1e-2, iterations: Int = 15, signs: [Double]) -> LogisticModel {
        var dropped = Set<Int>()
        while true {
            let kept = names.indices.filter { !dropped.contains($0) }
            let m = fit(names: kept.map { names[$0] }, x: x.map { row in kept.map { row[$0] } }, y: y,
                        sampleWeights: sampleWeights, l2: l2, iterations: iterations)
            let wrong = kept.indices.filter { k in
                let s = k < m.weights.count ? signs[kept[k]] : 0
                return s != 0 && m.weights[k] * s < 0
            }
            if wrong.isEmpty || dropped.count + wrong.count >= names.count {
                var full = LogisticModel.constant(names: names, bias: m.bias)
                for (k, i) in kept.enumerated() {
                    full.weights[i] = m.weights[k]
                    full.means[i] = m.means[k]
                    full.scales[i] = m.scales[k]
                }
                return full
            }
            // Drop the most wrong one at a time: the others may right themselves without it.
            let worst = wrong.max { abs(m.weights[$0]) < abs(m.weights[$1]) } ?? wrong[0]
            dropped.insert(kept[worst])
        }
    }

    public static func fit(names: [String], x: [[Double]], y: [Double], sampleWeights: [Double]? = nil,
                           l2: Double = 1e-2, iterations: Int = 15) -> LogisticModel {
        let d = names.count
        let n = x.count
        guard n > 0 else { return constant(names: names) }
        let sw = sampleWeights ?? [Double](repeating: 1, count: n)
        let total = sw.reduce(0, +)
        var means = [Double](repeating: 0, count: d), scales = [Double](repeating: 1, count: d)
        for j in 0..<d {
            var m = 0.0
            for r in 0..<n { m += sw[r] * x[r][j] }
            m /= total
            var v = 0.0
            for r in 0..<n { v += sw[r] * (x[r][j] - m) * (x[r][j] - m) }
            v /= total
            means[j] = m
            scales[j] = v > 1e-12 ? sqrt(v) : 1
        }
        let z = x.map { row in (0..<d).map { (row[$0] - means[$0]) / scales[$0] } }
        // Parameters: weights 0..<d, bias at d.
        var beta = [Double](repeating: 0, count: d + 1)
        let meanY = zip(y, sw).map { $0 * $1 }.reduce(0, +) / total
        beta[d] = log(max(1e-6, meanY) / max(1e-6, 1 - meanY))
        // Each row's non-zero standardised features: the Hessian update costs their count squared, not d².
        let nonZero = z.map { row in row.indices.filter { row[$0] != 0 } }
        let width = d + 1
        for _ in 0..<iterations {
            var gradient = [Double](repeating: 0, count: width)
            var flat = [Double](repeating: 0, count: width * width)
            flat.withUnsafeMutableBufferPointer { hb in
                for r in 0..<n {
                    let nz = nonZero[r], row = z[r]
                    var s = beta[d]
                    for j in nz { s += beta[j] * row[j] }
                    let p = sigmoid(s)
                    let g = sw[r] * (p - y[r]) / total
                    let h = sw[r] * max(p * (1 - p), 1e-9) / total
                    for (a, j) in nz.enumerated() {
                        let hz = h * row[j]
                        gradient[j] += g * row[j]
                        let base = j * width
                        for k in nz[a...] { hb[base + k] += hz * row[k] }
                        hb[base + d] += hz
                    }
                    gradient[d] += g
                    hb[d * width + d] += h
                }
            }
            var hessian = (0..<width).map { Array(flat[($0 * width)..<(($0 + 1) * width)]) }
            for j in 0..<d {
                gradient[j] += l2 * beta[j]
                hessian[j][j] += l2
                for k in 0..<j { hessian[j][k] = hessian[k][j] }
            }
            hessian[d][d] += 1e-9
            for k in 0..<d { hessian[d][k] = hessian[k][d] }
            guard let step = solve(hessian, gradient) else { break }
            var change = 0.0
            for j in 0...d {
                beta[j] -= step[j]
                change = max(change, abs(step[j]))
            }
            if change < 1e-6 { break }
        }
        return LogisticModel(names: names, weights: Array(beta[0..<d]), bias: beta[d], means: means, scales: scales)
    }

    /// Solves `a·x = b` by Gaussian elimination with partial pivoting; nil when `a` is singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a, v = b
        for c in 0..<n {
            var pivot = c
            for r in (c + 1)..<max(n, c + 1) where abs(m[r][c]) > abs(m[pivot][c]) { pivot = r }
            guard abs(m[pivot][c]) > 1e-14 else { return nil }
            if pivot != c { m.swapAt(pivot, c); v.swapAt(pivot, c) }
            for r in (c + 1)..<max(n, c + 1) {
                let f = m[r][c] / m[c][c]
                guard f != 0 else { continue }
                for k in c..<n { m[r][k] -= f * m[c][k] }
                v[r] -= f * v[c]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = v[r]
            for k in (r + 1)..<max(n, r + 1) { s -= m[r][k] * x[k] }
            x[r] = s / m[r][r]
        }
        return x
    }
}
