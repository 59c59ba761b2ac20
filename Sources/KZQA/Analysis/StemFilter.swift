/// Replaces each word's term by its folded Snowball French stem: `Ministère` → `minister`,
/// `développement` → `developp`. Numbers and symbols keep their term.
public struct StemFilter: TokenFilter {
    let stemmer = FrenchStemmer()

    public init() {}

    public func apply(_ tokens: [Token]) -> [Token] {
        tokens.map { token in
            var t = token
            switch t.kind {
            case .word, .compound, .acronym: t.term = Folding.stripDiacritics(stemmer.stem(t.term))
            case .number, .symbol: break
            }
            return t
        }
    }
}
