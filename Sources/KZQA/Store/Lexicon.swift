import Foundation

/// The ordinary words of the language as far as the index knows them, and the word class of the forms its text
/// uses. The stems of the thesaurus entries tell names (`Madiyev`, `Euronews`) from capitalised common words
/// (`Développement`); each stem is looked up when first asked (a primary-key prefix lookup in `synonyms`) and
/// remembered, so opening an engine reads nothing; none is one when the index was built without a thesaurus, in
/// which case every capitalised word may be a name. Word classes come from the index's lexicon table (see
/// `LexiconForms`), one lookup a form, memoised; a form the table lacks is `WordClass.ordinary`.
public final class Lexicon: @unchecked Sendable {
    private let store: IndexStore
    private let lock = NSLock()
    private var known: [String: Bool] = [:]
    private var classes: [String: WordClass] = [:]

    public init(store: IndexStore) {
        self.store = store
    }

    @Sendable public func contains(_ stem: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        if let k = known[stem] { return k }
        let k = (try? store.isDictionaryStem(stem)) ?? false
        known[stem] = k
        return k
    }

    /// The class of a written form (`Asie` → capitalised noun, `Madiyev` → unknown, `lancé` → verb).
    @Sendable public func wordClass(_ surface: String) -> WordClass {
        lock.lock(); defer { lock.unlock() }
        if let c = classes[surface] { return c }
        let c = (try? store.lexicalEntry(form: Folding.fold(surface)))?.entry.wordClass(surface: surface) ?? .ordinary
        classes[surface] = c
        return c
    }
}
