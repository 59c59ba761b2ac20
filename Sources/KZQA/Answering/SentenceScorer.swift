/// Features and score of one candidate answer sentence, as pure functions of its tokens and the question.
public enum SentenceScorer {
    /// French month names (folded): the calendar.
    static let months: Set<String> = ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
                                      "septembre", "octobre", "novembre", "decembre"]
    /// English month names (lowercased; CLDR's English Gregorian calendar, wide forms): the articles' bibliography
    /// entries date their sources in English (`(2025, August 11)`).
    static let englishMonths: Set<String> = ["january", "february", "march", "april", "may", "june", "july",
                                             "august", "september", "october", "november", "december"]
    /// Month names of either language: a number beside one is the day of a month, not a count.
    static let monthWords: Set<String> = months.union(englishMonths)
    /// Month names of either language and seasons (folded): signs that a sentence dates something.
    static let dateWords: Set<String> = monthWords.union(["ete", "hiver", "printemps", "automne"])
    /// French number words (folded) that state a quantity without digits.
    static let numberWords: Set<String> = ["deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
                                           "onze", "douze", "quinze", "vingt", "trente", "quarante", "cinquante",
                                           "soixante", "cent", "cents", "mille", "million", "millions", "milliard",
                                           "milliards", "dizaine", "dizaines", "douzaine", "centaine", "centaines",
                                           "millier", "milliers", "moitie", "tiers", "quart", "double", "triple"]
    /// Lowercase words allowed inside a name (`Centre for Artificial Intelligence`, `Fonds d’Actifs Numériques`).
    static let nameConnectors: Set<String> = ["de", "du", "des", "d", "la", "le", "l", "of", "for", "the", "and", "pour"]

    /// Share of the question's idf mass present in the sentence: `Σ idf(t ∈ q ∩ s) / Σ idf(t ∈ q)`; a missing
    /// term may still count for `partialCredit(t)` of its weight (a variant or synonym of it is there).
    /// `coverage(question: ["a", "b"], sentence: ["a"], idf: ["a": 3, "b": 1])` → 0.75.
    public static func coverage(question: [String], sentence: Set<String>, idf: [String: Double],
                                partialCredit: (String) -> Double = { _ in 0 }) -> Double {
        var total = 0.0, found = 0.0
        for t in question {
            let w = idf[t] ?? 0
            total += w
            found += sentence.contains(t) ? w : w * partialCredit(t)
        }
        return total > 0 ? found / total : 0
    }

    /// A 4-digit number from 1000 to 2199 written without a group separator: a year, which dates rather than
    /// counts (`1 200 baguettes` is a count: French groups thousands, never a year's digits).
    static func isYear(_ t: Token) -> Bool {
        t.kind == .number && t.term.count == 4 && t.surface.utf8.count == 4
            && (Int(t.term).map { (1000...2199).contains($0) } ?? false)
    }

    /// True when the sentence states a quantity the question does not already state: digits that are not a
    /// year or a day of a month (`11 août`, `August 11`), a percent, or a number word.
    public static func hasQuantity(_ tokens: [Token], questionTerms: Set<String>) -> Bool {
        for (i, t) in tokens.enumerated() where !questionTerms.contains(t.term) {
            if t.kind == .symbol { return true }
            if t.kind == .number {
                if isYear(t) { continue }
                let next = i + 1 < tokens.count ? Folding.fold(tokens[i + 1].surface) : ""
                let previous = i > 0 ? Folding.fold(tokens[i - 1].surface) : ""
                if dateWords.contains(next) || monthWords.contains(previous) { continue }
                return true
            }
            if t.kind == .word, numberWords.contains(Folding.fold(t.surface)) { return true }
        }
        return false
    }

    /// True when the sentence holds a date the question does not: a month or season, or a year.
    public static func hasDate(_ tokens: [Token], questionTerms: Set<String>) -> Bool {
        tokens.contains { t in
            !questionTerms.contains(t.term) && (isYear(t) || dateWords.contains(Folding.fold(t.surface)))
        }
    }

    /// Names in the sentence: runs of capitalised words (lowercase connectors such as `de`, `for` allowed
    /// inside), not counting the sentence's first word alone. Each name is the list of its tokens' terms.
    public static func names(_ tokens: [Token]) -> [[String]] {
        let words = tokens.filter { $0.kind != .compound }
        var out: [[String]] = []
        var current: [String] = []
        var pendingConnectors = 0
        for (i, t) in words.enumerated() {
            let capital = t.surface.unicodeScalars.first?.properties.isUppercase ?? false
            if capital && !(i == 0 && words.count > 1 && !(words[1].surface.unicodeScalars.first?.properties.isUppercase ?? false)) {
                current.append(t.term)
                pendingConnectors = 0
            } else if !current.isEmpty, nameConnectors.contains(Folding.fold(t.surface)), pendingConnectors == 0 {
                pendingConnectors += 1
            } else {
                if !current.isEmpty { out.append(current) }
                current = []
                pendingConnectors = 0
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// True when the sentence names someone or something the question does not mention: a name none of
    /// whose words is in the question, which is not a bare acronym, and which has at least one word that is
    /// not an ordinary dictionary word (`Zhaslan Madiyev` is a name; `Développement Numérique` is not).
    public static func hasNewName(_ tokens: [Token], questionTerms: Set<String>,
                                  isDictionaryWord: (String) -> Bool = { _ in false }) -> Bool {
        let acronyms = Set(tokens.filter { $0.kind == .acronym }.map(\.term))
        return names(tokens).contains { name in
            !name.contains(where: questionTerms.contains) && !name.allSatisfy(acronyms.contains)
                && !name.allSatisfy(isDictionaryWord)
        }
    }

    /// How much the sentence looks like it names a person the question does not mention: 1 for a name with two
    /// capitalised words in a row that are not dictionary words (`Zhaslan Madiyev`, `Kassym-Jomart Tokaïev`),
    /// 0.5 for a name with one such word (`Lee`, `Euronews`), 0 otherwise.
    public static func personName(_ tokens: [Token], questionTerms: Set<String>,
                                  isDictionaryWord: (String) -> Bool = { _ in false }) -> Double {
        let acronyms = Set(tokens.filter { $0.kind == .acronym }.map(\.term))
        var best = 0.0
        for name in names(tokens) where !name.contains(where: questionTerms.contains) {
            let proper = name.map { !isDictionaryWord($0) && !acronyms.contains($0) }
            if zip(proper, proper.dropFirst()).contains(where: { $0 && $1 }) { return 1 }
            if proper.contains(true) { best = 0.5 }
        }
        return best
    }

    /// 1 when the sentence holds the kind of thing the question type asks for (and that the question itself
    /// does not already hold), 0 when it does not; 0.5 for question types with no visible sign.
    public static func typeMatch(_ type: QuestionType, sentence: [Token], question: Query,
                                 isDictionaryWord: (String) -> Bool = { _ in false }) -> Double {
        typeMatch(type, sentence: sentence, questionTerms: Set(question.tokens.map(\.term)),
                  isDictionaryWord: isDictionaryWord)
    }

    /// `typeMatch` with the terms of the question's tokens given, so that a caller scoring many sentences
    /// for one question builds that set once.
    public static func typeMatch(_ type: QuestionType, sentence: [Token], questionTerms: Set<String>,
                                 isDictionaryWord: (String) -> Bool = { _ in false }) -> Double {
        switch type {
        case .quantity: return hasQuantity(sentence, questionTerms: questionTerms) ? 1 : 0
        case .date: return hasDate(sentence, questionTerms: questionTerms) ? 1 : 0
        case .person:
            return personName(sentence, questionTerms: questionTerms, isDictionaryWord: isDictionaryWord)
        case .place:
            return hasNewName(sentence, questionTerms: questionTerms, isDictionaryWord: isDictionaryWord) ? 1 : 0
        case .entity, .explanation, .other: return 0.5
        }
    }

    /// Share of the question's word pairs (adjacent terms, stopwords included, interrogatives and compounds
    /// left out) that stand next to each other in the sentence too: phrases such as « matières premières » or
    /// « doit devenir » carried over from the text into the question.
    /// `phraseOverlap(question: ["a", "b", "c"], sentence: ["x", "a", "b"])` → 0.5.
    /// `alternatives` gives close forms a question term may take in the text (variants, acronym expansions):
    /// « ministère de l’IA » then meets « ministre de l’Intelligence artificielle ».
    public static func phraseOverlap(question: [String], sentence: [String], content: Set<String>? = nil,
                                     alternatives: [String: Set<String>] = [:]) -> Double {
        QuestionPhrases(question: question, content: content, alternatives: alternatives).overlap(sentence: sentence)
    }

    /// The question side of `phraseOverlap`, built once per question: the forms of its words and the word
    /// pairs that count. `overlap(sentence:)` then only walks the sentence.
    public struct QuestionPhrases: Sendable {
        let question: [String]
        let alternatives: [String: Set<String>]
        /// Every form of a question word: the words themselves and their alternatives.
        let forms: Set<String>
        /// The indices `i` of the pairs `question[i - 1], question[i]` that count.
        let pairs: [Int]

        public init(question: [String], content: Set<String>? = nil, alternatives: [String: Set<String>] = [:]) {
            self.question = question
            self.alternatives = alternatives
            var forms = Set(question)
            for t in question { if let a = alternatives[t] { forms.formUnion(a) } }
            self.forms = forms
            // With `content`, only pairs holding at least one content term count (« de la » says nothing).
            self.pairs = question.count < 2 ? [] : (1..<question.count).filter { i in
                content.map { $0.contains(question[i - 1]) || $0.contains(question[i]) } ?? true
            }
        }

        /// Share of the counted pairs that stand next to each other in `sentence` (its terms, compounds left out).
        public func overlap(sentence: [String]) -> Double {
            guard question.count >= 2, !pairs.isEmpty else { return 0 }
            func isForm(_ word: String, of t: String) -> Bool { word == t || (alternatives[t]?.contains(word) ?? false) }
            // Only where a sentence word and the one before it are both forms of question words can a pair
            // stand: one set lookup per sentence word, and no joined strings.
            var ends: [Int] = []
            var previous = false
            for (k, word) in sentence.enumerated() {
                let form = forms.contains(word)
                if form && previous { ends.append(k) }
                previous = form
            }
            guard !ends.isEmpty else { return 0 }
            var found = 0
            for i in pairs where ends.contains(where: { isForm(sentence[$0], of: question[i]) && isForm(sentence[$0 - 1], of: question[i - 1]) }) {
                found += 1
            }
            return Double(found) / Double(pairs.count)
        }
    }

    /// Share of the sentence's content terms that the question does not contain: a sentence that only
    /// repeats the question has nothing to tell.
    public static func novelty(sentence: [String], question: Set<String>) -> Double {
        guard !sentence.isEmpty else { return 0 }
        return Double(sentence.filter { !question.contains($0) }.count) / Double(sentence.count)
    }
}
