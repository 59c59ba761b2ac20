import Foundation

/// What `kzqa calibrate` learns from: for each training question, the engine's best sentences and the evidence
/// of its answer, gathered once, so that both models can be fitted and cross-validated without asking again.
public struct CalibrationExample: Sendable {
    public var question: BenchQuestion
    /// How much the example counts in the fits (its question file's weight).
    public var weight = 1.0
    /// Highest share of its question file's answerable questions the threshold may abstain on (nil: the
    /// calibrator's `maxFalseAbstain` over every file together).
    public var falseAbstainBudget: Double?
    /// The question file it came from: a budget holds file by file.
    public var group = ""
    public var query: Query
    public var statistics: QuestionStatistics
    public var sentences: [CandidateSentence]
}

/// The figures of one calibration run: cross-validated predictions, the chosen threshold, the final models.
public struct CalibrationResult: Sendable {
    public var span: LogisticModel
    public var answerability: LogisticModel
    public var threshold: Double
    /// The threshold for translated questions, chosen on their predictions alone (the French one's when none).
    public var translatedThreshold: Double
    /// The span share chosen for the answer sentence (`ComposerSettings.spanShare`), and the cross-validated
    /// share of answerable questions whose answer sentence then holds a gold answer.
    public var spanShare: Double
    public var cvFirstCitationAccuracy: Double
    /// The cross-validated first-citation accuracy of each share of `Calibrator.spanShares`.
    public var cvFirstCitationByShare: [Double]
    /// The fitted sentence weights (`ComposerSettings.weights`), and the first-citation accuracy of the
    /// best-scored sentence under the weights the examples were gathered with (before fitting).
    public var sentenceWeights: [Double]
    public var cvFirstCitationHandWeights: Double
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
    /// Cross-validated abstain_recall and false_abstain_rate of each question file, at the chosen threshold.
    public var cvByGroup: [String: (abstainRecall: Double, falseAbstainRate: Double)] = [:]
    /// Each question's cross-validated prediction and features (`kzqa calibrate --examples`): what a new
    /// feature is judged on before it is fitted.
    public var examples: [CalibratedQuestion] = []
}

/// One question of a calibration run as the cross-validated models saw it.
public struct CalibratedQuestion: Sendable, Codable, Equatable {
    public var id: String
    public var group: String
    public var answerable: Bool
    /// The answerability predicted by the model fitted without this question's fold (nil: no sentence at all).
    public var predicted: Double?
    public var answered: Bool
    /// Whether the answer sentence holds a gold answer, and the short answer.
    public var sentenceRight: Bool
    public var shortAnswer: String?
    public var features: [String: Double]
}

/// The loss the span model is fitted on (see `Calibrator.fitSpan`).
public enum SpanObjective: String, Sendable, CaseIterable {
    case softmax, pointwise
}

/// Fits the span model and the answerability model by k-fold cross-validation over training questions
/// (`kzqa calibrate`), and picks the abstention threshold on the cross-validated predictions.
public struct Calibrator {
    public var folds = 5
    /// Highest false_abstain_rate allowed on the cross-validated predictions when choosing the threshold, over the
    /// questions of every file without a budget of its own (`CalibrationExample.falseAbstainBudget`) together.
    public var maxFalseAbstain = 0.04
    /// Sentences per answerable question whose spans train the span model (those holding a gold answer).
    public var spanSentences = 2
    public var spanL2 = 0.05
    /// How the span model is fitted: a softmax over each sentence's candidates (the default: it ranks a
    /// sentence's candidates against each other, as extractive readers are trained), or one logistic over all.
    public var spanObjective = SpanObjective.softmax
    /// A sentence whose best candidate reaches less F1 than this teaches the span model nothing.
    public var spanMinimumF1 = 0.5
    public var answerabilityL2 = 0.05
    /// Whether the sentence weights are fitted too (`kzqa calibrate --fit-sentence-weights`); otherwise the
    /// composer's weights are kept and written back unchanged.
    public var fitsSentenceWeights = false

    public init() {}

    /// Runs every question once and keeps what the fit needs.
    public static func examples(_ questions: [BenchQuestion], engine: QAEngine, weight: Double = 1,
                                falseAbstainBudget: Double? = nil, group: String = "") throws -> [CalibrationExample] {
        var out: [CalibrationExample] = []
        for q in questions {
            guard let r = try? engine.ask(q.question, mode: .hybrid, top: 10) else { continue }
            out.append(CalibrationExample(question: q, weight: weight, falseAbstainBudget: falseAbstainBudget, group: group,
                                          query: r.query, statistics: r.statistics, sentences: Array(r.sentences.prefix(12))))
        }
        return out
    }

    /// The span groups of one example: the candidates of each sentence holding a gold answer, with the target
    /// spread evenly over the candidates of the sentence's highest F1 (when it reaches `spanMinimumF1`) — the
    /// model learns to pick the best span of a sentence rather than to grade every overlap.
    func spanGroups(_ e: CalibrationExample, extractor: ShortAnswerExtractor) -> [(x: [[Double]], target: [Double], w: Double)] {
        guard e.question.answerable else { return [] }
        var groups: [(x: [[Double]], target: [Double], w: Double)] = []
        for s in e.sentences.filter({ AnswerMatching.containsAny($0.text, of: e.question.answers) }).prefix(spanSentences) {
            let candidates = extractor.candidates(text: s.text, tokens: s.tokens, query: e.query, closeForms: e.statistics.closeForms,
                  isDictionaryWord: e.statistics.isDictionaryWord, wordClass: e.statistics.wordClass)
            let f1 = candidates.map { ShortAnswerScoring.bestF1($0.text, golds: e.question.answers) }
            guard let top = f1.max(), top >= spanMinimumF1 else { continue }
            let best = Double(f1.filter { $0 == top }.count)
            groups.append((candidates.map(\.features), f1.map { $0 == top ? 1 / best : 0 }, e.weight))
        }
        return groups
    }

    /// The span model: weights from the conditional logit over each sentence's candidates (`spanObjective`
    /// `.softmax`) or from one logistic fit over all candidates (`.pointwise`); either way a probability that a
    /// candidate is the sentence's best span, Platt-scaled on the candidates' labels for the softmax fit.
    func fitSpan(_ examples: [CalibrationExample]) -> LogisticModel {
        let extractor = ShortAnswerExtractor()
        let groups = examples.flatMap { spanGroups($0, extractor: extractor) }
        let x = groups.flatMap(\.x), y = groups.flatMap { $0.target.map { $0 > 0 ? 1.0 : 0 } }
        let w = groups.flatMap { g in g.x.map { _ in g.w } }
        switch spanObjective {
        case .pointwise:
            return LogisticModel.fit(names: ShortAnswerExtractor.featureNames, x: x, y: y, sampleWeights: w, l2: spanL2)
        case .softmax:
            return LogisticModel.fitConditional(names: ShortAnswerExtractor.featureNames, groups: groups.map(\.x),
                                                targets: groups.map(\.target), groupWeights: groups.map(\.w), l2: spanL2)
                .plattScaled(x: x, y: y, sampleWeights: w)
        }
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

    /// Names of the sentence parts, in `ComposerSettings.weights` order.
    public static let sentencePartNames = ["coverage", "prior", "type_match", "novelty", "phrase"]
    /// The direction each part may push a sentence: novelty (the share of the sentence's words the question
    /// lacks) either way, the others up.
    static let sentencePartSigns: [Double] = [1, 1, 1, 0, 1]

    static func parts(_ c: CandidateSentence) -> [Double] { [c.coverage, c.prior, c.typeMatch, c.novelty, c.phrase] }

    /// The sentence weights learnt from `examples`: a logistic model telling the candidate sentences that hold
    /// a gold answer from the others of the same answerable question; its weights, brought back to the parts'
    /// own scale and rescaled to the sum of `reference` (the scores keep the scale the reranker and the
    /// thresholds expect). `reference` itself when no sentence holds an answer.
    func fitSentenceWeights(_ examples: [CalibrationExample], reference: [Double]) -> [Double] {
        guard fitsSentenceWeights else { return reference }
        var x: [[Double]] = [], y: [Double] = [], w: [Double] = []
        // Every file at weight 1: which sentence of a passage holds the answer is the same lesson in each.
        for e in examples where e.question.answerable {
            let labels = e.sentences.map { AnswerMatching.containsAny($0.text, of: e.question.answers) ? 1.0 : 0.0 }
            guard labels.contains(1) else { continue }
            for (s, l) in zip(e.sentences, labels) { x.append(Self.parts(s)); y.append(l); w.append(1) }
        }
        guard !x.isEmpty else { return reference }
        let m = LogisticModel.fit(names: Self.sentencePartNames, x: x, y: y, sampleWeights: w, l2: answerabilityL2,
                                  signs: Self.sentencePartSigns)
        let raw = m.weights.indices.map { m.weights[$0] / m.scales[$0] }
        let total = raw.reduce(0, +), target = reference.reduce(0, +)
        guard total > 0 else { return reference }
        return raw.map { $0 * target / total }
    }

    /// `e` with its sentences scored again under `weights` and sorted best first (as the composer sorts them).
    static func rescored(_ e: CalibrationExample, weights: [Double]) -> CalibrationExample {
        var e = e
        for i in e.sentences.indices { e.sentences[i].score = Scoring.fuse(parts(e.sentences[i]), weights: weights) }
        e.sentences.sort(by: CandidateSentence.ranksBefore)
        return e
    }

    /// The share of answerable examples whose best-scored sentence holds a gold answer.
    static func firstCitation(_ examples: [CalibrationExample]) -> Double {
        let answerable = examples.filter { $0.question.answerable }
        let hits = answerable.filter { e in e.sentences.first.map { AnswerMatching.containsAny($0.text, of: e.question.answers) } ?? false }
        return Double(hits.count) / Double(max(1, answerable.count))
    }

    /// Span shares tried for choosing the answer sentence (see `ComposerSettings.spanShare`).
    public var spanShares = [0, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2]

    /// A share above 0 is taken only when it raises the cross-validated first-citation accuracy by this much
    /// over share 0: smaller gains are a few questions, within the noise of one fold assignment.
    public var minimumShareGain = 0.01

    /// The share whose cross-validated answer sentences hold a gold answer most often (the smallest on a tie;
    /// 0 unless another gains `minimumShareGain`), with that rate over the answerable examples, and every
    /// share's rate.
    func chooseShare(_ examples: [CalibrationExample], spans: [LogisticModel], fold: [Int], composer: AnswerComposer)
        -> (share: Double, firstCitation: Double, rates: [Double]) {
        let answerable = examples.indices.filter { examples[$0].question.answerable }
        var best = (share: 0.0, firstCitation: -1.0)
        var rates: [Double] = []
        for share in spanShares {
            let hits = answerable.filter { i in
                guard let (s, _) = composer.choose(examples[i].sentences, query: examples[i].query,
                                                   statistics: examples[i].statistics, model: spans[fold[i]], share: share)
                else { return false }
                return AnswerMatching.containsAny(s.text, of: examples[i].question.answers)
            }.count
            let rate = Double(hits) / Double(max(1, answerable.count))
            rates.append(rate)
            let gain = share == 0 ? 0 : minimumShareGain
            if rate > best.firstCitation + gain || best.firstCitation < 0 { best = (share, rate) }
        }
        return (best.share, best.firstCitation, rates)
    }

    /// Fits both models with `folds`-fold cross-validation over `examples` (questions assigned to folds by
    /// position), then refits them on everything.
    public func calibrate(_ given: [CalibrationExample], composer: AnswerComposer) -> CalibrationResult {
        let fold = given.indices.map { $0 % folds }
        // Out-of-fold sentence weights, each example's sentences scored again with the weights of the others.
        let reference = composer.settings.weights
        let sentenceWeights = (0..<folds).map { k in fitSentenceWeights(given.indices.filter { fold[$0] != k }.map { given[$0] }, reference: reference) }
        let examples = fitsSentenceWeights ? given.indices.map { Self.rescored(given[$0], weights: sentenceWeights[fold[$0]]) } : given
        let handFirstCitation = Self.firstCitation(given)
        // Out-of-fold span models and answerability features.
        var features = [[Double]](repeating: [], count: examples.count)
        var shorts = [String?](repeating: nil, count: examples.count)
        var answerSentences = [String?](repeating: nil, count: examples.count)
        let spans = (0..<folds).map { k in fitSpan(examples.indices.filter { fold[$0] != k }.map { examples[$0] }) }
        let (share, firstCitation, rates) = chooseShare(examples, spans: spans, fold: fold, composer: composer)
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
        // One threshold for the questions read in French, another for translated ones, each on its own predictions.
        func poolThreshold(_ pool: [Int]) -> Double? {
            guard pool.contains(where: { labels[$0] == 1 }) else { return nil }
            return Self.threshold(predicted: pool.map { predicted[$0] }, answerable: pool.map { labels[$0] == 1 },
                                  groups: pool.map { examples[$0].group }, budgets: pool.map { examples[$0].falseAbstainBudget },
                                  maxFalseAbstain: maxFalseAbstain)
        }
        let threshold = poolThreshold(usable.filter { !examples[$0].query.isTranslated }) ?? poolThreshold(usable) ?? 0.5
        let translatedThreshold = poolThreshold(usable.filter { examples[$0].query.isTranslated }) ?? threshold
        let answerableIdx = examples.indices.filter { examples[$0].question.answerable }
        let unanswerableIdx = examples.indices.filter { !examples[$0].question.answerable }
        func answered(_ i: Int) -> Bool {
            !features[i].isEmpty && predicted[i] >= (examples[i].query.isTranslated ? translatedThreshold : threshold)
        }
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
        let finalSentenceWeights = fitSentenceWeights(given, reference: reference)
        let finalExamples = fitsSentenceWeights ? given.map { Self.rescored($0, weights: finalSentenceWeights) } : given
        let span = fitSpan(finalExamples)
        var finalFeatures: [[Double]] = [], finalLabels: [Double] = [], finalWeights: [Double] = []
        for i in finalExamples.indices {
            if let a = answerability(finalExamples[i], span: span, share: share, composer: composer) {
                finalFeatures.append(a.features)
                finalLabels.append(labels[i])
                finalWeights.append(finalExamples[i].weight)
            }
        }
        let answerabilityModel = LogisticModel.fit(names: AnswerabilityFeatures.names, x: finalFeatures, y: finalLabels,
                                                   sampleWeights: finalWeights, l2: answerabilityL2,
                                                   signs: AnswerabilityFeatures.signs)
        return CalibrationResult(
            span: span, answerability: answerabilityModel, threshold: threshold, translatedThreshold: translatedThreshold, spanShare: share,
            cvFirstCitationAccuracy: firstCitation, cvFirstCitationByShare: rates,
            sentenceWeights: finalSentenceWeights, cvFirstCitationHandWeights: handFirstCitation, folds: folds,
            questions: examples.count, answerable: answerableIdx.count,
            cvShortAnswerF1: f1 / n, cvShortAnswerExact: exact / n,
            cvAbstainRecall: Double(unanswerableIdx.filter { !answered($0) }.count) / Double(max(1, unanswerableIdx.count)),
            cvFalseAbstainRate: Double(answerableIdx.filter { !answered($0) }.count) / n,
            cvShortAnswerF1OnRightSentence: rightF1 / Double(max(1, right)),
            cvByGroup: Dictionary(grouping: examples.indices, by: { examples[$0].group }).mapValues { idx in
                let yes = idx.filter { examples[$0].question.answerable }, no = idx.filter { !examples[$0].question.answerable }
                return (Double(no.filter { !answered($0) }.count) / Double(max(1, no.count)),
                        Double(yes.filter { !answered($0) }.count) / Double(max(1, yes.count)))
            },
            examples: examples.indices.map { i in
                CalibratedQuestion(
                    id: examples[i].question.id, group: examples[i].group, answerable: examples[i].question.answerable,
                    predicted: features[i].isEmpty ? nil : predicted[i], answered: answered(i),
                    sentenceRight: answerSentences[i].map { AnswerMatching.containsAny($0, of: examples[i].question.answers) } ?? false,
                    shortAnswer: shorts[i],
                    features: Dictionary(uniqueKeysWithValues: zip(AnswerabilityFeatures.names, features[i])))
            })
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

    /// The highest threshold that keeps every budgeted group within its budget (its false abstentions at most
    /// that share of its answerable predictions) and the questions without a budget, together, within
    /// `maxFalseAbstain`: question sets of different kinds (close to the text, paraphrased, translated) hold
    /// their answerable questions at different confidences, and each kind has its own bound.
    public static func threshold(predicted: [Double], answerable: [Bool], groups: [String], budgets: [Double?],
                                 maxFalseAbstain: Double) -> Double {
        var pools: [String: (budget: Double, indices: [Int])] = [:]
        for i in predicted.indices {
            let key = budgets[i] == nil ? "" : "#" + groups[i]
            pools[key, default: (budgets[i] ?? maxFalseAbstain, [])].indices.append(i)
        }
        var t = 1.0
        for (_, pool) in pools where pool.indices.contains(where: { answerable[$0] }) {
            t = min(t, threshold(predicted: pool.indices.map { predicted[$0] }, answerable: pool.indices.map { answerable[$0] },
                                 maxFalseAbstain: pool.budget))
        }
        return t
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
            /// Abstain below this answerability for a translated question (chosen on their predictions alone).
            public static let translatedThreshold: Double = \(String(format: "%.6g", result.translatedThreshold))
            /// Weights of a candidate sentence's coverage, passage prior, type match, novelty and phrase overlap.
            public static let sentenceWeights: [Double] = \(list(result.sentenceWeights))
            /// Weight of the best span's score in choosing the answer sentence (cross-validated).
            public static let spanShare: Double = \(String(format: "%.6g", result.spanShare))
            public static let answerability = \(model(result.answerability, names: "AnswerabilityFeatures.names"))
            public static let span = \(model(result.span, names: "ShortAnswerExtractor.featureNames"))
        }

        """
    }
}
