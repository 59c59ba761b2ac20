/// The English analysis of a question: the shared `Tokenizer` (same byte offsets, numbers, acronyms and
/// hyphenated compounds), then `EnglishPossessiveFilter` → `EnglishStopwordFilter` → `EnglishStemFilter`.
/// Only questions are analysed in English: the articles are French and indexed by `FrenchAnalyzer`.
///
/// ```swift
/// EnglishAnalyzer().terms("Kazakhstan's new ministries") // ["kazakhstan", "new", "ministri"]
/// ```
public struct EnglishAnalyzer: Sendable {
    public let tokenizer = Tokenizer()
    public let filters: [any TokenFilter]

    public init(filters: [any TokenFilter] = [EnglishPossessiveFilter(), EnglishStopwordFilter(), EnglishStemFilter()]) {
        self.filters = filters
    }

    /// Every token, stopwords included (flagged), with offsets into `text`.
    public func analyze(_ text: String) -> [Token] {
        filters.reduce(tokenizer.tokenize(text)) { $1.apply($0) }
    }

    /// The stems of the tokens that are not stopwords, in order.
    public func terms(_ text: String) -> [String] {
        analyze(text).compactMap { $0.isStopword ? nil : $0.term }
    }
}

/// Drops the possessive ending of a word (`Kazakhstan's` → `Kazakhstan`, `countries'` → `countries`),
/// narrowing its surface and end offset so the bytes still spell the surface. Contractions (`don't`) are left
/// for the stop list.
public struct EnglishPossessiveFilter: TokenFilter {
    public init() {}

    public func apply(_ tokens: [Token]) -> [Token] {
        tokens.map { token in
            guard token.kind == .word || token.kind == .acronym else { return token }
            let scalars = Array(token.surface.unicodeScalars)
            var cut = 0
            if scalars.count > 2, scalars[scalars.count - 1] == "s" || scalars[scalars.count - 1] == "S",
               Tokenizer.isApostrophe(scalars[scalars.count - 2]) {
                cut = 2
            } else if scalars.count > 1, Tokenizer.isApostrophe(scalars[scalars.count - 1]) {
                cut = 1
            }
            guard cut > 0 else { return token }
            var t = token
            let kept = scalars.dropLast(cut)
            t.surface = String(String.UnicodeScalarView(kept))
            t.end = t.start + t.surface.utf8.count
            t.term = Folding.lowercase(t.surface)
            if ElisionFilter.isAcronym(t.surface) { t.kind = .acronym }
            return t
        }
    }
}

/// Marks English function words (the Snowball English stop list, `EnglishStopwords.snowball`).
public struct EnglishStopwordFilter: TokenFilter {
    public let words: Set<String>

    public init(words: Set<String> = EnglishStopwords.snowball) {
        self.words = words
    }

    public func apply(_ tokens: [Token]) -> [Token] {
        tokens.map { token in
            var t = token
            if t.kind == .word, words.contains(t.term) { t.isStopword = true }
            return t
        }
    }
}

/// Replaces each word's term by its Snowball English stem (`appointed` → `appoint`); acronyms, numbers and
/// symbols keep their term.
public struct EnglishStemFilter: TokenFilter {
    let stemmer = EnglishStemmer()

    public init() {}

    public func apply(_ tokens: [Token]) -> [Token] {
        tokens.map { token in
            var t = token
            if t.kind == .word || t.kind == .compound { t.term = stemmer.stem(Folding.stripDiacritics(t.term)) }
            return t
        }
    }
}
