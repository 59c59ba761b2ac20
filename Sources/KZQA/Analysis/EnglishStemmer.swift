/// The Snowball English stemmer ("Porter2", snowballstem.org/algorithms/english/stemmer.html), written from
/// the published algorithm and checked against the reference implementation's output
/// (Tests/KZQATests/Fixtures/english-stems.tsv).
///
/// ```swift
/// EnglishStemmer().stem("appointed") // "appoint"
/// ```
public struct EnglishStemmer: Sendable {
    public init() {}

    /// Words the algorithm leaves to a table (its `exception1`).
    static let exceptions: [String: String] = [
        "skis": "ski", "skies": "sky", "idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli",
        "only": "onli", "singly": "singl", "sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas",
        "cosmos": "cosmos", "bias": "bias", "andes": "andes",
    ]

    /// The stem of a lower-case word. Words of fewer than three letters, and words with anything but ASCII
    /// letters and apostrophes, are returned unchanged.
    public func stem(_ word: String) -> String {
        guard word.utf8.count > 2, word.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || $0 == 39 }) else { return word }
        if let e = Self.exceptions[word] { return e }
        var w = Array(word.utf8)
        if w.first == 39 { w.removeFirst() }
        // y at the start or after a vowel is a consonant: written Y (89) while stemming.
        for i in w.indices where w[i] == 121 && (i == 0 || Self.isVowel(w[i - 1])) { w[i] = 89 }
        var s = State(w: w)
        s.markRegions()
        s.step0()
        s.step1a()
        s.step1b()
        s.step1c()
        s.step2()
        s.step3()
        s.step4()
        s.step5()
        return Self.finish(s.w)
    }

    static func finish(_ w: [UInt8]) -> String {
        String(decoding: w.map { $0 == 89 ? 121 : $0 }, as: UTF8.self)
    }

    /// a e i o u y (a consonant Y is not a vowel).
    static func isVowel(_ c: UInt8) -> Bool {
        c == 97 || c == 101 || c == 105 || c == 111 || c == 117 || c == 121
    }

    struct State {
        var w: [UInt8]
        var p1 = 0, p2 = 0

        init(w: [UInt8]) { self.w = w }

        func ends(_ suffix: String) -> Bool {
            let s = Array(suffix.utf8)
            return s.count <= w.count && Array(w[(w.count - s.count)...]) == s
        }

        /// The first position after a vowel followed by a non-vowel, from `start` (w.count when none).
        func regionStart(from start: Int) -> Int {
            var i = start
            while i < w.count, !isVowel(w[i]) { i += 1 }
            while i < w.count, isVowel(w[i]) { i += 1 }
            return i < w.count ? i + 1 : w.count
        }

        mutating func markRegions() {
            let word = String(decoding: w, as: UTF8.self)
            if let prefix = ["arsen", "commun", "emerg", "gener", "inter", "later", "organ", "past", "univers"].first(where: { word.hasPrefix($0) }) {
                p1 = prefix.utf8.count
            } else {
                p1 = regionStart(from: 0)
            }
            p2 = regionStart(from: p1)
        }

        func inR1(_ suffixLength: Int) -> Bool { w.count - suffixLength >= p1 }
        func inR2(_ suffixLength: Int) -> Bool { w.count - suffixLength >= p2 }

        mutating func replace(_ length: Int, with replacement: String) {
            w.removeLast(length)
            w.append(contentsOf: Array(replacement.utf8))
        }

        /// The longest of `suffixes` the word ends with.
        func longest(_ suffixes: [String]) -> String? {
            suffixes.filter(ends).max { $0.utf8.count < $1.utf8.count }
        }

        mutating func step0() {
            if let s = longest(["'s'", "'s", "'"]) { w.removeLast(s.utf8.count) }
        }

        mutating func step1a() {
            guard let s = longest(["sses", "ied", "ies", "us", "ss", "s"]) else { return }
            switch s {
            case "sses": replace(4, with: "ss")
            case "ied", "ies": replace(3, with: w.count > 4 ? "i" : "ie")
            case "s":
                // Delete when the part before the s, but its last letter, holds a vowel.
                if w.count >= 3, w[..<(w.count - 2)].contains(where: isVowel) { w.removeLast() }
            default: break
            }
        }

        /// A short syllable ends at `end` (exclusive); the algorithm counts a final `past` as one.
        func shortSyllable(endingAt end: Int) -> Bool {
            if end >= 4, Array(w[(end - 4)..<end]) == Array("past".utf8) { return true }
            if end == 2 { return isVowel(w[0]) && !isVowel(w[1]) }
            guard end >= 3 else { return false }
            let a = w[end - 3], b = w[end - 2], c = w[end - 1]
            return !isVowel(a) && isVowel(b) && !isVowel(c) && c != 119 && c != 120 && c != 89
        }

        /// Step 1b, with the algorithm's exceptions (`succeed`, `inning`, `dying`…) as it words them.
        mutating func step1b() {
            guard let s = longest(["eed", "eedly", "ed", "edly", "ing", "ingly"]) else { return }
            let n = s.utf8.count
            let before = String(decoding: w[..<(w.count - n)], as: UTF8.self)
            if s == "eed" || s == "eedly" {
                if inR1(n), !["succ", "proc", "exc"].contains(before) { replace(n, with: "ee") }
                return
            }
            if s == "ing" {
                if ["even", "cann", "inn", "earr", "herr", "out"].contains(before) { return }
                let b = Array(before.utf8)
                if b.count == 2, b[1] == 121, !isVowel(b[0]) { replace(n + 1, with: "ie"); return }
            }
            guard before.utf8.contains(where: isVowel) else { return }
            w.removeLast(n)
            if ends("at") || ends("bl") || ends("iz") {
                w.append(101)
            } else if w.count >= 2, w[w.count - 1] == w[w.count - 2], "bdfgmnprt".utf8.contains(w[w.count - 1]) {
                if !(w.count == 3 && "aeo".utf8.contains(w[0])) { w.removeLast() }
            } else if p1 == w.count, shortSyllable(endingAt: w.count) {
                w.append(101)
            }
        }

        mutating func step1c() {
            guard w.count > 2, w.last == 121 || w.last == 89, !isVowel(w[w.count - 2]) else { return }
            w[w.count - 1] = 105
        }

        static let step2Rules: [(String, String)] = [
            ("ization", "ize"), ("ational", "ate"), ("fulness", "ful"), ("ousness", "ous"), ("iveness", "ive"),
            ("tional", "tion"), ("biliti", "ble"), ("lessli", "less"), ("entli", "ent"), ("ation", "ate"),
            ("alism", "al"), ("aliti", "al"), ("ousli", "ous"), ("iviti", "ive"), ("fulli", "ful"), ("enci", "ence"),
            ("anci", "ance"), ("abli", "able"), ("izer", "ize"), ("ator", "ate"), ("alli", "al"), ("bli", "ble"),
            ("ogist", "og"), ("ogi", "og"), ("li", ""),
        ]

        mutating func step2() {
            guard let s = longest(Self.step2Rules.map(\.0)), let rule = Self.step2Rules.first(where: { $0.0 == s }) else { return }
            let n = s.utf8.count
            guard inR1(n) else { return }
            switch s {
            case "ogi":
                if w.count > 3, w[w.count - 4] == 108 { replace(n, with: "og") }
            case "li":
                if w.count > 2, "cdeghkmnrt".utf8.contains(w[w.count - 3]) { w.removeLast(2) }
            default:
                replace(n, with: rule.1)
            }
        }

        static let step3Rules: [(String, String)] = [
            ("ational", "ate"), ("tional", "tion"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"),
            ("ative", ""), ("ical", "ic"), ("ness", ""), ("ful", ""),
        ]

        mutating func step3() {
            guard let s = longest(Self.step3Rules.map(\.0)), let rule = Self.step3Rules.first(where: { $0.0 == s }) else { return }
            let n = s.utf8.count
            guard inR1(n) else { return }
            if s == "ative" {
                if inR2(n) { w.removeLast(n) }
            } else {
                replace(n, with: rule.1)
            }
        }

        static let step4Suffixes = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
                                    "ism", "ate", "iti", "ous", "ive", "ize", "ion"]

        mutating func step4() {
            guard let s = longest(Self.step4Suffixes) else { return }
            let n = s.utf8.count
            guard inR2(n) else { return }
            if s == "ion" {
                if w.count > 3, w[w.count - 4] == 115 || w[w.count - 4] == 116 { w.removeLast(n) }
            } else {
                w.removeLast(n)
            }
        }

        mutating func step5() {
            if w.last == 101 {
                if inR2(1) || (inR1(1) && !shortSyllable(endingAt: w.count - 1)) { w.removeLast() }
            } else if w.last == 108, inR2(1), w.count > 1, w[w.count - 2] == 108 {
                w.removeLast()
            }
        }

        func isVowel(_ c: UInt8) -> Bool { EnglishStemmer.isVowel(c) }
    }
}
