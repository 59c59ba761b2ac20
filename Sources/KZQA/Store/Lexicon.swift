/// The ordinary words of the language as far as the index knows them: the stems of its thesaurus entries.
/// Used to tell names (`Madiyev`, `Euronews`) from capitalised common words (`Développement`). Loaded once;
/// empty when the index was built without a thesaurus, in which case every capitalised word may be a name.
public final class Lexicon: @unchecked Sendable {
    private let stems: Set<String>

    public init(store: IndexStore) {
        stems = (try? store.dictionaryStems()) ?? []
    }

    @Sendable public func contains(_ stem: String) -> Bool { stems.contains(stem) }
}
