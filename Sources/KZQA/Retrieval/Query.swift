/// What a question asks for, read from its interrogative words: it steers sentence choice in answers
/// (a `combien` question wants a sentence with a number).
public enum QuestionType: String, Sendable, Codable {
    /// combien, quel pourcentage/nombre/taux…: a number, percent, amount or count.
    case quantity
    /// qui, à qui, avec qui, quel ministre…: a person or an organisation.
    case person
    /// quand, quelle date/année…: a date or a period.
    case date
    /// où, dans quel pays/ville…: a place.
    case place
    /// quel/quelle + noun: the noun names what is wanted.
    case entity
    /// pourquoi, comment: an explanation.
    case explanation
    /// anything else.
    case other
}

/// A question analysed for retrieval: its content terms (the same French analysis as the index), the
/// question type and, for quel-questions, the noun naming what is wanted.
public struct Query: Sendable {
    public let text: String
    /// Every token of the question, stopwords included.
    public let tokens: [Token]
    /// Content terms in order of first appearance, without stopwords and interrogatives.
    public let terms: [String]
    /// Every word of the question but stopwords and interrogatives, in order of first appearance: what plain
    /// `bm25` mode searches, untouched by the finer sorting of `terms` (compound prepositions, pronouns).
    public let plainTerms: [String]
    /// Stopwords and framing verbs of the question (not interrogatives): scored by their own idf, never searched alone.
    public let functionTerms: [String]
    /// Terms of hyphenated compounds (`kaifu` for Kai-Fu), and of their parts (`kai`, `fu`): one written word
    /// that the analysis turns into several terms.
    public let compoundTerms: Set<String>
    public let compoundPartTerms: Set<String>
    /// How often each content term appears in the question.
    public let termCounts: [String: Int]
    public let type: QuestionType
    /// For `quel(le)(s) NOUN` questions, NOUN's stem.
    public let focus: String?
    /// What the lexicon says of each content term (keyed by term; the first word written with it): lemmas,
    /// part of speech, proper noun. Empty when the query was built without a lexicon.
    public let lexical: [String: QueryTerm]
    /// Whether the terms were translated from a question in another language (see `QueryTranslator`): its
    /// unknown terms are then mostly words the bilingual dictionary lacks, not words the articles lack.
    public let isTranslated: Bool

    /// Nouns after quel that ask for a quantity, a date, a place or a person (stemmed when first used).
    static let quantityNouns = stems("pourcentage nombre taux part montant somme quantité proportion chiffre coût prix rang place superficie surface population taille durée âge effectif")
    static let dateNouns = stems("date année jour mois période époque saison")
    static let placeNouns = stems("pays ville lieu endroit région capitale école continent territoire")
    static let personNouns = stems("ministre président personne chercheur dirigeant fondateur auteur premier membre organisation institution")
    /// Nouns that only announce the real focus (`quel type de société`): skipped when reading the focus.
    static let lightNouns = stems("type genre sorte forme nature espèce catégorie")

    static func stems(_ words: String) -> Set<String> {
        let analyzer = FrenchAnalyzer()
        return Set(Folding.words(words).compactMap { analyzer.terms($0).first })
    }

    /// `lexicon`: where content words get their lemma and part of speech (`QueryLexicon`); nil: none.
    public init(_ text: String, analyzer: FrenchAnalyzer = FrenchAnalyzer(), lexicon: (any LexicalLookup)? = nil) {
        self.text = text
        let tokens = analyzer.analyze(text)
        self.tokens = tokens
        var terms: [String] = []
        var counts: [String: Int] = [:]
        let prepositional = Self.prepositionalPositions(tokens)
        for t in tokens where !t.isStopword && !Self.isInterrogative(t) && !prepositional.contains(t.start)
            && !Self.isPronoun(t) {
            if counts[t.term] == nil { terms.append(t.term) }
            counts[t.term, default: 0] += 1
        }
        self.terms = terms
        var plain: [String] = []
        for t in tokens where !t.isStopword && !Self.isInterrogative(t) && !plain.contains(t.term) { plain.append(t.term) }
        self.plainTerms = plain
        var function: [String] = []
        // Framing verbs (`doit`, `veut`) and the nouns of compound prepositions (`au sujet de`) are scored as
        // function words: the text often repeats them next to the content word (« doit devenir »).
        for t in tokens where (t.isStopword && !Self.isInterrogative(t)) || Self.isFramingVerb(t) || Self.isPronoun(t)
            || (prepositional.contains(t.start) && t.kind != .compound) {
            if !function.contains(t.term) && counts[t.term] == nil { function.append(t.term) }
        }
        self.functionTerms = function
        self.termCounts = counts
        let compounds = tokens.filter { $0.kind == .compound }
        self.compoundTerms = Set(compounds.map(\.term))
        self.compoundPartTerms = Set(tokens.filter { t in
            t.kind != .compound && compounds.contains { $0.start <= t.start && t.end <= $0.end }
        }.map(\.term))
        (self.type, self.focus) = Self.readType(tokens)
        var lexical: [String: QueryTerm] = [:]
        if let lexicon {
            for t in tokens where counts[t.term] != nil && lexical[t.term] == nil && (t.kind == .word || t.kind == .compound) {
                lexical[t.term] = QueryTerm(surface: t.surface, term: t.term, entry: lexicon.entry(surface: t.surface))
            }
        }
        self.lexical = lexical
        self.isTranslated = false
    }

    /// Compound prepositions of French (folded, elided articles left out as the analysis drops them): their
    /// nouns (`sujet`, `matière`, `cadre`) say nothing of what a question is about.
    static let compoundPrepositions: [[String]] = [
        "au sujet de", "a propos de", "en matiere de", "au cours de", "en termes de", "au niveau de", "le cadre de",
        "en faveur de", "au sein de", "a partir de", "en raison de", "par rapport a", "a egard de", "au moyen de",
        "a aide de", "en vue de", "en depit de", "au lieu de", "en fonction de", "en cas de", "la suite de",
        "au profit de", "grace a", "face a", "au dela de", "en ce qui concerne", "vis a vis de",
    ].map { $0.split(separator: " ").map(String.init) }

    /// The start offsets of the words of the question's compound prepositions but their linking preposition
    /// (`de`, `du`, `des`, `à`, `au`… all count as the last word's).
    static func prepositionalPositions(_ tokens: [Token]) -> Set<Int> {
        let words = tokens.filter { $0.kind != .compound }
        let folded = words.map { Folding.fold($0.surface) }
        func link(_ w: String) -> String {
            switch w {
            case "du", "des", "d": return "de"
            case "au", "aux": return "a"
            default: return w
            }
        }
        var out = Set<Int>()
        for phrase in compoundPrepositions where phrase.count <= words.count {
            for start in 0...(words.count - phrase.count) {
                let matches = phrase.indices.allSatisfy { k in
                    k == phrase.count - 1 ? link(folded[start + k]) == link(phrase[k]) : folded[start + k] == phrase[k]
                }
                if matches { for k in 0..<(phrase.count - 1) { out.insert(words[start + k].start) } }
            }
        }
        return out
    }

    /// Demonstrative pronouns and prepositions Snowball's stop list lacks (`celui mis en service`, `vers quel
    /// modèle`): function words of a question. All are entries of Lucene's extended French stop list
    /// (`FrenchStopwords.luceneExtended`) but `envers` and `via`, prepositions of the same class.
    static let pronouns: Set<String> = ["celui", "celle", "ceux", "celles", "cela", "ceci", "ca", "vers", "chez",
                                        "sans", "sous", "contre", "parmi", "envers", "malgre", "durant", "via"]

    static func isPronoun(_ t: Token) -> Bool {
        t.kind == .word && pronouns.contains(Folding.fold(t.surface))
    }

    /// The terms of the question's words in order, repeats kept, without stopwords, interrogatives and joined
    /// compounds: where `FrenchEquivalents` looks for phrases.
    public var wordSequence: [String] {
        tokens.filter { !$0.isStopword && !Self.isInterrogative($0) && $0.kind != .compound }.map(\.term)
    }

    /// A modal or light verb of the question (`doit`, `veut`): scored as a function word.
    static func isFramingVerb(_ t: Token) -> Bool {
        t.kind == .word && QuestionWords.framingVerbs.contains(Folding.fold(t.surface))
    }

    static func isInterrogative(_ t: Token) -> Bool {
        t.kind == .word && QuestionWords.interrogatives.contains(Folding.fold(t.surface))
    }

    /// Reads the question type from the interrogative words near the start of the question.
    static func readType(_ tokens: [Token]) -> (QuestionType, String?) {
        let words = tokens.filter { $0.kind != .compound }
        let folded = words.map { Folding.fold($0.surface) }
        // Interrogatives usually stand in the first words ("En combien de temps", "Dans quels budgets", "À qui").
        for (i, w) in folded.enumerated() {
            switch w {
            case "combien": return (.quantity, nil)
            case "quand": return (.date, nil)
            case "pourquoi": return (.explanation, nil)
            case "comment" where i < 3: return (.explanation, nil)
            case "ou" where i < 2 && words[i].surface.lowercased() == "où": return (.place, nil)
            case "qui" where i < 3: return (.person, nil)
            case "quel", "quelle", "quels", "quelles", "lequel", "laquelle", "lesquels", "lesquelles":
                // The first content word after quel names what is wanted.
                var j = i + 1
                while j < words.count, words[j].isStopword || lightNouns.contains(words[j].term) { j += 1 }
                guard j < words.count else { return (.entity, nil) }
                let noun = words[j].term
                if quantityNouns.contains(noun) { return (.quantity, noun) }
                if dateNouns.contains(noun) { return (.date, noun) }
                if placeNouns.contains(noun) { return (.place, noun) }
                if personNouns.contains(noun) { return (.person, noun) }
                return (.entity, noun)
            default: continue
            }
        }
        return (.other, nil)
    }
}

/// Builds FTS5 MATCH expressions from analysed terms: each term double-quoted (inner quotes doubled) and
/// OR-ed, so user text never reaches MATCH raw and FTS5 syntax (`NEAR(`, `*`, `AND`, `:`) is inert.
public enum FTS5Pattern {
    /// `["minister", "ia"]` → `"minister" OR "ia"`; nil when there is no term.
    public static func anyOf(_ terms: [String]) -> String? {
        let quoted = terms.filter { !$0.isEmpty }.map(quote)
        return quoted.isEmpty ? nil : quoted.joined(separator: " OR ")
    }

    /// `["minister", "ia"]` → `"minister" AND "ia"`; nil when there is no term.
    public static func allOf(_ terms: [String]) -> String? {
        let quoted = terms.filter { !$0.isEmpty }.map(quote)
        return quoted.isEmpty ? nil : quoted.joined(separator: " AND ")
    }

    /// `term` as an FTS5 string: inner quotes doubled, NUL made a space (the statement's text ends at a NUL,
    /// which would leave the string unterminated; FTS5's tokenizer separates words at both alike).
    /// Works on scalars: a `"` followed by a combining mark is one Character, which a Character-based
    /// replacement would not double, leaving the string open.
    static func quote(_ term: String) -> String {
        var out = String.UnicodeScalarView()
        out.append("\"")
        for s in term.unicodeScalars {
            switch s {
            case "\"": out.append("\""); out.append("\"")
            case "\u{0}": out.append(" ")
            default: out.append(s)
            }
        }
        out.append("\"")
        return String(out)
    }
}
