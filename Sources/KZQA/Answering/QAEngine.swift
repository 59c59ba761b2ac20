import Foundation

/// Everything `QAEngine.ask` found out: the answer, the ranking behind it, and why.
public struct Response: Sendable {
    public var answer: Answer
    public var ranked: [RankedPassage]
    public var evidence: Evidence
    public var query: Query
    /// The terms searched: the question's and their expansions.
    public var terms: [ExpandedTerm]
    /// The candidate answer sentences of the top passages, best first.
    public var sentences: [CandidateSentence] = []
    /// What the index knows of the question's terms.
    public var statistics = QuestionStatistics()
    /// The answerability model that gave the confidence, and the threshold below which kzqa abstains.
    public var answerabilityModel = FittedModels.answerability
    public var threshold = FittedModels.threshold
    /// The language the question was read in, and for an English question its translation.
    public var language: Language = .fr
    public var translation: QueryTranslation? = nil
}

/// The question-answering pipeline over one index: query analysis → retrieval → answer composition.
/// Open it once and ask many questions (statements and the index file stay open).
public final class QAEngine {
    public let store: IndexStore
    public let retriever: Retriever
    public var composer = AnswerComposer()
    /// Questions longer than this many UTF-8 bytes are refused.
    public static let maxQuestionBytes = 4096

    public init(store: IndexStore) {
        self.store = store
        self.retriever = Retriever(store: store)
        self.lexicon = Lexicon(store: store)
        self.queryLexicon = QueryLexicon(store: store, cache: LexiconCache.shared)
        composer.storedSentences = { [store] in try? store.sentences(rowid: $0.rowid, text: $0.passage.text) ?? nil }
    }

    /// Lemmas and parts of speech of the questions' words (the index's lexicon table, hunspell for the rest).
    public let queryLexicon: QueryLexicon

    /// Cleans a question for analysis: control characters (NUL included) become spaces.
    /// - throws: `KZQAError.emptyQuestion`, `.questionWithoutWords`, `.questionTooLong`.
    public static func validate(_ question: String) throws -> String {
        guard question.utf8.count <= maxQuestionBytes else {
            throw KZQAError.questionTooLong(bytes: question.utf8.count, limit: maxQuestionBytes)
        }
        // Control characters become spaces, then white space is trimmed, scalar by scalar: Foundation's
        // `trimmingCharacters` goes through NSString and UTF-16, and makes the runtime instantiate generic types
        // (each a scan of every protocol conformance in the binary) before the first question.
        var scalars = String.UnicodeScalarView()
        for scalar in question.unicodeScalars {
            scalars.append(scalar.properties.generalCategory == .control ? " " : scalar)
        }
        let first = scalars.firstIndex { !$0.properties.isWhitespace }
        let last = scalars.lastIndex { !$0.properties.isWhitespace }
        let cleaned = first.flatMap { f in last.map { String(scalars[f...$0]) } } ?? ""
        guard !cleaned.isEmpty else { throw KZQAError.emptyQuestion }
        // Nothing to search for: only punctuation or symbols (`?!`, `…`), which no passage can answer.
        guard cleaned.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil }) else {
            throw KZQAError.questionWithoutWords
        }
        return cleaned
    }

    /// The stems the index's thesaurus knows: ordinary words, as opposed to names.
    let lexicon: Lexicon

    /// How hybrid mode reranks passages by their best answer sentence.
    public var rerankSettings = RerankSettings()
    var rerankDepth: Int { rerankSettings.depth }
    var sentenceWeight: Double { rerankSettings.sentenceWeight }

    /// Reorders passages by `(1 − w)·fused/best fused + w·best sentence score`: a passage that holds one
    /// sentence answering the question beats one that spreads the question's words thinly.
    func rerank(_ ranked: [RankedPassage], sentences: [CandidateSentence]) -> [RankedPassage] {
        guard let topScore = ranked.first?.score, topScore > 0 else { return ranked }
        var best: [Int64: Double] = [:]
        for c in sentences {
            best[c.passage.rowid] = max(best[c.passage.rowid] ?? 0, c.score)
        }
        var out = ranked.map { r -> RankedPassage in
            var r = r
            r.parts.sentence = best[r.rowid] ?? 0
            // `parts.fused` keeps the fusion's score; `score` becomes the reranked one.
            r.score = (1 - sentenceWeight) * r.score / topScore + sentenceWeight * r.parts.sentence
            return r
        }
        out.sort { $0.score != $1.score ? $0.score > $1.score : $0.rowid < $1.rowid }
        for i in out.indices { out[i].rank = i + 1 }
        return out
    }

    /// Reads a question's language when none is given (see `LanguageDetector`).
    public var detector = LanguageDetector()
    /// The English → French translator, loaded with its dictionary at the first English question.
    var translator: QueryTranslator?
    public var translationSettings = TranslationSettings()

    /// Retrieval alone, what a search engine returns: the question read (its expansions too, but in mode bm25,
    /// which searches the question's words as they are) and the best `top` passages of `mode`'s ranking, before
    /// the answer layer (hybrid's sentence rerank included). `ask` ranks the same way; `kzqa bench` times this
    /// beside the whole answer.
    public func retrieve(_ question: String, mode: RetrievalMode = .hybrid, top: Int = 10, language: Language? = nil) throws -> [RankedPassage] {
        let text = try Self.validate(question)
        let language = language ?? detectLanguage(text)
        if mode == .bm25, language == .fr {
            let query = Query(text, lexicon: queryLexicon)
            return try retriever.rank(query, terms: ExpandedTerm.plain(query), mode: mode, top: top)
        }
        let prepared = try prepare(text, language: language)
        return try retriever.rank(prepared.query, terms: mode == .bm25 ? prepared.plain : prepared.terms, mode: mode,
                                  top: top, concepts: prepared.translation?.conceptOf ?? [:])
    }

    /// Answers one question, read in `language` (nil: detected), from one snapshot of the index.
    public func ask(_ question: String, mode: RetrievalMode = .hybrid, top: Int = 5, language: Language? = nil) throws -> Response {
        try store.readSnapshot { try answer(question, mode: mode, top: top, language: language) }
    }

    func answer(_ question: String, mode: RetrievalMode, top: Int, language: Language?) throws -> Response {
        let text = try Self.validate(question)
        let language = language ?? detectLanguage(text)
        let prepared = try prepare(text, language: language)
        let query = prepared.query, terms = prepared.terms
        // Plain bm25 searches the question's words as they are, without expansions or finer sorting.
        let searched = mode == .bm25 ? prepared.plain : terms
        var ranked = try retriever.rank(query, terms: searched, mode: mode,
                                        top: max(top, composer.settings.passages, mode == .hybrid ? rerankDepth : 0),
                                        concepts: prepared.translation?.conceptOf ?? [:])
        var stats = QuestionStatistics()
        stats.isDictionaryWord = lexicon.contains
        stats.wordClass = lexicon.wordClass
        for t in query.terms {
            let df = try store.term(t)?.df ?? 0
            stats.idf[t] = Double(TFIDF.idf(documents: store.passageCount, documentFrequency: df))
            if df > 0 { stats.known.insert(t) }
        }
        for e in terms where e.origin != .question {
            // An expansion of a phrase (`jeune entrepris` → `startup`) stands for each of its words.
            for of in e.of.split(separator: " ").map(String.init) {
                stats.expansions[of, default: []].append((e.term, Double(e.weight)))
                if e.origin == .variant || e.origin == .lemma || e.origin == .acronym || e.origin == .equivalent {
                    stats.knownThroughVariant.insert(of)
                    stats.closeForms[of, default: []].insert(e.term)
                }
            }
        }
        var sentences: [CandidateSentence] = []
        if mode == .hybrid, sentenceWeight > 0 {
            sentences = composer.candidates(for: query, ranked: ranked, statistics: stats, passages: ranked.count)
            ranked = rerank(ranked, sentences: sentences)
        }
        var (answer, evidence, scored) = composer.compose(query, ranked: ranked, statistics: stats, reusing: sentences)
        answer.passages = Array(answer.passages.prefix(top))
        localize(&answer, language: language)
        return Response(answer: answer, ranked: Array(ranked.prefix(top)), evidence: evidence, query: query,
                        terms: searched, sentences: scored, statistics: stats,
                        answerabilityModel: composer.settings.answerability, threshold: composer.settings.threshold(for: query),
                        language: language, translation: prepared.translation)
    }
}
