import Foundation

/// Case, diacritic and compatibility folding for matching: `Ministère` → `ministere`, `cœur` → `coeur`,
/// `24ᵉ` → `24e`, `ﬁn` → `fin`. The original text is never changed; only terms are folded.
public enum Folding {
    /// Lowercases and applies compatibility decomposition (NFKC), keeping accents: the stemmer needs them.
    public static func lowercase(_ s: String) -> String {
        if let ascii = lowercaseASCII(s) { return ascii }
        if let latin1 = lowercaseLatin1(s) { return latin1 }
        if let fast = lowercaseLatin(s) { return fast }
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

    /// `lowercaseLatin` on the commonest input, ASCII letters, digits, `'`, `-` and `.`, byte by byte: the
    /// same result without building the string a scalar at a time. Nil for anything else.
    static func lowercaseASCII(_ s: String) -> String? {
        var upper = false
        for b in s.utf8 {
            switch b {
            case 0x61...0x7A, 0x30...0x39, 0x27, 0x2D, 0x2E: continue
            case 0x41...0x5A: upper = true
            default: return nil
            }
        }
        if !upper { return s }
        return String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// `lowercaseLatin` on French words: ASCII as there, the letters of Latin-1 (U+00C0–U+00FF but ×, ÷), œ, Œ
    /// and the apostrophes ’ ‘ ʼ, rewritten byte by byte (À–Þ are à–þ, 0x20 above them; Æ æ → ae, ß → ss, Œ œ →
    /// oe, ’ → '), the same result without a scalar-by-scalar string or a Unicode property lookup. Nil for
    /// anything else.
    static func lowercaseLatin1(_ s: String) -> String? {
        var s = s
        return s.withUTF8 { p -> String? in
            var out: [UInt8] = []
            out.reserveCapacity(p.count + 4)
            var i = 0
            while i < p.count {
                let b = p[i]
                switch b {
                case 0x41...0x5A: out.append(b + 32)
                case 0x61...0x7A, 0x30...0x39, 0x27, 0x2D, 0x2E: out.append(b)
                case 0xC3 where i + 1 < p.count:
                    let c = p[i + 1]
                    switch c {
                    case 0x86, 0xA6: out.append(0x61); out.append(0x65)   // Æ æ
                    case 0x9F: out.append(0x73); out.append(0x73)         // ß
                    case 0x97, 0xB7: return nil                          // × ÷
                    case 0x80...0x9E: out.append(0xC3); out.append(c + 0x20)
                    case 0xA0...0xBF: out.append(0xC3); out.append(c)
                    default: return nil
                    }
                    i += 1
                case 0xC5 where i + 1 < p.count && (p[i + 1] == 0x92 || p[i + 1] == 0x93):  // Œ œ
                    out.append(0x6F); out.append(0x65); i += 1
                case 0xCA where i + 1 < p.count && p[i + 1] == 0xBC:  // ʼ
                    out.append(0x27); i += 1
                case 0xE2 where i + 2 < p.count && p[i + 1] == 0x80 && (p[i + 2] == 0x98 || p[i + 2] == 0x99):  // ‘ ’
                    out.append(0x27); i += 2
                default: return nil
                }
                i += 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Latin letters in U+00C0–U+024F that NFKC rewrites (ĳ, ŀ, ŉ, ſ, ǆ, ǉ, ǌ, ǳ…): left to the full path.
    static let compatibilityLatin: Set<UInt32> = Set([0x132, 0x133, 0x13F, 0x140, 0x149, 0x17F]).union(0x1C4...0x1CC).union(0x1F1...0x1F3)

    /// The fast path of `lowercase` for text made only of ASCII and precomposed Latin letters (U+00C0–U+024F
    /// but ×, ÷), which NFKC leaves unchanged: nil when the text needs the full treatment.
    static func lowercaseLatin(_ s: String) -> String? {
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                if v >= 0x41 && v <= 0x5A, let lower = Unicode.Scalar(v + 32) { out.append(lower) }
                else if scalar == "'" || (v >= 0x30 && v <= 0x39) || (v >= 0x61 && v <= 0x7A) || scalar == "-" || scalar == "." { out.append(scalar) }
                else { return nil }
            } else if v >= 0xC0 && v <= 0x24F && v != 0xD7 && v != 0xF7 && !compatibilityLatin.contains(v) {
                switch scalar {
                case "œ", "Œ": out.append("o"); out.append("e")
                case "æ", "Æ": out.append("a"); out.append("e")
                case "ß", "ẞ": out.append("s"); out.append("s")
                default:
                    let lower = scalar.properties.lowercaseMapping.unicodeScalars
                    guard lower.count == 1, let l = lower.first else { return nil }
                    out.append(l)
                }
            } else if v == 0x2019 || v == 0x2018 || v == 0x02BC {
                out.append("'")
            } else {
                return nil
            }
        }
        return String(out)
    }

    /// Removes diacritics from an already lowercased string: `développ` → `developp`.
    public static func stripDiacritics(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s }
        if let fast = stripDiacriticsLatin(s) { return fast }
        return stripDiacriticsFully(s)
    }

    /// Below U+0250 (ASCII and the Latin blocks) no scalar is a combining mark, so the canonical decomposition
    /// of a text made only of such scalars is the concatenation of theirs: each scalar's result is looked up.
    static let stripLatinLimit: UInt32 = 0x250
    /// Each scalar of U+0080–U+024F without its diacritics: itself, but for the pairs of `latinDecompositions`.
    /// Built from that literal rather than by decomposing 464 scalars through Foundation at each start
    /// (4 M instructions of a one-question process); `AnalysisTests` checks it against `stripDiacriticsFully`.
    static let stripLatinTable: [Unicode.Scalar] = {
        var table = (0x80..<stripLatinLimit).map { Unicode.Scalar($0) ?? " " }
        var scalars = latinDecompositions.unicodeScalars.makeIterator()
        while let from = scalars.next(), let to = scalars.next() {
            table[Int(from.value) - 0x80] = to
        }
        return table
    }()

    /// The scalars of U+0080–U+024F whose canonical decomposition (Unicode's UnicodeData.txt, applied fully:
    /// NFD) holds nonspacing marks, each followed by what is left without them.
    static let latinDecompositions = """
        ÀAÁAÂAÃAÄAÅAÇCÈEÉEÊEËEÌIÍIÎIÏIÑNÒOÓOÔOÕOÖOÙUÚUÛUÜUÝYàaáaâaãaäaåaçcèeéeêeëeìiíiîiïiñnòoóoôoõoöoùuúuûuüuýyÿy\
        ĀAāaĂAăaĄAąaĆCćcĈCĉcĊCċcČCčcĎDďdĒEēeĔEĕeĖEėeĘEęeĚEěeĜGĝgĞGğgĠGġgĢGģgĤHĥhĨIĩiĪIīiĬIĭiĮIįiİIĴJĵjĶKķkĹLĺlĻL\
        ļlĽLľlŃNńnŅNņnŇNňnŌOōoŎOŏoŐOőoŔRŕrŖRŗrŘRřrŚSśsŜSŝsŞSşsŠSšsŢTţtŤTťtŨUũuŪUūuŬUŭuŮUůuŰUűuŲUųuŴWŵwŶYŷyŸYŹZ\
        źzŻZżzŽZžzƠOơoƯUưuǍAǎaǏIǐiǑOǒoǓUǔuǕUǖuǗUǘuǙUǚuǛUǜuǞAǟaǠAǡaǢÆǣæǦGǧgǨKǩkǪOǫoǬOǭoǮƷǯʒǰjǴGǵgǸNǹnǺAǻaǼÆǽæǾØǿø\
        ȀAȁaȂAȃaȄEȅeȆEȇeȈIȉiȊIȋiȌOȍoȎOȏoȐRȑrȒRȓrȔUȕuȖUȗuȘSșsȚTțtȞHȟhȦAȧaȨEȩeȪOȫoȬOȭoȮOȯoȰOȱoȲYȳy
        """

    /// The fast path of `stripDiacritics` for text below U+0250: nil when the text needs the full treatment.
    static func stripDiacriticsLatin(_ s: String) -> String? {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            guard scalar.value < stripLatinLimit else { return nil }
            out.unicodeScalars.append(scalar.value < 0x80 ? scalar : stripLatinTable[Int(scalar.value) - 0x80])
        }
        return out
    }

    static func stripDiacriticsFully(_ s: String) -> String {
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

    /// The words of a list written in code, separated by ASCII white space: a byte split, since splitting by
    /// Character runs grapheme breaking over the whole list (the stop lists are read in every process).
    /// `words("a  bé\nc")` → `["a", "bé", "c"]`.
    public static func words(_ list: String) -> [String] {
        var list = list
        return list.withUTF8 { bytes in
            var out: [String] = []
            var start = 0
            for i in 0...bytes.count {
                if i == bytes.count || bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x09 || bytes[i] == 0x0D {
                    if i > start { out.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)) }
                    start = i + 1
                }
            }
            return out
        }
    }
}
