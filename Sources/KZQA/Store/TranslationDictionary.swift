import Foundation

/// The English → French word list English questions are translated with: FreeDict's English–French dictionary
/// (Debian's `dict-freedict-eng-fra`), each headword's translations taken sense by sense in turn and ordered so
/// that those the French–English dictionary (`dict-freedict-fra-eng`) translates back to the headword come first;
/// then the French–English dictionary read backwards (its French headwords as translations of the English words
/// it gives), after the forward translations: the two small dictionaries cover different words (`founder` is only
/// in the second, as the translation of `fondateur`).
///
/// English words neither dictionary has (`sovereignty`, `supercomputer`, `western`) are translated through German
/// when Debian's `dict-freedict-eng-deu` and `dict-freedict-deu-fra` are installed: each German translation of the
/// word's entries (`Souveränität`) looked up in the German–French dictionary (`souveraineté`) — triangulated
/// translation through a pivot language, only where the direct dictionaries are silent (`PivotTable`).
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
    /// The translations through German of the English words the direct dictionaries lack (nil: none). They do
    /// not tell the languages apart: the Ding dictionary lists many French words as English ones.
    let pivot: PivotTable?

    public init(translations: [String: [String]], pivot: PivotTable? = nil) {
        self.translations = translations
        self.pivot = pivot
        let analyzer = EnglishAnalyzer(filters: [EnglishStemFilter()])
        var byKey: [String: [String]] = [:]
        var longest = 1
        for headword in translations.keys.sorted() {
            let key = Self.stemKey(headword, analyzer: analyzer)
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

    /// A headword's key: the stems of its words, space-separated, what `lookup` finds it by.
    static func stemKey(_ headword: String, analyzer: EnglishAnalyzer) -> String {
        key(analyzer.analyze(headword).filter { $0.kind != .compound }.map(\.term))
    }

    /// The headwords that may stand for an English word or phrase, each with its translations: the headword
    /// written as `surface` (lower case) first, then those with the same stems, shortest first (`heads` → `head`
    /// before `heading`: the shortest is most often the lemma).
    public func lookup(surface: String, stems: [String]) -> [(headword: String, translations: [String])] {
        let lower = Folding.lowercase(surface)
        var out: [(headword: String, translations: [String])] = []
        let key = Self.key(stems)
        let pivoted = pivot?.entries(key: key) ?? []
        if let t = translations[lower] ?? pivoted.first(where: { $0.headword == lower })?.translations { out.append((lower, t)) }
        var heads = (headwordsByKey[key] ?? []).compactMap { h in translations[h].map { (headword: h, translations: $0) } }
        heads += pivoted
        for h in heads.filter({ $0.headword != lower }).sorted(by: { ($0.headword.count, $0.headword) < ($1.headword.count, $1.headword) }) {
            out.append(h)
        }
        return out
    }

    // MARK: building and caching

    /// The dictionary from FreeDict's dictd files at `englishFrench` (and `frenchEnglish` for the order, when
    /// present), through the cache file `cache` when it was made from the same files.
    /// - throws: `KZQAError.fileUnreadable` when the English–French dictionary is missing or malformed.
    public static func load(englishFrench: String = DictdDictionary.englishFrenchBase,
                            frenchEnglish: String? = DictdDictionary.frenchEnglishBase,
                            wordNet: String? = wordNetDirectory,
                            pivot: (englishGerman: String, germanFrench: String)? = defaultPivot,
                            cache: String? = defaultCachePath) throws -> TranslationDictionary {
        let stamp = try Self.stamp(englishFrench: englishFrench, frenchEnglish: frenchEnglish, wordNet: wordNet)
        var table: [String: [String]]
        if let cache, let cached = read(cache: cache, stamp: stamp) {
            table = cached
        } else {
            table = try build(englishFrench: englishFrench, frenchEnglish: frenchEnglish, wordNet: wordNet)
            if let cache { write(table, to: cache, stamp: stamp) }
        }
        guard let pivot else { return TranslationDictionary(translations: table) }
        let pivotStamp = stamp + " " + pivotDescription(pivot)
        let pivotCache = cache.map { ($0 as NSString).deletingLastPathComponent + "/freedict-en-de-fr.tsv" }
        if let pivotCache, let data = FileManager.default.contents(atPath: pivotCache), let p = PivotTable(data: [UInt8](data), stamp: pivotStamp) {
            return TranslationDictionary(translations: table, pivot: p)
        }
        guard let eg = try? DictdDictionary(base: pivot.englishGerman, layout: .firstLine),
              let gf = try? DictdDictionary(base: pivot.germanFrench, layout: .glossed) else {
            return TranslationDictionary(translations: table)
        }
        let text = PivotTable.text(pivotTranslations(direct: table, englishGerman: eg.entries, germanFrench: gf.entries), stamp: pivotStamp)
        if let pivotCache { CacheDirectory.replace(pivotCache, with: Data(text)) }
        return TranslationDictionary(translations: table, pivot: PivotTable(data: text, stamp: pivotStamp))
    }

    /// `$KZQA_CACHE_DIR`, else `$XDG_CACHE_HOME/kzqa`, else `~/.cache/kzqa`, + `/freedict-en-fr.tsv`.
    public static var defaultCachePath: String? {
        CacheDirectory.path.map { $0 + "/freedict-en-fr.tsv" }
    }

    /// The English–German and German–French dictionaries when both are installed (nil otherwise).
    public static var defaultPivot: (englishGerman: String, germanFrench: String)? {
        let pair = (DictdDictionary.englishGermanBase, DictdDictionary.germanFrenchBase)
        return FileManager.default.fileExists(atPath: pair.0 + ".index") && FileManager.default.fileExists(atPath: pair.1 + ".index")
            ? pair : nil
    }

    /// What a pivot cache was made from: its format's version (bumped when the reading of either dictionary
    /// changes), then each dictionary's index path, size and date.
    static func pivotDescription(_ pivot: (englishGerman: String, germanFrench: String)) -> String {
        "pivot 2 " + [pivot.englishGerman, pivot.germanFrench].map { describe($0 + ".index") ?? "-" }.joined(separator: " ")
    }

    /// For each English headword of `englishGerman` that `direct` lacks, the French translations of its German
    /// translations in `germanFrench` (markers `<fem>` and labels `[pol.]` dropped; German looked up as written,
    /// then lower-cased), the first of each German word first (the translator keeps the first
    /// `TranslationSettings.maxTranslations` of them, as of any headword).
    static func pivotTranslations(direct: [String: [String]], englishGerman: [DictdDictionary.Entry],
                                  germanFrench: [DictdDictionary.Entry]) -> [String: [String]] {
        var french: [String: [String]] = [:]
        for e in germanFrench {
            for t in e.translations.compactMap(cleanTranslation) where !(french[e.headword]?.contains(t) ?? false) {
                french[e.headword, default: []].append(t)
            }
        }
        var german: [String: [String]] = [:]
        for e in englishGerman {
            let head = lowercaseHeadword(e.headword)
            guard direct[head] == nil, !head.contains("\t"), !head.contains("|") else { continue }
            for g in e.translations.map(stripLabels) where !g.isEmpty && !(german[head]?.contains(g) ?? false) {
                german[head, default: []].append(g)
            }
        }
        var out: [String: [String]] = [:]
        for (english, words) in german {
            let lists = words.map { french[$0] ?? french[Folding.lowercase($0)] ?? [] }
            var merged: [String] = []
            let longest = lists.map(\.count).max() ?? 0
            for k in 0..<longest {
                for l in lists where k < l.count && !merged.contains(l[k]) { merged.append(l[k]) }
            }
            if !merged.isEmpty { out[english] = merged }
        }
        return out
    }

    /// A Ding translation without its grammatical markers and labels: `Souveränität <fem> [pol.]` → `Souveränität`.
    static func stripLabels(_ s: String) -> String {
        var out: [UInt8] = [], depth = 0
        for c in s.utf8 {
            switch c {
            case 0x3C, 0x5B, 0x7B: depth += 1
            case 0x3E, 0x5D, 0x7D: depth = max(0, depth - 1)
            case 0x20, 0x09: if depth == 0, let last = out.last, last != 0x20 { out.append(0x20) }
            default: if depth == 0 { out.append(c) }
            }
        }
        if out.last == 0x20 { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// A headword in lower case: ASCII by byte (most of the English–German dictionary), the rest by `Folding`.
    static func lowercaseHeadword(_ s: String) -> String {
        guard s.utf8.allSatisfy({ $0 < 0x80 }) else { return Folding.lowercase(s) }
        return String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }, as: UTF8.self)
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

    /// A file as a cache stamp names it: `path:size:modification time`; nil when it cannot be read.
    static func describe(_ path: String) -> String? {
        guard let a = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let size = (a[.size] as? NSNumber)?.intValue ?? 0
        let date = (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(path):\(size):\(Int(date))"
    }

    static func stamp(englishFrench: String, frenchEnglish: String?, wordNet: String?) throws -> String {
        guard let main = describe(englishFrench + ".index") else {
            throw KZQAError.fileUnreadable(path: englishFrench + ".index", reason: "the English–French dictionary is missing (on Debian: apt-get install dict-freedict-eng-fra, or run scripts/setup.sh; or ask with --lang fr)")
        }
        let reverse = frenchEnglish.flatMap { describe($0 + ".index") } ?? "-"
        let exceptions = wordNet.flatMap { describe($0 + "/verb.exc") } ?? "-"
        return "# kzqa translation cache 5 \(main) \(reverse) \(exceptions)"
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
        // In key order: two English forms may clean to one headword (`rape`, `rape (seed)`), merged the same way every run.
        for (english, frenchWords) in backward.sorted(by: { $0.key < $1.key }) {
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

/// The pivot translations as the cache file holds them, read without parsing every line: after a stamp line,
/// `stem key<TAB>headword<TAB>translation|…` lines sorted by key (bytes), found by binary search. Some 70,000
/// English words: reading them all into dictionaries at every English question would cost more than answering it.
public final class PivotTable: @unchecked Sendable {
    let bytes: [UInt8]
    /// Where each line after the stamp starts, and where the last ends.
    let starts: [Int]

    /// The table of a cache file's bytes; nil when its first line is not `stamp`.
    init?(data: [UInt8], stamp: String) {
        let head = Array((stamp + "\n").utf8)
        guard data.count >= head.count, data[0..<head.count].elementsEqual(head) else { return nil }
        bytes = data
        var s = [head.count]
        for i in head.count..<data.count where data[i] == 0x0A { s.append(i + 1) }
        if s.last != data.count { s.append(data.count) }
        starts = s
    }

    /// The cache file's bytes for `table` (English headword → French translations).
    static func text(_ table: [String: [String]], stamp: String) -> [UInt8] {
        let analyzer = EnglishAnalyzer(filters: [EnglishStemFilter()])
        var lines: [[UInt8]] = []
        for (head, translations) in table {
            let key = TranslationDictionary.stemKey(head, analyzer: analyzer)
            guard !key.isEmpty else { continue }
            lines.append(Array((key + "\t" + head + "\t" + translations.joined(separator: "|") + "\n").utf8))
        }
        lines.sort { $0.lexicographicallyPrecedes($1) }
        return Array((stamp + "\n").utf8) + lines.flatMap { $0 }
    }

    /// The key of line `n` compared with `key`: <0, 0, >0.
    func compare(line n: Int, _ key: [UInt8]) -> Int {
        var i = starts[n], k = 0
        let end = starts[n + 1]
        while i < end, bytes[i] != 0x09 {
            if k == key.count { return 1 }
            if bytes[i] != key[k] { return Int(bytes[i]) - Int(key[k]) }
            i += 1; k += 1
        }
        return k == key.count ? 0 : -1
    }

    /// The headwords whose stem key is `key`, with their translations, in file order.
    func entries(key: String) -> [(headword: String, translations: [String])] {
        let k = Array(key.utf8)
        let lines = starts.count - 1
        var lo = 0, hi = lines
        while lo < hi {
            let mid = (lo + hi) / 2
            if compare(line: mid, k) < 0 { lo = mid + 1 } else { hi = mid }
        }
        var out: [(headword: String, translations: [String])] = []
        var n = lo
        while n < lines, compare(line: n, k) == 0 {
            let fields = bytes[starts[n]..<starts[n + 1]].split(separator: 0x09, omittingEmptySubsequences: false)
            if fields.count == 3 {
                let field = fields[2].last == 0x0A ? fields[2].dropLast() : fields[2]
                out.append((String(decoding: fields[1], as: UTF8.self),
                            field.split(separator: 0x7C).map { String(decoding: $0, as: UTF8.self) }))
            }
            n += 1
        }
        return out
    }
}
