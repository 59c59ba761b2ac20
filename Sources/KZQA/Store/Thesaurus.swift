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
        if let env = Environment.value("KZQA_THESAURUS") { return env.isEmpty ? nil : env }
        let path = "/usr/share/mythes/thes_fr.dat"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// How many meanings of a word give synonyms: those whose synonyms the indexed vocabulary holds most of
    /// (ties: the thesaurus order). 0 keeps every meaning (the reading before sense choice).
    public static let defaultSenses = 1

    /// One meaning of an entry: its synonyms' stems, in thesaurus order (one-word synonyms only).
    struct Meaning {
        var stems: [String]
        /// How many of them the vocabulary holds: how well the meaning fits the indexed text.
        var overlap: Int
    }

    /// The meanings of one entry to draw synonyms from: the `senses` with the largest overlap with the
    /// vocabulary (stable: ties keep the thesaurus order); every one when `senses` is 0 or when no meaning
    /// overlaps (nothing tells them apart: a question word the index lacks may still reach the head).
    static func chosen(_ meanings: [Meaning], senses: Int) -> [Meaning] {
        chosenMeanings(meanings.map(\.overlap), senses: senses).map { meanings[$0] }
    }

    /// `chosen` on the meanings' overlaps: the positions of the chosen ones, in thesaurus order.
    static func chosenMeanings(_ overlaps: [Int], senses: Int) -> [Int] {
        guard senses > 0, overlaps.count > senses, overlaps.contains(where: { $0 > 0 }) else { return Array(overlaps.indices) }
        return overlaps.enumerated().sorted { $0.element != $1.element ? $0.element > $1.element : $0.offset < $1.offset }
            .prefix(senses).map(\.offset).sorted()
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
    /// `cacheFolder`: where the thesaurus read once (`Compiled`) is kept for the next run (nil: read it now).
    public static func pairs(path: String, vocabulary: Set<String>, senses: Int = defaultSenses,
                             lexicon: FrenchLexicon? = nil, analyzer: FrenchAnalyzer = FrenchAnalyzer(),
                             cacheFolder: String? = nil) throws -> [(String, String)] {
        try Compiled.load(path: path, lexicon: lexicon, analyzer: analyzer, cacheFolder: cacheFolder)
            .pairs(vocabulary: vocabulary, senses: senses)
    }

    /// A thesaurus read for an analyzer and a lexicon, whatever the vocabulary: each entry's head stem and, for
    /// each of its meanings, its one-word synonyms' stems, each with whether it shares a word class with the head
    /// (always, without a lexicon). Reading it is most of the cost of the synonyms (stemming some 100,000 words
    /// and asking hunspell their classes); choosing meanings for a vocabulary is lookups. Kept in the cache
    /// folder for the next indexing run, made for one thesaurus file (its content hash), one dictionary (paths,
    /// sizes, dates), one analyzer and one kzqa executable (its size and date: a rebuilt kzqa may stem
    /// differently), and made again when any of them differs: `thesaurus-<hash of all that>.bin`, the `kept` most
    /// recent ones kept.
    struct Compiled: Equatable {
        /// Every stem, by id.
        var stems: [String] = []
        /// Per entry (whose head has a stem): its head's stem id and where its meanings start in `meaningStart`.
        var heads: [Int32] = []
        var entryStart: [Int32] = [0]
        /// Per meaning: where its synonyms start in `synonyms`.
        var meaningStart: [Int32] = [0]
        /// Synonyms: stem id × 2, + 1 when it may stand for the head (word classes agree).
        var synonyms: [Int32] = []

        /// Reads the thesaurus at `path`, through the cache in `cacheFolder` when it holds it (and then writes it
        /// there), for the stock analyzer only (another one is not told apart by the stamp).
        static func load(path: String, lexicon: FrenchLexicon?, analyzer: FrenchAnalyzer, cacheFolder: String?) throws -> Compiled {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KZQAError.fileUnreadable(path: path, reason: "the thesaurus cannot be read")
            }
            let bytes = [UInt8](data)
            guard let cacheFolder, isStock(analyzer) else { return compile(bytes, lexicon: lexicon, analyzer: analyzer) }
            let stamp = Array((Self.stamp(thesaurusHash: ContentHash.of(bytes), lexicon: lexicon) + "\n").utf8)
            // One file per stamp: two executables (kzqa and a test binary, say) do not evict each other's.
            let cache = cacheFolder + "/thesaurus-\(ContentHash.of(stamp)).bin"
            if let cached = FileManager.default.contents(atPath: cache), cached.starts(with: stamp),
               let compiled = Compiled(blob: [UInt8](cached.dropFirst(stamp.count))) {
                return compiled
            }
            let compiled = compile(bytes, lexicon: lexicon, analyzer: analyzer)
            CacheDirectory.replace(cache, with: Data(stamp + compiled.encoded()))
            prune(cacheFolder, keeping: cache)
            return compiled
        }

        /// How many compiled thesauri the cache folder keeps (the most recently written; about 1.3 MB each).
        static let kept = 4

        /// Removes the compiled thesauri of `folder` but the `kept` most recent (`just` among them).
        static func prune(_ folder: String, keeping just: String) {
            let fm = FileManager.default
            let names = ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix("thesaurus-") && $0.hasSuffix(".bin") }
            let dated = names.map { name -> (path: String, date: Date) in
                let path = folder + "/" + name
                return (path, (try? fm.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast)
            }.sorted { $0.date != $1.date ? $0.date > $1.date : $0.path < $1.path }
            var left = kept - 1
            for f in dated where f.path != just {
                if left > 0 { left -= 1 } else { try? fm.removeItem(atPath: f.path) }
            }
        }

        /// Whether `analyzer` is `FrenchAnalyzer()`: the stock filters with their default stopwords.
        static func isStock(_ analyzer: FrenchAnalyzer) -> Bool {
            let f = analyzer.filters
            return f.count == 3 && f[0] is ElisionFilter && (f[1] as? StopwordFilter)?.words == FrenchStopwords.snowball
                && f[2] is StemFilter
        }

        /// What a cached reading was made from (see the type).
        static func stamp(thesaurusHash: String, lexicon: FrenchLexicon?) -> String {
            func describe(_ p: String) -> String {
                var st = stat()
                guard stat(p, &st) == 0 else { return "\(p):-" }
                return "\(p):\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
            }
            let dictionary = lexicon.map { describe($0.dictionaryPath + ".aff") + " " + describe($0.dictionaryPath + ".dic") } ?? "none"
            return "# kzqa thesaurus cache 1 \(thesaurusHash) \(IndexSchema.analyzer) \(describe("/proc/self/exe")) \(dictionary)"
        }

        /// Reads the thesaurus text (see the type for the format).
        static func compile(_ bytes: [UInt8], lexicon: FrenchLexicon?, analyzer: FrenchAnalyzer) -> Compiled {
            let text = String(decoding: bytes, as: UTF8.self)
            var out = Compiled()
            var ids: [String: Int32] = [:]
            func id(_ stem: String) -> Int32 {
                if let i = ids[stem] { return i }
                let i = Int32(out.stems.count)
                ids[stem] = i
                out.stems.append(stem)
                return i
            }
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
            var headWord: String?
            func close() {
                if headWord != nil { out.entryStart.append(Int32(out.meaningStart.count - 1)) }
                headWord = nil
            }
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                if line.hasPrefix("(") {
                    guard let headWord else { continue }
                    for syn in line.split(separator: "|").dropFirst() {
                        let word = String(syn)
                        // Byte checks: `String.contains(String)` goes through Foundation's search (slow, per word).
                        guard !word.utf8.contains(0x20), !word.utf8.contains(0x28), let s = stem(word) else { continue }
                        out.synonyms.append(id(s) * 2 + (agree(headWord, word) ? 1 : 0))
                    }
                    out.meaningStart.append(Int32(out.synonyms.count))
                } else if let bar = line.firstIndex(of: "|") {
                    close()
                    let word = String(line[..<bar])
                    if !word.utf8.contains(0x20), let h = stem(word) {
                        out.heads.append(id(h))
                        headWord = word
                    }
                }
            }
            close()
            return out
        }

        /// The pairs of `Thesaurus.pairs` for `vocabulary`.
        func pairs(vocabulary: Set<String>, senses: Int) -> [(String, String)] {
            let inVocabulary = stems.map(vocabulary.contains)
            var out: [(Int32, Int32)] = [], reverse: [(Int32, Int32)] = []
            var seen = Set<Int64>()
            func key(_ a: Int32, _ b: Int32) -> Int64 { Int64(a) << 32 | Int64(b) }
            for (e, h) in heads.enumerated() {
                let meanings = Int(entryStart[e])..<Int(entryStart[e + 1])
                let overlaps = meanings.map { m in
                    synonyms[Int(meaningStart[m])..<Int(meaningStart[m + 1])].reduce(0) { n, syn in
                        n + (inVocabulary[Int(syn / 2)] && syn / 2 != h ? 1 : 0)
                    }
                }
                for k in chosenMeanings(overlaps, senses: senses) {
                    let m = meanings.lowerBound + k
                    for syn in synonyms[Int(meaningStart[m])..<Int(meaningStart[m + 1])] where syn / 2 != h {
                        let s = syn / 2
                        guard inVocabulary[Int(s)] || inVocabulary[Int(h)], syn % 2 == 1 else { continue }
                        if !inVocabulary[Int(s)] { reverse.append((s, h)); continue }
                        if seen.insert(key(h, s)).inserted { out.append((h, s)) }
                        if inVocabulary[Int(h)] { reverse.append((s, h)) }
                    }
                }
            }
            for (a, b) in reverse where seen.insert(key(a, b)).inserted { out.append((a, b)) }
            return out.map { (stems[Int($0.0)], stems[Int($0.1)]) }
        }

        func encoded() -> [UInt8] {
            var w = VarintWriter()
            w.varint(stems.count)
            for s in stems { w.string(s) }
            for array in [heads, entryStart, meaningStart, synonyms] {
                w.varint(array.count)
                for v in array { w.varint(Int(v)) }
            }
            return w.bytes
        }

        init() {}

        /// A compiled thesaurus from `encoded()`; nil when the blob is damaged or inconsistent.
        init?(blob: [UInt8]) {
            let ok = blob.withUnsafeBytes { p -> Bool in
                var r = VarintReader(p)
                let n = r.varint()
                guard !r.failed, n <= p.count else { return false }
                stems = (0..<n).map { _ in r.string() }
                var arrays: [[Int32]] = []
                for _ in 0..<4 {
                    let count = r.varint()
                    guard !r.failed, count <= p.count else { return false }
                    arrays.append((0..<count).map { _ in Int32(clamping: r.varint()) })
                }
                guard !r.failed, r.i == p.count else { return false }
                (heads, entryStart, meaningStart, synonyms) = (arrays[0], arrays[1], arrays[2], arrays[3])
                return true
            }
            guard ok, entryStart.count == heads.count + 1, entryStart.first == 0,
                  entryStart.last.map({ Int($0) == meaningStart.count - 1 }) ?? false,
                  meaningStart.first == 0, meaningStart.last.map({ Int($0) == synonyms.count }) ?? false,
                  zip(entryStart, entryStart.dropFirst()).allSatisfy({ $0 <= $1 }),
                  zip(meaningStart, meaningStart.dropFirst()).allSatisfy({ $0 <= $1 }),
                  heads.allSatisfy({ $0 >= 0 && Int($0) < stems.count }),
                  synonyms.allSatisfy({ $0 >= 0 && Int($0 / 2) < stems.count }) else { return nil }
        }
    }
}
