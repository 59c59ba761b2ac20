import Foundation

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
    public func ask(_ question: String, mode: RetrievalMode = .hybrid, top: Int = 5) throws -> (answer: Answer, ranked: [RankedPassage]) {
        let text = try Self.validate(question)
        let query = Query(text)
        let ranked = try retriever.rank(query, mode: mode, top: max(top, composer.settings.passages))
        var idf: [String: Double] = [:]
        for t in query.terms {
            let df = try store.term(t)?.df ?? 0
            idf[t] = Double(TFIDF.idf(documents: store.passageCount, documentFrequency: df))
        }
        var answer = composer.compose(query, ranked: ranked, idf: idf)
        answer.passages = Array(answer.passages.prefix(top))
        return (answer, Array(ranked.prefix(top)))
    }
}
