import Foundation

// MARK: - Answer matching

/// The contract's text normalisation and the "contains an answer string" test that every benchmark measure uses.
///
/// Normalisation (CONTRACTS.md, "Benchmark measures"): Unicode NFC, full Unicode case folding (so "ß" matches "ss"),
/// every run of white space (Unicode White_Space: spaces, tabs, line breaks, U+00A0, U+202F, …) folded to one space,
/// leading and trailing white space trimmed. Nothing else is folded: accents stay, and the typographic apostrophe ’
/// (U+2019) does not match the ASCII ' (the seed articles and the gold answers both use ’).
public enum AnswerMatching {
    /// Normalises `text` for matching: NFC, case-folded, white-space runs folded to one space, trimmed.
    public static func normalize(_ text: String) -> String {
        let folded = text.precomposedStringWithCanonicalMapping
            .folding(options: [.caseInsensitive], locale: nil)
            .precomposedStringWithCanonicalMapping  // folding can decompose (e.g. "İ" → "i̇"): recompose
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = true
                continue
            }
            if pendingSpace && !scalars.isEmpty { scalars.append(" ") }
            pendingSpace = false
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// Whether normalised `haystack` contains normalised `needle`, compared code point by code point.
    public static func contains(_ haystack: String, _ needle: String) -> Bool {
        containsNormalized(normalize(haystack), normalize(needle))
    }

    /// Whether normalised `haystack` contains at least one of the normalised `needles` (false when there are none).
    public static func containsAny(_ haystack: String, of needles: [String]) -> Bool {
        guard !needles.isEmpty else { return false }
        let text = normalize(haystack)
        return needles.contains { containsNormalized(text, normalize($0)) }
    }

    /// Relevance flags of ranked passage texts (rank order): true where the passage contains one of `answers`.
    public static func relevance(passages: [String], answers: [String]) -> [Bool] {
        let needles = answers.map(normalize).filter { !$0.isEmpty }
        guard !needles.isEmpty else { return Array(repeating: false, count: passages.count) }
        return passages.map { passage in
            let text = normalize(passage)
            return needles.contains { containsNormalized(text, $0) }
        }
    }

    /// Substring test on already-normalised strings (UTF-8 bytes of NFC text: exact code point matching).
    static func containsNormalized(_ haystack: String, _ needle: String) -> Bool {
        if needle.isEmpty { return true }
        let h = Array(haystack.utf8), n = Array(needle.utf8)
        guard n.count <= h.count else { return false }
        let first = n[0]
        var i = 0
        while i <= h.count - n.count {
            if h[i] == first && h[i..<i + n.count].elementsEqual(n) { return true }
            i += 1
        }
        return false
    }
}

// MARK: - Per-question outcomes

/// What one retrieval mode did with one benchmark question: the input to every measure.
///
/// Built by the bench runner from a `BenchQuestion` and the engine's answer; the correctness flags are derived here
/// so that all modes are judged by the same rules.
public struct QuestionOutcome: Sendable, Equatable {
    /// The question's id.
    public var id: String
    /// Whether the question is answerable by the articles.
    public var answerable: Bool
    /// The gold answer strings.
    public var answers: [String]
    /// Relevance of the ranked passages, in rank order (index 0 = rank 1).
    public var relevance: [Bool]
    /// The engine's answer text (citation markers included; they do not hurt matching).
    public var answer: String
    /// Whether the engine abstained.
    public var abstained: Bool
    /// The quotes of the answer's citations in citation order (index 0 = citation [1]).
    public var citedQuotes: [String]
    /// Time to answer, in milliseconds, measured in process after warm-up.
    public var latencyMs: Double
    /// The text of the answer's short answer; nil when it has none.
    public var shortAnswer: String?
    /// Time to retrieve the ranked passages alone (`QAEngine.retrieve`), in milliseconds; nil when not measured.
    public var retrievalMs: Double? = nil

    /// Makes an outcome from relevance flags already computed.
    public init(id: String, answerable: Bool, answers: [String], relevance: [Bool], answer: String,
                abstained: Bool, citedQuotes: [String], latencyMs: Double, shortAnswer: String? = nil) {
        self.id = id
        self.answerable = answerable
        self.answers = answers
        self.relevance = relevance
        self.answer = answer
        self.abstained = abstained
        self.citedQuotes = citedQuotes
        self.latencyMs = latencyMs
        self.shortAnswer = shortAnswer
    }

    /// Makes an outcome for `question`, judging each ranked passage text (rank order) relevant by the contract.
    public init(question: BenchQuestion, passageTexts: [String], answer: String, abstained: Bool,
                citedQuotes: [String], latencyMs: Double, shortAnswer: String? = nil) {
        let relevance = question.answerable
            ? AnswerMatching.relevance(passages: passageTexts, answers: question.answers)
            : Array(repeating: false, count: passageTexts.count)
        self.init(id: question.id, answerable: question.answerable, answers: question.answers,
                  relevance: relevance, answer: answer, abstained: abstained, citedQuotes: citedQuotes,
                  latencyMs: latencyMs, shortAnswer: shortAnswer)
    }

    /// Makes an outcome for `question` from the engine's answer (nil when the engine refused the question: counted
    /// as an abstention); citations are taken in the order of their numbers.
    public init(question: BenchQuestion, answer: Answer?, latencyMs: Double) {
        let citations = (answer?.citations ?? []).sorted { $0.n < $1.n }
        let abstained = answer?.abstained ?? true
        self.init(question: question, passageTexts: answer?.passages.map(\.text) ?? [],
                  answer: answer?.answer ?? Answer.abstention, abstained: abstained,
                  citedQuotes: citations.map(\.quote), latencyMs: latencyMs,
                  shortAnswer: abstained ? nil : answer?.shortAnswer?.text)
    }

    /// 1-based rank of the first relevant passage; nil when none was retrieved (always nil when unanswerable).
    public var firstRelevantRank: Int? {
        guard answerable, let index = relevance.firstIndex(of: true) else { return nil }
        return index + 1
    }

    /// Answerable: not abstained and the answer contains a gold string. Unanswerable: the engine abstained.
    public var answerCorrect: Bool {
        answerable ? (!abstained && AnswerMatching.containsAny(answer, of: answers)) : abstained
    }

    /// Whether some cited quote contains a gold answer string.
    public var citationCorrect: Bool {
        answerable && citedQuotes.contains { AnswerMatching.containsAny($0, of: answers) }
    }

    /// Answerable, not abstained, and the quote of citation [1] contains a gold answer string.
    public var firstCitationCorrect: Bool {
        guard answerable, !abstained, let first = citedQuotes.first else { return false }
        return AnswerMatching.containsAny(first, of: answers)
    }

    /// SQuAD exact match of the short answer against the best gold string; 0 when abstained, when there is no
    /// short answer, or when the question is unanswerable.
    public var shortAnswerExact: Double {
        answerable && !abstained ? ShortAnswerScoring.bestExact(shortAnswer, golds: answers) : 0
    }

    /// SQuAD token F1 of the short answer against the best gold string; 0 when abstained, when there is no short
    /// answer, or when the question is unanswerable.
    public var shortAnswerF1: Double {
        answerable && !abstained ? ShortAnswerScoring.bestF1(shortAnswer, golds: answers) : 0
    }

    /// This question's part of squad2_f1: the short-answer F1 when answerable, 1 or 0 for abstaining or not when
    /// unanswerable.
    public var squad2Score: Double {
        answerable ? shortAnswerF1 : (abstained ? 1 : 0)
    }
}

// MARK: - Measures

/// The benchmark measures of CONTRACTS.md as pure functions.
///
/// Every share is in [0, 1] and is 0 when its denominator is empty (never NaN, so reports always encode as JSON).
public enum Metrics {
    /// Share of questions whose first relevant rank (1-based; nil = none retrieved) is at most `k`.
    public static func recallAt(k: Int, firstRelevantRanks: [Int?]) -> Double {
        share(firstRelevantRanks) { rank in rank.map { $0 >= 1 && $0 <= k } ?? false }
    }

    /// recall@k for each k of `k` in order (default 1…10): the points of the recall curve.
    public static func recallCurve(k: ClosedRange<Int> = 1...10, firstRelevantRanks: [Int?]) -> [Double] {
        k.map { recallAt(k: $0, firstRelevantRanks: firstRelevantRanks) }
    }

    /// Mean reciprocal rank cut at `k`: the mean of 1/rank, counting 0 when the rank is nil or beyond `k`.
    public static func mrr(at k: Int = 10, firstRelevantRanks: [Int?]) -> Double {
        guard !firstRelevantRanks.isEmpty else { return 0 }
        let sum = firstRelevantRanks.reduce(0.0) { total, rank in
            guard let rank, rank >= 1, rank <= k else { return total }
            return total + 1.0 / Double(rank)
        }
        return sum / Double(firstRelevantRanks.count)
    }

    /// nDCG@k of one ranking with binary relevance (`relevance[i]` is the passage at rank i + 1).
    ///
    /// DCG@k = Σ_{i ≤ k} rel_i / log2(i + 1). Every relevant passage in the top k earns gain 1, not just the first,
    /// so several relevant passages in one ranking all count. The ideal DCG reorders the same list with all of its
    /// R relevant passages first: IDCG@k = Σ_{i ≤ min(R, k)} 1 / log2(i + 1), with R counted over the whole list
    /// given (also past k). Relevant passages the retriever did not return are unknown and so not in the ideal.
    /// Ties in retrieval score are not averaged: the list is scored in the order given, so the caller must break
    /// ties deterministically. A ranking with no relevant passage scores 0.
    public static func ndcg(at k: Int = 10, relevance: [Bool]) -> Double {
        let relevantCount = relevance.lazy.filter { $0 }.count
        guard k >= 1, relevantCount > 0 else { return 0 }
        var dcg = 0.0
        for (index, isRelevant) in relevance.prefix(k).enumerated() where isRelevant {
            dcg += discount(rank: index + 1)
        }
        var ideal = 0.0
        for rank in 1...min(relevantCount, k) { ideal += discount(rank: rank) }
        return dcg / ideal
    }

    /// Mean nDCG@k over several rankings (one per question); see `ndcg(at:relevance:)` for one ranking.
    public static func ndcg(at k: Int = 10, relevance: [[Bool]]) -> Double {
        guard !relevance.isEmpty else { return 0 }
        return relevance.reduce(0.0) { $0 + ndcg(at: k, relevance: $1) } / Double(relevance.count)
    }

    /// The p-th percentile (p in 0…100) by linear interpolation between closest ranks (NumPy's default, Hyndman & Fan
    /// type 7): with the values sorted x_0 ≤ … ≤ x_{n-1} and h = (n − 1)·p/100, it is x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋).
    /// Non-finite values are ignored; the result is 0 when no value is left.
    public static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.filter { $0.isFinite }.sorted()
        guard !sorted.isEmpty else { return 0 }
        let clamped = p.isNaN ? 50 : min(max(p, 0), 100)
        let h = Double(sorted.count - 1) * clamped / 100
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
    }

    /// Share of answerable questions answered (not abstained) with an answer containing a gold string.
    public static func answerAccuracy(_ outcomes: [QuestionOutcome]) -> Double {
        share(outcomes.filter(\.answerable)) { $0.answerCorrect }
    }

    /// Among answerable questions answered correctly, the share where a cited quote contains a gold string.
    public static func citationAccuracy(_ outcomes: [QuestionOutcome]) -> Double {
        share(outcomes.filter { $0.answerable && $0.answerCorrect }) { $0.citationCorrect }
    }

    /// Share of unanswerable questions on which the engine abstained.
    public static func abstainRecall(_ outcomes: [QuestionOutcome]) -> Double {
        share(outcomes.filter { !$0.answerable }) { $0.abstained }
    }

    /// Share of answerable questions on which the engine abstained.
    public static func falseAbstainRate(_ outcomes: [QuestionOutcome]) -> Double {
        share(outcomes.filter(\.answerable)) { $0.abstained }
    }

    /// Mean SQuAD exact match of the short answers over answerable questions (0 for abstentions and missing ones).
    public static func shortAnswerExact(_ outcomes: [QuestionOutcome]) -> Double {
        mean(outcomes.filter(\.answerable).map(\.shortAnswerExact))
    }

    /// Mean SQuAD token F1 of the short answers over answerable questions (0 for abstentions and missing ones).
    public static func shortAnswerF1(_ outcomes: [QuestionOutcome]) -> Double {
        mean(outcomes.filter(\.answerable).map(\.shortAnswerF1))
    }

    /// Share of answerable questions, answered, whose citation [1] quote contains a gold string (the denominator is
    /// every answerable question, so abstaining lowers it).
    public static func firstCitationAccuracy(_ outcomes: [QuestionOutcome]) -> Double {
        share(outcomes.filter(\.answerable)) { $0.firstCitationCorrect }
    }

    /// Mean number of citations of the answers that are not abstentions (answerable and unanswerable questions).
    public static func sentencesPerAnswer(_ outcomes: [QuestionOutcome]) -> Double {
        mean(outcomes.filter { !$0.abstained }.map { Double($0.citedQuotes.count) })
    }

    /// SQuAD 2.0 F1 over all questions: the short-answer F1 of answerable ones, 1 per abstention on unanswerable
    /// ones.
    public static func squad2F1(_ outcomes: [QuestionOutcome]) -> Double {
        mean(outcomes.map(\.squad2Score))
    }

    /// The DCG discount of a 1-based rank: 1 / log2(rank + 1).
    private static func discount(rank: Int) -> Double { 1.0 / log2(Double(rank + 1)) }

    /// Arithmetic mean; 0 for no values.
    private static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    /// Share of `items` satisfying `predicate`; 0 for no items.
    private static func share<T>(_ items: [T], _ predicate: (T) -> Bool) -> Double {
        guard !items.isEmpty else { return 0 }
        return Double(items.lazy.filter(predicate).count) / Double(items.count)
    }
}

// MARK: - Report

/// One mode's measures, named as in CONTRACTS.md ("recall@1", …, "latency_ms_p95") when encoded.
public struct ModeMeasures: Codable, Sendable, Equatable {
    public var recallAt1: Double
    public var recallAt3: Double
    public var recallAt5: Double
    public var recallAt10: Double
    public var mrrAt10: Double
    public var ndcgAt10: Double
    public var answerAccuracy: Double
    public var citationAccuracy: Double
    public var abstainRecall: Double
    public var falseAbstainRate: Double
    public var shortAnswerExact: Double
    public var shortAnswerF1: Double
    public var firstCitationAccuracy: Double
    public var sentencesPerAnswer: Double
    public var squad2F1: Double
    public var latencyMsP50: Double
    public var latencyMsP95: Double

    enum CodingKeys: String, CodingKey, CaseIterable {
        case recallAt1 = "recall@1", recallAt3 = "recall@3", recallAt5 = "recall@5", recallAt10 = "recall@10"
        case mrrAt10 = "mrr@10", ndcgAt10 = "ndcg@10"
        case answerAccuracy = "answer_accuracy", citationAccuracy = "citation_accuracy"
        case abstainRecall = "abstain_recall", falseAbstainRate = "false_abstain_rate"
        case shortAnswerExact = "short_answer_exact", shortAnswerF1 = "short_answer_f1"
        case firstCitationAccuracy = "first_citation_accuracy", sentencesPerAnswer = "sentences_per_answer"
        case squad2F1 = "squad2_f1"
        case latencyMsP50 = "latency_ms_p50", latencyMsP95 = "latency_ms_p95"
    }

    /// The contract's measure names, in the order of the Markdown table's columns.
    public static let names: [String] = CodingKeys.allCases.map(\.rawValue)

    public init(recallAt1: Double, recallAt3: Double, recallAt5: Double, recallAt10: Double, mrrAt10: Double,
                ndcgAt10: Double, answerAccuracy: Double, citationAccuracy: Double, abstainRecall: Double,
                falseAbstainRate: Double, shortAnswerExact: Double = 0, shortAnswerF1: Double = 0,
                firstCitationAccuracy: Double = 0, sentencesPerAnswer: Double = 0, squad2F1: Double = 0,
                latencyMsP50: Double, latencyMsP95: Double) {
        self.recallAt1 = recallAt1
        self.recallAt3 = recallAt3
        self.recallAt5 = recallAt5
        self.recallAt10 = recallAt10
        self.mrrAt10 = mrrAt10
        self.ndcgAt10 = ndcgAt10
        self.answerAccuracy = answerAccuracy
        self.citationAccuracy = citationAccuracy
        self.abstainRecall = abstainRecall
        self.falseAbstainRate = falseAbstainRate
        self.shortAnswerExact = shortAnswerExact
        self.shortAnswerF1 = shortAnswerF1
        self.firstCitationAccuracy = firstCitationAccuracy
        self.sentencesPerAnswer = sentencesPerAnswer
        self.squad2F1 = squad2F1
        self.latencyMsP50 = latencyMsP50
        self.latencyMsP95 = latencyMsP95
    }

    /// Computes a mode's measures from its per-question outcomes (ranking measures over answerable questions only,
    /// latency percentiles over all questions).
    public init(outcomes: [QuestionOutcome]) {
        let answerable = outcomes.filter(\.answerable)
        let ranks = answerable.map(\.firstRelevantRank)
        let latencies = outcomes.map(\.latencyMs)
        self.init(
            recallAt1: Metrics.recallAt(k: 1, firstRelevantRanks: ranks),
            recallAt3: Metrics.recallAt(k: 3, firstRelevantRanks: ranks),
            recallAt5: Metrics.recallAt(k: 5, firstRelevantRanks: ranks),
            recallAt10: Metrics.recallAt(k: 10, firstRelevantRanks: ranks),
            mrrAt10: Metrics.mrr(at: 10, firstRelevantRanks: ranks),
            ndcgAt10: Metrics.ndcg(at: 10, relevance: answerable.map(\.relevance)),
            answerAccuracy: Metrics.answerAccuracy(outcomes),
            citationAccuracy: Metrics.citationAccuracy(outcomes),
            abstainRecall: Metrics.abstainRecall(outcomes),
            falseAbstainRate: Metrics.falseAbstainRate(outcomes),
            shortAnswerExact: Metrics.shortAnswerExact(outcomes),
            shortAnswerF1: Metrics.shortAnswerF1(outcomes),
            firstCitationAccuracy: Metrics.firstCitationAccuracy(outcomes),
            sentencesPerAnswer: Metrics.sentencesPerAnswer(outcomes),
            squad2F1: Metrics.squad2F1(outcomes),
            latencyMsP50: roundedMs(Metrics.percentile(latencies, 50)),
            latencyMsP95: roundedMs(Metrics.percentile(latencies, 95)))
    }

    /// Decodes a report's measures; the short-answer measures (added later) read as 0 from older reports.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func optional(_ key: CodingKeys) throws -> Double { try c.decodeIfPresent(Double.self, forKey: key) ?? 0 }
        self.init(
            recallAt1: try c.decode(Double.self, forKey: .recallAt1),
            recallAt3: try c.decode(Double.self, forKey: .recallAt3),
            recallAt5: try c.decode(Double.self, forKey: .recallAt5),
            recallAt10: try c.decode(Double.self, forKey: .recallAt10),
            mrrAt10: try c.decode(Double.self, forKey: .mrrAt10),
            ndcgAt10: try c.decode(Double.self, forKey: .ndcgAt10),
            answerAccuracy: try c.decode(Double.self, forKey: .answerAccuracy),
            citationAccuracy: try c.decode(Double.self, forKey: .citationAccuracy),
            abstainRecall: try c.decode(Double.self, forKey: .abstainRecall),
            falseAbstainRate: try c.decode(Double.self, forKey: .falseAbstainRate),
            shortAnswerExact: try optional(.shortAnswerExact),
            shortAnswerF1: try optional(.shortAnswerF1),
            firstCitationAccuracy: try optional(.firstCitationAccuracy),
            sentencesPerAnswer: try optional(.sentencesPerAnswer),
            squad2F1: try optional(.squad2F1),
            latencyMsP50: try c.decode(Double.self, forKey: .latencyMsP50),
            latencyMsP95: try c.decode(Double.self, forKey: .latencyMsP95))
    }

    /// The measure named `name` (a contract name such as "recall@1"), or nil for an unknown name.
    public func value(named name: String) -> Double? {
        switch CodingKeys(rawValue: name) {
        case .recallAt1: recallAt1
        case .recallAt3: recallAt3
        case .recallAt5: recallAt5
        case .recallAt10: recallAt10
        case .mrrAt10: mrrAt10
        case .ndcgAt10: ndcgAt10
        case .answerAccuracy: answerAccuracy
        case .citationAccuracy: citationAccuracy
        case .abstainRecall: abstainRecall
        case .falseAbstainRate: falseAbstainRate
        case .shortAnswerExact: shortAnswerExact
        case .shortAnswerF1: shortAnswerF1
        case .firstCitationAccuracy: firstCitationAccuracy
        case .sentencesPerAnswer: sentencesPerAnswer
        case .squad2F1: squad2F1
        case .latencyMsP50: latencyMsP50
        case .latencyMsP95: latencyMsP95
        case nil: nil
        }
    }
}

/// One mode's latency by stage, p50 and p95 over the questions: retrieval alone (the top passages, what a search
/// engine such as tantivy returns: `QAEngine.retrieve`) and the whole answer (`QAEngine.ask`: the same as the
/// mode's latency_ms_p50/p95).
public struct StageLatency: Codable, Sendable, Equatable {
    public var retrievalMsP50: Double
    public var retrievalMsP95: Double
    public var answerMsP50: Double
    public var answerMsP95: Double

    enum CodingKeys: String, CodingKey {
        case retrievalMsP50 = "retrieval_ms_p50", retrievalMsP95 = "retrieval_ms_p95"
        case answerMsP50 = "answer_ms_p50", answerMsP95 = "answer_ms_p95"
    }

    /// Nil when no outcome had its retrieval timed.
    public init?(outcomes: [QuestionOutcome]) {
        let retrieval = outcomes.compactMap(\.retrievalMs)
        guard !retrieval.isEmpty else { return nil }
        let answers = outcomes.map(\.latencyMs)
        retrievalMsP50 = roundedMs(Metrics.percentile(retrieval, 50))
        retrievalMsP95 = roundedMs(Metrics.percentile(retrieval, 95))
        answerMsP50 = roundedMs(Metrics.percentile(answers, 50))
        answerMsP95 = roundedMs(Metrics.percentile(answers, 95))
    }
}

/// One line of the report's "per_question" list: how one mode did on one question.
public struct PerQuestionResult: Codable, Sendable, Equatable {
    public var id: String
    public var mode: String
    /// 1-based rank of the first relevant passage; encoded as JSON null when none was retrieved.
    public var firstRelevantRank: Int?
    /// See `QuestionOutcome.answerCorrect` (for an unanswerable question: it abstained).
    public var answerCorrect: Bool
    public var abstained: Bool
    public var latencyMs: Double
    /// The short answer's text; encoded as JSON null when there is none.
    public var shortAnswer: String?
    /// `QuestionOutcome.shortAnswerF1`, rounded to 4 places; encoded as JSON null for an unanswerable question.
    public var shortAnswerF1: Double?
    /// `QuestionOutcome.firstCitationCorrect`.
    public var firstCitationCorrect: Bool
    /// Number of citations of the answer (0 when abstained).
    public var sentences: Int

    enum CodingKeys: String, CodingKey {
        case id, mode, abstained, sentences
        case firstRelevantRank = "first_relevant_rank", answerCorrect = "answer_correct", latencyMs = "latency_ms"
        case shortAnswer = "short_answer", shortAnswerF1 = "short_answer_f1"
        case firstCitationCorrect = "first_citation_correct"
    }

    public init(id: String, mode: String, firstRelevantRank: Int?, answerCorrect: Bool, abstained: Bool,
                latencyMs: Double, shortAnswer: String? = nil, shortAnswerF1: Double? = nil,
                firstCitationCorrect: Bool = false, sentences: Int = 0) {
        self.id = id
        self.mode = mode
        self.firstRelevantRank = firstRelevantRank
        self.answerCorrect = answerCorrect
        self.abstained = abstained
        self.latencyMs = latencyMs
        self.shortAnswer = shortAnswer
        self.shortAnswerF1 = shortAnswerF1
        self.firstCitationCorrect = firstCitationCorrect
        self.sentences = sentences
    }

    /// Summarises `outcome` for `mode` (latency rounded to the microsecond).
    public init(mode: String, outcome: QuestionOutcome) {
        self.init(id: outcome.id, mode: mode, firstRelevantRank: outcome.firstRelevantRank,
                  answerCorrect: outcome.answerCorrect, abstained: outcome.abstained,
                  latencyMs: roundedMs(outcome.latencyMs), shortAnswer: outcome.shortAnswer,
                  shortAnswerF1: outcome.answerable ? (outcome.shortAnswerF1 * 10_000).rounded() / 10_000 : nil,
                  firstCitationCorrect: outcome.firstCitationCorrect,
                  sentences: outcome.abstained ? 0 : outcome.citedQuotes.count)
    }

    /// Decodes a report line; the keys added with the short-answer measures may be missing from older reports.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), mode: try c.decode(String.self, forKey: .mode),
                  firstRelevantRank: try c.decodeIfPresent(Int.self, forKey: .firstRelevantRank),
                  answerCorrect: try c.decode(Bool.self, forKey: .answerCorrect),
                  abstained: try c.decode(Bool.self, forKey: .abstained),
                  latencyMs: try c.decode(Double.self, forKey: .latencyMs),
                  shortAnswer: try c.decodeIfPresent(String.self, forKey: .shortAnswer),
                  shortAnswerF1: try c.decodeIfPresent(Double.self, forKey: .shortAnswerF1),
                  firstCitationCorrect: try c.decodeIfPresent(Bool.self, forKey: .firstCitationCorrect) ?? false,
                  sentences: try c.decodeIfPresent(Int.self, forKey: .sentences) ?? 0)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(mode, forKey: .mode)
        try container.encode(firstRelevantRank, forKey: .firstRelevantRank)  // null, not a missing key
        try container.encode(answerCorrect, forKey: .answerCorrect)
        try container.encode(abstained, forKey: .abstained)
        try container.encode(latencyMs, forKey: .latencyMs)
        try container.encode(shortAnswer, forKey: .shortAnswer)  // null when none
        try container.encode(shortAnswerF1, forKey: .shortAnswerF1)
        try container.encode(firstCitationCorrect, forKey: .firstCitationCorrect)
        try container.encode(sentences, forKey: .sentences)
    }
}

/// The result of `kzqa bench`: encodes to exactly the JSON shape of CONTRACTS.md
/// (`{"questions", "modes": {mode: {measure: value}}, "per_question": […]}`) and renders as a Markdown table.
///
/// `modeOrder` and `recallCurves` are not part of the JSON: they order the table rows and feed `RecallPlot`.
public struct BenchReport: Codable, Sendable, Equatable {
    /// Number of questions in the question file.
    public var questions: Int
    /// Measures by mode name ("hybrid", "bm25", "tfidf", …).
    public var modes: [String: ModeMeasures]
    /// One entry per question and mode, in question order then mode order.
    public var perQuestion: [PerQuestionResult]
    /// Where each mode's time went (`StageLatency`), for the modes whose retrieval was timed apart; encoded as
    /// "stages" when not empty.
    public var stages: [String: StageLatency] = [:]
    /// Mode names in the order they were run (not encoded; empty after decoding).
    public var modeOrder: [String]
    /// recall@k for k = 1…10 by mode (not encoded; empty after decoding).
    public var recallCurves: [String: [Double]]

    enum CodingKeys: String, CodingKey {
        case questions, modes, stages
        case perQuestion = "per_question"
    }

    public init(questions: Int, modes: [String: ModeMeasures], perQuestion: [PerQuestionResult],
                modeOrder: [String] = [], recallCurves: [String: [Double]] = [:]) {
        self.questions = questions
        self.modes = modes
        self.perQuestion = perQuestion
        self.modeOrder = modeOrder
        self.recallCurves = recallCurves
    }

    /// Builds the report from each mode's outcomes (modes in run order, each with one outcome per question in file
    /// order): measures, per-question lines and recall curves.
    public init(runs: [(mode: String, outcomes: [QuestionOutcome])]) {
        var modes: [String: ModeMeasures] = [:]
        var curves: [String: [Double]] = [:]
        var questionOrder: [String] = []
        var seen: Set<String> = []
        var byQuestion: [String: [PerQuestionResult]] = [:]
        var stages: [String: StageLatency] = [:]
        for run in runs {
            modes[run.mode] = ModeMeasures(outcomes: run.outcomes)
            stages[run.mode] = StageLatency(outcomes: run.outcomes)
            curves[run.mode] = Metrics.recallCurve(
                k: 1...10, firstRelevantRanks: run.outcomes.filter(\.answerable).map(\.firstRelevantRank))
            for outcome in run.outcomes {
                if seen.insert(outcome.id).inserted { questionOrder.append(outcome.id) }
                byQuestion[outcome.id, default: []].append(PerQuestionResult(mode: run.mode, outcome: outcome))
            }
        }
        self.init(questions: questionOrder.count, modes: modes,
                  perQuestion: questionOrder.flatMap { byQuestion[$0] ?? [] },
                  modeOrder: runs.map(\.mode), recallCurves: curves)
        self.stages = stages
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(questions: try container.decode(Int.self, forKey: .questions),
                  modes: try container.decode([String: ModeMeasures].self, forKey: .modes),
                  perQuestion: try container.decode([PerQuestionResult].self, forKey: .perQuestion))
        stages = try container.decodeIfPresent([String: StageLatency].self, forKey: .stages) ?? [:]
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(questions, forKey: .questions)
        try container.encode(modes, forKey: .modes)
        if !stages.isEmpty { try container.encode(stages, forKey: .stages) }
        try container.encode(perQuestion, forKey: .perQuestion)
    }

    /// The report as pretty-printed JSON with sorted keys (the `kzqa bench --json` file), ending in a newline.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Mode names for display: `modeOrder` first, then hybrid, bm25, tfidf, then any others alphabetically.
    public var orderedModes: [String] {
        var result: [String] = []
        for mode in modeOrder + ["hybrid", "bm25", "tfidf"] + modes.keys.sorted()
        where modes[mode] != nil && !result.contains(mode) {
            result.append(mode)
        }
        return result
    }

    /// A Markdown table: one row per mode, one column per measure (shares and sentences per answer to 3 decimals,
    /// latencies to 2).
    public func markdown() -> String {
        let names = ModeMeasures.names
        var lines = [
            "| mode | " + names.joined(separator: " | ") + " |",
            "|:--" + String(repeating: "|--:", count: names.count) + "|",
        ]
        for mode in orderedModes {
            guard let measures = modes[mode] else { continue }
            let cells = names.map { name -> String in
                let value = measures.value(named: name) ?? 0
                return String(format: name.hasPrefix("latency") ? "%.2f" : "%.3f", value)
            }
            lines.append("| \(mode) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Rounds milliseconds to the microsecond, so reports do not print 17 meaningless digits.
private func roundedMs(_ value: Double) -> Double {
    guard value.isFinite else { return 0 }
    return (value * 1000).rounded() / 1000
}
