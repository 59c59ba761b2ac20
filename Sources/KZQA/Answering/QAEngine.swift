import Foundation

/// Everything `QAEngine.ask` found out: the answer, the ranking behind it, and why.
public struct Response: Sendable {
    public var answer: Answer
    public var ranked: [RankedPassage]
    public var evidence: Evidence
    public var query: Query
    /// The terms searched: the question's and their expansions.
    public var terms: [ExpandedTerm]
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
    }

    /// Cleans a question for analysis: control characters (NUL included) become spaces.
    /// - throws: `KZQAError.emptyQuestion`, `.questionTooLong`.
    public static func validate(_ question: String) throws -> String {
        guard question.utf8.count <= maxQuestionBytes else {
            throw KZQAError.questionTooLong(bytes: question.utf8.count, limit: maxQuestionBytes)
        }
        let cleaned = String(String.UnicodeScalarView(question.unicodeScalars.map {
            $0.properties.generalCategory == .control ? " " : $0
        })).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !cleaned.isEmpty else { throw KZQAError.emptyQuestion }
        return cleaned
    }

    /// Answers one question.
    public func ask(_ question: String, mode: RetrievalMode = .hybrid, top: Int = 5) throws -> Response {
        let text = try Self.validate(question)
        let query = Query(text)
        let terms = try retriever.expansion.expand(query, store: store)
        let searched = mode == .bm25 ? terms.filter { $0.origin == .question } : terms
        let ranked = try retriever.rank(query, terms: searched, mode: mode, top: max(top, composer.settings.passages))
        var stats = QuestionStatistics()
        for t in query.terms {
            let df = try store.term(t)?.df ?? 0
            stats.idf[t] = Double(TFIDF.idf(documents: store.passageCount, documentFrequency: df))
            if df > 0 { stats.known.insert(t) }
        }
        for e in terms where e.origin != .question {
            stats.expansions[e.of, default: []].append((e.term, Double(e.weight)))
            if e.origin != .synonym { stats.knownThroughVariant.insert(e.of) }
        }
        var (answer, evidence) = composer.compose(query, ranked: ranked, statistics: stats)
        answer.passages = Array(answer.passages.prefix(top))
        return Response(answer: answer, ranked: Array(ranked.prefix(top)), evidence: evidence, query: query, terms: searched)
    }
}
