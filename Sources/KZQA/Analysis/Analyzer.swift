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

    /// `indexTerms(text)`, the same terms, faster when many texts are analysed on one thread (bulk indexing):
    /// a token already seen is not filtered again (see `AnalysisCache`). Keep it in step with `indexTerms`.
    public func indexTerms(_ text: String, cache: inout AnalysisCache) -> [String] {
        guard filtersArePerToken else { return indexTerms(text) }
        let tokens = tokenizer.tokenize(text)
        var out: [String] = []
        out.reserveCapacity(tokens.count)
        for token in tokens {
            guard let t = cache.filtered(token, by: filters) else { return indexTerms(text) }
            if let term = t.term { out.append(term) }
        }
        return out
    }

    /// `analyze(text)`, the same tokens, faster when many texts are analysed on one thread (the indexer's
    /// sentences): a token already seen is not filtered again. It does not count as meeting the token for
    /// `AnalysisCache.newForms`, which gathers what `indexTerms(_:cache:)` meets. Keep it in step with `analyze`.
    public func analyze(_ text: String, cache: inout AnalysisCache) -> [Token] {
        guard filtersArePerToken else { return analyze(text) }
        let tokens = tokenizer.tokenize(text)
        var out: [Token] = []
        out.reserveCapacity(tokens.count)
        for token in tokens {
            switch cache.token(token, by: filters, reporting: false) {
            case .kept(let t): out.append(t)
            case .dropped: break
            case .several: return analyze(text)
            }
        }
        return out
    }

    /// True when every filter is one of the stock ones, which rewrite (or drop) each token on its own, from its
    /// surface, term and kind only (never from its offsets, position or neighbours): then a token's analysis can
    /// be memoised.
    var filtersArePerToken: Bool {
        filters.allSatisfy { $0 is ElisionFilter || $0 is StopwordFilter || $0 is StemFilter }
    }
}

/// A memo of filtered tokens, keyed by what the stock filters read (surface, term, kind), for one thread
/// analysing many texts: stemming and folding a word once instead of at every occurrence. Bounded: it is
/// emptied when it holds `capacity` entries.
public struct AnalysisCache {
    /// Entries are found by surface, and kept only when term and kind match too.
    struct Entry {
        var term: String, kind: Token.Kind
        /// What the filters made of the token, its offsets and position aside (nil when they drop it), and how
        /// far they moved them (elision moves the start past the elided prefix).
        var filtered: Token?
        var startShift: Int, endShift: Int, positionShift: Int
        /// Whether the token was met by `indexTerms(_:cache:)` (and so gathered in `newForms`) since it was memoised.
        var reported: Bool
    }
    /// A token as the filters leave it.
    enum Outcome {
        case kept(Token)
        case dropped
        /// The filters made more than one token of it: not memoised.
        case several
    }
    private var entries: [String: Entry] = [:]
    public let capacity: Int
    /// Content words (surface, term) met for the first time by `indexTerms(_:cache:)` since the last
    /// `takeNewForms()`: what the indexer looks up in the `FrenchLexicon` (a form may come again after the memo
    /// was emptied).
    public private(set) var newForms: [(surface: String, term: String)] = []

    public init(capacity: Int = 200_000) {
        self.capacity = capacity
    }

    /// The term (nil: dropped) and stopword flag `filters` give `token` (which must all be per-token filters;
    /// nil if they made more than one token of it).
    mutating func filtered(_ token: Token, by filters: [any TokenFilter]) -> (term: String?, isStopword: Bool)? {
        switch self.token(token, by: filters, reporting: true) {
        case .kept(let t): return (t.term, t.isStopword)
        case .dropped: return (nil, false)
        case .several: return nil
        }
    }

    /// What `filters` (all per-token filters) make of `token`. `reporting`: the token counts as met for
    /// `newForms` (a content word memoised unreported is gathered the first time it is met reporting).
    mutating func token(_ token: Token, by filters: [any TokenFilter], reporting: Bool) -> Outcome {
        if var e = entries[token.surface], e.term == token.term, e.kind == token.kind {
            if reporting && !e.reported {
                e.reported = true
                entries[token.surface] = e
                report(token, e.filtered)
            }
            guard var t = e.filtered else { return .dropped }
            t.start = token.start + e.startShift
            t.end = token.end + e.endShift
            t.position = token.position + e.positionShift
            return .kept(t)
        }
        let result = filters.reduce([token]) { $1.apply($0) }
        guard result.count <= 1 else { return .several }
        let out = result.first
        // Numbers and symbols pass the stock filters unchanged and cheaply, and are often unique: not kept.
        if token.kind != .number && token.kind != .symbol {
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token.surface] = Entry(term: token.term, kind: token.kind, filtered: out,
                                           startShift: (out?.start ?? token.start) - token.start,
                                           endShift: (out?.end ?? token.end) - token.end,
                                           positionShift: (out?.position ?? token.position) - token.position,
                                           reported: reporting)
            if reporting { report(token, out) }
        }
        return out.map { .kept($0) } ?? .dropped
    }

    private mutating func report(_ token: Token, _ filtered: Token?) {
        if let f = filtered, !f.isStopword, token.kind == .word || token.kind == .compound {
            newForms.append((token.surface, f.term))
        }
    }

    /// The forms gathered since the last call, and starts a new gathering.
    public mutating func takeNewForms() -> [(surface: String, term: String)] {
        defer { newForms.removeAll(keepingCapacity: true) }
        return newForms
    }
}
