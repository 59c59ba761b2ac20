import Foundation

/// Reads a MyThes thesaurus (LibreOffice's format, Debian's `mythes-fr`: `/usr/share/mythes/thes_fr.dat`)
/// into stem → synonym-stem pairs, keeping only one-word synonyms whose stems the index holds.
///
/// Format: a first line naming the encoding, then for each entry `word|count` followed by `count` lines
/// `(category)|synonym|synonym|…`.
public enum Thesaurus {
    /// The thesaurus used when present; `KZQA_THESAURUS` overrides it (empty: none).
    public static var defaultPath: String? {
        if let env = ProcessInfo.processInfo.environment["KZQA_THESAURUS"] { return env.isEmpty ? nil : env }
        let path = "/usr/share/mythes/thes_fr.dat"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Synonym pairs (stem, synonym stem) where the synonym stem is in `vocabulary`, in thesaurus order.
    /// Synonymy is taken as symmetric: an entry `A|…|B` gives both A → B and B → A (when A is in the vocabulary),
    /// the reverse pairs after all direct ones.
    public static func pairs(path: String, vocabulary: Set<String>, analyzer: FrenchAnalyzer = FrenchAnalyzer()) throws -> [(String, String)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KZQAError.fileUnreadable(path: path, reason: "the thesaurus cannot be read")
        }
        let text = String(decoding: data, as: UTF8.self)
        var out: [(String, String)] = []
        var reverse: [(String, String)] = []
        var seen = Set<String>()
        // The entry's word; its stem is computed when a synonym needs it (most entries give no pair).
        var headWord: String?
        var headStem: String??
        var stemCache: [String: String?] = [:]
        func stem(_ word: String) -> String? {
            if let s = stemCache[word] { return s }
            let terms = analyzer.terms(word)
            let s = terms.count == 1 ? terms[0] : nil
            stemCache[word] = s
            return s
        }
        // A Snowball stem keeps its word's first two letters (suffixes are removed only after them), folded as the
        // analyzer folds: a plain word whose first two folded letters begin no stem of the vocabulary cannot stem
        // to a vocabulary term. A pair needs its head or its synonym in the vocabulary, so a synonym is not
        // analysed when neither can be, nor its head until a synonym needs it (for a small index that is most of
        // the thesaurus: analysing every word of it was most of the time of a small run).
        var prefixes = Set<String>()
        for v in vocabulary { prefixes.insert(String(v.prefix(2))) }
        func cannotBeInVocabulary(_ word: String) -> Bool {
            guard word.count >= 3, word.allSatisfy(\.isLetter) else { return false }
            return !prefixes.contains(String(Folding.fold(String(word.prefix(2))).prefix(2)))
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("(") {
                guard let headWord else { continue }
                let headMayBeKnown = !cannotBeInVocabulary(headWord)
                for syn in line.split(separator: "|").dropFirst() {
                    let word = String(syn)
                    if !headMayBeKnown, cannotBeInVocabulary(word) { continue }
                    guard !word.contains(" "), !word.contains("("), let s = stem(word) else { continue }
                    if headStem == nil { headStem = .some(stem(headWord)) }
                    guard let h = headStem ?? nil, s != h else { continue }
                    guard vocabulary.contains(s) || vocabulary.contains(h) else { continue }
                    if !vocabulary.contains(s) { reverse.append((s, h)); continue }
                    if seen.insert(h + "|" + s).inserted { out.append((h, s)) }
                    if vocabulary.contains(h) { reverse.append((s, h)) }
                }
            } else if let bar = line.firstIndex(of: "|") {
                let word = String(line[..<bar])
                headWord = word.contains(" ") ? nil : word
                headStem = nil
            }
        }
        for (a, b) in reverse where seen.insert(a + "|" + b).inserted { out.append((a, b)) }
        return out
    }
}
