/// The finer kind of answer a question's wording asks for — the classic answer types of question answering,
/// below `QuestionType`: `Quel est le budget…` wants a sum of money, `Quelle part…` a share, `en mégawatts` a
/// measure in that unit, `En quelle année…` a year, `Combien de fonctionnaires…` a count. A sentence that holds
/// a number of another kind (a percent for a population, a date for an amount) does not answer.
///
/// It only weighs on the confidence of the answer, never on the ranking of passages or sentences.
public enum AnswerKind: Sendable, Equatable, CustomStringConvertible {
    /// A sum of money: a number with a currency (`2,2 milliards de dollars`, `5 €`, `140 milliards de tengués`).
    case money
    /// A share: a percent (`93 %`, `30 pour cent`) or a fraction word (`la moitié`).
    case percent
    /// A measure: a number followed by `unit` (the stem of the question's unit word, `megawatt`), or any
    /// quantity when the question names no unit (`Quelle est la puissance…`).
    case measure(unit: String?)
    /// A year: a four-digit year the question does not already give.
    case year
    /// A count of things: a number that is not a percent, a year, an ordinal or a sum of money.
    case count

    public var description: String {
        switch self {
        case .money: return "money"
        case .percent: return "percent"
        case .measure(let unit): return unit.map { "measure in \($0)" } ?? "measure"
        case .year: return "year"
        case .count: return "count"
        }
    }

    /// Currency words and codes, folded and without a plural `s` (`$` and `€` analyse to `dollar` and `euro`).
    static let currencies: Set<String> = ["dollar", "euro", "tenge", "tengue", "rouble", "yuan", "yen", "franc",
                                          "usd", "eur", "kzt", "rub", "cny"]
    /// Units of measure, folded and without a plural `s`; each may carry an SI prefix (`megawatt`, `kilometre`).
    static let units: Set<String> = ["metre", "watt", "wattheure", "octet", "bit", "tonne", "litre",
                                     "gramme", "hectare", "joule", "hertz", "baril", "km", "kg", "ha", "mw", "gw",
                                     "kw", "kwh", "mwh", "gwh", "twh"]
    static let siPrefixes = ["", "kilo", "mega", "giga", "tera", "peta", "exa", "milli", "micro", "nano", "centi", "hecto"]

    /// Nouns naming a sum of money when a singular `quel(le)` asks for them (stems). `valeur` and `chiffre`
    /// need a complement (`la valeur des actifs`, `chiffre d’affaires`); `prix` (also an award) and
    /// `investissement` (also a project) are left out.
    static let moneyNouns = Query.stems("budget coût montant somme revenu salaire dépense tarif")
    static let percentNouns = Query.stems("pourcentage part taux proportion")
    static let yearNouns = Query.stems("année an")
    static let countNouns = Query.stems("nombre population effectif")
    /// Nouns of a physical measure: the answer is a number, whatever its unit. `puissance` and `capacité`
    /// are left out: they are as often a power (`quelle puissance asiatique`) or an ability.
    static let measureNouns = Query.stems("superficie surface longueur distance vitesse poids hauteur altitude profondeur température débit")
    /// After `combien de`, these ask for a duration or a frequency, which takes many forms (`trois ans`,
    /// `depuis 2015`): no finer kind.
    static let timeNouns: Set<String> = ["temps", "fois", "an", "ans", "annee", "annees", "mois", "jour", "jours",
                                         "semaine", "semaines", "heure", "heures", "minute", "minutes", "siecle",
                                         "siecles", "decennie", "decennies"]
    /// Folded verb forms that, after `combien`, ask for a sum of money (`Combien coûtera…`, `Combien les ventes
    /// ont-elles rapporté…`): prefixes, then exact forms of verbs whose stems are too short to match safely.
    static let moneyVerbPrefixes = ["cout", "rapport", "depens", "invest", "financ"]
    static let moneyVerbForms: Set<String> = ["vaut", "valent", "valait", "valaient", "vaudra", "vaudront", "valu",
                                              "paye", "payes", "payee", "payees", "payer", "paie", "paient", "paiera"]
    /// Fraction words that state a share (folded).
    static let fractions: Set<String> = ["moitie", "tiers", "quart", "quarts", "majorite"]
    /// Number words of magnitude, which state an amount by themselves (`des milliards de dollars`).
    static let magnitudes: Set<String> = ["cent", "cents", "mille", "million", "millions", "milliard", "milliards",
                                          "billion", "billions"]

    /// `w` folded (lowercase, no accents), without a final plural `s` or `x`.
    static func singular(_ w: String) -> String {
        let f = Folding.fold(w)
        return f.count > 2 && (f.hasSuffix("s") || f.hasSuffix("x")) ? String(f.dropLast()) : f
    }

    static func isCurrency(_ t: Token) -> Bool {
        currencies.contains(singular(t.surface)) || (t.kind == .symbol && currencies.contains(t.term))
    }

    static func isUnit(_ t: Token) -> Bool {
        let w = singular(t.surface)
        return siPrefixes.contains { p in w.hasPrefix(p) && units.contains(String(w.dropFirst(p.count))) }
    }

    /// A year as French writes it: four digits from 1000 to 2199 with no thousands separator (`1 700 membres`
    /// is a count).
    static func isYear(_ t: Token) -> Bool {
        SentenceScorer.isYear(t) && t.surface.utf8.count == 4
    }

    /// True when `next` follows `previous` in `text` with only an elided `d’` between them (`combien d’étudiants`).
    static func elidedDe(_ text: String, from previous: Token, to next: Token) -> Bool {
        let bytes = Array(text.utf8)
        guard previous.end <= next.start, next.start <= bytes.count else { return false }
        let between = Folding.fold(String(decoding: bytes[previous.end..<next.start], as: UTF8.self))
            .filter { !$0.isWhitespace }
        return between == "d'"
    }

    /// The kind of answer `query` asks for, and the stem of the word naming what is counted or priced
    /// (`fonctionnair` in `Combien de fonctionnaires…`, `cout` in `Combien coûtera…`, the focus of a
    /// quel-question); `(nil, nil)` when the wording says nothing finer than the question type.
    public static func read(_ query: Query) -> (kind: AnswerKind?, subject: String?) {
        let words = query.tokens.filter { $0.kind != .compound }
        let folded = words.map { Folding.fold($0.surface) }
        // A unit the answer is to be given in (`en dollars`, `en mégawatts`), unless the question asks for a
        // person, a place, a date or a reason.
        if ![.person, .place, .date, .explanation].contains(query.type) {
            for i in words.indices.dropLast() where folded[i] == "en" {
                if isCurrency(words[i + 1]) { return (.money, query.focus) }
                if isUnit(words[i + 1]) { return (.measure(unit: words[i + 1].term), query.focus) }
            }
        }
        if let c = folded.firstIndex(of: "combien"), c + 1 < words.count {
            var n = c + 1
            if folded[n] == "de" { n += 1 }
            if n < words.count, n > c + 1 || elidedDe(query.text, from: words[c], to: words[n]) {
                let noun = words[n]
                if folded[n] == "pour", n + 1 < words.count, folded[n + 1] == "cent" { return (.percent, nil) }
                if isCurrency(noun) || folded[n] == "argent" { return (.money, noun.term) }
                if isUnit(noun) { return (.measure(unit: noun.term), noun.term) }
                if timeNouns.contains(folded[n]) || noun.kind == .number || noun.kind == .symbol { return (nil, nil) }
                return (.count, noun.term)
            }
            // `Combien coûtera…`, `À combien s’élève le budget…`.
            for i in (c + 1)..<words.count where moneyVerbForms.contains(folded[i]) || moneyVerbPrefixes.contains(where: folded[i].hasPrefix)
                || moneyNouns.contains(words[i].term) {
                return (.money, words[i].term)
            }
            return (nil, nil)
        }
        // A singular quel(le) + noun: plural `quels budgets`, `quelles valeurs` ask which ones, not how much.
        guard let focus = query.focus, let q = folded.firstIndex(where: { ["quel", "quelle", "quels", "quelles"].contains($0) }),
              !folded[q].hasSuffix("s"), let f = words[(q + 1)...].firstIndex(where: { $0.term == focus && !$0.isStopword }) else { return (nil, nil) }
        let complement = f + 1 < words.count ? folded[f + 1] : ""
        let hasComplement = ["de", "du", "des"].contains(complement) || (f + 1 < words.count && elidedDe(query.text, from: words[f], to: words[f + 1]))
        if moneyNouns.contains(focus) { return (.money, focus) }
        if folded[f] == "valeur", hasComplement { return (.money, focus) }
        if folded[f] == "chiffre", complement == "affaires" { return (.money, focus) }
        if percentNouns.contains(focus) { return (.percent, focus) }
        if yearNouns.contains(focus) { return (.year, focus) }
        if countNouns.contains(focus) { return (.count, focus) }
        if measureNouns.contains(focus) { return (.measure(unit: nil), focus) }
        return (nil, focus)
    }

    /// True when `sentence` holds an answer of this kind that the question (`questionTerms`) does not already give.
    public func isMet(by sentence: [Token], questionTerms: Set<String>) -> Bool {
        let words = sentence.filter { $0.kind != .compound }
        let folded = words.map { Folding.fold($0.surface) }
        func isNumber(_ i: Int) -> Bool { words[i].kind == .number && !questionTerms.contains(words[i].term) }
        func isAmount(_ i: Int) -> Bool { isNumber(i) || (words[i].kind == .word && Self.magnitudes.contains(folded[i])) }
        func isPercentSign(_ i: Int) -> Bool {
            i < words.count && ((words[i].kind == .symbol && words[i].term == "pourcent") || folded[i] == "pourcent"
                                || (folded[i] == "pour" && i + 1 < words.count && folded[i + 1] == "cent"))
        }
        func isMoney(_ i: Int) -> Bool {
            guard isAmount(i) else { return false }
            if i > 0, Self.isCurrency(words[i - 1]) { return true }  // `$ 5`, `USD 5 millions`
            return words[(i + 1)..<min(words.count, i + 5)].contains(where: Self.isCurrency)
        }
        func isOrdinal(_ i: Int) -> Bool { words[i].term.contains { $0.isLetter } }
        switch self {
        case .year:
            return words.contains { Self.isYear($0) && !questionTerms.contains($0.term) }
        case .percent:
            return words.indices.contains { i in
                (isNumber(i) && isPercentSign(i + 1))
                    || (Self.fractions.contains(folded[i]) && !questionTerms.contains(words[i].term))
            }
        case .money:
            return words.indices.contains(where: isMoney)
        case .measure(let unit):
            guard let unit else { return SentenceScorer.hasQuantity(sentence, questionTerms: questionTerms) }
            return words.indices.contains { i in
                isNumber(i) && words[(i + 1)..<min(words.count, i + 4)].contains { $0.term == unit }
            }
        case .count:
            return words.indices.contains { i in
                if words[i].kind == .word {
                    // `cent` of `pour cent` is a percent.
                    return SentenceScorer.numberWords.contains(folded[i]) && !Self.fractions.contains(folded[i])
                        && !(i > 0 && isPercentSign(i - 1)) && !questionTerms.contains(words[i].term) && !isMoney(i)
                }
                guard isNumber(i), !isOrdinal(i), !isPercentSign(i + 1), !isMoney(i) else { return false }
                let next = i + 1 < words.count ? words[i + 1] : nil
                if next.map({ SentenceScorer.dateWords.contains(Folding.fold($0.surface)) }) ?? false { return false }
                if i > 0, SentenceScorer.monthWords.contains(folded[i - 1]) { return false }
                // A year-like number counts things when a common noun follows (`2000 participants`), not a name,
                // a stopword or nothing (`en 2024, le forum…`).
                guard Self.isYear(words[i]) else { return true }
                guard let next, next.kind == .word, !next.isStopword else { return false }
                return !(next.surface.unicodeScalars.first?.properties.isUppercase ?? true)
            }
        }
    }
}
