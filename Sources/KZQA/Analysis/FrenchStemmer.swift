/// The Snowball French stemmer (snowballstem.org, current algorithm), written from the published rules.
/// Input: one lowercase NFC word. Output: its stem, e.g. `FrenchStemmer().stem("ministère") // "minister"`.
///
/// This follows `french.sbl` as shipped with Snowball 3.0 (PyStemmer 3.1.0): leading elisions
/// (`l'`, `d'`, `qu'`… only with the ASCII apostrophe U+0027, as in the reference), `-oux` → `-ou`
/// after b/h/j/l/n/p, and the `-ais` exceptions (`palais`, `mauvais`, `déplais`).
/// Like the reference, uppercase `I`, `U`, `Y` and `H` in the input are treated as prelude markers.
public struct FrenchStemmer: Sendable {
    public init() {}

    /// Returns the stem of `word`.
    public func stem(_ word: String) -> String {
        var w = Word(word)
        w.elisions()
        w.prelude()
        w.markRegions()
        w.suffixRemoval()
        w.undouble()
        w.unaccent()
        w.postlude()
        return w.string
    }
}

// MARK: - Character classes

extension Unicode.Scalar {
    /// Snowball's `v`: a e i o u y â à ë é ê è ï î ô û ù.
    @inline(__always) fileprivate var isFrenchVowel: Bool {
        switch self {
        case "a", "e", "i", "o", "u", "y",
             "â", "à", "ë", "é", "ê", "è", "ï", "î", "ô", "û", "ù":
            return true
        default:
            return false
        }
    }
}

// MARK: - Suffix tables

/// A list of suffixes with their actions, matched like Snowball's `among`: the longest suffix wins.
/// Entries are bucketed by their last letter and stored flat, longest first within a bucket.
private struct SuffixTable<Action: Sendable>: Sendable {
    private struct Entry: Sendable {
        let offset: Int  // into `letters`
        let count: Int
        let action: Action
    }

    private let letters: [Unicode.Scalar]
    private let entries: [Entry]
    private let bucketKeys: [Unicode.Scalar]
    private let bucketRanges: [Range<Int>]

    init(_ groups: [([String], Action)]) {
        var all: [([Unicode.Scalar], Action)] = []
        for (suffixes, action) in groups {
            for suffix in suffixes { all.append((Array(suffix.unicodeScalars), action)) }
        }
        var keys: [Unicode.Scalar] = []
        for (suffix, _) in all where !keys.contains(suffix[suffix.count - 1]) { keys.append(suffix[suffix.count - 1]) }
        var letters: [Unicode.Scalar] = []
        var entries: [Entry] = []
        var ranges: [Range<Int>] = []
        for key in keys {
            let bucket = all.filter { $0.0[$0.0.count - 1] == key }.sorted { $0.0.count > $1.0.count }
            let first = entries.count
            for (suffix, action) in bucket {
                entries.append(Entry(offset: letters.count, count: suffix.count, action: action))
                letters.append(contentsOf: suffix)
            }
            ranges.append(first..<entries.count)
        }
        self.letters = letters
        self.entries = entries
        self.bucketKeys = keys
        self.bucketRanges = ranges
    }

    /// The longest suffix of `s[..<end]` starting at or after `lowerBound`: its start index and action.
    @inline(__always)
    func longestMatch(in s: [Unicode.Scalar], end: Int, lowerBound: Int) -> (start: Int, action: Action)? {
        guard end > lowerBound, let bucket = bucketKeys.firstIndex(of: s[end - 1]) else { return nil }
        outer: for entry in entries[bucketRanges[bucket]] {
            let start = end - entry.count
            if start < lowerBound { continue }
            var i = entry.count - 2
            while i >= 0 {
                if s[start + i] != letters[entry.offset + i] { continue outer }
                i -= 1
            }
            return (start, entry.action)
        }
        return nil
    }
}

private enum StandardAction: Sendable {
    case deleteInR2          // -ance, -isme, -eux…
    case ation               // -ation, -ateur, -atrice (+ -ic)
    case logie               // -logie → -log
    case ution               // -usion, -ution → -u
    case ence                // -ence → -ent
    case ement               // -ement (+ -iv, -eus, -abl, -iqU, -ièr)
    case ite                 // -ité (+ -abil, -ic, -iv)
    case ive                 // -if, -ive (+ -at, -ic)
    case eaux                // -eaux → -eau
    case aux                 // -aux → -al
    case oux                 // -oux → -ou after b h j l n p
    case euse                // -euse → delete or -eux
    case issement            // -issement after a non-vowel
    case amment              // -amment → -ant, then verb suffixes
    case emment              // -emment → -ent, then verb suffixes
    case ment                // -ment after a vowel in RV, then verb suffixes
}

private enum EmentAction: Sendable { case iv, eus, ablIqU, ier }
private enum IteAction: Sendable { case abil, ic, iv }
private enum VerbAction: Sendable { case ions, delete, deleteWithE, ais }
private enum ResidualAction: Sendable { case ion, ier, e }

private enum Tables {
    static let standard = SuffixTable<StandardAction>([
        (["ance", "iqUe", "isme", "able", "iste", "eux",
          "ances", "iqUes", "ismes", "ables", "istes"], .deleteInR2),
        (["atrice", "ateur", "ation", "atrices", "ateurs", "ations"], .ation),
        (["logie", "logies"], .logie),
        (["usion", "ution", "usions", "utions"], .ution),
        (["ence", "ences"], .ence),
        (["ement", "ements"], .ement),
        (["ité", "ités"], .ite),
        (["if", "ive", "ifs", "ives"], .ive),
        (["eaux"], .eaux),
        (["aux"], .aux),
        (["oux"], .oux),
        (["euse", "euses"], .euse),
        (["issement", "issements"], .issement),
        (["amment"], .amment),
        (["emment"], .emment),
        (["ment", "ments"], .ment),
    ])

    static let afterEment = SuffixTable<EmentAction>([
        (["iv"], .iv),
        (["eus"], .eus),
        (["abl", "iqU"], .ablIqU),
        (["ièr", "Ièr"], .ier),
    ])

    static let afterIte = SuffixTable<IteAction>([
        (["abil"], .abil),
        (["ic"], .ic),
        (["iv"], .iv),
    ])

    /// Suffixes of -ir verbs; all removed after a non-vowel other than `H`.
    static let iVerb = SuffixTable<Void>([
        (["îmes", "ît", "îtes", "i", "ie", "ies", "ir", "ira", "irai",
          "iraIent", "irais", "irait", "iras", "irent", "irez", "iriez",
          "irions", "irons", "iront", "is", "issaIent", "issais", "issait",
          "issant", "issante", "issantes", "issants", "isse", "issent", "isses",
          "issez", "issiez", "issions", "issons", "it"], ()),
    ])

    static let verb = SuffixTable<VerbAction>([
        (["ions"], .ions),
        (["é", "ée", "ées", "és", "èrent", "er", "era", "erai",
          "eraIent", "erais", "erait", "eras", "erez", "eriez", "erions",
          "erons", "eront", "ez", "iez", "eais"], .delete),
        (["âmes", "ât", "âtes", "a", "ai", "aIent", "ait", "ant",
          "ante", "antes", "ants", "as", "asse", "assent", "asses", "assiez",
          "assions"], .deleteWithE),
        (["ais", "aise", "aises"], .ais),
    ])

    static let residual = SuffixTable<ResidualAction>([
        (["ion"], .ion),
        (["ier", "ière", "Ier", "Ière"], .ier),
        (["e"], .e),
    ])

    static let undouble: [[Unicode.Scalar]] = ["enn", "onn", "ett", "ell", "eill"].map { Array($0.unicodeScalars) }
}

// MARK: - Working buffer

/// The word being stemmed, as Unicode scalars, with Snowball's region marks.
private struct Word {
    var s: [Unicode.Scalar]
    /// Start of RV, R1 and R2 (indices into `s`; `s.count` when empty).
    var pV = 0, p1 = 0, p2 = 0

    init(_ word: String) {
        s = []
        s.reserveCapacity(word.utf8.count + 1)
        for scalar in word.unicodeScalars { s.append(scalar) }
    }

    /// The word as a String, UTF-8 encoded by hand (much faster than `String.UnicodeScalarView`).
    var string: String {
        var length = 0
        for scalar in s { length += UTF8.width(scalar) }
        return String(unsafeUninitializedCapacity: length) { buffer in
            var i = 0
            for scalar in s {
                let v = scalar.value
                switch v {
                case ..<0x80:
                    buffer[i] = UInt8(v)
                    i += 1
                case ..<0x800:
                    buffer[i] = UInt8(0xC0 | (v >> 6))
                    buffer[i + 1] = UInt8(0x80 | (v & 0x3F))
                    i += 2
                case ..<0x10000:
                    buffer[i] = UInt8(0xE0 | (v >> 12))
                    buffer[i + 1] = UInt8(0x80 | ((v >> 6) & 0x3F))
                    buffer[i + 2] = UInt8(0x80 | (v & 0x3F))
                    i += 3
                default:
                    buffer[i] = UInt8(0xF0 | (v >> 18))
                    buffer[i + 1] = UInt8(0x80 | ((v >> 12) & 0x3F))
                    buffer[i + 2] = UInt8(0x80 | ((v >> 6) & 0x3F))
                    buffer[i + 3] = UInt8(0x80 | (v & 0x3F))
                    i += 4
                }
            }
            return i
        }
    }

    // MARK: Helpers

    @inline(__always) private func isVowel(at i: Int) -> Bool {
        i >= 0 && i < s.count && s[i].isFrenchVowel
    }

    @inline(__always) private func char(at i: Int) -> Unicode.Scalar? {
        i >= 0 && i < s.count ? s[i] : nil
    }

    /// Whether the word ends with `suffix` (ASCII or precomposed literal).
    @inline(__always) private func endsWith(_ suffix: [Unicode.Scalar]) -> Bool {
        let start = s.count - suffix.count
        guard start >= 0 else { return false }
        for i in 0..<suffix.count where s[start + i] != suffix[i] { return false }
        return true
    }

    @inline(__always) private func endsWith(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
        let n = s.count
        return n >= 2 && s[n - 2] == a && s[n - 1] == b
    }

    /// Replaces `s[start...]` with `replacement`.
    @inline(__always) private mutating func replaceTail(from start: Int, with replacement: String) {
        s.removeSubrange(start...)
        s.append(contentsOf: replacement.unicodeScalars)
    }

    @inline(__always) private mutating func deleteTail(from start: Int) {
        s.removeSubrange(start...)
    }

    // MARK: Steps before the suffixes

    /// Removes a leading elided article or pronoun: `l'`, `d'`, `qu'`… (c d j l m n s t, or qu),
    /// provided something follows the apostrophe.
    mutating func elisions() {
        let n = s.count
        if n >= 3, s[1] == "'" {
            switch s[0] {
            case "c", "d", "j", "l", "m", "n", "s", "t":
                s.removeFirst(2)
                return
            default:
                break
            }
        }
        if n >= 4, s[0] == "q", s[1] == "u", s[2] == "'" {
            s.removeFirst(3)
        }
    }

    /// Marks letters that are not to be treated as vowels: u/i between vowels → U/I, y next to a vowel → Y,
    /// u after q → U, and ë/ï → He/Hi.
    mutating func prelude() {
        var i = 0
        while i < s.count {
            if preludeRewrite(at: i) { continue }  // re-examine the same position, as `repeat goto` does
            i += 1
        }
    }

    /// One attempt of the prelude's pattern at position `i`; returns whether something was rewritten.
    private mutating func preludeRewrite(at i: Int) -> Bool {
        let c = s[i]
        if c.isFrenchVowel, let next = char(at: i + 1) {
            if next == "u", isVowel(at: i + 2) { s[i + 1] = "U"; return true }
            if next == "i", isVowel(at: i + 2) { s[i + 1] = "I"; return true }
            if next == "y" { s[i + 1] = "Y"; return true }
        }
        switch c {
        case "ë":
            s.replaceSubrange(i...i, with: ["H", "e"])
            return true
        case "ï":
            s.replaceSubrange(i...i, with: ["H", "i"])
            return true
        case "y" where isVowel(at: i + 1):
            s[i] = "Y"
            return true
        case "q" where char(at: i + 1) == "u":
            s[i + 1] = "U"
            return true
        default:
            return false
        }
    }

    /// Sets RV (`pV`), R1 (`p1`) and R2 (`p2`).
    mutating func markRegions() {
        let n = s.count
        pV = n; p1 = n; p2 = n

        if n >= 3, s[0].isFrenchVowel, s[1].isFrenchVowel {
            pV = 3
        } else if let prefixEnd = rvExceptionPrefix() {
            pV = prefixEnd
        } else if n >= 1, let vowel = firstVowel(from: 1) {
            pV = vowel + 1
        }

        guard let v1 = firstVowel(from: 0), let c1 = firstNonVowel(from: v1 + 1) else { return }
        p1 = c1 + 1
        guard let v2 = firstVowel(from: p1), let c2 = firstNonVowel(from: v2 + 1) else { return }
        p2 = c2 + 1
    }

    /// RV for the exceptions `par-`, `col-`, `tap-` (after the prefix) and `ni` + vowel (after the vowel).
    private func rvExceptionPrefix() -> Int? {
        guard s.count >= 2 else { return nil }
        if s.count >= 3 {
            switch (s[0], s[1], s[2]) {
            case ("p", "a", "r"), ("c", "o", "l"), ("t", "a", "p"): return 3
            default: break
            }
        }
        if s[0] == "n", s[1] == "i", isVowel(at: 2) { return 3 }
        return nil
    }

    private func firstVowel(from start: Int) -> Int? {
        var i = start
        while i < s.count {
            if s[i].isFrenchVowel { return i }
            i += 1
        }
        return nil
    }

    private func firstNonVowel(from start: Int) -> Int? {
        var i = start
        while i < s.count {
            if !s[i].isFrenchVowel { return i }
            i += 1
        }
        return nil
    }

    // MARK: Suffix removal

    /// Steps 1–4: standard, -ir verb or other verb suffixes (then final Y → i, ç → c); otherwise the
    /// residual suffixes.
    mutating func suffixRemoval() {
        if standardSuffixRemoval() || iVerbSuffixRemoval() || verbSuffixRemoval() {
            let n = s.count
            if n >= 1 {
                if s[n - 1] == "Y" { s[n - 1] = "i" } else if s[n - 1] == "ç" { s[n - 1] = "c" }
            }
        } else {
            residualSuffix()
        }
    }

    /// Step 1. Returns false when nothing was matched or the matched rule fails — including the
    /// `-amment`/`-emment`/`-ment` rules, which rewrite the word and then deliberately fail so that the
    /// verb suffixes are tried next.
    private mutating func standardSuffixRemoval() -> Bool {
        guard let (start, action) = Tables.standard.longestMatch(in: s, end: s.count, lowerBound: 0) else {
            return false
        }
        switch action {
        case .deleteInR2:
            guard start >= p2 else { return false }
            deleteTail(from: start)
        case .ation:
            guard start >= p2 else { return false }
            deleteTail(from: start)
            if endsWith("i", "c") { deleteInR2OrReplace(from: s.count - 2, with: "iqU") }
        case .logie:
            guard start >= p2 else { return false }
            replaceTail(from: start, with: "log")
        case .ution:
            guard start >= p2 else { return false }
            replaceTail(from: start, with: "u")
        case .ence:
            guard start >= p2 else { return false }
            replaceTail(from: start, with: "ent")
        case .ement:
            guard start >= pV else { return false }
            deleteTail(from: start)
            afterEment()
        case .ite:
            guard start >= p2 else { return false }
            deleteTail(from: start)
            afterIte()
        case .ive:
            guard start >= p2 else { return false }
            deleteTail(from: start)
            let at = s.count - 2
            if endsWith("a", "t"), at >= p2 {
                deleteTail(from: at)
                if endsWith("i", "c") { deleteInR2OrReplace(from: s.count - 2, with: "iqU") }
            }
        case .eaux:
            replaceTail(from: start, with: "eau")
        case .aux:
            guard start >= p1 else { return false }
            replaceTail(from: start, with: "al")
        case .oux:
            guard let before = char(at: start - 1) else { return false }
            switch before {
            case "b", "h", "j", "l", "n", "p": replaceTail(from: start, with: "ou")
            default: return false
            }
        case .euse:
            if start >= p2 {
                deleteTail(from: start)
            } else if start >= p1 {
                replaceTail(from: start, with: "eux")
            } else {
                return false
            }
        case .issement:
            guard start >= p1, let before = char(at: start - 1), !before.isFrenchVowel else { return false }
            deleteTail(from: start)
        case .amment:
            if start >= pV { replaceTail(from: start, with: "ant") }
            return false
        case .emment:
            if start >= pV { replaceTail(from: start, with: "ent") }
            return false
        case .ment:
            if isVowel(at: start - 1), start - 1 >= pV { deleteTail(from: start) }
            return false
        }
        return true
    }

    /// Deletes `s[start...]` if it lies in R2, otherwise replaces it with `replacement`.
    private mutating func deleteInR2OrReplace(from start: Int, with replacement: String) {
        if start >= p2 { deleteTail(from: start) } else { replaceTail(from: start, with: replacement) }
    }

    /// After removing -ement: -iv(+at), -eus, -abl, -iqU, -ièr.
    private mutating func afterEment() {
        guard let (start, action) = Tables.afterEment.longestMatch(in: s, end: s.count, lowerBound: 0) else {
            return
        }
        switch action {
        case .iv:
            guard start >= p2 else { return }
            deleteTail(from: start)
            let at = s.count - 2
            if endsWith("a", "t"), at >= p2 { deleteTail(from: at) }
        case .eus:
            if start >= p2 {
                deleteTail(from: start)
            } else if start >= p1 {
                replaceTail(from: start, with: "eux")
            }
        case .ablIqU:
            if start >= p2 { deleteTail(from: start) }
        case .ier:
            if start >= pV { replaceTail(from: start, with: "i") }
        }
    }

    /// After removing -ité: -abil, -ic, -iv.
    private mutating func afterIte() {
        guard let (start, action) = Tables.afterIte.longestMatch(in: s, end: s.count, lowerBound: 0) else {
            return
        }
        switch action {
        case .abil: deleteInR2OrReplace(from: start, with: "abl")
        case .ic: deleteInR2OrReplace(from: start, with: "iqU")
        case .iv: if start >= p2 { deleteTail(from: start) }
        }
    }

    /// Step 2a: -ir verb endings in RV, preceded (inside RV) by a non-vowel other than `H`.
    private mutating func iVerbSuffixRemoval() -> Bool {
        guard s.count >= pV,
              let (start, _) = Tables.iVerb.longestMatch(in: s, end: s.count, lowerBound: pV),
              start - 1 >= pV
        else { return false }
        let before = s[start - 1]
        guard before != "H", !before.isFrenchVowel else { return false }
        deleteTail(from: start)
        return true
    }

    /// Step 2b: other verb endings in RV.
    private mutating func verbSuffixRemoval() -> Bool {
        guard s.count >= pV,
              let (start, action) = Tables.verb.longestMatch(in: s, end: s.count, lowerBound: pV)
        else { return false }
        switch action {
        case .ions:
            guard start >= p2 else { return false }
            deleteTail(from: start)
        case .delete:
            deleteTail(from: start)
        case .deleteWithE:
            // Also removes a preceding e inside RV: mangeant → mang.
            if start - 1 >= pV, s[start - 1] == "e" { deleteTail(from: start - 1) } else { deleteTail(from: start) }
        case .ais:
            guard !isAisException(before: start) else { return false }
            deleteTail(from: start)
        }
        return true
    }

    /// -ais is kept after `Xal` (balais, palais…), `auv` (mauvais) and `épl` (déplais).
    private func isAisException(before start: Int) -> Bool {
        if start >= 3 {
            let a = s[start - 3], b = s[start - 2], c = s[start - 1]
            if (a == "é" && b == "p" && c == "l") || (a == "a" && b == "u" && c == "v") { return true }
        }
        return start == 3 && s[1] == "a" && s[2] == "l"
    }

    /// Step 4: a final s (unless after a i o u è s, or after Hi), then -ion after s/t in R2, -ier/-ière → i,
    /// and a final e, all in RV.
    private mutating func residualSuffix() {
        let n = s.count
        if n >= 1, s[n - 1] == "s" {
            let b = n - 1
            let afterHi = b >= 2 && s[b - 2] == "H" && s[b - 1] == "i"
            let afterOther: Bool
            if let before = char(at: b - 1) {
                switch before {
                case "a", "i", "o", "u", "è", "s": afterOther = false
                default: afterOther = true
                }
            } else {
                afterOther = false
            }
            if afterHi || afterOther { s.removeLast() }
        }
        guard s.count >= pV,
              let (start, action) = Tables.residual.longestMatch(in: s, end: s.count, lowerBound: pV)
        else { return }
        switch action {
        case .ion:
            guard start >= p2, start - 1 >= pV else { return }
            let before = s[start - 1]
            if before == "s" || before == "t" { deleteTail(from: start) }
        case .ier:
            replaceTail(from: start, with: "i")
        case .e:
            deleteTail(from: start)
        }
    }

    // MARK: Final steps

    /// Step 5: -enn, -onn, -ett, -ell, -eill lose their last letter.
    mutating func undouble() {
        for ending in Tables.undouble where endsWith(ending) {
            s.removeLast()
            return
        }
    }

    /// Step 6: é or è followed by at least one non-vowel up to the end becomes e.
    mutating func unaccent() {
        var i = s.count - 1
        while i >= 0, !s[i].isFrenchVowel { i -= 1 }
        guard i >= 0, i < s.count - 1 else { return }
        if s[i] == "é" || s[i] == "è" { s[i] = "e" }
    }

    /// Restores the prelude's markers: I U Y → i u y, He → ë, Hi → ï, other H removed.
    mutating func postlude() {
        var i = 0
        while i < s.count {
            switch s[i] {
            case "I": s[i] = "i"
            case "U": s[i] = "u"
            case "Y": s[i] = "y"
            case "H":
                switch char(at: i + 1) {
                case "e": s.replaceSubrange(i...(i + 1), with: ["ë"])
                case "i": s.replaceSubrange(i...(i + 1), with: ["ï"])
                default: s.remove(at: i); continue
                }
            default: break
            }
            i += 1
        }
    }
}
