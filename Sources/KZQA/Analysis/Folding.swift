import Foundation

/// Case, diacritic and compatibility folding for matching: `Ministère` → `ministere`, `cœur` → `coeur`,
/// `24ᵉ` → `24e`, `ﬁn` → `fin`. The original text is never changed; only terms are folded.
public enum Folding {
    /// Lowercases and applies compatibility decomposition (NFKC), keeping accents: the stemmer needs them.
    public static func lowercase(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars {
            switch scalar {
            case "œ": out.append("o"); out.append("e")
            case "æ": out.append("a"); out.append("e")
            case "ß": out.append("s"); out.append("s")
            case "\u{2019}", "\u{2018}", "\u{02BC}": out.append("'")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// Removes diacritics from an already lowercased string: `développ` → `developp`.
    public static func stripDiacritics(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s }
        var out = String.UnicodeScalarView()
        for scalar in s.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            out.append(scalar)
        }
        return String(out)
    }

    /// Full folding: lowercase, compatibility mapping, ligatures, diacritics.
    public static func fold(_ s: String) -> String {
        stripDiacritics(lowercase(s))
    }
}
