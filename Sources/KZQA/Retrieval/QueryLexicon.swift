/// Where a question's words get their lemma and part of speech: `QueryLexicon` over an index, or any other
/// source (tests).
public protocol LexicalLookup {
    /// What the lexicon says of a word as the question writes it (`nommé`, `Astana`).
    func entry(surface: String) -> LexicalEntry
}

/// What the lexicon says of one content word of a question: its lemmas, parts of speech, whether it is a
/// proper noun, a verb or a noun, and whether the French dictionary knows it at all (a word it does not know
/// is a name, a foreign word or a typo).
public struct QueryTerm: Sendable, Equatable {
    public let surface: String
    /// The word's index term (folded Snowball stem).
    public let term: String
    public let entry: LexicalEntry

    public var lemmas: [String] { entry.lemmas }
    public var partOfSpeech: Set<PartOfSpeech> { entry.partsOfSpeech }
    public var isProperNoun: Bool { entry.isProperNoun }
    public var isVerb: Bool { entry.isVerb }
    public var isNoun: Bool { entry.isNoun }
    /// The dictionary knows the form.
    public var isKnownWord: Bool { entry.isKnown }
}

/// The lexicon as the query side reads it: first the entries the indexer stored (table `lexicon`), then, only
/// for the question words the index never met, what the `FrenchLexicon` said of them in an earlier process
/// (`LexiconCache`), else the `FrenchLexicon` itself, loaded on first need (about 0.1 s, once per process) — a
/// question has few words. Entries are memoised.
public final class QueryLexicon: LexicalLookup {
    let store: IndexStore
    let fallback: () -> FrenchLexicon?
    /// What the fallback dictionary said in earlier processes (`LexiconCache`), asked before loading it.
    let cache: LexiconCache?
    private var memo: [String: LexicalEntry] = [:]

    /// `fallback`: the dictionary for words the index lacks (default: the shared one, nil when not installed);
    /// `cache`: its earlier answers (nil: none; `LexiconCache.shared` goes with the shared dictionary).
    public init(store: IndexStore, fallback: @escaping () -> FrenchLexicon? = { FrenchLexicon.shared },
                cache: LexiconCache? = nil) {
        self.store = store
        self.fallback = fallback
        self.cache = cache
    }

    public func entry(surface: String) -> LexicalEntry {
        if let e = memo[surface] { return e }
        let e = (try? store.lexicalEntry(form: Folding.fold(surface)))?.entry ?? fallbackEntry(surface) ?? .unknown
        memo[surface] = e
        return e
    }

    /// The fallback dictionary's entry for a word the index lacks, through the cache.
    func fallbackEntry(_ surface: String) -> LexicalEntry? {
        if let cached = cache?.entry(surface) { return cached }
        guard let e = fallback()?.entry(surface) else { return nil }
        cache?.store(e, for: surface)
        return e
    }

    /// The index terms that share a lemma of `term` (the question's `QueryTerm`), other than the term itself:
    /// `élu` → the terms of `élire`, `élit`; `réunis` → those of `réunir`, `réunion` not (a derivation, which
    /// Grammalecte's dictionary does not record).
    public func termsSharingLemma(_ term: QueryTerm, limit: Int) throws -> [String] {
        var out: [String] = []
        for lemma in term.lemmas {
            for t in try store.terms(ofLemma: Folding.fold(lemma), limit: limit) where t != term.term && !out.contains(t) {
                out.append(t)
            }
        }
        return Array(out.prefix(limit))
    }
}
