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
        var head: String?
        var stemCache: [String: String?] = [:]
        func stem(_ word: String) -> String? {
            if let s = stemCache[word] { return s }
            let terms = analyzer.terms(word)
            let s = terms.count == 1 ? terms[0] : nil
            stemCache[word] = s
            return s
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("(") {
                guard let h = head else { continue }
                for syn in line.split(separator: "|").dropFirst() {
                    let word = String(syn)
                    guard !word.contains(" "), !word.contains("("), let s = stem(word), s != h else { continue }
                    guard vocabulary.contains(s) || vocabulary.contains(h) else { continue }
                    if !vocabulary.contains(s) { reverse.append((s, h)); continue }
                    if seen.insert(h + "|" + s).inserted { out.append((h, s)) }
                    if vocabulary.contains(h) { reverse.append((s, h)) }
                }
            } else if let bar = line.firstIndex(of: "|") {
                let word = String(line[..<bar])
                head = word.contains(" ") ? nil : stem(word)
            }
        }
        for (a, b) in reverse where seen.insert(a + "|" + b).inserted { out.append((a, b)) }
        return out
    }
}
