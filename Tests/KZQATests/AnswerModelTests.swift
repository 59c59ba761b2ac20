import XCTest
@testable import KZQA
import KZQAFuzzing

/// The learned models of the answer layer: the logistic fit, the threshold choice, SQuAD-style scoring and the
/// short-answer extractor on hand-made sentences (not the seeds).
final class AnswerModelTests: XCTestCase {
    /// Draws a synthetic set from known weights and checks that the fit recovers them.
    func testLogisticFitRecoversKnownWeights() {
        var random = SplitMix64(seed: 42)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        let truth = [2.0, -1.5, 0.0], bias = 0.5
        var x: [[Double]] = [], y: [Double] = []
        for _ in 0..<6000 {
            let row = (0..<3).map { _ in uniform() * 2 - 1 }
            let p = LogisticModel.sigmoid(bias + zip(truth, row).map(*).reduce(0, +))
            x.append(row)
            y.append(uniform() < p ? 1 : 0)
        }
        let m = LogisticModel.fit(names: ["a", "b", "c"], x: x, y: y, l2: 0)
        // Back from standardised units: w_raw = w / scale; bias_raw = bias − Σ w·mean/scale.
        let raw = m.weights.indices.map { m.weights[$0] / m.scales[$0] }
        let rawBias = m.bias - m.weights.indices.map { m.weights[$0] * m.means[$0] / m.scales[$0] }.reduce(0, +)
        XCTAssertEqual(raw[0], 2.0, accuracy: 0.2)
        XCTAssertEqual(raw[1], -1.5, accuracy: 0.2)
        XCTAssertEqual(raw[2], 0.0, accuracy: 0.2)
        XCTAssertEqual(rawBias, 0.5, accuracy: 0.15)
    }

    /// Groups whose target distributions are the softmax of known weights: the conditional fit has its optimum
    /// there, so it must give the weights back (bias is not identified and stays 0).
    func testConditionalFitRecoversKnownWeights() {
        var random = SplitMix64(seed: 7)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        let truth = [1.5, -2.0, 0.0]
        var groups: [[[Double]]] = [], targets: [[Double]] = []
        for g in 0..<400 {
            let rows = (0..<(2 + g % 4)).map { _ in (0..<3).map { _ in uniform() * 2 - 1 } }
            let e = rows.map { exp(zip(truth, $0).map(*).reduce(0, +)) }
            groups.append(rows)
            targets.append(e.map { $0 / e.reduce(0, +) })
        }
        let m = LogisticModel.fitConditional(names: ["a", "b", "c"], groups: groups, targets: targets, l2: 0)
        XCTAssertEqual(m.bias, 0)
        let raw = m.weights.indices.map { m.weights[$0] / m.scales[$0] }
        XCTAssertEqual(raw[0], 1.5, accuracy: 1e-4)
        XCTAssertEqual(raw[1], -2.0, accuracy: 1e-4)
        XCTAssertEqual(raw[2], 0.0, accuracy: 1e-4)
        // Hand-computed: one group of two rows differing by 1 in a, target 0.5/0.5 → weight 0 (from any start).
        let flat = LogisticModel.fitConditional(names: ["a"], groups: [[[0], [1]]], targets: [[0.5, 0.5]], l2: 0)
        XCTAssertEqual(flat.weights[0], 0, accuracy: 1e-9)
    }

    /// Platt scaling keeps the order of the rows and, as every logistic fit with a bias does, makes the mean
    /// probability equal the share of positive labels.
    func testPlattScalingKeepsOrderAndMatchesTheBaseRate() {
        let m = LogisticModel(names: ["a"], weights: [1], bias: 0)
        let x: [[Double]] = [[-2], [-1], [0], [0.5], [1], [2], [3], [-0.5]]
        let y: [Double] = [0, 0, 1, 0, 1, 1, 1, 0]
        let p = m.plattScaled(x: x, y: y)
        let probabilities = x.map(p.probability)
        XCTAssertEqual(probabilities.reduce(0, +) / 8, 0.5, accuracy: 1e-6)
        XCTAssertEqual(x.indices.sorted { probabilities[$0] < probabilities[$1] }, x.indices.sorted { x[$0][0] < x[$1][0] })
    }

    func testSignConstrainedFitKeepsEveryWeightOnItsSide() {
        // Feature b is anti-correlated with the label; a sign of +1 forbids a negative weight for it.
        let x: [[Double]] = [[1, 0], [0.9, 0.1], [0.2, 1], [0.1, 0.9], [0.8, 0.3], [0.3, 0.7]]
        let y: [Double] = [1, 1, 0, 0, 1, 0]
        let free = LogisticModel.fit(names: ["a", "b"], x: x, y: y, l2: 0.1)
        XCTAssertLessThan(free.weights[1], 0)
        let constrained = LogisticModel.fit(names: ["a", "b"], x: x, y: y, l2: 0.1, signs: [1, 1])
        XCTAssertEqual(constrained.weights[1], 0)
        XCTAssertGreaterThan(constrained.weights[0], 0)
    }

    func testModelProbabilityAndContributionsByHand() {
        let m = LogisticModel(names: ["a", "b"], weights: [2, -1], bias: 0.5, means: [1, 0], scales: [2, 1])
        // logit = 0.5 + 2·(3 − 1)/2 − 1·(1 − 0)/1 = 1.5
        XCTAssertEqual(m.logit([3, 1]), 1.5, accuracy: 1e-12)
        XCTAssertEqual(m.probability([3, 1]), 1 / (1 + exp(-1.5)), accuracy: 1e-12)
        XCTAssertEqual(m.contributions([3, 1]), [2, -1])
    }

    func testThresholdAllowsTheBoundOfFalseAbstentions() {
        // 20 answerable predictions 0.05, 0.10 … 1.00; 5 % allowed → one answerable below the threshold.
        let positives = (1...20).map { Double($0) * 0.05 }
        let negatives = [0.02, 0.07, 0.3]
        let t = Calibrator.threshold(predicted: positives + negatives, answerable: positives.map { _ in true } + negatives.map { _ in false },
                                     maxFalseAbstain: 0.05)
        XCTAssertEqual(t, 0.10, accuracy: 1e-12)
        let zero = Calibrator.threshold(predicted: positives, answerable: positives.map { _ in true }, maxFalseAbstain: 0)
        XCTAssertEqual(zero, 0.05, accuracy: 1e-12)
    }

    func testThresholdHoldsEachFilesBudget() {
        // File a: 10 answerable at 0.1 … 1.0, budget 0.2 → two below → threshold 0.3.
        // File b: 4 answerable at 0.2, 0.4, 0.6, 0.8, budget 0.25 → one below → 0.4.
        // The unbudgeted rest (0.15, 0.25 … 20 predictions) at 5 % → one below → its second lowest.
        let a = (1...10).map { Double($0) / 10 }, b = [0.2, 0.4, 0.6, 0.8]
        let rest = (0..<20).map { 0.15 + Double($0) * 0.01 }
        let predicted = a + b + rest + [0.05]
        let answerable = predicted.indices.map { $0 < predicted.count - 1 }
        let groups = a.map { _ in "a" } + b.map { _ in "b" } + rest.map { _ in "" } + ["a"]
        let budgets: [Double?] = a.map { _ in 0.2 } + b.map { _ in 0.25 } + rest.map { _ in nil } + [0.2]
        let t = Calibrator.threshold(predicted: predicted, answerable: answerable, groups: groups, budgets: budgets,
                                     maxFalseAbstain: 0.05)
        XCTAssertEqual(t, 0.16, accuracy: 1e-12)
        // Without the unbudgeted rest, the tighter of the two files decides.
        let n = a.count + b.count
        let t2 = Calibrator.threshold(predicted: Array(predicted.prefix(n)), answerable: Array(answerable.prefix(n)),
                                      groups: Array(groups.prefix(n)), budgets: Array(budgets.prefix(n)), maxFalseAbstain: 0.05)
        XCTAssertEqual(t2, 0.3, accuracy: 1e-12)
    }

    /// The fitted span model on hand-made sentences (not from the seeds), one per question type: the best span is
    /// the thing asked for, never the question's own words.
    func testShortAnswerPerQuestionTypeOnHandMadeSentences() {
        let extractor = ShortAnswerExtractor()
        let analyzer = FrenchAnalyzer()
        let cases: [(question: String, sentence: String, expected: String)] = [
            ("Combien de vélos la mairie de Lyon a-t-elle achetés ?",
             "L’an passé, la mairie de Lyon a acheté 4 200 vélos électriques pour ses agents.", "4 200"),
            ("Quand le musée des Confluences a-t-il rouvert ?",
             "Le musée des Confluences a rouvert le 3 mars 2021 après de longs travaux.", "3 mars 2021"),
        ]
        for c in cases {
            let query = Query(c.question)
            let best = extractor.best(text: c.sentence, tokens: analyzer.analyze(c.sentence), query: query)
            XCTAssertNotNil(best, c.question)
            guard let best else { continue }
            XCTAssertTrue(best.text.contains(c.expected) || c.expected.contains(best.text), "\(c.question) → \(best.text)")
            // Byte offsets into the sentence give back the span's text.
            let bytes = Array(c.sentence.utf8)
            XCTAssertEqual(String(decoding: bytes[best.start..<best.end], as: UTF8.self), best.text)
            XCTAssertFalse(query.terms.contains(analyzer.terms(best.text).first ?? ""), "a span is not the question's own word: \(c.question) → \(best.text)")
        }
    }

    func testCandidatesStayInsideClausesAndSkipStopwordEdges() {
        let sentence = "Le budget, voté hier, atteint 3 millions d’euros."
        let spans = ShortAnswerExtractor().candidates(text: sentence, tokens: FrenchAnalyzer().analyze(sentence),
                                                      query: Query("Quel budget a été voté ?"))
        XCTAssertFalse(spans.contains { $0.text.contains(",") }, "no span crosses a comma")
        XCTAssertFalse(spans.contains { $0.text.hasPrefix("Le ") }, "no span opens on a stop word")
        XCTAssertTrue(spans.contains { $0.text == "3 millions d’euros" })
        XCTAssertFalse(spans.contains { $0.text == "budget" }, "a span of the question's words only is no answer")
        XCTAssertEqual(spans.first?.features.count, ShortAnswerExtractor.featureCount)
    }

    /// A span that leaves out part of a name or the unit of its figure says so in its features.
    func testSpansCuttingANameOrAUnitShortAreMarked() {
        let sentence = "Le conseil a choisi Jean Dupont et 42 % des votes sont allés à Lyon."
        let spans = ShortAnswerExtractor().candidates(text: sentence, tokens: FrenchAnalyzer().analyze(sentence),
                                                      query: Query("Qui a choisi le conseil ?"))
        let names = ShortAnswerExtractor.baseFeatureNames
        func feature(_ text: String, _ name: String) -> Double? {
            guard let k = names.firstIndex(of: name) else { return nil }
            return spans.first { $0.text == text }?.baseFeatures[k]
        }
        XCTAssertEqual(feature("Dupont", "name_continues_left"), 1)
        XCTAssertEqual(feature("Jean", "name_continues_right"), 1)
        XCTAssertEqual(feature("Jean Dupont", "name_continues_left"), 0)
        XCTAssertEqual(feature("Jean Dupont", "name_continues_right"), 0)
        XCTAssertEqual(feature("42", "unit_left_out"), 1)
        XCTAssertEqual(feature("42 %", "unit_left_out"), 0)
        XCTAssertEqual(feature("Lyon", "name_continues_left"), 0)
    }

    /// Words inside parentheses are an aside (`(2025, 7 octobre)`: a source's date), and the capital of a
    /// sentence's first word marks no name when the dictionary knows the word (`Enfin`), but does when it
    /// does not (`Dupont`).
    func testAsidesAndSentenceInitialCapitals() {
        let names = ShortAnswerExtractor.baseFeatureNames
        func features(_ sentence: String, _ question: String, known: Set<String>) -> [String: [Double]] {
            let spans = ShortAnswerExtractor().candidates(
                text: sentence, tokens: FrenchAnalyzer().analyze(sentence), query: Query(question),
                wordClass: { WordClass(name: known.contains($0) ? .ordinary : .unknown, isVerb: false) })
            return Dictionary(spans.map { ($0.text, $0.baseFeatures) }, uniquingKeysWith: { a, _ in a })
        }
        let parenthesis = names.firstIndex(of: "in_parentheses") ?? -1
        let capitals = names.firstIndex(of: "capitalised_share") ?? -1
        let dated = features("La loi a été proposée, selon Martin (2025, 7 octobre).", "Quand la loi a-t-elle été proposée ?",
                             known: ["La", "loi", "proposée", "selon"])
        XCTAssertEqual(dated["7 octobre"]?[parenthesis], 1)
        XCTAssertEqual(dated["Martin"]?[parenthesis], 0)
        let opening = features("Enfin Dupont dirigera le centre.", "Qui dirigera le centre ?", known: ["Enfin", "dirigera", "centre"])
        XCTAssertEqual(opening["Enfin"]?[capitals], 0)
        XCTAssertEqual(opening["Dupont"]?[capitals], 1)
        let named = features("Dupont dirigera le centre.", "Qui dirigera le centre ?", known: ["dirigera", "centre"])
        XCTAssertEqual(named["Dupont"]?[capitals], 1)
    }

    /// The share of the sentence's question words in the span's clause: the figure of the clause that says what
    /// the question asks about has them all, the one of the next clause none.
    func testClauseMatchShare() {
        let sentence = "Ici 93 % de la population a désormais accès à Internet, tandis que 98 % du territoire est couvert."
        let spans = ShortAnswerExtractor().candidates(text: sentence, tokens: FrenchAnalyzer().analyze(sentence),
                                                      query: Query("Quelle part de la population a accès à Internet ?"))
        let k = ShortAnswerExtractor.baseFeatureNames.firstIndex(of: "clause_match_share") ?? -1
        XCTAssertEqual(spans.first { $0.text == "93 %" }?.baseFeatures[k], 1)
        XCTAssertEqual(spans.first { $0.text == "98 %" }?.baseFeatures[k], 0)
        // Question words inside the span are not counted: two of the three stand outside it.
        XCTAssertEqual(spans.first { $0.text == "93 % de la population a désormais" }?.baseFeatures[k] ?? -1, 2.0 / 3, accuracy: 1e-9)
    }

    /// A number written in words is a figure when the word class says so (`trois ans`).
    func testANumberInWordsIsAFigure() {
        let sentence = "Le projet durera trois ans selon le conseil."
        let numerals: Set<String> = ["trois"]
        let spans = ShortAnswerExtractor().candidates(
            text: sentence, tokens: FrenchAnalyzer().analyze(sentence), query: Query("Combien de temps durera le projet ?"),
            wordClass: { WordClass(name: .ordinary, isVerb: false, isNumeral: numerals.contains($0)) })
        let number = ShortAnswerExtractor.baseFeatureNames.firstIndex(of: "number") ?? -1
        XCTAssertEqual(spans.first { $0.text == "trois ans" }?.baseFeatures[number], 1)
        XCTAssertEqual(spans.first { $0.text == "conseil" }?.baseFeatures[number], 0)
    }

    /// The short answer's type against the question's: a figure where a person is asked for is a misfit, a
    /// year where a date is asked for a fit, a count of the focus noun is no answer to quel + that noun.
    func testSpanTypeFitByQuestionType() {
        let analyzer = FrenchAnalyzer()
        func fit(_ question: String, _ sentence: String, _ text: String) -> (Double, Double)? {
            let query = Query(question)
            let tokens = analyzer.analyze(sentence)
            guard let span = ShortAnswerExtractor().candidates(text: sentence, tokens: tokens, query: query)
                .first(where: { $0.text == text }) else { return nil }
            let t = AnswerabilityFeatures.typeFit(query, span: span, sentence: tokens)
            return (t.fit, t.misfit)
        }
        let sentence = "En 2019, la ville de Lyon comptait 4 200 vélos, 300 entreprises et Jean Dupont dirigeait le service."
        XCTAssertEqual(fit("Qui dirigeait le service ?", sentence, "4 200 vélos").map { [$0.0, $0.1] }, [0, 1])
        XCTAssertEqual(fit("Qui dirigeait le service ?", sentence, "ville").map { [$0.0, $0.1] }, [0, 1])
        XCTAssertEqual(fit("Quand la ville comptait-elle ces vélos ?", sentence, "2019").map { [$0.0, $0.1] }, [1, 0])
        XCTAssertEqual(fit("Quand la ville comptait-elle ces vélos ?", sentence, "service").map { [$0.0, $0.1] }, [0, 1])
        XCTAssertEqual(fit("Combien de vélos la ville comptait-elle ?", sentence, "4 200").map { [$0.0, $0.1] }, [1, 0])
        XCTAssertEqual(fit("Quelle entreprise la ville a-t-elle choisie ?", sentence, "300 entreprises").map { [$0.0, $0.1] }, [0, 1])
        XCTAssertEqual(fit("Pourquoi la ville comptait-elle ces vélos ?", sentence, "service").map { [$0.0, $0.1] }, [0, 0])
        // A part of a longer name (`Jean` of `Jean Dupont`) is no person's name.
        XCTAssertEqual(fit("Qui dirigeait le service ?", sentence, "Jean").map { [$0.0, $0.1] }, [0, 1])
        XCTAssertEqual(AnswerabilityFeatures.typeFit(Query("Qui dirigeait le service ?"), span: nil, sentence: []).fit, 0)
    }

    /// The folded span model gives the probability of the full model on the full feature vector.
    func testFoldedSpanModelEqualsTheFullModel() {
        let base = 3, groups = 2
        let n = base * (groups + 1)
        let model = LogisticModel(names: (0..<n).map { "f\($0)" }, weights: [0.5, -1, 2, 0.25, 0, -0.5, 1.5, -2, 0.75],
                                  bias: 0.3, means: [0.1, 0.2, 0.3, 0, 0.5, 0.6, 0.7, 0.8, 0.9],
                                  scales: [1, 2, 0.5, 1, 4, 1, 2, 1, 0.25])
        let f = [0.4, 1, 0.2]
        for group in 0..<groups {
            var full = [Double](repeating: 0, count: n)
            for k in 0..<base { full[k] = f[k]; full[base * (group + 1) + k] = f[k] }
            let folded = FoldedSpanModel(model, group: group, base: base)
            XCTAssertEqual(folded.probability(f), model.probability(full), accuracy: 1e-12)
        }
        // By hand for group 0: constant 0.3 − Σ wᵢmᵢ/sᵢ, coefficient of f₀ = 0.5/1 + 0.25/1 = 0.75.
        let constant = 0.3 - (0.05 - 0.1 + 1.2 + 0 + 0 - 0.3 + 0.525 - 1.6 + 2.7)
        XCTAssertEqual(FoldedSpanModel(model, group: 0, base: base).constant, constant, accuracy: 1e-12)
        XCTAssertEqual(FoldedSpanModel(model, group: 0, base: base).coefficients[0], 0.75, accuracy: 1e-12)
    }
}
