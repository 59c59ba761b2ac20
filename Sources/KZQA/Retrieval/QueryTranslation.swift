import Foundation

/// One English word or phrase of a question and the French index terms that stand for it. All of them count
/// as one concept in BM25 (a structured query in Pirkola's sense: the concept's tf is the sum of its terms'
/// tf, its df the largest of theirs), so a word with ten translations does not weigh ten times.
public struct TranslatedConcept: Sendable, Equatable {
    /// How the French terms were found.
    public enum Source: String, Sendable, CaseIterable {
        /// A multi-word headword of the dictionary (`prime minister`).
        case phrase
        /// A one-word headword, by its spelling or its stem (`appointed` ~ `appoint`).
        case dictionary
        /// A name, acronym, number or word the articles write as in English (`Tokayev`, `2025`, `forum`).
        case passThrough = "pass-through"
        /// A spelling close to an index term (`digitalization` ~ `digitalis`, `AI` ~ `IA`).
        case spelling
        /// Nothing found: the term stands for a word the articles do not have.
        case unknown
    }

    /// The English words, as written.
    public var english: String
    public var source: Source
    /// French index terms, best first; the first one the index holds stands for the concept in `Query.terms`.
    public var terms: [String]
    /// The concept's weight against a word of a French question (1); spelling matches weigh their similarity.
    public var weight: Float
    /// The dictionary's translations behind `terms` (for `--explain`).
    public var translations: [String] = []

    /// The term that stands for the concept.
    public var representative: String { terms[0] }
}

/// An English question read for the French index: its concepts, and the question type and focus read from
/// its English interrogatives (`who` → person, `how many` → quantity, `which country` → place).
public struct QueryTranslation: Sendable {
    public var question: String
    public var concepts: [TranslatedConcept]
    public var type: QuestionType
    /// The representative term of the concept after `which`/`what`.
    public var focus: String?

    /// The share of the question's concepts found each way (source → share): evidence for answerability that the
    /// French path has no counterpart for — an English word found nowhere may be a gap of the small dictionary
    /// rather than a word the articles lack.
    public var sourceShares: [TranslatedConcept.Source: Double] {
        guard !concepts.isEmpty else { return [:] }
        var out: [TranslatedConcept.Source: Double] = [:]
        for c in concepts { out[c.source, default: 0] += 1 / Double(concepts.count) }
        return out
    }

    /// Each concept member → its concept's representative (what `Retriever` groups BM25 by).
    public var conceptOf: [String: String] {
        var out: [String: String] = [:]
        for c in concepts where c.source != .unknown {
            for t in c.terms where out[t] == nil { out[t] = c.representative }
        }
        return out
    }

    /// The French `Query` the rest of the engine ranks and answers with: the concepts' representatives as its
    /// terms. It has no tokens (the question's words are English).
    public var query: Query {
        Query(translated: question, terms: concepts.map(\.representative), type: type, focus: focus)
    }

    /// The searched terms: each concept's representative as the question's own word, its other terms as
    /// equivalents of it, at the concept's weight.
    public var expandedTerms: [ExpandedTerm] {
        var out: [ExpandedTerm] = [], seen = Set<String>()
        for c in concepts {
            for (i, t) in c.terms.enumerated() where seen.insert(t).inserted {
                out.append(ExpandedTerm(term: t, weight: c.weight, origin: i == 0 ? .question : .equivalent, of: c.representative))
            }
        }
        return out
    }
}

extension Query {
    /// A query made of already-analysed French terms (a translated question): no tokens, no function words.
    init(translated text: String, terms: [String], type: QuestionType, focus: String?) {
        self.text = text
        self.tokens = []
        var unique: [String] = [], counts: [String: Int] = [:]
        for t in terms {
            if counts[t] == nil { unique.append(t) }
            counts[t, default: 0] += 1
        }
        self.terms = unique
        self.plainTerms = unique
        self.functionTerms = []
        self.compoundTerms = []
        self.compoundPartTerms = []
        self.termCounts = counts
        self.type = type
        self.focus = focus
        self.lexical = [:]
        self.isTranslated = true
    }
}

/// Knobs of query translation.
public struct TranslationSettings: Sendable, Codable, Equatable {
    /// Longest phrase looked up as one headword.
    public var maxPhraseWords = 4
    /// Translations of one word kept (best first).
    public var maxTranslations = 6
    /// Smallest spelling similarity (1 − edit distance / longer length) for a spelling match.
    public var minimumSimilarity = 0.75
    /// Letters an index term must share at the start with the word for a spelling match.
    public var spellingPrefix = 4
    /// Words shorter than this get no spelling match, and translation terms no longer form.
    public var minimumSpellingLength = 5
    /// Letters an index term may add to a translation's term (of at least `minimumVariantBase` letters) and
    /// still stand for it.
    public var variantLength = 2
    public var minimumVariantBase = 6

    public init() {}
}

/// Translates an English question into weighted French index terms with the FreeDict dictionary:
/// multi-word headwords first, then each word by its spelling or stem; names, acronyms and numbers pass through;
/// a word the dictionary lacks is matched against the index vocabulary by spelling (`digitalization` ~
/// `digitalisation`, an acronym by its letters in another order: `AI` ~ `IA`) before it is left as unknown.
/// Only terms the index holds are kept, except for an unknown word, which stays to tell the answer layer that
/// part of the question is not in the articles.
public struct QueryTranslator {
    public let dictionary: TranslationDictionary
    public var settings = TranslationSettings()
    let english = EnglishAnalyzer()
    let french = FrenchAnalyzer()

    /// The English modal auxiliaries (Quirk et al., A Comprehensive Grammar of the English Language, §3.40), which
    /// the Snowball stop list lacks but which only frame a question.
    static let modals: Set<String> = ["will", "would", "shall", "should", "can", "could", "may", "might", "must"]

    /// Nouns that only announce the real focus (`what kind of fund`), as `Query.lightNouns` for French.
    static let lightNouns: Set<String> = ["kind", "type", "sort", "form"]
    /// The English cardinal numerals one to twelve, passed over when reading the focus (`which two countries`).
    static let numerals: Set<String> = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                        "eleven", "twelve"]

    public init(dictionary: TranslationDictionary) {
        self.dictionary = dictionary
    }

    public func translate(_ text: String, store: IndexStore) throws -> QueryTranslation {
        let tokens = english.analyze(text).filter { $0.kind != .compound }
        let compounds = english.analyze(text).filter { $0.kind == .compound }
        let frame = readFrame(tokens)
        var concepts: [TranslatedConcept] = []
        var conceptAt: [Int: Int] = [:]
        func isContent(_ i: Int) -> Bool {
            let t = tokens[i]
            return !t.isStopword && !frame.skipped.contains(i) && !(t.kind == .word && Self.modals.contains(t.term))
        }
        var i = 0
        while i < tokens.count {
            guard isContent(i) else { i += 1; continue }
            // 1. The longest multi-word headword starting here (its first and last words content words, or, for a
            // headword written exactly so, a last word that is a stop word: `according to`, `thanks to`).
            var matched = false
            for length in stride(from: min(settings.maxPhraseWords, tokens.count - i), through: 2, by: -1) {
                let span = i..<(i + length)
                let surface = span.map { tokens[$0].surface }.joined(separator: " ")
                var found = dictionary.lookup(surface: surface, stems: span.map { tokens[$0].term })
                if !isContent(span.upperBound - 1) {
                    let lower = Folding.lowercase(surface)
                    found = found.filter { $0.headword == lower }
                }
                guard let c = try concept(english: surface, candidates: found, source: .phrase, store: store) else { continue }
                for k in span { conceptAt[k] = concepts.count }
                concepts.append(c)
                i += length
                matched = true
                break
            }
            if matched { continue }
            // 2. One word.
            conceptAt[i] = concepts.count
            concepts.append(try word(tokens[i], first: i == frame.firstContent, compounds: compounds, store: store))
            i += 1
        }
        var focus: String?
        var type = frame.type
        if let f = frame.focusIndex, let c = conceptAt[f] {
            let concept = concepts[c]
            focus = concept.representative
            if type == .entity {
                let members = Set(concept.terms)
                if !members.isDisjoint(with: Query.quantityNouns) { type = .quantity }
                else if !members.isDisjoint(with: Query.dateNouns) { type = .date }
                else if !members.isDisjoint(with: Query.placeNouns) { type = .place }
                else if !members.isDisjoint(with: Query.personNouns) { type = .person }
            }
        }
        return QueryTranslation(question: text, concepts: concepts, type: type, focus: focus)
    }

    /// The concept of the first of `candidates` (headwords with their translations) whose translations the index
    /// holds, kept to the terms it holds; nil when it holds none.
    func concept(english: String, candidates: [(headword: String, translations: [String])], source: TranslatedConcept.Source,
                 store: IndexStore) throws -> TranslatedConcept? {
        for c in candidates {
            if let found = try concept(english: english, translations: c.translations, source: source, store: store) { return found }
        }
        return nil
    }

    /// The concept of translations `translations`, kept to the terms the index holds; nil when it holds none.
    func concept(english: String, translations: [String], source: TranslatedConcept.Source, store: IndexStore) throws -> TranslatedConcept? {
        var terms: [String] = [], used: [String] = []
        for t in translations.prefix(settings.maxTranslations) {
            // Every content word of a translation must be in the index (`entraîner des conséquences` is no
            // translation of `developing` in articles that never say `conséquences`).
            let analysed = french.terms(t)
            var held = try analysed.compactMap { try heldForm(of: $0, store: store) }
            // A one-word translation is a lemma (`vouloir`, `prendre`): the index may hold only other forms of it
            // (`veut`, `pris`), which Grammalecte's lexicon links to it at index time.
            if held.isEmpty, analysed.count == 1, !t.contains(" ") {
                held = try store.terms(ofLemma: Folding.fold(t), limit: 2).filter { !FrenchStopwords.snowball.contains($0) }
            }
            guard !held.isEmpty, held.count >= analysed.count else { continue }
            used.append(t)
            for h in held where !terms.contains(h) { terms.append(h) }
        }
        guard !terms.isEmpty else { return nil }
        return TranslatedConcept(english: english, source: source, terms: terms, weight: 1, translations: used)
    }

    /// The index term for a translation's term: itself, else the index's most frequent term that extends it by
    /// at most `variantLength` letters (a dictionary's base form stems shorter than the inflected forms the
    /// articles use: `étranger` → `etrang`, the articles' `étrangers` → `etranger`).
    func heldForm(of term: String, store: IndexStore) throws -> String? {
        if try isUsable(term, store: store) { return term }
        guard term.count >= settings.minimumVariantBase else { return nil }
        return try store.terms(withPrefix: term, limit: 4).first {
            $0.count <= term.count + settings.variantLength && !FrenchStopwords.snowball.contains($0)
        }
    }

    /// A term worth searching: held by the index and not a French stopword (`AI` must not match `ai`, a form of avoir).
    func isUsable(_ term: String, store: IndexStore) throws -> Bool {
        guard !FrenchStopwords.snowball.contains(term) else { return false }
        return try store.term(term) != nil
    }

    /// The concept of one English word.
    func word(_ token: Token, first: Bool, compounds: [Token], store: IndexStore) throws -> TranslatedConcept {
        // The word read as French: a name, a number, or a word both languages write alike.
        let asFrench = french.terms(token.surface)
        var passThrough = try asFrench.count == 1 && isUsable(asFrench[0], store: store) ? asFrench[0] : nil
        // A hyphenated word (`e-government`) passes through whole when the index holds it joined.
        if passThrough == nil, let c = compounds.first(where: { $0.start <= token.start && token.end <= $0.end }) {
            let joined = french.analyze(c.surface).first { $0.kind == .compound }?.term
            if let joined, try isUsable(joined, store: store) { passThrough = joined }
        }
        if token.kind == .number {
            return TranslatedConcept(english: token.surface, source: passThrough == nil ? .unknown : .passThrough,
                                     terms: [passThrough ?? token.term], weight: 1)
        }
        let isName = token.kind == .acronym || (!first && token.surface.unicodeScalars.first.map(Tokenizer.isUppercase) == true)
        let found = token.kind == .acronym ? [] : dictionary.lookup(surface: token.surface, stems: [token.term])
        if var c = try concept(english: token.surface, candidates: found, source: .dictionary, store: store) {
            // A capitalised word may be a name the articles keep (`Digital Bridge`): it joins the translations.
            if let p = passThrough, !c.terms.contains(p) {
                if isName { c.terms.insert(p, at: 0) } else { c.terms.append(p) }
            }
            return c
        }
        if let p = passThrough {
            return TranslatedConcept(english: token.surface, source: .passThrough, terms: [p], weight: 1)
        }
        if let (term, similarity) = try spellingMatch(token, store: store) {
            return TranslatedConcept(english: token.surface, source: .spelling, terms: [term], weight: Float(similarity))
        }
        return TranslatedConcept(english: token.surface, source: .unknown, terms: [asFrench.first ?? token.term], weight: 1)
    }

    /// The index term closest in spelling to the word (compared with its French stem), or, for an acronym,
    /// one written with the same letters in another order (`AI` ~ `ia`, `NATO` ~ `otan`), with its similarity.
    func spellingMatch(_ token: Token, store: IndexStore) throws -> (String, Double)? {
        let lower = Folding.stripDiacritics(Folding.lowercase(token.surface))
        if token.kind == .acronym {
            let letters = Array(lower)
            guard letters.count <= 5 else { return nil }
            var best: (String, Int)?
            for p in Self.permutations(letters) where String(p) != lower {
                let candidate = String(p)
                if try isUsable(candidate, store: store), let df = try store.term(candidate)?.df, df > (best?.1 ?? 0) {
                    best = (candidate, df)
                }
            }
            return best.map { ($0.0, 1) }
        }
        guard lower.count >= settings.minimumSpellingLength, let stem = french.terms(lower).first,
              stem.count >= settings.spellingPrefix else { return nil }
        var best: (String, Double)?
        for candidate in try store.terms(withPrefix: String(stem.prefix(settings.spellingPrefix)), limit: 200)
        where !FrenchStopwords.snowball.contains(candidate) {
            let similarity = 1 - Double(Self.editDistance(Array(stem), Array(candidate))) / Double(max(stem.count, candidate.count))
            if similarity >= settings.minimumSimilarity, similarity > (best?.1 ?? 0) { best = (candidate, similarity) }
        }
        return best
    }

    static func permutations(_ letters: [Character]) -> [[Character]] {
        guard letters.count > 1 else { return [letters] }
        var out: [[Character]] = []
        for (i, c) in letters.enumerated() {
            var rest = letters
            rest.remove(at: i)
            for p in permutations(rest) { out.append([c] + p) }
        }
        return out
    }

    /// Levenshtein distance.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count), current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// What the English interrogatives say: the question type, the position of the focus noun after
    /// `which`/`what`, the words that only ask (`many` in `how many`), and the first content word (a
    /// capital there is no sign of a name).
    func readFrame(_ tokens: [Token]) -> (type: QuestionType, focusIndex: Int?, skipped: Set<Int>, firstContent: Int?) {
        var skipped = Set<Int>()
        var type = QuestionType.other
        var focus: Int?
        let lower = tokens.map { Folding.lowercase($0.surface) }
        for (i, w) in lower.enumerated() where i < 4 && type == .other {
            switch w {
            case "who", "whom", "whose": type = .person
            case "when": type = .date
            case "where": type = .place
            case "why": type = .explanation
            case "how":
                if i + 1 < lower.count, ["many", "much", "long", "often", "big", "large", "old"].contains(lower[i + 1]) {
                    type = .quantity; skipped.insert(i + 1)
                } else {
                    type = .explanation
                }
            case "what", "which":
                var j = i + 1
                // `which two countries`, `what kind of fund`: the noun after numbers and light nouns.
                while j < tokens.count, j <= i + 3, tokens[j].kind == .number || Self.numerals.contains(lower[j])
                    || Self.lightNouns.contains(lower[j]) || (tokens[j].isStopword && j > i + 1) {
                    if Self.lightNouns.contains(lower[j]) { skipped.insert(j) }
                    j += 1
                }
                // `What is …`, `What will …` ask for a description; `which country` names what is wanted.
                if j < tokens.count, !tokens[j].isStopword, !Self.modals.contains(lower[j]) {
                    type = .entity; focus = j
                } else {
                    type = w == "which" ? .entity : .other
                }
            default: continue
            }
        }
        let firstContent = tokens.indices.first { !tokens[$0].isStopword && !skipped.contains($0) }
        return (type, focus, skipped, firstContent)
    }
}
