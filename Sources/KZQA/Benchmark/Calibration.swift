import Foundation

/// What `kzqa calibrate` learns from: for each training question, the engine's best sentences and the evidence
/// of its answer, gathered once, so that both models can be fitted and cross-validated without asking again.
public struct CalibrationExample: Sendable {
    public var question: BenchQuestion
    /// How much the example counts in the fits (its question file's weight).
    public var weight = 1.0
    public var query: Query
    public var statistics: QuestionStatistics
    public var sentences: [CandidateSentence]
}

/// The figures of one calibration run: cross-validated predictions, the chosen threshold, the final models.
public struct CalibrationResult: Sendable {
    public var span: LogisticModel
    public var answerability: LogisticModel
    public var threshold: Double
    /// The span share chosen for the answer sentence (`ComposerSettings.spanShare`), and the cross-validated
    /// share of answerable questions whose answer sentence then holds a gold answer.
    public var spanShare: Double
    public var cvFirstCitationAccuracy: Double
    public var folds: Int
    public var questions: Int
    public var answerable: Int
    /// Cross-validated figures, each model fitted without the fold it predicts.
    public var cvShortAnswerF1: Double
    public var cvShortAnswerExact: Double
    public var cvAbstainRecall: Double
    public var cvFalseAbstainRate: Double
    /// Short-answer F1 when the best sentence holds a gold answer (the extractor alone).
    public var cvShortAnswerF1OnRightSentence: Double
}

/// Fits the span model and the answerability model by k-fold cross-validation over training questions
/// (`kzqa calibrate`), and picks the abstention threshold on the cross-validated predictions.
public struct Calibrator {
    public var folds = 5
    /// Highest false_abstain_rate allowed on the cross-validated predictions when choosing the threshold.
    public var maxFalseAbstain = 0.04
    /// Sentences per answerable question whose spans train the span model (those holding a gold answer).
    public var spanSentences = 2
    public var spanL2 = 0.05
    /// A sentence whose best candidate reaches less F1 than this teaches the span model nothing.
    public var spanMinimumF1 = 0.5
    public var answerabilityL2 = 0.05

    public init() {}

    /// Runs every question once and keeps what the fit needs.
    public static func examples(_ questions: [BenchQuestion], engine: QAEngine, weight: Double = 1) throws -> [CalibrationExample] {
        var out: [CalibrationExample] = []
        for q in questions {
            guard let r = try? engine.ask(q.question, mode: .hybrid, top: 10) else { continue }
            out.append(CalibrationExample(question: q, weight: weight, query: r.query, statistics: r.statistics,
                                          sentences: Array(r.sentences.prefix(12))))
        }
        return out
    }

    /// The span rows of one example: candidates of the sentences holding a gold answer, labelled 1 for the
    /// candidates of the sentence's highest F1 (when it reaches `spanMinimumF1`), 0 for the others — the model
    /// learns to pick the best span of a sentence rather than to grade every overlap.
    func spanRows(_ e: CalibrationExample, extractor: ShortAnswerExtractor) -> [(x: [Double], y: Double, w: Double)] {
        guard e.question.answerable else { return [] }
        var rows: [(x: [Double], y: Double, w: Double)] = []
        for s in e.sentences.filter({ AnswerMatching.containsAny($0.text, of: e.question.answers) }).prefix(spanSentences) {
            let candidates = extractor.candidates(text: s.text, tokens: s.tokens, query: e.query, closeForms: e.statistics.closeForms,
                  isDictionaryWord: e.statistics.isDictionaryWord, wordClass: e.statistics.wordClass)
            let f1 = candidates.map { ShortAnswerScoring.bestF1($0.text, golds: e.question.answers) }
            guard let top = f1.max(), top >= spanMinimumF1 else { continue }
            for (c, f) in zip(candidates, f1) { rows.append((c.features, f == top ? 1 : 0, e.weight)) }
        }
        return rows
    }

    func fitSpan(_ examples: [CalibrationExample]) -> LogisticModel {
        let extractor = ShortAnswerExtractor()
        let rows = examples.flatMap { spanRows($0, extractor: extractor) }
        return LogisticModel.fit(names: ShortAnswerExtractor.featureNames, x: rows.map(\.x), y: rows.map(\.y),
                                 sampleWeights: rows.map(\.w), l2: spanL2)
    }

    /// The answerability features of an example under a span model and span share, the short answer it gives,
    /// and its answer sentence.
    func answerability(_ e: CalibrationExample, span: LogisticModel, share: Double, composer: AnswerComposer)
        -> (features: [Double], short: String?, sentence: String)? {
        guard let (best, candidate) = composer.choose(e.sentences, query: e.query, statistics: e.statistics,
                                                      model: span, share: share) else { return nil }
        let evidence = composer.assess(best: best, span: candidate, query: e.query, statistics: e.statistics,
                                       scored: e.sentences)
        return (evidence.features, candidate?.text, best.text)
    }

    /// Span shares tried for choosing the answer sentence (see `ComposerSettings.spanShare`).
    public var spanShares = [0, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2]

    /// The share whose cross-validated answer sentences hold a gold answer most often (the smallest on a tie),
    /// with that rate over the answerable examples.
    func chooseShare(_ examples: [CalibrationExample], spans: [LogisticModel], fold: [Int], composer: AnswerComposer)
        -> (share: Double, firstCitation: Double) {
        let answerable = examples.indices.filter { examples[$0].question.answerable }
        var best = (share: 0.0, firstCitation: -1.0)
        for share in spanShares {
            let hits = answerable.filter { i in
                guard let (s, _) = composer.choose(examples[i].sentences, query: examples[i].query,
                                                   statistics: examples[i].statistics, model: spans[fold[i]], share: share)
                else { return false }
                return AnswerMatching.containsAny(s.text, of: examples[i].question.answers)
            }.count
            let rate = Double(hits) / Double(max(1, answerable.count))
            if rate > best.firstCitation { best = (share, rate) }
        }
        return best
    }

    /// Fits both models with `folds`-fold cross-validation over `examples` (questions assigned to folds by
    /// position), then refits them on everything.
    public func calibrate(_ examples: [CalibrationExample], composer: AnswerComposer) -> CalibrationResult {
        let fold = examples.indices.map { $0 % folds }
        // Out-of-fold span models and answerability features.
        var features = [[Double]](repeating: [], count: examples.count)
        var shorts = [String?](repeating: nil, count: examples.count)
        var answerSentences = [String?](repeating: nil, count: examples.count)
        let spans = (0..<folds).map { k in fitSpan(examples.indices.filter { fold[$0] != k }.map { examples[$0] }) }
        let (share, firstCitation) = chooseShare(examples, spans: spans, fold: fold, composer: composer)
        for i in examples.indices {
            if let a = answerability(examples[i], span: spans[fold[i]], share: share, composer: composer) {
                features[i] = a.features
                shorts[i] = a.short
                answerSentences[i] = a.sentence
            }
        }
        let usable = examples.indices.filter { !features[$0].isEmpty }
        let labels = examples.map { $0.question.answerable ? 1.0 : 0.0 }
        var predicted = [Double](repeating: 0, count: examples.count)
        for k in 0..<folds {
            let train = usable.filter { fold[$0] != k }
            let model = LogisticModel.fit(names: AnswerabilityFeatures.names, x: train.map { features[$0] },
                                          y: train.map { labels[$0] }, sampleWeights: train.map { examples[$0].weight },
                                          l2: answerabilityL2,
                                          signs: AnswerabilityFeatures.signs)
            for i in usable where fold[i] == k { predicted[i] = model.probability(features[i]) }
        }
        let threshold = Self.threshold(predicted: usable.map { predicted[$0] }, answerable: usable.map { labels[$0] == 1 },
                                       maxFalseAbstain: maxFalseAbstain)
        let answerableIdx = examples.indices.filter { examples[$0].question.answerable }
        let unanswerableIdx = examples.indices.filter { !examples[$0].question.answerable }
        func answered(_ i: Int) -> Bool { !features[i].isEmpty && predicted[i] >= threshold }
        var f1 = 0.0, exact = 0.0, rightF1 = 0.0, right = 0
        for i in answerableIdx where answered(i) {
            let s = shorts[i] ?? ""
            f1 += ShortAnswerScoring.bestF1(s, golds: examples[i].question.answers)
            exact += ShortAnswerScoring.bestExact(s, golds: examples[i].question.answers)
        }
        for i in answerableIdx {
            guard let best = answerSentences[i], AnswerMatching.containsAny(best, of: examples[i].question.answers) else { continue }
            right += 1
            rightF1 += ShortAnswerScoring.bestF1(shorts[i] ?? "", golds: examples[i].question.answers)
        }
        let n = Double(max(1, answerableIdx.count))
        // Final models on every example.
        let span = fitSpan(examples)
        var finalFeatures: [[Double]] = [], finalLabels: [Double] = [], finalWeights: [Double] = []
        for i in examples.indices {
            if let a = answerability(examples[i], span: span, share: share, composer: composer) {
                finalFeatures.append(a.features)
                finalLabels.append(labels[i])
                finalWeights.append(examples[i].weight)
            }
        }
        let answerabilityModel = LogisticModel.fit(names: AnswerabilityFeatures.names, x: finalFeatures, y: finalLabels,
                                                   sampleWeights: finalWeights, l2: answerabilityL2,
                                                   signs: AnswerabilityFeatures.signs)
        return CalibrationResult(
            span: span, answerability: answerabilityModel, threshold: threshold, spanShare: share,
            cvFirstCitationAccuracy: firstCitation, folds: folds,
            questions: examples.count, answerable: answerableIdx.count,
            cvShortAnswerF1: f1 / n, cvShortAnswerExact: exact / n,
            cvAbstainRecall: Double(unanswerableIdx.filter { !answered($0) }.count) / Double(max(1, unanswerableIdx.count)),
            cvFalseAbstainRate: Double(answerableIdx.filter { !answered($0) }.count) / n,
            cvShortAnswerF1OnRightSentence: rightF1 / Double(max(1, right)))
    }

    /// The highest threshold (abstain below it) that abstains on at most `maxFalseAbstain` of the answerable
    /// questions' predictions: the most abstentions on unanswerable ones the bound allows.
    public static func threshold(predicted: [Double], answerable: [Bool], maxFalseAbstain: Double) -> Double {
        let positives = zip(predicted, answerable).filter { $0.1 }.map(\.0).sorted()
        guard !positives.isEmpty else { return 0.5 }
        // Abstaining below t hits every positive < t: allow at most floor(max · count) of them.
        let allowed = Int((maxFalseAbstain * Double(positives.count)).rounded(.down))
        let t = positives[min(allowed, positives.count - 1)]
        return allowed < positives.count ? t : 1
    }

    /// The Swift source of `FittedModels` for `result`, naming the command and the sets that produced it.
    public static func source(_ result: CalibrationResult, command: String) -> String {
        func list(_ xs: [Double]) -> String { "[" + xs.map { String(format: "%.6g", $0) }.joined(separator: ", ") + "]" }
        func model(_ m: LogisticModel, names: String) -> String {
            """
            LogisticModel(
                    names: \(names),
                    weights: \(list(m.weights)),
                    bias: \(String(format: "%.6g", m.bias)),
                    means: \(list(m.means)),
                    scales: \(list(m.scales)))
            """
        }
        return """
        // Written by `\(command)`: \(result.questions) questions (\(result.answerable) answerable), \(result.folds)-fold
        // cross-validation. Do not edit by hand: run the command again after changing a feature.

        /// The fitted answerability and span models, written by `kzqa calibrate --write-models`.
        public enum FittedModels {
            /// Abstain below this answerability (chosen on cross-validated predictions).
            public static let threshold: Double = \(String(format: "%.6g", result.threshold))
            /// Weight of the best span's score in choosing the answer sentence (cross-validated).
            public static let spanShare: Double = \(String(format: "%.6g", result.spanShare))
            public static let answerability = \(model(result.answerability, names: "AnswerabilityFeatures.names"))
            public static let span = \(model(result.span, names: "ShortAnswerExtractor.featureNames"))
        }

        """
    }
}
