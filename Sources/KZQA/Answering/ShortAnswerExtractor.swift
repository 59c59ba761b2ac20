import Foundation

/// A candidate answer span inside one sentence: a run of words between two punctuation marks, with the
/// features the span model scores.
public struct SpanCandidate: Sendable, Equatable {
    /// Byte offsets in the sentence's text.
    public var start: Int
    public var end: Int
    public var text: String
    /// Index of the first and one past the last word of the span in the sentence's words.
    public var firstWord: Int
    public var endWord: Int
    /// The base features (`ShortAnswerExtractor.baseFeatureNames`) and the question type's group
    /// (`ShortAnswerExtractor.typeGroups`).
    public var baseFeatures: [Double]
    public var group: Int
    public var score = 0.0

    /// The features as the span model sees them: the base features in the shared copy and in the copy of the
    /// question type's group, zeros elsewhere.
    public var features: [Double] {
        let base = baseFeatures.count
        var out = [Double](repeating: 0, count: base * (ShortAnswerExtractor.typeGroups.count + 1))
        for k in 0..<base {
            out[k] = baseFeatures[k]
            out[base * (group + 1) + k] = baseFeatures[k]
        }
        return out
    }
}

/// The span model folded for one question type's group: since a candidate's features are zero outside the shared
/// copy and its group's, `σ(bias + Σ wᵢ(xᵢ − mᵢ)/sᵢ)` is `σ(constant + Σₖ coefficientₖ·fₖ)` over the base features
/// alone, with `constant = bias − Σᵢ wᵢmᵢ/sᵢ` and `coefficientₖ = wₖ/sₖ + w_gₖ/s_gₖ`: the same probability for a
/// fortieth of the multiplications.
public struct FoldedSpanModel: Sendable, Equatable {
    public var constant: Double
    public var coefficients: [Double]

    public init(_ model: LogisticModel, group: Int, base: Int) {
        var constant = model.bias
        for i in model.weights.indices { constant -= model.weights[i] * model.means[i] / model.scales[i] }
        self.constant = constant
        coefficients = (0..<base).map { k in
            var c = 0.0
            for i in [k, base * (group + 1) + k] where i < model.weights.count { c += model.weights[i] / model.scales[i] }
            return c
        }
    }

    public func probability(_ base: [Double]) -> Double {
        var z = constant
        for k in coefficients.indices where k < base.count { z += coefficients[k] * base[k] }
        return LogisticModel.sigmoid(z)
    }
}

/// Singles out the exact answer of a question inside a sentence, the way an extractive reader does: every run
/// of one to `maxWords` words that stays inside a clause (no comma, colon, bracket or quotation mark inside),
/// does not start or end on a stop word or on a question word (the focus noun excepted) and is not made of the
/// question's own words is a candidate; a logistic
/// model over named features, one copy of them for each question type (a name for qui, a number for combien,
/// a date for quand…), scores them; the best one is the short answer. The features are pure functions of the
/// tokens, and the weights are fitted by `kzqa calibrate` on the training questions (see `FittedModels`).
public struct ShortAnswerExtractor: Sendable {
    public var model: LogisticModel
    /// Longest span considered, in words.
    public var maxWords: Int

    public init(model: LogisticModel = FittedModels.span, maxWords: Int = 12) {
        self.model = model
        self.maxWords = maxWords
    }

    /// Names of the base features, in order; the model sees them once per question type (`typeGroups`).
    public static let baseFeatureNames = [
        "question_word_share", "holds_question_word", "words_log", "one_word", "capitalised_share",
        "name_not_first", "number", "year", "month", "currency_or_percent", "magnitude_word", "distance_to_match",
        "next_to_match", "after_focus", "whole_clause", "clause_start", "clause_end", "after_preposition",
        "in_quotation", "after_verb_que", "position_in_sentence", "before_match", "sentence_first_word",
        "name_share", "starts_with_number", "number_then_noun", "two_words", "three_to_five_words",
        "after_de", "after_a_en_dans",
        "first_name_share", "proper_noun_share", "capitalised_noun_share", "unknown_capitalised_share",
        "starts_with_verb", "verb_share", "starts_with_focus", "starts_with_question_word", "ends_on_question_word",
        "name_continues_left", "name_continues_right", "unit_left_out", "in_parentheses",
        "clause_match_share",
    ]

    /// The question types each owning a copy of the base features.
    public static let typeGroups: [QuestionType] = [.quantity, .person, .date, .place, .entity, .explanation, .other]

    public static var featureCount: Int { baseFeatureNames.count * (typeGroups.count + 1) }

    /// Feature names as the model sees them: the shared copy, then `type:name` for each type group.
    public static var featureNames: [String] {
        baseFeatureNames + typeGroups.flatMap { g in baseFeatureNames.map { "\(g.rawValue):\($0)" } }
    }

    /// Prepositions that introduce a place, a time or a recipient (folded).
    static let prepositions: Set<String> = ["a", "au", "aux", "en", "dans", "de", "du", "des", "par", "pour", "sur",
                                            "vers", "depuis", "chez", "entre", "avec"]
    /// Bytes that end a clause for span purposes: , ; : ( ) [ ] " and the first bytes of « » “ ” – —.
    static func isBoundary(_ text: [UInt8], from: Int, to: Int) -> Bool {
        guard from < to else { return false }
        var i = from
        while i < to {
            let b = text[i]
            switch b {
            case 0x2C, 0x3B, 0x3A, 0x28, 0x29, 0x5B, 0x5D, 0x22, 0x2E, 0x21, 0x3F: return true
            case 0xC2 where i + 1 < to && (text[i + 1] == 0xAB || text[i + 1] == 0xBB): return true
            case 0xE2 where i + 2 < to && text[i + 1] == 0x80 && [0x9C, 0x9D, 0x93, 0x94].contains(text[i + 2]): return true
            default: break
            }
            i += 1
        }
        return false
    }

    /// The candidates of one sentence (`text`, its `tokens` as `FrenchAnalyzer` gives them) for `query`,
    /// with their features; `closeForms` gives variants of question terms the text may use.
    /// `isDictionaryWord` tells an ordinary word of the language from a name (by its stem); `wordClass` gives
    /// the name class of a written form (see `Lexicon.wordClass`).
    public func candidates(text: String, tokens: [Token], query: Query,
                           closeForms: [String: Set<String>] = [:],
                           isDictionaryWord: (String) -> Bool = { _ in false },
                           wordClass: (String) -> WordClass = { _ in .ordinary }) -> [SpanCandidate] {
        let words = tokens.filter { $0.kind != .compound }
        // A part of a hyphenated name takes the name's class (`États-Unis` is a country, `Unis` alone a verb).
        let compounds = tokens.filter { $0.kind == .compound }.map { ($0, wordClass($0.surface)) }.filter { $0.1.name != .ordinary }
        let classes = words.map { w in
            compounds.first { $0.0.start <= w.start && w.end <= $0.0.end }?.1 ?? wordClass(w.surface)
        }
        guard !words.isEmpty else { return [] }
        let bytes = Array(text.utf8)
        // The question's terms (a translated question has no tokens: its French terms only), and their variants.
        let questionTerms = Set(query.tokens.filter { !$0.isStopword }.map(\.term)).union(query.terms)
            .union(query.terms.flatMap { closeForms[$0] ?? [] })
        let isQuestionWord = words.map { !$0.isStopword && questionTerms.contains($0.term) }
        let matched = words.indices.filter { isQuestionWord[$0] }
        let folded = words.map { Folding.fold($0.surface) }
        // Clause of each word: a new clause starts after a boundary mark.
        var clause = [Int](repeating: 0, count: words.count)
        for i in words.indices.dropFirst() {
            clause[i] = clause[i - 1] + (Self.isBoundary(bytes, from: words[i - 1].end, to: words[i].start) ? 1 : 0)
        }
        let clauseStart = Dictionary(grouping: words.indices, by: { clause[$0] }).mapValues { $0.min() ?? 0 }
        let clauseEnd = Dictionary(grouping: words.indices, by: { clause[$0] }).mapValues { ($0.max() ?? 0) + 1 }
        // Quotation marks and parentheses open and close: which words stand inside « … » and inside ( … ) (an
        // aside: a source and its date, a translation, an example).
        var quoted = [Bool](repeating: false, count: words.count)
        var bracketed = quoted
        var inside = false, depth = 0, last = 0
        for i in words.indices {
            let gap = String(decoding: bytes[last..<words[i].start], as: UTF8.self)
            for ch in gap {
                if ch == "«" || ch == "“" { inside = true }
                if ch == "»" || ch == "”" { inside = false }
                if ch == "(" { depth += 1 }
                if ch == ")" { depth = max(0, depth - 1) }
            }
            quoted[i] = inside
            bracketed[i] = depth > 0
            last = words[i].end
        }
        let focusPositions = query.focus.map { f in words.indices.filter { words[$0].term == f } } ?? []
        // Word tests the spans share, made once a word instead of once a span holding it.
        // A capital marks a name, except the one that opens the sentence on a word the dictionary knows
        // (`Enfin`, `Le`): French capitalises every sentence's first word.
        let capitalAt = words.indices.map { i in
            (words[i].surface.unicodeScalars.first?.properties.isUppercase ?? false) && (i > 0 || classes[i].name != .ordinary)
        }
        func capital(_ i: Int) -> Bool { capitalAt[i] }
        let yearAt = words.map(SentenceScorer.isYear)
        let monthAt = folded.map(SentenceScorer.months.contains)
        let moneyAt = words.map { $0.kind == .symbol || AnswerKind.isCurrency($0) }
        let magnitudeAt = folded.map(AnswerKind.magnitudes.contains)
        // A figure in digits or in words (`trois ans`: the lexicon's cardinal numbers).
        let figureAt = words.indices.map { words[$0].kind == .number || classes[$0].isNumeral }
        let unknownNameAt = words.indices.map { !words[$0].isStopword && capitalAt[$0] && $0 > 0 && !isDictionaryWord(words[$0].term) }
        let group = Self.typeGroups.firstIndex(of: query.type) ?? (Self.typeGroups.count - 1)
        let base = Self.baseFeatureNames.count
        var out: [SpanCandidate] = []
        for i in words.indices where !words[i].isStopword {
            var j = i
            while j < words.count, j - i < maxWords, clause[j] == clause[i] {
                defer { j += 1 }
                guard !words[j].isStopword else { continue }
                let span = i...j
                let n = Double(span.count)
                var questionWords = 0
                for k in span where isQuestionWord[k] { questionWords += 1 }
                let questionShare = Double(questionWords) / n
                guard questionShare < 1 else { continue }
                // A span neither opens nor closes on a word of the question (that is the sentence restating it),
                // the focus noun excepted: « budgets national et local » answers « dans quels budgets ».
                guard !isQuestionWord[i] || words[i].term == query.focus,
                      !isQuestionWord[j] || words[j].term == query.focus else { continue }
                let contentWords = span.filter { !words[$0].isStopword }
                let capitalShare = Double(contentWords.filter(capital).count) / Double(max(1, contentWords.count))
                // The distance in words from the span to the nearest question word outside it.
                var distance: Int?
                for m in matched {
                    let d = m < i ? i - m : (m > j ? m - j : 0)
                    if d > 0, distance.map({ d < $0 }) ?? true { distance = d }
                }
                var f = [Double](repeating: 0, count: base)
                f[0] = questionShare
                f[1] = questionShare > 0 ? 1 : 0
                f[2] = log(n)
                f[3] = n == 1 ? 1 : 0
                f[4] = capitalShare
                f[5] = span.contains { $0 > 0 && capital($0) && !words[$0].isStopword } ? 1 : 0
                f[6] = span.contains { figureAt[$0] } ? 1 : 0
                f[7] = span.contains { yearAt[$0] } ? 1 : 0
                f[8] = span.contains { monthAt[$0] } ? 1 : 0
                f[9] = span.contains { moneyAt[$0] } ? 1 : 0
                f[10] = span.contains { magnitudeAt[$0] } ? 1 : 0
                f[11] = distance.map { min(Double($0), 20) / 20 } ?? 1
                f[12] = distance == 1 ? 1 : 0
                f[13] = focusPositions.contains { $0 < i && i - $0 <= 3 } ? 1 : 0
                f[14] = clauseStart[clause[i]] == i && clauseEnd[clause[i]] == j + 1 ? 1 : 0
                f[15] = clauseStart[clause[i]] == i ? 1 : 0
                f[16] = clauseEnd[clause[i]] == j + 1 ? 1 : 0
                f[17] = i > 0 && Self.prepositions.contains(folded[i - 1]) ? 1 : 0
                f[18] = span.allSatisfy { quoted[$0] } ? 1 : 0
                f[19] = i > 0 && (folded[i - 1] == "que" || folded[i - 1] == "qu") ? 1 : 0
                f[20] = Double(i) / Double(words.count)
                f[21] = matched.contains { $0 > j } ? 1 : 0
                f[22] = i == 0 ? 1 : 0
                f[23] = Double(contentWords.filter { unknownNameAt[$0] }.count)
                    / Double(max(1, contentWords.count))
                f[24] = figureAt[i] ? 1 : 0
                f[25] = span.contains { $0 < j && figureAt[$0] && words[$0 + 1].kind == .word && !figureAt[$0 + 1] } ? 1 : 0
                f[26] = n == 2 ? 1 : 0
                f[27] = n >= 3 && n <= 5 ? 1 : 0
                f[28] = i > 0 && ["de", "du", "des", "d"].contains(folded[i - 1]) ? 1 : 0
                f[29] = i > 0 && ["a", "au", "aux", "en", "dans"].contains(folded[i - 1]) ? 1 : 0
                func share(_ test: (Int) -> Bool) -> Double { Double(contentWords.filter(test).count) / Double(max(1, contentWords.count)) }
                f[30] = share { classes[$0].name == .personName }
                f[31] = share { classes[$0].name == .properNoun }
                f[32] = share { classes[$0].name == .capitalisedNoun }
                f[33] = share { classes[$0].name == .unknown && capital($0) }
                f[34] = classes[i].isVerb ? 1 : 0
                f[35] = share { classes[$0].isVerb }
                f[36] = query.focus.map { words[i].term == $0 } ?? false ? 1 : 0
                f[37] = isQuestionWord[i] ? 1 : 0
                f[38] = isQuestionWord[j] ? 1 : 0
                // A span that cuts a name or a figure short: the capitalised word just before or after it in the
                // same clause (`Jomart Tokaïev` of `Kassym-Jomart Tokaïev`, `Alatau` of `Alatau City`), or the
                // percent sign, currency, unit or magnitude word right after its closing number (`98` of `98 %`).
                f[39] = i > 0 && clause[i - 1] == clause[i] && capital(i - 1) && !words[i - 1].isStopword ? 1 : 0
                f[40] = j + 1 < words.count && clause[j + 1] == clause[j] && capital(j + 1) && !words[j + 1].isStopword ? 1 : 0
                f[41] = j + 1 < words.count && figureAt[j]
                    && (moneyAt[j + 1] || magnitudeAt[j + 1] || AnswerKind.isUnit(words[j + 1])) ? 1 : 0
                f[42] = bracketed[i] ? 1 : 0
                // The share of the sentence's question words that stand in the span's clause, outside the span:
                // an answer sits in the clause that says what the question asks about (`93 % de la population a
                // accès à Internet, tandis que 98 % du territoire…`).
                f[43] = Double(matched.filter { ($0 < i || $0 > j) && clause[$0] >= clause[i] && clause[$0] <= clause[j] }.count)
                    / Double(max(1, matched.count))
                let start = words[i].start, end = words[j].end
                out.append(SpanCandidate(start: start, end: end, text: String(decoding: bytes[start..<end], as: UTF8.self),
                                         firstWord: i, endWord: j + 1, baseFeatures: f, group: group))
            }
        }
        return out
    }

    /// The best-scored candidate of the sentence, nil when it has none.
    public func best(text: String, tokens: [Token], query: Query, closeForms: [String: Set<String>] = [:],
                     isDictionaryWord: (String) -> Bool = { _ in false },
                     wordClass: (String) -> WordClass = { _ in .ordinary }) -> SpanCandidate? {
        var best: SpanCandidate?
        var folded: FoldedSpanModel?
        for var c in candidates(text: text, tokens: tokens, query: query, closeForms: closeForms,
                                isDictionaryWord: isDictionaryWord, wordClass: wordClass) {
            if folded == nil { folded = FoldedSpanModel(model, group: c.group, base: c.baseFeatures.count) }
            c.score = folded?.probability(c.baseFeatures) ?? model.probability(c.features)
            if best.map({ c.score > $0.score }) ?? true { best = c }
        }
        return best
    }
}
