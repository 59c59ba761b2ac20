import Foundation

/// SQuAD-style scoring of a short answer against gold answer strings (CONTRACTS.md, "Benchmark measures":
/// short_answer_exact, short_answer_f1).
///
/// The answer normalisation follows the SQuAD 2.0 evaluation script (Rajpurkar et al., 2018, `evaluate-v2.0.py`:
/// lower-case, drop punctuation, drop articles, split on white space) adapted to French:
/// 1. the contract's normalisation (`AnswerMatching.normalize`: NFC, case folding, white-space runs folded);
/// 2. the elided articles l’ and d’ (typographic ’ or ASCII ') dropped where they begin a word;
/// 3. every punctuation or symbol character (Unicode general categories P* and S*) replaced by a space;
/// 4. the text split on spaces and the article tokens le, la, les, un, une, des, du, de, au, aux dropped.
/// Replacing punctuation by a space rather than deleting it keeps French elisions and hyphenated names as separate
/// tokens (« qu’il » → qu, il; « Kai-Fu » → kai, fu). `scripts/score-answers.py` implements the same steps.
public enum ShortAnswerScoring {
    /// The French articles the measures drop, as listed in CONTRACTS.md "Benchmark measures" (the French
    /// counterpart of SQuAD's a, an, the). l’ and d’ are handled as elisions before tokenising.
    public static let articles: Set<String> = ["le", "la", "les", "un", "une", "des", "du", "de", "au", "aux"]

    /// The tokens `text` is compared by, after the normalisation above.
    public static func tokens(_ text: String) -> [String] {
        let scalars = Array(AnswerMatching.normalize(text).unicodeScalars)
        var cleaned = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            let startsWord = i == 0 || !isWordScalar(scalars[i - 1])
            if startsWord, scalar == "l" || scalar == "d", i + 1 < scalars.count,
               scalars[i + 1] == "\u{2019}" || scalars[i + 1] == "'" {
                cleaned.append(" ")
                i += 2
                continue
            }
            cleaned.append(isPunctuationOrSymbol(scalar) ? " " : scalar)
            i += 1
        }
        return String(cleaned).split(separator: " ").map(String.init).filter { !articles.contains($0) }
    }

    /// 1 when the token sequences of `prediction` and `gold` are equal, else 0.
    public static func exact(_ prediction: String, _ gold: String) -> Double {
        tokens(prediction) == tokens(gold) ? 1 : 0
    }

    /// Token F1 of `prediction` against `gold` (bag of tokens, counted with multiplicity). When either side has no
    /// token left, 1 if both are empty, else 0 (as in SQuAD 2.0).
    public static func f1(_ prediction: String, _ gold: String) -> Double {
        let predicted = tokens(prediction), expected = tokens(gold)
        if predicted.isEmpty || expected.isEmpty { return predicted.isEmpty && expected.isEmpty ? 1 : 0 }
        var remaining: [String: Int] = [:]
        for token in expected { remaining[token, default: 0] += 1 }
        var common = 0
        for token in predicted where (remaining[token] ?? 0) > 0 {
            remaining[token, default: 0] -= 1
            common += 1
        }
        guard common > 0 else { return 0 }
        let precision = Double(common) / Double(predicted.count)
        let recall = Double(common) / Double(expected.count)
        return 2 * precision * recall / (precision + recall)
    }

    /// The best exact match of `prediction` over `golds`; 0 when there is no prediction or no gold.
    public static func bestExact(_ prediction: String?, golds: [String]) -> Double {
        guard let prediction else { return 0 }
        return golds.map { exact(prediction, $0) }.max() ?? 0
    }

    /// The best token F1 of `prediction` over `golds`; 0 when there is no prediction or no gold.
    public static func bestF1(_ prediction: String?, golds: [String]) -> Double {
        guard let prediction else { return 0 }
        return golds.map { f1(prediction, $0) }.max() ?? 0
    }

    /// Letters, marks and numbers (Unicode L*, M*, N*): what a word is made of when looking for its start.
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool { "LMN".contains(majorClass(scalar)) }

    /// Unicode general categories P* (punctuation) and S* (symbols).
    private static func isPunctuationOrSymbol(_ scalar: Unicode.Scalar) -> Bool { "PS".contains(majorClass(scalar)) }

    /// The first letter of the scalar's Unicode general category (L, M, N, P, S, Z or C), as Python's
    /// `unicodedata.category(c)[0]` gives it to `scripts/score-answers.py`.
    private static func majorClass(_ scalar: Unicode.Scalar) -> Character {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: "L"
        case .nonspacingMark, .spacingMark, .enclosingMark: "M"
        case .decimalNumber, .letterNumber, .otherNumber: "N"
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation: "P"
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: "S"
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: "Z"
        default: "C"
        }
    }
}
