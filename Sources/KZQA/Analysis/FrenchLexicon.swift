import CHunspell
import Foundation

/// A word class of Grammalecte's French dictionary (the `po:` tags of `hunspell-fr-comprehensive`), reduced to
/// the classes retrieval and answering tell apart.
public enum PartOfSpeech: String, Sendable, Codable, CaseIterable {
    case noun, adjective, verb, adverb
    /// `npr`: a proper noun (places, organisations: `Astana`).
    case properNoun
    /// `prn` (first name) and `patr` (surname): a person's name.
    case personName
    case pastParticiple, presentParticiple
    /// `nb`: a cardinal number written in words (`trois`, `huit`, `cent`): a figure, like digits.
    case numeral
    /// Pronouns, determiners, prepositions, conjunctions, interjections…: closed classes.
    case function

    /// The class of one `po:` tag (nil for tags of tense, person or number, and for unknown tags).
    public static func of(tag: String) -> PartOfSpeech? {
        switch tag {
        case "nom": return .noun
        case "adj": return .adjective
        case "adv", "negadv", "advint": return .adverb
        case "npr": return .properNoun
        case "prn", "patr": return .personName
        case "ppas": return .pastParticiple
        case "ppre": return .presentParticiple
        case "prep", "prepv", "det", "detpos", "detind", "detdem", "detneg", "detex", "cj", "cjco", "cjsub",
             "properobj", "propersuj", "prodem", "proind", "prorel", "proint", "proneg", "proadv", "interj",
             "loc":
            return .function
        case "nb": return .numeral
        default:
            // Verbs: v0 (être, avoir), v1, v2, v3, followed by their conjugation flags (`v1__tnq__a`).
            if tag.count >= 2, tag.hasPrefix("v"), let d = tag.dropFirst().first, ("0"..."3").contains(d) { return .verb }
            return nil
        }
    }
}

/// The kind of name a written word is, as Grammalecte's dictionary tells it: first names (`po:prn`, `Michel`),
/// proper nouns (`po:npr`: cities, companies — `Astana`, `Google`), common nouns it spells with a capital
/// (countries, continents, peoples — `Asie`, `États-Unis`, `Kazakhstan`), and capitalised words it does not
/// know at all (foreign names: `Madiyev`). The span model uses it to tell a person's name from a place.
public enum NameClass: Int, Sendable, CaseIterable {
    /// A known word written in lower case, or capitalised without a name sense (a title's `Intelligence`).
    case ordinary
    case personName, properNoun, capitalisedNoun
    /// A word the dictionary does not know.
    case unknown
}

/// What the answer layer needs to know of one written word: its name class and whether it is only a verb form.
public struct WordClass: Sendable, Equatable {
    public var name: NameClass
    /// Every reading is a verb form (a participle included) and none a noun: `lancé`, `dirigera`.
    public var isVerb: Bool
    /// A reading is a cardinal number written in words (`trois ans`, `huit catégories`): a figure.
    public var isNumeral: Bool

    public init(name: NameClass, isVerb: Bool, isNumeral: Bool = false) {
        self.name = name
        self.isVerb = isVerb
        self.isNumeral = isNumeral
    }

    public static let ordinary = WordClass(name: .ordinary, isVerb: false)
}

/// One reading of a word form: its lemma and what the dictionary says of it.
public struct LexicalReading: Sendable, Equatable, Codable {
    /// The lemma (`st:`): the infinitive of a verb form, the masculine singular of a noun or adjective.
    public var lemma: String
    public var partsOfSpeech: Set<PartOfSpeech>
    /// `mas`, `fem`, `epi` (either), nil when not said.
    public var gender: String?
    /// `sg`, `pl`, `inv` (invariable), nil when not said.
    public var number: String?

    public init(lemma: String, partsOfSpeech: Set<PartOfSpeech>, gender: String? = nil, number: String? = nil) {
        self.lemma = lemma
        self.partsOfSpeech = partsOfSpeech
        self.gender = gender
        self.number = number
    }

    /// Reads one line of `Hunspell_analyze` output: `" st:nommer po:v1__tnq__a po:ppas po:adj is:mas is:sg"`.
    /// nil when the line has no lemma.
    public init?(morphology line: String) {
        switch Self.parseBytes(line) {
        case .some(let reading?): self = reading
        case .some(nil): return nil
        case nil: self.init(characters: line)
        }
    }

    /// `init(morphology:)` byte by byte, for a line whose scalars are all below U+0300 (hunspell's tags and French
    /// lemmas): there no scalar combines with another, so its bytes split and compare as its Characters do. The
    /// outer nil: another line, read by `init(characters:)`.
    static func parseBytes(_ line: String) -> LexicalReading?? {
        var line = line
        return line.withUTF8 { p -> LexicalReading?? in
            if p.contains(where: { $0 >= 0xCC }) { return nil }
            var lemma: String?
            var pos = Set<PartOfSpeech>()
            var gender: String?, number: String?
            var i = 0
            while i < p.count {
                while i < p.count && p[i] == 0x20 { i += 1 }
                let start = i
                while i < p.count && p[i] != 0x20 { i += 1 }
                guard i - start >= 3, p[start + 2] == 0x3A else { continue }  // `xx:`
                func value() -> String { String(decoding: UnsafeBufferPointer(rebasing: p[(start + 3)..<i]), as: UTF8.self) }
                switch (p[start], p[start + 1]) {
                case (0x73, 0x74): if lemma == nil { lemma = value() }  // st:
                case (0x70, 0x6F): if let x = PartOfSpeech.of(tag: value()) { pos.insert(x) }  // po:
                case (0x69, 0x73):  // is:
                    let v = value()
                    switch v {
                    case "mas", "fem", "epi": gender = gender ?? v
                    case "sg", "pl", "inv": number = number ?? v
                    default: break
                    }
                default: break
                }
            }
            guard let lemma, !lemma.isEmpty else { return .some(nil) }
            return .some(LexicalReading(lemma: lemma, partsOfSpeech: pos, gender: gender, number: number))
        }
    }

    /// `init(morphology:)` Character by Character: any line.
    init?(characters line: String) {
        var lemma: String?
        var pos = Set<PartOfSpeech>()
        var gender: String?, number: String?
        for field in line.split(separator: " ") {
            if field.hasPrefix("st:") { lemma = lemma ?? String(field.dropFirst(3)) }
            else if field.hasPrefix("po:") { if let p = PartOfSpeech.of(tag: String(field.dropFirst(3))) { pos.insert(p) } }
            else if field.hasPrefix("is:") {
                switch field.dropFirst(3) {
                case "mas", "fem", "epi": gender = gender ?? String(field.dropFirst(3))
                case "sg", "pl", "inv": number = number ?? String(field.dropFirst(3))
                default: break
                }
            }
        }
        guard let lemma, !lemma.isEmpty else { return nil }
        self.init(lemma: lemma, partsOfSpeech: pos, gender: gender, number: number)
    }
}

/// What the lexicon knows of a word form: whether the dictionary accepts it, and its readings (several for an
/// ambiguous form: `élus` is the noun `élu` and the verb `élire`).
public struct LexicalEntry: Sendable, Equatable, Codable {
    public var isKnown: Bool
    public var readings: [LexicalReading]

    public init(isKnown: Bool, readings: [LexicalReading]) {
        self.isKnown = isKnown
        self.readings = readings
    }

    /// An entry for a form the dictionary does not know.
    public static let unknown = LexicalEntry(isKnown: false, readings: [])

    /// The distinct lemmas, in the dictionary's order.
    public var lemmas: [String] {
        var seen = Set<String>()
        return readings.map(\.lemma).filter { seen.insert($0).inserted }
    }

    public var partsOfSpeech: Set<PartOfSpeech> { readings.reduce(into: []) { $0.formUnion($1.partsOfSpeech) } }

    /// Every reading is a proper noun or a person's name (`Astana`, `Madiyev` would be one if the dictionary
    /// had it); a form that is also a common word (`Est`, `France`… read as nouns) is not.
    public var isProperNoun: Bool {
        !readings.isEmpty && readings.allSatisfy { !$0.partsOfSpeech.isDisjoint(with: [.properNoun, .personName]) }
    }

    /// Some reading is a verb form (a participle included).
    public var isVerb: Bool { partsOfSpeech.contains(.verb) }

    /// Some reading is a common noun.
    public var isNoun: Bool { partsOfSpeech.contains(.noun) }

    /// What kind of word the written form `surface` is, for telling a person's name from a place or a common
    /// word in an answer span (see `WordClass`).
    public func wordClass(surface: String) -> WordClass {
        let capitalised = surface.unicodeScalars.first?.properties.isUppercase ?? false
        let verb = readings.contains { !$0.partsOfSpeech.isDisjoint(with: [.verb, .pastParticiple, .presentParticiple]) }
            && !readings.contains { !$0.partsOfSpeech.isDisjoint(with: [.noun, .properNoun, .personName]) }
        let numeral = readings.contains { $0.partsOfSpeech.contains(.numeral) }
        guard capitalised else { return WordClass(name: isKnown ? .ordinary : .unknown, isVerb: verb, isNumeral: numeral) }
        guard isKnown else { return WordClass(name: .unknown, isVerb: false) }
        // Readings whose lemma the dictionary spells with a capital: the name senses of the form.
        let named = readings.filter { $0.lemma.unicodeScalars.first?.properties.isUppercase ?? false }
        if named.contains(where: { $0.partsOfSpeech.contains(.personName) }) { return WordClass(name: .personName, isVerb: false) }
        if named.contains(where: { $0.partsOfSpeech.contains(.properNoun) }) { return WordClass(name: .properNoun, isVerb: false) }
        if named.contains(where: { $0.partsOfSpeech.contains(.noun) }) { return WordClass(name: .capitalisedNoun, isVerb: false) }
        return WordClass(name: .ordinary, isVerb: verb, isNumeral: numeral)
    }

    /// The readings as stored in the index: one `lemma<TAB>tags<TAB>gender<TAB>number` line each.
    public var storedReadings: String {
        readings.map { r in
            [r.lemma, r.partsOfSpeech.map(\.rawValue).sorted().joined(separator: " "), r.gender ?? "", r.number ?? ""]
                .joined(separator: "\t")
        }.joined(separator: "\n")
    }

    /// The inverse of `storedReadings`.
    public init(isKnown: Bool, storedReadings: String) {
        let readings = storedReadings.split(separator: "\n").compactMap { line -> LexicalReading? in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 4, !f[0].isEmpty else { return nil }
            return LexicalReading(lemma: f[0], partsOfSpeech: Set(f[1].split(separator: " ").compactMap { PartOfSpeech(rawValue: String($0)) }),
                                  gender: f[2].isEmpty ? nil : f[2], number: f[3].isEmpty ? nil : f[3])
        }
        self.init(isKnown: isKnown, readings: readings)
    }
}

/// The French lexicon: lemma, part of speech, proper noun, gender and number of any word form, read through
/// libhunspell from Grammalecte's dictionary (Debian's `hunspell-fr-comprehensive`, `/usr/share/hunspell/fr_FR`).
/// Loading it takes about 0.1 s: the indexer looks up each word of the vocabulary once and stores the entries
/// (see `IndexStore.lexicalEntry`); queries call it only for words the index lacks.
///
/// ```swift
/// let lexicon = try FrenchLexicon()
/// lexicon.entry("nommé").lemmas   // ["nommé", "nommer"]
/// lexicon.entry("Astana").isProperNoun // true
/// ```
/// One hunspell handle is not thread-safe: calls are serialised by a lock.
public final class FrenchLexicon: @unchecked Sendable {
    private let handle: OpaquePointer
    private let lock = NSLock()
    public let dictionaryPath: String

    /// The dictionary used when present (`.aff`/`.dic` path without extension); `KZQA_HUNSPELL` overrides it
    /// (empty: none).
    public static var defaultPath: String? {
        if let env = Environment.value("KZQA_HUNSPELL") { return env.isEmpty ? nil : env }
        let path = "/usr/share/hunspell/fr_FR"
        return FileManager.default.fileExists(atPath: path + ".dic") ? path : nil
    }

    /// The lexicon of the default dictionary, loaded on first use and shared; nil when no dictionary is installed.
    public static let shared: FrenchLexicon? = defaultPath.flatMap { try? FrenchLexicon(path: $0) }

    /// The shared lexicon when `path` is the default dictionary, else a new one.
    public static func loaded(path: String) throws -> FrenchLexicon {
        if path == defaultPath, let shared { return shared }
        return try FrenchLexicon(path: path)
    }

    /// Loads the dictionary `path.aff` + `path.dic`.
    /// - throws: `KZQAError.fileUnreadable` when either file is missing or unreadable.
    public init(path: String) throws {
        for ext in ["aff", "dic"] where !FileManager.default.isReadableFile(atPath: "\(path).\(ext)") {
            throw KZQAError.fileUnreadable(path: "\(path).\(ext)",
                                           reason: "the French dictionary is missing: install hunspell-fr-comprehensive (scripts/setup.sh)")
        }
        guard let h = Hunspell_create("\(path).aff", "\(path).dic") else {
            throw KZQAError.fileUnreadable(path: path + ".dic", reason: "libhunspell could not load the dictionary")
        }
        handle = h
        dictionaryPath = path
    }

    /// Loads the default dictionary (`defaultPath`).
    public convenience init() throws {
        guard let path = Self.defaultPath else {
            throw KZQAError.fileUnreadable(path: "/usr/share/hunspell/fr_FR.dic",
                                           reason: "the French dictionary is missing: install hunspell-fr-comprehensive (scripts/setup.sh)")
        }
        try self.init(path: path)
    }

    deinit { Hunspell_destroy(handle) }

    /// The word classes whose forms are joined by lemma (nouns, adjectives, verbs, adverbs, names): function
    /// words have no lemma worth sharing.
    public static let openClasses: Set<PartOfSpeech> = [.noun, .adjective, .verb, .adverb, .properNoun, .personName,
                                                        .pastParticiple, .presentParticiple]

    /// Whether the dictionary accepts `word` as written (case as hunspell rules it: `nommé`, `Nommé`, `Astana`).
    public func isKnown(_ word: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return Hunspell_spell(handle, word) != 0
    }

    /// Every reading of `word` (empty when unknown).
    public func readings(_ word: String) -> [LexicalReading] {
        var out: [LexicalReading] = []
        for line in analyses(word) {
            guard let r = LexicalReading(morphology: line), !out.contains(r) else { continue }
            out.append(r)
        }
        return out
    }

    /// The lines `Hunspell_analyze` gives for `word`.
    func analyses(_ word: String) -> [String] {
        lock.lock(); defer { lock.unlock() }
        var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let n = Hunspell_analyze(handle, &list, word)
        defer { if n > 0 { Hunspell_free_list(handle, &list, n) } }
        guard n > 0, let list else { return [] }
        return (0..<Int(n)).compactMap { list[$0].map { String(cString: $0) } }
    }

    /// Whether the form is known and its readings. Words with an apostrophe other than U+2019 are asked as the
    /// dictionary writes them (Grammalecte uses ’).
    public func entry(_ word: String) -> LexicalEntry {
        guard !word.isEmpty, word.utf8.count < 200 else { return .unknown }
        // Most words have no apostrophe: checked byte by byte rather than through Foundation's search.
        let w = word.utf8.contains(0x27) ? word.replacingOccurrences(of: "'", with: "’") : word
        let readings = self.readings(w)
        return LexicalEntry(isKnown: !readings.isEmpty || isKnown(w), readings: readings)
    }
}
