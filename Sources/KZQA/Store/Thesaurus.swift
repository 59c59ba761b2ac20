import Foundation

/// Reads a MyThes thesaurus (LibreOffice's format, Debian's `mythes-fr`: `/usr/share/mythes/thes_fr.dat`, also
/// installed as `th_fr_FR_v2.dat`) into stem → synonym-stem pairs, keeping only one-word synonyms whose stems
/// the index holds, and only from the meanings of a word that fit the indexed text.
///
/// Format: a first line naming the encoding, then for each entry `word|count` followed by `count` lines
/// `(category)|synonym|synonym|…`, one line per meaning.
public enum Thesaurus {
    /// The thesaurus used when present; `KZQA_THESAURUS` overrides it (empty: none).
    public static var defaultPath: String? {
        if let env = ProcessInfo.processInfo.environment["KZQA_THESAURUS"] { return env.isEmpty ? nil : env }
        let path = "/usr/share/mythes/thes_fr.dat"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// How many meanings of a word give synonyms: those whose synonyms the indexed vocabulary holds most of
    /// (ties: the thesaurus order). 0 keeps every meaning (the reading before sense choice).
    public static let defaultSenses = 1

    /// One meaning of an entry: its synonyms' stems, in thesaurus order (one-word synonyms only).
    struct Meaning {
        var stems: [String]
        /// The synonyms as written (for their word class).
        var words: [String] = []
        /// How many of them the vocabulary holds: how well the meaning fits the indexed text.
        var overlap: Int
    }

    /// The meanings of one entry to draw synonyms from: the `senses` with the largest overlap with the
    /// vocabulary (stable: ties keep the thesaurus order); every one when `senses` is 0 or when no meaning
    /// overlaps (nothing tells them apart: a question word the index lacks may still reach the head).
    static func chosen(_ meanings: [Meaning], senses: Int) -> [Meaning] {
        guard senses > 0, meanings.count > senses, meanings.contains(where: { $0.overlap > 0 }) else { return meanings }
        return meanings.enumerated().sorted { $0.element.overlap != $1.element.overlap ? $0.element.overlap > $1.element.overlap : $0.offset < $1.offset }
            .prefix(senses).sorted { $0.offset < $1.offset }.map(\.element)
    }

    /// The word classes a synonym and its head may share: a participle is a verb and an adjective.
    static func classes(_ pos: Set<PartOfSpeech>) -> Set<PartOfSpeech> {
        var out = pos.intersection([.noun, .adjective, .verb, .adverb])
        if pos.contains(.pastParticiple) || pos.contains(.presentParticiple) { out.formUnion([.verb, .adjective]) }
        return out
    }

    /// Synonym pairs (stem, synonym stem) where the synonym stem is in `vocabulary`, in thesaurus order, from
    /// the `senses` meanings of each entry that fit the vocabulary best (see `chosen`). With `lexicon`, a
    /// synonym must share a word class with its head (`diriger` keeps `conduire`, not `directeur`: the
    /// French thesaurus runs the meanings of every class together); a word the lexicon does not know passes.
    /// Synonymy is taken as symmetric: a chosen meaning of `A` listing `B` gives both A → B and B → A (when A is
    /// in the vocabulary), the reverse pairs after all direct ones.
    public static func pairs(path: String, vocabulary: Set<String>, senses: Int = defaultSenses,
                             lexicon: FrenchLexicon? = nil,
                             analyzer: FrenchAnalyzer = FrenchAnalyzer()) throws -> [(String, String)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KZQAError.fileUnreadable(path: path, reason: "the thesaurus cannot be read")
        }
        let text = String(decoding: data, as: UTF8.self)
        var out: [(String, String)] = []
        var reverse: [(String, String)] = []
        var seen = Set<String>()
        var head: String?, headWord: String?
        var meanings: [Meaning] = []
        var stemCache: [String: String?] = [:]
        func stem(_ word: String) -> String? {
            if let s = stemCache[word] { return s }
            let terms = analyzer.terms(word)
            let s = terms.count == 1 ? terms[0] : nil
            stemCache[word] = s
            return s
        }
        var classCache: [String: Set<PartOfSpeech>] = [:]
        func wordClasses(_ word: String) -> Set<PartOfSpeech> {
            if let c = classCache[word] { return c }
            let c = lexicon.map { classes($0.entry(word).partsOfSpeech) } ?? []
            classCache[word] = c
            return c
        }
        func agree(_ a: String, _ b: String) -> Bool {
            guard lexicon != nil else { return true }
            let x = wordClasses(a), y = wordClasses(b)
            return x.isEmpty || y.isEmpty || !x.isDisjoint(with: y)
        }
        func flush() {
            defer { meanings.removeAll(keepingCapacity: true) }
            guard let h = head, let headWord else { return }
            for meaning in chosen(meanings, senses: senses) {
                for (s, word) in zip(meaning.stems, meaning.words) where s != h {
                    guard vocabulary.contains(s) || vocabulary.contains(h), agree(headWord, word) else { continue }
                    if !vocabulary.contains(s) { reverse.append((s, h)); continue }
                    if seen.insert(h + "|" + s).inserted { out.append((h, s)) }
                    if vocabulary.contains(h) { reverse.append((s, h)) }
                }
            }
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("(") {
                guard head != nil else { continue }
                var m = Meaning(stems: [], words: [], overlap: 0)
                for syn in line.split(separator: "|").dropFirst() {
                    let word = String(syn)
                    guard !word.contains(" "), !word.contains("("), let s = stem(word) else { continue }
                    m.stems.append(s)
                    m.words.append(word)
                    if vocabulary.contains(s) && s != head { m.overlap += 1 }
                }
                meanings.append(m)
            } else if let bar = line.firstIndex(of: "|") {
                flush()
                let word = String(line[..<bar])
                head = word.contains(" ") ? nil : stem(word)
                headWord = word
            }
        }
        flush()
        for (a, b) in reverse where seen.insert(a + "|" + b).inserted { out.append((a, b)) }
        return out
    }
}
