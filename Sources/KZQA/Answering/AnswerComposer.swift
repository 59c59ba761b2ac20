import Foundation

/// What the index knows of a question's terms: their idf, which ones it holds, and the expansions
/// (variants, acronyms, synonyms) searched for each, with their weights.
public struct QuestionStatistics: Sendable {
    public var idf: [String: Double] = [:]
    public var known: Set<String> = []
    public var expansions: [String: [(term: String, weight: Double)]] = [:]
    /// Question terms the index holds through a morphological variant or an acronym (not only a synonym).
    public var knownThroughVariant: Set<String> = []
    /// Variants and acronym expansions of each question term (not synonyms): forms the text may use for it.
    public var closeForms: [String: Set<String>] = [:]
    /// Whether a stem is an ordinary word of the language (the thesaurus has it), not a name.
    public var isDictionaryWord: @Sendable (String) -> Bool = { _ in false }
    /// The name class of a written form of the articles (see `Lexicon.wordClass`).
    public var wordClass: @Sendable (String) -> WordClass = { _ in .ordinary }

    public init() {}

    /// A question term the index holds neither as such nor as a variant or acronym: thesaurus synonyms
    /// are too loose to vouch that the articles speak of the thing.
    public func isUnknown(_ term: String) -> Bool {
        !known.contains(term) && !knownThroughVariant.contains(term)
    }
}

/// Why kzqa is as confident as it is in an answer (shown by `kzqa ask --explain`).
public struct Evidence: Sendable, Codable, Equatable {
    /// Coverage of the question's known terms by the best sentence and by its passage (expansions at their weight).
    public var coverage = 0.0, passageCoverage = 0.0
    /// Whether the best sentence holds what the question type asks for (see `SentenceScorer.typeMatch`).
    public var typeMatch = 0.0
    /// Share of the question's terms the index does not know at all, and those terms.
    public var unknownShare = 0.0
    public var unknownTerms: [String] = []
    /// A number, an ordinal or a time qualifier of the question that the best sentence does not contain
    /// (`l’édition 2024` when it speaks of 2025, `pour la première fois`, `avant Zhaslan Madiyev` when it only
    /// names him).
    public var unmetConstraint = false
    /// The noun of a quel-question that the index does not know (`Quelle banque…` with no bank anywhere), or
    /// what a combien-question counts or prices (`Combien de fonctionnaires…`, `Combien coûtera…`).
    public var unknownFocus = false
    /// The finer kind of answer the question asks for (`money`, `percent`, `year`…; see `AnswerKind`), if any.
    public var answerKind: String?
    /// Neither the best sentence nor the rest of its passage holds an answer of that kind (a percent for a
    /// population, no currency for a budget).
    public var unmetKind = false
    /// The answerability model's inputs (named by `AnswerabilityFeatures.names`) and its output.
    public var features: [Double] = []
    public var confidence = 0.0
}

/// The named evidence features the answerability model reads, computed from an `Evidence`, the best
/// sentence and the short answer found in it.
public enum AnswerabilityFeatures {
    public static let names = [
        "coverage", "passage_coverage", "type_match", "unknown_share", "unknown_word_share", "unknown_name_share",
        "unmet_constraint", "unknown_focus", "unmet_kind", "short_answer_score",
        "short_answer_distance", "sentence_margin", "sentence_score", "passage_score", "unmatched_idf_share",
        "person_with_unknown", "typed_without_match", "phrase_overlap", "translated_unknown_share",
        "span_type_fit", "span_type_misfit",
    ]

    /// Only evidence about the answer is a feature, never a prior on the question's form (its type or length):
    /// on the training questions such priors reflect how those questions were written, not the articles.
    /// The direction each feature may push answerability (+1 more evidence means more answerable, −1 less, 0
    /// either): the fit keeps every weight on its side, so a quirk of the training questions (paraphrased
    /// answerable questions that share fewer words than on-topic unanswerable ones) cannot make coverage count
    /// against an answer.
    /// `translated_unknown_share` repeats `unknown_share` for a translated question and is free in sign: it lets
    /// the fit weigh an English word the small dictionary lacks otherwise than a French word the articles lack.
    public static let signs: [Double] = [1, 1, 1, -1, -1, -1, -1, -1, -1, 1, -1, 1, 1, 1, -1, -1, -1, 1, 0, 1, -1]

    /// The feature vector. `span` is the short answer's candidate (its model score and features), `margin` the
    /// best sentence's score minus the best score of a sentence of another passage, `unmatchedIDF` the share of
    /// the question's idf mass (unknown terms at the highest idf) that neither the sentence nor an expansion holds.
    public static func vector(_ e: Evidence, query: Query, best: CandidateSentence, span: SpanCandidate?,
                              margin: Double, unmatchedIDF: Double, unknownWords: Int) -> [Double] {
        let n = Double(max(1, query.terms.count))
        let unknown = Double(e.unknownTerms.count)
        let type = typeFit(query, span: span, sentence: best.tokens)
        return [
            e.coverage, e.passageCoverage, e.typeMatch, e.unknownShare, Double(unknownWords) / n,
            (unknown - Double(unknownWords)) / n, e.unmetConstraint ? 1 : 0, e.unknownFocus ? 1 : 0,
            e.unmetKind ? 1 : 0, span?.score ?? 0,
            span.map { $0.baseFeatures[11] } ?? 1, margin, best.score, best.passage.score, unmatchedIDF,
            query.type == .person && unknown > 0 ? 1 : 0,
            (query.type == .quantity || query.type == .date || e.answerKind != nil) && e.typeMatch == 0 ? 1 : 0,
            best.phrase, query.isTranslated ? e.unknownShare : 0,
            type.fit, type.misfit,
        ]
    }

    /// Whether the short answer is of the type the question asks for, as far as its words tell. `fit` is 1 for
    /// a first name or an unknown capitalised word (a foreign name) without a figure for qui, a name that is no
    /// first name for où, a year or a month for quand, a figure for combien. `misfit` is 1 for a span without
    /// any capitalised word, with a figure or cutting a name short for qui and où, without year, month or figure for quand, without
    /// a figure for combien, and for a quel-question whose span counts the focus noun (`18 000 entreprises`
    /// for `quelle entreprise`: a number of them is not one of them). Both are 0 when the words say nothing
    /// either way (a proper noun for qui may be a person or an organisation) or there is no span.
    public static func typeFit(_ query: Query, span: SpanCandidate?, sentence: [Token]) -> (fit: Double, misfit: Double) {
        guard let span else { return (0, 0) }
        let b = span.baseFeatures
        let figure = b[6] > 0 || b[10] > 0
        let dated = b[7] > 0 || b[8] > 0
        let capitalised = b[4] > 0
        let firstName = b[30] > 0, unknownName = b[33] > 0
        // A span that cuts a name short (`Astana` of `Astana Times`) is not the name asked for.
        let nameFragment = b[39] > 0 || b[40] > 0
        switch query.type {
        case .person:
            if figure || !capitalised || nameFragment { return (0, 1) }
            return firstName || unknownName ? (1, 0) : (0, 0)
        case .place:
            if figure || !capitalised || firstName || nameFragment { return (0, 1) }
            return b[31] > 0 || unknownName ? (1, 0) : (0, 0)
        case .date:
            return dated ? (1, 0) : (figure ? (0, 0) : (0, 1))
        case .quantity:
            return figure ? (1, 0) : (0, 1)
        case .entity:
            guard let focus = query.focus else { return (0, 0) }
            let words = sentence.filter { $0.kind != .compound }
            let range = max(0, span.firstWord)..<min(words.count, span.endWord)
            let counted = range.contains { k in k > range.lowerBound && words[k].term == focus && words[k - 1].kind == .number }
            return counted ? (0, 1) : (0, 0)
        case .explanation, .other:
            return (0, 0)
        }
    }
}

/// A sentence of a ranked passage, a candidate for the answer.
public struct CandidateSentence: Sendable {
    public var text: String
    /// Byte offsets in the passage's source (see `Passage.start`).
    public var start: Int
    public var end: Int
    public var passage: RankedPassage
    /// The sentence's tokens outside its links (see `Links`): what its answer is read from.
    public var tokens: [Token]
    /// The content terms of all its tokens, links included: what it is about.
    public var terms: [String]
    public var coverage = 0.0, typeMatch = 0.0, novelty = 0.0, phrase = 0.0, prior = 0.0, score = 0.0

    /// The order of candidate sentences, best first: by score, then by passage rank and position, so that ties
    /// are broken the same way wherever sentences are sorted.
    public static func ranksBefore(_ a: CandidateSentence, _ b: CandidateSentence) -> Bool {
        a.score != b.score ? a.score > b.score : (a.passage.rank, a.start) < (b.passage.rank, b.start)
    }
}

/// Knobs of the composer, with the values the benchmark chose.
public struct ComposerSettings: Sendable, Codable, Equatable {
    /// Passages whose sentences compete for the answer.
    public var passages = 4
    /// Sentences in an answer at most; a second one only for a question asking for several things.
    public var maxSentences = 2
    /// A further sentence must score at least this share of the best one.
    public var followerShare = 0.7
    /// Sentences more similar than this (cosine of their term vectors) are near-duplicates.
    public var duplicateCosine: Float = 0.6
    /// Weights of coverage, passage prior, question-type match, novelty, phrase overlap (fitted by `kzqa calibrate`).
    public var weights: [Double] = FittedModels.sentenceWeights
    /// Below this confidence kzqa abstains (chosen by `kzqa calibrate` on cross-validated predictions).
    public var abstainBelow = FittedModels.threshold
    /// The same for a translated (English) question, chosen on the translated questions' predictions alone:
    /// their confidences sit elsewhere (unknown words are mostly gaps of the dictionary).
    public var abstainBelowTranslated = FittedModels.translatedThreshold
    /// Whether kzqa can answer from the best sentence, from the evidence features (fitted by `kzqa calibrate`).
    public var answerability = FittedModels.answerability
    /// Scores answer spans inside the best sentence (fitted by `kzqa calibrate`).
    public var span = FittedModels.span
    /// The answer sentence is the one of the `spanSentences` best-scored whose score plus `spanShare` × the
    /// score of its best answer span is highest (`spanShare` chosen by `kzqa calibrate` on cross-validated
    /// first-citation accuracy; 0: the best-scored sentence).
    public var spanShare = FittedModels.spanShare
    public var spanSentences = 3

    public init() {}

    /// The abstention threshold for `query`: `abstainBelowTranslated` for a translated question.
    public func threshold(for query: Query) -> Double { query.isTranslated ? abstainBelowTranslated : abstainBelow }

    /// The fitted models are data written by `kzqa calibrate`, not knobs: a configuration file does not carry them.
    enum CodingKeys: String, CodingKey {
        case passages, maxSentences, followerShare, duplicateCosine, weights, abstainBelow, abstainBelowTranslated
        case spanShare, spanSentences
    }
}

/// Picks the one to three sentences of the top passages that best answer a question, and writes them as
/// an answer with a numbered citation after each; abstains when the evidence is weak.
public struct AnswerComposer {
    public var settings = ComposerSettings()
    let analyzer = FrenchAnalyzer()
    let splitter = SentenceSplitter()
    /// The sentences the indexer stored for a passage (`IndexStore.sentences`), nil when there are none: they
    /// are then split and analysed here, to the same result.
    public var storedSentences: ((RankedPassage) -> [AnalysedSentence]?)?

    public init(settings: ComposerSettings = ComposerSettings()) {
        self.settings = settings
    }

    /// Scores every sentence of the top passages, best first.
    public func candidates(for query: Query, ranked: [RankedPassage], statistics: QuestionStatistics,
                           passages: Int? = nil, reusing known: [CandidateSentence] = []) -> [CandidateSentence] {
        let questionTerms = Set(query.terms)
        let questionSequence = query.tokens.filter { $0.kind != .compound && !Query.isInterrogative($0) }.map(\.term)
        // The question's side of the sentence features, built once here rather than once a sentence.
        let knownTerms = Self.knownTerms(query, statistics: statistics)
        let questionTokenTerms = Set(query.tokens.map(\.term))
        let phrases = SentenceScorer.QuestionPhrases(question: questionSequence, content: questionTerms,
                                                     alternatives: statistics.closeForms)
        let topScore = ranked.first?.score ?? 1
        var analysed: [Int64: [CandidateSentence]] = [:]
        for c in known { analysed[c.passage.rowid, default: []].append(c) }
        var out: [CandidateSentence] = []
        for passage in ranked.prefix(passages ?? settings.passages) {
            var sentences = analysed[passage.rowid] ?? []
            if sentences.isEmpty {
                let split = storedSentences?(passage)
                    ?? AnalysedSentence.split(passage.passage.text, analyzer: analyzer, splitter: splitter)
                for s in split {
                    // A link's words and digits are an address, not prose an answer can be read from: they
                    // count for the sentence's topic (a link's path often repeats its title), not as its answer.
                    let tokens = Links.outside(s.tokens, text: s.text)
                    let terms = s.tokens.compactMap { $0.isStopword ? nil : $0.term }
                    var c = CandidateSentence(text: s.text, start: passage.passage.start + s.start,
                                              end: passage.passage.start + s.end, passage: passage,
                                              tokens: tokens, terms: terms)
                    c.coverage = Self.coverage(knownTerms, terms: Set(terms), statistics: statistics,
                                               context: passage.contextTerms)
                    c.typeMatch = SentenceScorer.typeMatch(query.type, sentence: tokens, questionTerms: questionTokenTerms,
                                                           isDictionaryWord: statistics.isDictionaryWord)
                    c.novelty = SentenceScorer.novelty(sentence: terms, question: questionTerms)
                    c.phrase = phrases.overlap(sentence: s.tokens.compactMap { $0.kind != .compound ? $0.term : nil })
                    sentences.append(c)
                }
            }
            for var c in sentences {
                c.passage = passage
                c.prior = topScore > 0 ? max(0, passage.score / topScore) : 0
                c.score = Scoring.fuse([c.coverage, c.prior, c.typeMatch, c.novelty, c.phrase], weights: settings.weights)
                out.append(c)
            }
        }
        // Sorting the indices moves integers rather than whole sentences (their tokens, terms and passage).
        return out.indices.sorted { CandidateSentence.ranksBefore(out[$0], out[$1]) }.map { out[$0] }
    }

    /// The answer for `query` from its ranked passages, the evidence its confidence rests on, and the scored
    /// candidate sentences, best first. `known` holds sentences already analysed (by the reranker), reused
    /// instead of analysed again.
    public func compose(_ query: Query, ranked: [RankedPassage], statistics: QuestionStatistics,
                        reusing known: [CandidateSentence] = [])
        -> (answer: Answer, evidence: Evidence, sentences: [CandidateSentence]) {
        let listed = ranked.map {
            AnswerPassage(rank: $0.rank, passageID: $0.passage.id, source: $0.passage.source, score: $0.score, text: $0.passage.text)
        }
        let scored = candidates(for: query, ranked: ranked, statistics: statistics, reusing: known)
        guard let (best, span) = choose(scored, query: query, statistics: statistics) else {
            return (Answer(question: query.text, answer: Answer.abstention, abstained: true, confidence: 0,
                           citations: [], passages: listed), Evidence(), [])
        }
        let evidence = assess(best: best, span: span, query: query, statistics: statistics, scored: scored)
        guard evidence.confidence >= settings.threshold(for: query) else {
            return (Answer(question: query.text, answer: Answer.abstention, abstained: true, confidence: evidence.confidence,
                           citations: [], passages: listed), evidence, scored)
        }
        var chosen = [best]
        if Self.asksForSeveral(query) {
            for c in scored where chosen.count < settings.maxSentences && (c.passage.rowid, c.start) != (best.passage.rowid, best.start) {
                guard c.score >= settings.followerShare * best.score, c.novelty > 0, c.typeMatch >= best.typeMatch else { continue }
                // A bibliography entry only answers on its own (who wrote what): it does not follow an answer.
                if c.passage.isReference && !best.passage.isReference { continue }
                if chosen.contains(where: { Self.similarity($0.terms, c.terms) > settings.duplicateCosine }) { continue }
                chosen.append(c)
            }
        }
        var citations: [Citation] = []
        var sentences: [String] = []
        for (i, c) in chosen.enumerated() {
            citations.append(Citation(n: i + 1, passageID: c.passage.passage.id, source: c.passage.passage.source,
                                      title: c.passage.passage.title, start: c.start, end: c.end, quote: c.text,
                                      paragraph: c.passage.passage.paragraph))
            sentences.append("\(c.text) [\(i + 1)]")
        }
        var answer = Answer(question: query.text, answer: sentences.joined(separator: " "), abstained: false,
                            confidence: evidence.confidence, citations: citations, passages: listed)
        answer.shortAnswer = span.map {
            ShortAnswer(text: $0.text, citation: 1, source: best.passage.passage.source,
                        start: best.start + $0.start, end: best.start + $0.end)
        }
        return (answer, evidence, scored)
    }

    /// The answer sentence among the best-scored `scored` (sorted best first) and its short answer: the
    /// sentence of the first `spanSentences` whose score plus `share` × its best span's score is highest, so
    /// that a sentence holding what the question asks for (a name for qui) beats one that only shares its words.
    /// `model` and `share` default to the settings'. nil when there is no sentence.
    public func choose(_ scored: [CandidateSentence], query: Query, statistics: QuestionStatistics,
                       model: LogisticModel? = nil, share: Double? = nil) -> (CandidateSentence, SpanCandidate?)? {
        let extractor = ShortAnswerExtractor(model: model ?? settings.span)
        let share = share ?? settings.spanShare
        var best: (sentence: CandidateSentence, span: SpanCandidate?, score: Double)?
        for c in scored.prefix(share > 0 ? max(1, settings.spanSentences) : 1) {
            let span = extractor.best(text: c.text, tokens: c.tokens, query: query, closeForms: statistics.closeForms,
                                      isDictionaryWord: statistics.isDictionaryWord, wordClass: statistics.wordClass)
            let score = c.score + share * (span?.score ?? 0)
            if best.map({ score > $0.score }) ?? true { best = (c, span, score) }
        }
        return best.map { ($0.sentence, $0.span) }
    }

    /// The evidence for `best` with its features and the answerability model's confidence.
    public func assess(best: CandidateSentence, span: SpanCandidate?, query: Query, statistics: QuestionStatistics,
                       scored: [CandidateSentence], model: LogisticModel? = nil) -> Evidence {
        var e = Self.evidence(best: best, query: query, statistics: statistics,
                              passageSentences: scored.filter { $0.passage.rowid == best.passage.rowid })
        let other = scored.first { $0.passage.rowid != best.passage.rowid }?.score ?? 0
        e.features = AnswerabilityFeatures.vector(
            e, query: query, best: best, span: span, margin: best.score - other,
            unmatchedIDF: Self.unmatchedIDF(query, sentence: Set(best.terms), statistics: statistics,
                                            context: best.passage.contextTerms),
            unknownWords: e.unknownTerms.filter(statistics.isDictionaryWord).count)
        e.confidence = (model ?? settings.answerability).probability(e.features)
        return e
    }

    /// Plural interrogatives (quels, quelles, lesquels, lesquelles): the question asks for several things,
    /// which may stand in more than one sentence.
    static func asksForSeveral(_ query: Query) -> Bool {
        query.tokens.contains { t in
            t.kind == .word && ["quels", "quelles", "lesquels", "lesquelles"].contains(Folding.fold(t.surface))
        }
    }

    /// Share of the question's idf mass that neither the sentence nor an expansion or the passage's context
    /// holds; a term the index never saw weighs the highest idf the index can give.
    static func unmatchedIDF(_ query: Query, sentence: Set<String>, statistics: QuestionStatistics,
                             context: [String: Double]) -> Double {
        let highest = statistics.idf.values.max() ?? 1
        var total = 0.0, missing = 0.0
        for t in query.terms {
            let w = statistics.isUnknown(t) ? highest : (statistics.idf[t] ?? highest)
            total += w
            let held = sentence.contains(t) || context[t] != nil
                || (statistics.expansions[t] ?? []).contains { sentence.contains($0.term) }
            if !held { missing += w }
        }
        return total > 0 ? missing / total : 1
    }

    /// Words that place what a question asks about in time relative to something else (folded surface forms).
    static let timeWords: Set<String> = ["avant", "apres", "precedent", "precedente", "precedents", "precedentes",
                                         "ancien", "ancienne", "anciens", "anciennes", "prochain", "prochaine",
                                         "suivant", "suivante", "predecesseur", "successeur", "auparavant"]

    /// Ordinals (stems) that single out one of several (`pour la première fois`, `la troisième édition`,
    /// `l’an dernier`): a sentence without the question's ordinal speaks of another one.
    static let ordinals: Set<String> = Query.stems("premier première second seconde deuxième troisième quatrième cinquième dernier dernière")
        .union(["1er"])

    /// True when the question singles something out by an ordinal the sentence does not hold.
    static func unmetOrdinal(_ query: Query, sentenceTerms: Set<String>) -> Bool {
        query.terms.contains { ordinals.contains($0) && !sentenceTerms.contains($0) }
    }

    /// Qualifiers that ask for what comes after something (folded), and the words that say a thing comes after
    /// another: `la version suivante` is met by `une autre version est prévue ensuite`.
    static let laterQualifiers: Set<String> = ["apres", "suivant", "suivante", "prochain", "prochaine", "successeur"]
    static let laterWords: Set<String> = ["deuxieme", "prochain", "prochaine", "suivant",
                                          "suivante", "ensuite", "puis", "futur", "future", "successeur"]

    /// Whether a sentence meets a time qualifier of the question (given as its term): it holds the qualifier
    /// itself, or, for a qualifier of what comes after, a word saying something comes next.
    static func meets(_ qualifier: String, sentence: [Token], terms: Set<String>) -> Bool {
        if terms.contains(qualifier) { return true }
        guard laterQualifiers.contains(Folding.fold(qualifier)) else { return false }
        return sentence.contains { laterWords.contains(Folding.fold($0.surface)) }
    }

    /// The terms of the question's time qualifiers; `d’après` (according to) is not one.
    static func timeQualifiers(of query: Query) -> [String] {
        let bytes = Array(query.text.utf8)
        let words = query.tokens.filter { $0.kind != .compound }
        return words.indices.filter { i in
            let t = words[i]
            guard t.kind == .word, timeWords.contains(Folding.fold(t.surface)) else { return false }
            // `mettre en avant` (to highlight) is an idiom, not a time.
            if i > 0, Folding.fold(words[i - 1].surface) == "en" { return false }
            // An elided article right before (`d’après`) makes it a preposition of source, not of time.
            return !(t.start > 0 && (bytes[t.start - 1] == 0x27 || (t.start >= 3 && bytes[(t.start - 3)..<t.start].elementsEqual([0xE2, 0x80, 0x99]))))
        }.map { words[$0].term }
    }

    /// Idf-weighted share of the question's known terms found in `terms`; a term missing but for one of its
    /// expansions counts at that expansion's weight. Terms the index does not know are left out.
    /// `context` holds the terms the passage's context lends it (`RankedPassage.contextTerms`) and their credit.
    static func coverage(_ query: Query, terms: Set<String>, statistics: QuestionStatistics,
                         context: [String: Double] = [:]) -> Double {
        coverage(knownTerms(query, statistics: statistics), terms: terms, statistics: statistics, context: context)
    }

    /// The question's terms that the index knows, in order: what `coverage` weighs.
    static func knownTerms(_ query: Query, statistics: QuestionStatistics) -> [String] {
        query.terms.filter { !statistics.isUnknown($0) }
    }

    /// `coverage` with the question's known terms (`knownTerms`) given, for a caller scoring many sentences.
    static func coverage(_ known: [String], terms: Set<String>, statistics: QuestionStatistics,
                         context: [String: Double] = [:]) -> Double {
        SentenceScorer.coverage(question: known, sentence: terms, idf: statistics.idf) { t in
            let expansion = (statistics.expansions[t] ?? []).filter { terms.contains($0.term) }.map(\.weight).max() ?? 0
            return max(expansion, context[t] ?? 0)
        }
    }

    /// The evidence for the best sentence: coverage of the question by the sentence and its passage, the question
    /// type's sign, the words, numbers or focus noun of the question that the index does not hold at all, and
    /// whether the best sentence's passage (`passageSentences`) holds an answer of the finer kind asked for.
    /// The confidence is left to the answerability model (`assess`).
    static func evidence(best: CandidateSentence, query: Query, statistics: QuestionStatistics,
                         passageSentences: [CandidateSentence] = []) -> Evidence {
        var e = Evidence()
        e.coverage = best.coverage
        e.passageCoverage = coverage(query, terms: Set(best.passage.matchedTerms), statistics: statistics)
        e.typeMatch = best.typeMatch
        // A word the index lacks but the passage's context supplies (`auteur` for a byline) is not unknown.
        let unknown = query.terms.filter { statistics.isUnknown($0) && best.passage.contextTerms[$0] == nil }
        e.unknownShare = query.terms.isEmpty ? 1 : Double(unknown.count) / Double(query.terms.count)
        e.unknownTerms = unknown
        // A number of the question (a year, an edition, an amount) or a word placing it in time (avant,
        // précédente…) that the best sentence lacks: the sentence speaks of another year, figure or time than
        // the one asked about.
        let sentenceTerms = Set(best.tokens.map(\.term))
        e.unmetConstraint = query.terms.contains { ($0.first?.isNumber ?? false) && !sentenceTerms.contains($0) }
            || Self.unmetOrdinal(query, sentenceTerms: sentenceTerms)
            || Self.timeQualifiers(of: query).contains { !Self.meets($0, sentence: best.tokens, terms: sentenceTerms) }
        let expected = AnswerKind.read(query)
        e.unknownFocus = (query.focus ?? expected.subject).map { statistics.isUnknown($0) } ?? false
        if let kind = expected.kind {
            e.answerKind = kind.description
            let questionTerms = Set(query.tokens.map(\.term))
            e.unmetKind = !([best] + passageSentences).contains { kind.isMet(by: $0.tokens, questionTerms: questionTerms) }
            // No answer of the kind asked for is no answer of the type asked for.
            if e.unmetKind { e.typeMatch = 0 }
        }
        return e
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
