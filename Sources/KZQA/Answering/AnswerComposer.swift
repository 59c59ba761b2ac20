import Foundation

/// A sentence of a ranked passage, a candidate for the answer.
public struct CandidateSentence: Sendable {
    public var text: String
    /// Byte offsets in the passage's source (see `Passage.start`).
    public var start: Int
    public var end: Int
    public var passage: RankedPassage
    public var tokens: [Token]
    public var terms: [String]
    public var coverage = 0.0, typeMatch = 0.0, novelty = 0.0, prior = 0.0, score = 0.0
}

/// Knobs of the composer, with the values the benchmark chose.
public struct ComposerSettings: Sendable {
    /// Passages whose sentences compete for the answer.
    public var passages = 4
    /// Sentences in an answer at most.
    public var maxSentences = 2
    /// A further sentence must score at least this share of the best one.
    public var followerShare = 0.8
    /// Sentences more similar than this (cosine of their term vectors) are near-duplicates.
    public var duplicateCosine: Float = 0.6
    /// Weights of coverage, passage prior, question-type match, novelty.
    public var weights: [Double] = [0.55, 0.2, 0.15, 0.1]
    /// Below this confidence kzqa abstains.
    public var abstainBelow = 0.5

    public init() {}
}

/// Picks the one to three sentences of the top passages that best answer a question, and writes them as
/// an answer with a numbered citation after each; abstains when the evidence is weak.
public struct AnswerComposer {
    public var settings = ComposerSettings()
    let analyzer = FrenchAnalyzer()
    let splitter = SentenceSplitter()

    public init(settings: ComposerSettings = ComposerSettings()) {
        self.settings = settings
    }

    /// Scores every sentence of the top passages, best first.
    public func candidates(for query: Query, ranked: [RankedPassage], idf: [String: Double]) -> [CandidateSentence] {
        let questionTerms = Set(query.terms)
        let topScore = ranked.first?.score ?? 1
        var out: [CandidateSentence] = []
        for passage in ranked.prefix(settings.passages) {
            let bytes = Array(passage.passage.text.utf8)
            for r in splitter.split(passage.passage.text) {
                let text = String(decoding: bytes[r], as: UTF8.self)
                let tokens = analyzer.analyze(text)
                let terms = tokens.compactMap { $0.isStopword ? nil : $0.term }
                var c = CandidateSentence(text: text, start: passage.passage.start + r.lowerBound,
                                          end: passage.passage.start + r.upperBound, passage: passage,
                                          tokens: tokens, terms: terms)
                c.coverage = SentenceScorer.coverage(question: query.terms, sentence: Set(terms), idf: idf)
                c.typeMatch = SentenceScorer.typeMatch(query.type, sentence: tokens, question: query)
                c.novelty = SentenceScorer.novelty(sentence: terms, question: questionTerms)
                c.prior = topScore > 0 ? max(0, passage.score / topScore) : 0
                c.score = Scoring.fuse([c.coverage, c.prior, c.typeMatch, c.novelty], weights: settings.weights)
                out.append(c)
            }
        }
        return out.sorted { $0.score != $1.score ? $0.score > $1.score : ($0.passage.rank, $0.start) < ($1.passage.rank, $1.start) }
    }

    /// The answer for `query` from its ranked passages.
    public func compose(_ query: Query, ranked: [RankedPassage], idf: [String: Double]) -> Answer {
        let listed = ranked.map {
            AnswerPassage(rank: $0.rank, passageID: $0.passage.id, source: $0.passage.source, score: $0.score, text: $0.passage.text)
        }
        let scored = candidates(for: query, ranked: ranked, idf: idf)
        guard let best = scored.first else {
            return Answer(question: query.text, answer: Answer.abstention, abstained: true, confidence: 0,
                          citations: [], passages: listed)
        }
        let confidence = Self.confidence(best: best, ranked: ranked, query: query, idf: idf)
        guard confidence >= settings.abstainBelow else {
            return Answer(question: query.text, answer: Answer.abstention, abstained: true, confidence: confidence,
                          citations: [], passages: listed)
        }
        var chosen = [best]
        for c in scored.dropFirst() where chosen.count < settings.maxSentences {
            guard c.score >= settings.followerShare * best.score, c.novelty > 0 else { continue }
            if chosen.contains(where: { Self.similarity($0.terms, c.terms) > settings.duplicateCosine }) { continue }
            chosen.append(c)
        }
        var citations: [Citation] = []
        var sentences: [String] = []
        for (i, c) in chosen.enumerated() {
            citations.append(Citation(n: i + 1, passageID: c.passage.passage.id, source: c.passage.passage.source,
                                      title: c.passage.passage.title, start: c.start, end: c.end, quote: c.text,
                                      paragraph: c.passage.passage.paragraph))
            sentences.append("\(c.text) [\(i + 1)]")
        }
        return Answer(question: query.text, answer: sentences.joined(separator: " "), abstained: false,
                      confidence: confidence, citations: citations, passages: listed)
    }

    /// Confidence in 0…1: how much of the question the best sentence and its passage cover, and whether the
    /// sentence holds what the question type asks for.
    static func confidence(best: CandidateSentence, ranked: [RankedPassage], query: Query, idf: [String: Double]) -> Double {
        let passageTerms = Set(best.passage.matchedTerms)
        let passageCoverage = SentenceScorer.coverage(question: query.terms, sentence: passageTerms, idf: idf)
        let typed = best.typeMatch
        return min(1, max(0, 0.6 * best.coverage + 0.25 * passageCoverage + 0.15 * typed))
    }

    /// Cosine between the term-count vectors of two sentences, through CBLAS (`Scoring.blockScores`).
    static func similarity(_ a: [String], _ b: [String]) -> Float {
        var index: [String: Int] = [:]
        for t in a + b where index[t] == nil { index[t] = index.count }
        guard !index.isEmpty else { return 0 }
        var x = [Float](repeating: 0, count: index.count), y = x
        for t in a { if let i = index[t] { x[i] += 1 } }
        for t in b { if let i = index[t] { y[i] += 1 } }
        TFIDF.normalize(&x)
        TFIDF.normalize(&y)
        return Scoring.blockScores(block: x, rows: 1, columns: x.count, query: y).first ?? 0
    }
}
