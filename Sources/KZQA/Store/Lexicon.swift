import Foundation

/// The ordinary words of the language as far as the index knows them: the stems of its thesaurus entries.
/// Used to tell names (`Madiyev`, `Euronews`) from capitalised common words (`Développement`). Each stem is looked
/// up when first asked (a primary-key prefix lookup in `synonyms`) and remembered, so opening an engine reads
/// nothing; none is one when the index was built without a thesaurus, in which case every capitalised word may be a name.
public final class Lexicon: @unchecked Sendable {
    private let store: IndexStore
    private let lock = NSLock()
    private var known: [String: Bool] = [:]

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
}
