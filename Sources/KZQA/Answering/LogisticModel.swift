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
        let (means, scales) = standardisation(x, weights: sw)
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

    /// Fits a conditional logit (a softmax over the rows of each group, as extractive readers score the spans of
    /// one passage): maximises `Σ_g w_g Σ_i t_gi·log softmax(β·z_g)_i − l2/2·‖β‖²` over standardised features
    /// `z`, with Newton steps. `targets` give each group's target distribution (summing to 1). Only the
    /// differences between rows of a group are learnt, so the returned model's bias is 0 and its logits rank the
    /// rows of a group; `plattScaled` turns them into probabilities.
    public static func fitConditional(names: [String], groups: [[[Double]]], targets: [[Double]],
                                      groupWeights: [Double]? = nil, l2: Double = 1e-2,
                                      iterations: Int = 15) -> LogisticModel {
        let d = names.count
        let rows = groups.flatMap { $0 }
        guard !rows.isEmpty else { return constant(names: names) }
        let gw = groupWeights ?? [Double](repeating: 1, count: groups.count)
        let totalWeight = gw.reduce(0, +)
        let (means, scales) = standardisation(rows, weights: [Double](repeating: 1, count: rows.count))
        let z = groups.map { g in g.map { row in (0..<d).map { (row[$0] - means[$0]) / scales[$0] } } }
        let nonZero = z.map { g in g.map { row in row.indices.filter { row[$0] != 0 } } }
        var beta = [Double](repeating: 0, count: d)
        /// The linear scores of group `g`'s rows under `b`.
        func scores(_ g: Int, _ b: [Double]) -> [Double] {
            z[g].indices.map { i in nonZero[g][i].reduce(0.0) { $0 + b[$1] * z[g][i][$1] } }
        }
        func loss(_ b: [Double]) -> Double {
            var total = 0.0
            for g in groups.indices where !z[g].isEmpty {
                let scores = scores(g, b)
                let top = scores.max() ?? 0
                let logSum = top + log(scores.reduce(0.0) { $0 + exp($1 - top) })
                for i in scores.indices where targets[g][i] > 0 { total += gw[g] * targets[g][i] * (logSum - scores[i]) }
            }
            return total / totalWeight + l2 / 2 * b.reduce(0) { $0 + $1 * $1 }
        }
        var current = loss(beta)
        for _ in 0..<iterations {
            var gradient = [Double](repeating: 0, count: d)
            var flat = [Double](repeating: 0, count: d * d)
            flat.withUnsafeMutableBufferPointer { hb in
                for g in groups.indices where !z[g].isEmpty {
                    let scores = scores(g, beta)
                    let top = scores.max() ?? 0
                    let e = scores.map { exp($0 - top) }
                    let sum = e.reduce(0, +)
                    let p = e.map { $0 / sum }
                    let w = gw[g] / totalWeight
                    // Gradient of the loss: E_p[z] − E_t[z]; Hessian: E_p[z zᵀ] − E_p[z] E_p[z]ᵀ.
                    var mean = [Double](repeating: 0, count: d)
                    var used = Set<Int>()
                    for i in z[g].indices {
                        let coefficient = w * (p[i] - targets[g][i])
                        let hp = w * p[i]
                        let nz = nonZero[g][i], row = z[g][i]
                        for (a, j) in nz.enumerated() {
                            gradient[j] += coefficient * row[j]
                            mean[j] += p[i] * row[j]
                            let hz = hp * row[j], base = j * d
                            for k in nz[a...] { hb[base + k] += hz * row[k] }
                        }
                        used.formUnion(nz)
                    }
                    let support = used.sorted()
                    for (a, j) in support.enumerated() {
                        let mj = w * mean[j], base = j * d
                        for k in support[a...] { hb[base + k] -= mj * mean[k] }
                    }
                }
            }
            var hessian = (0..<d).map { Array(flat[($0 * d)..<(($0 + 1) * d)]) }
            for j in 0..<d {
                gradient[j] += l2 * beta[j]
                hessian[j][j] += l2 + 1e-9
                for k in 0..<j { hessian[j][k] = hessian[k][j] }
            }
            guard let step = solve(hessian, gradient) else { break }
            // Damped Newton: halve the step until the penalised loss goes down (far from the optimum a full
            // step of a softmax loss can overshoot).
            var fraction = 1.0, next = beta, nextLoss = current
            repeat {
                next = beta.indices.map { beta[$0] - fraction * step[$0] }
                nextLoss = loss(next)
                fraction /= 2
            } while nextLoss > current && fraction > 1e-4
            let change = beta.indices.map { abs(next[$0] - beta[$0]) }.max() ?? 0
            beta = next
            current = nextLoss
            if change < 1e-6 { break }
        }
        return LogisticModel(names: names, weights: beta, bias: 0, means: means, scales: scales)
    }

    /// This model's logits mapped to probabilities by Platt scaling: `σ(a·logit + b)` with `a` and `b` fitted to
    /// the labels `y` of the rows `x` (weighted by `sampleWeights`); the ranking of any two rows is unchanged
    /// when `a` comes out positive.
    public func plattScaled(x: [[Double]], y: [Double], sampleWeights: [Double]? = nil) -> LogisticModel {
        let scores = x.map { [logit($0)] }
        let platt = Self.fit(names: ["logit"], x: scores, y: y, sampleWeights: sampleWeights, l2: 0)
        let a = platt.weights[0] / platt.scales[0]
        var scaled = self
        scaled.weights = weights.map { $0 * a }
        scaled.bias = platt.bias + a * (bias - platt.means[0])
        return scaled
    }

    /// Each feature's weighted mean and standard deviation over the rows `x` (a deviation of 1 for a constant
    /// feature), the units both fits standardise to.
    static func standardisation(_ x: [[Double]], weights: [Double]) -> (means: [Double], scales: [Double]) {
        let d = x.first?.count ?? 0
        let total = weights.reduce(0, +)
        var means = [Double](repeating: 0, count: d), scales = [Double](repeating: 1, count: d)
        for j in 0..<d {
            var m = 0.0
            for r in x.indices { m += weights[r] * x[r][j] }
            m /= total
            var v = 0.0
            for r in x.indices { v += weights[r] * (x[r][j] - m) * (x[r][j] - m) }
            v /= total
            means[j] = m
            scales[j] = v > 1e-12 ? sqrt(v) : 1
        }
        return (means, scales)
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
