/// The language a question is written in. The articles are French; English questions are translated.
public enum Language: String, Sendable, Codable, CaseIterable {
    case fr, en
}

/// Tells an English question from a French one by counted evidence, so `--explain` can say why:
/// - function words of one language and not the other (the Snowball English and French stop lists, words on
///   both lists such as `a`, `on`, `me` counting for neither), an interrogative word opening the question
///   counting twice;
/// - letters and spellings only one language uses: French accented letters, œ, elided `l’`/`d’`/`qu’`
///   (French); the possessive `’s` and `n’t` (English).
/// A question is English only when its English evidence exceeds the French by `margin`: with no evidence at
/// all (« Digital Bridge Awards ? ») or names only, it stays French, the articles' language.
/// When the English evidence leads by less than the margin (`kazakhstan global rank for e-government`,
/// `Tokayev's decree?`), an optional lexicon is asked about the other words: each word only one language's
/// dictionary has counts `lexicalWeight` for it.
public struct LanguageDetector: Sendable, Codable, Equatable {
    /// What was counted for each language.
    public struct Evidence: Sendable, Equatable {
        public var english: Double = 0, french: Double = 0
        /// The words and spellings that counted, as `word:weight` notes.
        public var notes: [String] = []
    }

    /// How much more English evidence than French makes a question English.
    public var margin = 2.0
    /// Weight of an interrogative word opening the question (a function word elsewhere weighs 1).
    public var openingWeight = 2.0
    /// Weight of a word only one language's lexicon has (asked only when the function words leave it undecided).
    public var lexicalWeight = 1.0

    static let englishOnly: Set<String> = EnglishStopwords.snowball.subtracting(frenchFolded)
    static let frenchOnly: Set<String> = frenchFolded.subtracting(EnglishStopwords.snowball)
    static let frenchFolded: Set<String> = FrenchStopwords.snowball.union(QuestionWords.interrogatives)
    /// French interrogatives that open a question, folded.
    static let frenchOpenings: Set<String> = ["qui", "que", "quoi", "quel", "quelle", "quels", "quelles", "quand",
                                              "ou", "comment", "pourquoi", "combien", "lequel", "laquelle",
                                              "lesquels", "lesquelles", "est"]
    static let frenchLetters: Set<Unicode.Scalar> = Set("àâçéèêëîïôùûüÿœæÀÂÇÉÈÊËÎÏÔÙÛÜŸŒÆ".unicodeScalars)

    public init() {}

    public func detect(_ text: String, lexicon: ((String) -> Language?)? = nil) -> Language { read(text, lexicon: lexicon).language }

    /// The language of `text` and the evidence behind it; `lexicon` says which language's dictionary alone has a
    /// lower-case word (nil: both or neither).
    public func read(_ text: String, lexicon: ((String) -> Language?)? = nil) -> (language: Language, evidence: Evidence) {
        var e = evidence(text)
        if let lexicon, e.english > e.french, e.english - e.french < margin {
            for token in Tokenizer().tokenize(text) where token.kind == .word {
                let lower = Folding.lowercase(token.surface)
                guard !Self.englishOnly.contains(lower), !Self.frenchOnly.contains(Folding.stripDiacritics(lower)) else { continue }
                switch lexicon(lower) {
                case .en?: e.english += lexicalWeight; e.notes.append("en \(token.surface) (lexicon)")
                case .fr?: e.french += lexicalWeight; e.notes.append("fr \(token.surface) (lexicon)")
                case nil: break
                }
            }
        }
        return (e.english - e.french >= margin ? .en : .fr, e)
    }

    public func evidence(_ text: String) -> Evidence {
        var e = Evidence()
        let words = Tokenizer().tokenize(text).filter { $0.kind == .word || $0.kind == .acronym }
        for (i, token) in words.enumerated() {
            // `Folding.lowercase` writes the apostrophes ’ ‘ ʼ as '.
            let lower = Folding.lowercase(token.surface)
            let folded = Folding.stripDiacritics(lower)
            // An acronym (`AI`, `ON`) is no function word.
            guard token.kind == .word else { continue }
            if token.surface.unicodeScalars.contains(where: Self.frenchLetters.contains) {
                e.french += 1; e.notes.append("fr \(token.surface) (letters)")
            }
            if let apostrophe = lower.firstIndex(of: "'") {
                let head = String(lower[..<apostrophe]), tail = String(lower[lower.index(after: apostrophe)...])
                if ElisionFilter.articles.contains(head), !tail.isEmpty, tail != "s", tail != "t" {
                    e.french += 1; e.notes.append("fr \(token.surface) (elision)")
                    continue
                }
                if tail == "s" || tail == "t" || head.hasSuffix("n") && tail == "t" {
                    e.english += 1; e.notes.append("en \(token.surface) (\(tail == "s" ? "’s" : "n’t"))")
                }
            }
            let opening = i == 0 ? openingWeight : 1
            if Self.englishOnly.contains(lower) {
                let w = i == 0 && EnglishStopwords.interrogatives.contains(lower) ? opening : 1
                e.english += w; e.notes.append("en \(token.surface)")
            } else if Self.frenchOnly.contains(folded) {
                let w = i == 0 && Self.frenchOpenings.contains(folded) ? opening : 1
                e.french += w; e.notes.append("fr \(token.surface)")
            }
        }
        return e
    }
}
