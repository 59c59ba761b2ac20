/// Features and score of one candidate answer sentence, as pure functions of its tokens and the question.
public enum SentenceScorer {
    /// Month names and seasons: signs that a sentence dates something.
    static let dateWords: Set<String> = ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
                                         "septembre", "octobre", "novembre", "decembre", "ete", "hiver",
                                         "printemps", "automne", "annee", "hier", "aujourd'hui"]

    /// Share of the question's idf mass present in the sentence: `Σ idf(t ∈ q ∩ s) / Σ idf(t ∈ q)`.
    /// `coverage(question: ["a", "b"], sentence: ["a"], idf: ["a": 3, "b": 1])` → 0.75.
    public static func coverage(question: [String], sentence: Set<String>, idf: [String: Double]) -> Double {
        let total = question.reduce(0) { $0 + (idf[$1] ?? 0) }
        guard total > 0 else { return 0 }
        let found = question.reduce(0) { $0 + (sentence.contains($1) ? (idf[$1] ?? 0) : 0) }
        return found / total
    }

    /// 1 when the sentence holds the kind of thing the question type asks for (and that the question itself
    /// does not already hold), 0 when it does not; 0.5 for question types with no visible sign.
    public static func typeMatch(_ type: QuestionType, sentence: [Token], question: Query) -> Double {
        let questionTerms = Set(question.tokens.map(\.term))
        switch type {
        case .quantity:
            return sentence.contains { ($0.kind == .number || $0.kind == .symbol) && !questionTerms.contains($0.term) } ? 1 : 0
        case .date:
            let dated = sentence.contains { t in
                (t.kind == .number && !questionTerms.contains(t.term))
                    || dateWords.contains(Folding.fold(t.surface))
            }
            return dated ? 1 : 0
        case .person, .place:
            // A capitalised word that is neither the first word nor already in the question: a name.
            let firstStart = sentence.first?.start ?? 0
            let named = sentence.contains { t in
                t.start != firstStart && t.kind != .compound && !t.isStopword
                    && (t.surface.unicodeScalars.first?.properties.isUppercase ?? false)
                    && !questionTerms.contains(t.term)
            }
            return named ? 1 : 0
        case .entity, .explanation, .other:
            return 0.5
        }
    }

    /// Share of the sentence's content terms that the question does not contain: a sentence that only
    /// repeats the question has nothing to tell.
    public static func novelty(sentence: [String], question: Set<String>) -> Double {
        guard !sentence.isEmpty else { return 0 }
        return Double(sentence.filter { !question.contains($0) }.count) / Double(sentence.count)
    }
}
