import Foundation

/// A term searched for a question, with the weight it gets against the user's own words (1).
public struct ExpandedTerm: Sendable, Equatable {
    /// Where an expansion term came from.
    public enum Origin: String, Sendable { case question, variant, lemma, acronym, equivalent, synonym, function }
    public var term: String
    public var weight: Float
    public var origin: Origin
    /// The question term it expands (itself for question terms).
    public var of: String

    /// The question's plain words at weight 1 (`Query.plainTerms`): what plain bm25 mode searches.
    public static func plain(_ query: Query) -> [ExpandedTerm] {
        query.plainTerms.map { ExpandedTerm(term: $0, weight: 1, origin: .question, of: $0) }
    }
}

/// Widens a question's terms with what French writers use for the same thing, always weighted below the
/// question's own words and always restricted to terms the index holds:
/// - morphological variants sharing a long stem prefix (`minister` ~ `ministr`, `numer` ~ `numeris`);
/// - forms sharing a lemma (Grammalecte's dictionary through `QueryLexicon`: `élu` ~ `élire`, `pris` ~ `prendre`),
///   which Snowball stems apart;
/// - common French acronyms and their expansions (`IA` ~ `intelligence artificielle`);
/// - equivalent expressions (`FrenchEquivalents`: `jeune pousse` ~ `startup`, `Américains` ~ `États-Unis`);
/// - thesaurus synonyms (mythes-fr, stored in the index at indexing time; see `Thesaurus`).
public struct QueryExpansion: Sendable, Codable, Equatable {
    public var variantWeight: Float = 0.5
    public var acronymWeight: Float = 0.8
    /// Weight of the terms of an equivalent expression (`FrenchEquivalents`: jeune pousse ~ startup): they say
    /// exactly what the user said, so they weigh as the user's own words.
    public var equivalentWeight: Float = 1
    public var synonymWeight: Float = 0.35
    /// Weight of the index terms sharing a lemma with a question word the index does not hold (`élu` → the
    /// terms of `élire`; see `QueryLexicon`), and with one it holds (0: not searched).
    public var lemmaWeight: Float = 0.8
    public var lemmaWeightKnown: Float = 0.5
    public var maxLemmaTermsPerTerm = 4
    /// Weight of the question's stopwords (scored, never searched: see `Query.functionTerms`).
    public var functionWeight: Float = 1
    /// Weights of a hyphenated compound's joined term and of its parts (`kaifu`; `kai`, `fu`): one written
    /// word must not weigh as three (Kai-Fu Lee would outweigh every other word of the question).
    public var compoundWeight: Float = 1
    public var compoundPartWeight: Float = 0.5
    /// Stems shorter than this get no prefix variants.
    public var minimumVariantStem = 5
    public var maxVariantsPerTerm = 4
    /// Variants share the stem but for its last `variantTrim` letters (never fewer than `minimumVariantStem`).
    public var variantTrim = 3
    public var maxSynonymsPerTerm = 6

    public init() {}

    /// Common French acronyms and what they stand for (general language, not this corpus).
    public static let acronyms: [String: String] = [
        "ia": "intelligence artificielle", "onu": "organisation des nations unies", "ue": "union européenne",
        "pib": "produit intérieur brut", "tic": "technologies de l'information et de la communication",
        "pme": "petites et moyennes entreprises", "rd": "recherche et développement",
        "ong": "organisation non gouvernementale", "usa": "états-unis", "pdg": "président-directeur général",
        "btp": "bâtiment et travaux publics", "rh": "ressources humaines", "ti": "technologies de l'information",
    ]

    /// Each acronym's term and the analysed terms of its expansion, in the acronyms' order (so that expansions
    /// are added in the same order in every process): `analyseAcronyms()` written out
    /// (`AnalysedTables.acronyms`); `QueryWordsTests` checks that it still is.
    static let acronymTerms: [(acronym: String, terms: [String])] = AnalysedTables.acronyms

    /// `acronyms` analysed, sorted by acronym.
    static func analyseAcronyms(analyzer: FrenchAnalyzer = FrenchAnalyzer()) -> [(acronym: String, terms: [String])] {
        acronyms.keys.sorted().map { (acronym: $0, terms: analyzer.terms(acronyms[$0] ?? "")) }
    }

    /// `lexicon`: joins forms by lemma (nil: no lemma expansion).
    public func expand(_ query: Query, store: IndexStore, lexicon: QueryLexicon? = nil) throws -> [ExpandedTerm] {
        var out: [ExpandedTerm] = query.terms.map { t in
            let w: Float = query.compoundTerms.contains(t) ? compoundWeight : query.compoundPartTerms.contains(t) ? compoundPartWeight : 1
            return ExpandedTerm(term: t, weight: w, origin: .question, of: t)
        }
        var seen = Set(query.terms)
        func add(_ term: String, _ weight: Float, _ origin: ExpandedTerm.Origin, of: String) {
            guard !seen.contains(term) else { return }
            seen.insert(term)
            out.append(ExpandedTerm(term: term, weight: weight, origin: origin, of: of))
        }
        // Acronyms both ways: `ia` → intelligent, artificiel; `intelligent artificiel` → `ia`.
        for (acronym, terms) in Self.acronymTerms {
            if query.terms.contains(acronym) {
                for t in terms where try store.term(t) != nil { add(t, acronymWeight, .acronym, of: acronym) }
            } else if !terms.isEmpty, terms.allSatisfy(query.terms.contains), try store.term(acronym) != nil {
                add(acronym, acronymWeight, .acronym, of: terms.joined(separator: " "))
            }
        }
        // Equivalent expressions of a phrase of the question (`jeunes entreprises` → `startup`).
        for m in FrenchEquivalents.matches(in: query.wordSequence) {
            for t in m.equivalent where try store.term(t) != nil {
                add(t, equivalentWeight, .equivalent, of: m.phrase.joined(separator: " "))
            }
        }
        if let lexicon {
            for t in query.terms {
                guard let info = query.lexical[t] else { continue }
                let weight = try store.term(t) == nil ? lemmaWeight : lemmaWeightKnown
                guard weight > 0 else { continue }
                for v in try lexicon.termsSharingLemma(info, limit: maxLemmaTermsPerTerm) { add(v, weight, .lemma, of: t) }
            }
        }
        for t in query.terms where t.count >= minimumVariantStem && !t.contains(where: \.isNumber) {
            let prefix = String(t.prefix(max(minimumVariantStem, t.count - variantTrim)))
            for v in try store.terms(withPrefix: prefix, limit: maxVariantsPerTerm + 1) where v != t && v.count <= t.count + 4 {
                add(v, variantWeight, .variant, of: t)
            }
        }
        for t in query.terms {
            for s in try store.synonyms(of: t, limit: maxSynonymsPerTerm) { add(s, synonymWeight, .synonym, of: t) }
        }
        for t in query.functionTerms { add(t, functionWeight, .function, of: t) }
        return out
    }
}
