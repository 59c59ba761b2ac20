/// Expressions French writers use interchangeably, as general language data (not drawn from any corpus), each
/// list from its published source: the official French equivalents of technology anglicisms (FranceTerme, the
/// terminology base of the Commission d’enrichissement de la langue française: `jeune pousse` for `start-up`),
/// and the names of inhabitants and their States (the same commission's « Recommandation concernant les noms
/// d’États, d’habitants, de capitales… », Journal officiel, 24 September 2008, also on FranceTerme:
/// `Américains` ~ `États-Unis`). Questions paraphrase the text with them; BM25 and stemming cannot see it.
public enum FrenchEquivalents {
    /// Pairs of expressions that say the same thing; both directions are used. Pairs the stemmer already
    /// joins (`japonais` ~ `japon`) are left out.
    public static let pairs: [(String, String)] = terminology + peoples

    /// FranceTerme: the anglicism (or a synonym the entry gives) and the recommended French term.
    static let terminology: [(String, String)] = [
        ("startup", "jeune pousse"), ("start-up", "jeune pousse"),
        ("blockchain", "chaîne de blocs"), ("machine learning", "apprentissage automatique"),
        ("deep learning", "apprentissage profond"), ("big data", "mégadonnées"), ("cloud", "informatique en nuage"),
        ("data center", "centre de données"), ("chatbot", "agent conversationnel"), ("chatbot", "dialogueur"),
        ("smartphone", "ordiphone"), ("e-mail", "courriel"),
        ("hackathon", "marathon de programmation"), ("open data", "données ouvertes"),
        ("supercalculateur", "superordinateur"), ("e-gouvernement", "administration électronique"),
        ("software", "logiciel"), ("streaming", "diffusion en continu"), ("newsletter", "lettre d’information"),
        ("venture capital", "capital-risque"), ("crowdfunding", "financement participatif"),
        ("e-commerce", "commerce électronique"),
    ]

    /// The 2008 recommendation: an inhabitant's name and the State's (and the continents' adjectives of the
    /// same use).
    static let peoples: [(String, String)] = [
        ("américain", "états-unis"), ("américain", "amérique"), ("chinois", "chine"), ("européen", "europe"),
        ("kazakh", "kazakhstan"),
        ("allemand", "allemagne"), ("britannique", "royaume-uni"), ("coréen", "corée"),
        ("indien", "inde"), ("turc", "turquie"), ("ouzbek", "ouzbékistan"), ("hongrois", "hongrie"),
        ("italien", "italie"), ("espagnol", "espagne"), ("canadien", "canada"), ("brésilien", "brésil"),
        ("belge", "belgique"), ("arménien", "arménie"), ("kirghize", "kirghizistan"),
        ("tadjik", "tadjikistan"), ("turkmène", "turkménistan"),
        ("géorgien", "géorgie"), ("ukrainien", "ukraine"), ("iranien", "iran"), ("saoudien", "arabie saoudite"),
        ("singapourien", "singapour"), ("africain", "afrique"),
        ("asiatique", "asie"), ("polonais", "pologne"),
        ("néerlandais", "pays-bas"), ("suédois", "suède"), ("israélien", "israël"), ("égyptien", "égypte"),
        ("mexicain", "mexique"), ("australien", "australie"), ("émirien", "émirats arabes unis"),
    ]

    /// Each expression's analysed terms (compounds left out: the parts carry it) → the analysed terms of the
    /// expressions equivalent to it: `analyse(pairs)` written out (`AnalysedTables.equivalents`), since analysing
    /// every pair was a twentieth of a one-shot `kzqa ask`. `NeighbourContextTests` checks that it still is.
    static let analysed: [(from: [String], to: [String])] = AnalysedTables.equivalents

    /// Both directions of each pair, by their analysed terms, leaving out pairs the analyser already joins.
    static func analyse(_ pairs: [(String, String)], analyzer: FrenchAnalyzer = FrenchAnalyzer()) -> [(from: [String], to: [String])] {
        func terms(_ s: String) -> [String] { analyzer.analyze(s).filter { !$0.isStopword && $0.kind != .compound }.map(\.term) }
        var out: [(from: [String], to: [String])] = []
        for (a, b) in pairs {
            let x = terms(a), y = terms(b)
            guard !x.isEmpty, !y.isEmpty, x != y else { continue }
            out.append((x, y))
            out.append((y, x))
        }
        return out
    }

    /// The expressions equivalent to a phrase of `sequence` (a question's content terms in order): for each
    /// expression whose terms stand in a row in it, the terms of its equivalent, with the phrase it stands for.
    public static func matches(in sequence: [String]) -> [(phrase: [String], equivalent: [String])] {
        analysed.compactMap { pair in
            guard let first = pair.from.first, pair.from.count <= sequence.count else { return nil }
            // Compared in place, first term first: no array is made for each position.
            for start in 0...(sequence.count - pair.from.count)
            where sequence[start] == first && sequence[start..<(start + pair.from.count)].elementsEqual(pair.from) {
                return (pair.from, pair.to)
            }
            return nil
        }
    }
}
