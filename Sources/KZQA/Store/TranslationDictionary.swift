import Foundation

/// The English → French word list English questions are translated with: FreeDict's English–French dictionary
/// (Debian's `dict-freedict-eng-fra`), each headword's translations taken sense by sense in turn and ordered so
/// that those the French–English dictionary (`dict-freedict-fra-eng`) translates back to the headword come first;
/// then the French–English dictionary read backwards (its French headwords as translations of the English words
/// it gives), after the forward translations: the two small dictionaries cover different words (`founder` is only
/// in the second, as the translation of `fondateur`).
///
/// Irregular English forms the dictionary lacks (`took`, `spoke`, `children`) take the translations of their base
/// form from WordNet's exception lists (Debian's `wordnet-base`), when installed.
///
/// Reading and ordering the dictd files happens once: the result is written to a cache file (a TSV of
/// `headword<TAB>translation|translation…`, its first line naming the sizes and dates of the files it came
/// from) that later runs read instead, so `kzqa ask` does not parse the dictionary at every question.
public final class TranslationDictionary: @unchecked Sendable {
    /// Lower-case headword → translations, best first.
    public let translations: [String: [String]]
    /// English stem key (stems of a headword's words, space-separated) → headwords with that key.
    let headwordsByKey: [String: [String]]
    /// The most words of a headword.
    public let longestHeadword: Int
    /// The one-word headwords, and the words of the translations (lower case): what tells an English word from a
    /// French one when the function words leave a question's language undecided.
    let englishWords: Set<String>
    let frenchWords: Set<String>

    public init(translations: [String: [String]]) {
        self.translations = translations
        let analyzer = EnglishAnalyzer(filters: [EnglishStemFilter()])
        var byKey: [String: [String]] = [:]
        var longest = 1
        for headword in translations.keys.sorted() {
            let key = Self.key(analyzer.analyze(headword).filter { $0.kind != .compound }.map(\.term))
            guard !key.isEmpty else { continue }
            byKey[key, default: []].append(headword)
            longest = max(longest, key.split(separator: " ").count)
        }
        headwordsByKey = byKey
        longestHeadword = longest
        englishWords = Set(translations.keys.filter { !$0.contains(" ") })
        frenchWords = Set(translations.values.flatMap { $0.flatMap { $0.split(separator: " ").map { Folding.lowercase(String($0)) } } })
    }

    /// The language whose dictionary alone has `word` (lower case); nil when both or neither do.
    public func language(of word: String) -> Language? {
        switch (englishWords.contains(word), frenchWords.contains(word)) {
        case (true, false): return .en
        case (false, true): return .fr
        default: return nil
        }
    }

    static func key(_ stems: [String]) -> String { stems.joined(separator: " ") }

    /// The headwords that may stand for an English word or phrase, each with its translations: the headword
    /// written as `surface` (lower case) first, then those with the same stems, shortest first (`heads` → `head`
    /// before `heading`: the shortest is most often the lemma).
    public func lookup(surface: String, stems: [String]) -> [(headword: String, translations: [String])] {
        let lower = Folding.lowercase(surface)
        var out: [(headword: String, translations: [String])] = []
        if let t = translations[lower] { out.append((lower, t)) }
        let heads = (headwordsByKey[Self.key(stems)] ?? []).filter { $0 != lower }
            .sorted { $0.count != $1.count ? $0.count < $1.count : $0 < $1 }
        for h in heads { if let t = translations[h] { out.append((h, t)) } }
        return out
    }

    // MARK: building and caching

    /// The dictionary from FreeDict's dictd files at `englishFrench` (and `frenchEnglish` for the order, when
    /// present), through the cache file `cache` when it was made from the same files.
    /// - throws: `KZQAError.fileUnreadable` when the English–French dictionary is missing or malformed.
    public static func load(englishFrench: String = DictdDictionary.englishFrenchBase,
                            frenchEnglish: String? = DictdDictionary.frenchEnglishBase,
                            wordNet: String? = wordNetDirectory,
                            cache: String? = defaultCachePath) throws -> TranslationDictionary {
        let stamp = try Self.stamp(englishFrench: englishFrench, frenchEnglish: frenchEnglish, wordNet: wordNet)
        if let cache, let cached = read(cache: cache, stamp: stamp) { return TranslationDictionary(translations: cached) }
        let table = try build(englishFrench: englishFrench, frenchEnglish: frenchEnglish, wordNet: wordNet)
        if let cache { write(table, to: cache, stamp: stamp) }
        return TranslationDictionary(translations: table)
    }

    /// `$KZQA_CACHE_DIR`, else `$XDG_CACHE_HOME/kzqa`, else `~/.cache/kzqa`, + `/freedict-en-fr.tsv`.
    public static var defaultCachePath: String? {
        CacheDirectory.path.map { $0 + "/freedict-en-fr.tsv" }
    }

    /// Where Debian's `wordnet-base` puts WordNet 3.0 (Princeton), whose exception lists name irregular forms.
    public static let wordNetDirectory = "/usr/share/wordnet"
    /// WordNet's exception lists of verbs, nouns and adjectives (`took take`, `children child`, `better good`).
    static let exceptionFiles = ["verb.exc", "noun.exc", "adj.exc"]

    /// Gives each irregular form of WordNet's exception lists (`inflected base…` a line, words joined by `_`) that
    /// the dictionary lacks the translations of its first base form the dictionary has: the Porter stemmer
    /// brings `appointed` to `appoint` but not `took` to `take` nor `spoke` to `speak`.
    static func addIrregularForms(_ table: inout [String: [String]], exceptionLists: [String]) {
        for text in exceptionLists {
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ").map { $0.replacingOccurrences(of: "_", with: " ") }
                guard words.count >= 2, table[words[0]] == nil else { continue }
                if let base = words.dropFirst().first(where: { table[$0] != nil }) { table[words[0]] = table[base] }
            }
        }
    }

    static func stamp(englishFrench: String, frenchEnglish: String?, wordNet: String?) throws -> String {
        func describe(_ path: String) -> String? {
            guard let a = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
            let size = (a[.size] as? NSNumber)?.intValue ?? 0
            let date = (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(path):\(size):\(Int(date))"
        }
        guard let main = describe(englishFrench + ".index") else {
            throw KZQAError.fileUnreadable(path: englishFrench + ".index", reason: "the English–French dictionary is missing (on Debian: apt-get install dict-freedict-eng-fra, or run scripts/setup.sh; or ask with --lang fr)")
        }
        let reverse = frenchEnglish.flatMap { describe($0 + ".index") } ?? "-"
        let exceptions = wordNet.flatMap { describe($0 + "/verb.exc") } ?? "-"
        return "# kzqa translation cache 4 \(main) \(reverse) \(exceptions)"
    }

    static func build(englishFrench: String, frenchEnglish: String?, wordNet: String?) throws -> [String: [String]] {
        let forward = try DictdDictionary(base: englishFrench)
        var back: [String: Set<String>] = [:]
        if let frenchEnglish, let reverse = try? DictdDictionary(base: frenchEnglish) {
            for e in reverse.entries {
                back[Folding.lowercase(e.headword), default: []].formUnion(e.translations.map(Folding.lowercase))
            }
        }
        var table: [String: [String]] = [:]
        var backward: [String: [String]] = [:]
        for (french, englishWords) in back.sorted(by: { $0.key < $1.key }) {
            for english in englishWords.sorted() { backward[english, default: []].append(french) }
        }
        for e in forward.entries {
            let head = Folding.lowercase(e.headword)
            let cleaned = interleaved(e.senses).compactMap(cleanTranslation)
            var merged = table[head] ?? []
            for t in cleaned where !merged.contains(t) { merged.append(t) }
            // Stable: translations that translate back to the headword first, the rest in the dictionary's order.
            let confirmed = merged.filter { back[Folding.lowercase($0)]?.contains(head) ?? false }
            table[head] = confirmed + merged.filter { !confirmed.contains($0) }
        }
        for (english, frenchWords) in backward {
            guard let head = cleanTranslation(english) else { continue }
            var merged = table[head] ?? []
            for f in frenchWords.compactMap(cleanTranslation) where !merged.contains(where: { Folding.lowercase($0) == f }) {
                merged.append(f)
            }
            table[head] = merged
        }
        var out = table.filter { !$0.value.isEmpty }
        if let wordNet {
            addIrregularForms(&out, exceptionLists: exceptionFiles.compactMap {
                FileManager.default.contents(atPath: wordNet + "/" + $0).map { String(decoding: $0, as: UTF8.self) }
            })
        }
        return out
    }

    /// The translations of an entry's senses taken in turn — the first of each sense, then the second of each… —
    /// each once, so that a cap on translations keeps every sense (`take`: `accepter`, `occuper`, `prendre`
    /// before the other five words of the first sense).
    static func interleaved(_ senses: [[String]]) -> [String] {
        var out: [String] = [], seen = Set<String>()
        let longest = senses.map(\.count).max() ?? 0
        for k in 0..<longest {
            for sense in senses where k < sense.count && seen.insert(sense[k]).inserted { out.append(sense[k]) }
        }
        return out
    }

    /// A translation without its parenthesised notes (`diriger (une équipe)` → `diriger`), nil when empty or
    /// longer than four words (a definition rather than a translation).
    static func cleanTranslation(_ t: String) -> String? {
        var out = "", depth = 0
        for c in t {
            if c == "(" { depth += 1 } else if c == ")" { depth = max(0, depth - 1) } else if depth == 0 { out.append(c) }
        }
        let trimmed = out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !trimmed.isEmpty, !trimmed.contains("|"), !trimmed.contains("\t"),
              trimmed.split(separator: " ").count <= 4 else { return nil }
        return trimmed
    }

    static func read(cache: String, stamp: String) -> [String: [String]]? {
        guard let data = FileManager.default.contents(atPath: cache) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.first.map(String.init) == stamp else { return nil }
        var table: [String: [String]] = [:]
        for line in lines.dropFirst() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 2 else { return nil }
            table[String(f[0])] = f[1].split(separator: "|").map(String.init)
        }
        return table
    }

    /// Writes the cache beside the others, renamed into place; a cache that cannot be written is only skipped.
    static func write(_ table: [String: [String]], to cache: String, stamp: String) {
        var text = stamp + "\n"
        for head in table.keys.sorted() where !head.contains("\t") {
            text += head + "\t" + (table[head] ?? []).joined(separator: "|") + "\n"
        }
        CacheDirectory.replace(cache, with: Data(text.utf8))
    }
}
