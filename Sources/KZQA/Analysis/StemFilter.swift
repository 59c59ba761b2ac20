/// Replaces each word's term by its folded Snowball French stem: `Ministère` → `minister`,
/// `développement` → `developp`. Numbers and symbols keep their term.
///
/// A term must hold a letter or a number to be matched by (FTS5 sees no word in anything else). A word whose
/// stem folds to none keeps its folded unstemmed term (`̧s`: the stemmer drops the final `s`, folding the
/// cedilla); a word that folds to none at all is dropped (`ﾞ` is the combining mark U+3099 after NFKC, `ͺ`
/// a space and a mark).
public struct StemFilter: TokenFilter {
    let stemmer = FrenchStemmer()

    public init() {}

    public func apply(_ tokens: [Token]) -> [Token] {
        tokens.compactMap { token in
            var t = token
            switch t.kind {
            case .word, .compound, .acronym:
                t.term = Folding.stripDiacritics(stemmer.stem(t.term))
                if !Self.isMatchable(t.term) { t.term = Folding.stripDiacritics(token.term) }
                if !Self.isMatchable(t.term) { return nil }
            case .number, .symbol: break
            }
            return t
        }
    }

    static func isMatchable(_ term: String) -> Bool {
        term.unicodeScalars.contains(where: Tokenizer.isLetterOrNumber)
    }
}
