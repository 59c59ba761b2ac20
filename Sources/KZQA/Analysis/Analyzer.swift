/// The French analysis pipeline, shared by indexing and querying so both sides agree on terms:
/// tokenizer → elision → stopwords → stem (+ fold).
///
/// ```swift
/// FrenchAnalyzer().terms("L’intelligence artificielle") // ["intelligent", "artificiel"]
/// ```
public struct FrenchAnalyzer: Sendable {
    public let tokenizer = Tokenizer()
    public let filters: [any TokenFilter]

    public init(filters: [any TokenFilter] = [ElisionFilter(), StopwordFilter(), StemFilter()]) {
        self.filters = filters
    }

    /// Every token, stopwords included (flagged), with offsets into `text`.
    public func analyze(_ text: String) -> [Token] {
        filters.reduce(tokenizer.tokenize(text)) { $1.apply($0) }
    }

    /// The terms an index stores for `text`: every token's term, stopwords included (their low idf keeps
    /// them from weighing much, but quotes and fixed phrases such as « notre siècle » still match).
    public func indexTerms(_ text: String) -> [String] {
        analyze(text).map(\.term)
    }

    /// The content terms of `text`: stems of the tokens that are not stopwords, in order.
    public func terms(_ text: String) -> [String] {
        analyze(text).compactMap { $0.isStopword ? nil : $0.term }
    }
}
