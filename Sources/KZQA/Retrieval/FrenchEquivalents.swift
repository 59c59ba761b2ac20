/// Expressions French writers use interchangeably, as general language data (not drawn from any corpus):
/// official French equivalents of technology anglicisms (FranceTerme: `jeune pousse` for `startup`), set phrases
/// and the verbs they stand for (`prendre part` ~ `participer`), and the names of peoples and their countries
/// (`Américains` ~ `États-Unis`). Questions paraphrase the text with them; BM25 and stemming cannot see it.
public enum FrenchEquivalents {
    /// Pairs of expressions that say the same thing; both directions are used. Pairs the stemmer already
    /// joins (`japonais` ~ `japon`) are left out.
    public static let pairs: [(String, String)] = terminology + phrases + peoples

    static let terminology: [(String, String)] = [
        ("startup", "jeune pousse"), ("startup", "jeune entreprise"), ("start-up", "jeune pousse"),
        ("blockchain", "chaîne de blocs"), ("machine learning", "apprentissage automatique"),
        ("deep learning", "apprentissage profond"), ("big data", "mégadonnées"), ("cloud", "informatique en nuage"),
        ("data center", "centre de données"), ("chatbot", "agent conversationnel"), ("chatbot", "dialogueur"),
        ("smartphone", "téléphone intelligent"), ("smartphone", "ordiphone"), ("e-mail", "courriel"),
        ("hackathon", "marathon de programmation"), ("open data", "données ouvertes"),
        ("fintech", "technologie financière"), ("supercalculateur", "superordinateur"),
        ("smart city", "ville intelligente"), ("e-gouvernement", "administration électronique"),
        ("e-gouvernement", "gouvernement électronique"), ("cybersécurité", "sécurité informatique"),
        ("software", "logiciel"), ("streaming", "diffusion en continu"), ("newsletter", "infolettre"),
        ("internet des objets", "objets connectés"),
        ("venture capital", "capital-risque"), ("crowdfunding", "financement participatif"),
        ("e-commerce", "commerce électronique"), ("podcast", "balado"), ("data scientist", "scientifique des données"),
        ("speaker", "orateur"), ("orateur", "intervenant"), ("orateur", "conférencier"),
        ("bailleur de fonds", "investisseur"), ("affaires publiques", "gouvernance"), ("gestion publique", "gouvernance"), ("chiffre d’affaires", "revenus"), ("nations unies", "onu"),
    ]

    /// Set phrases with a verb, in the forms questions use them (`ont pris part`, `a été mis en service`).
    static let phrases: [(String, String)] = [
        ("prendre part", "participer"), ("pris part", "participer"), ("prend part", "participer"),
        ("prennent part", "participer"), ("prendre la parole", "intervenir"), ("pris la parole", "intervenir"),
        ("prend la parole", "intervenir"), ("prennent la parole", "intervenir"),
        ("mettre en œuvre", "appliquer"), ("mis en œuvre", "appliquer"), ("mettre en place", "instaurer"),
        ("mis en place", "instaurer"), ("mettre en service", "lancer"), ("mis en service", "lancer"),
        ("faire appel", "recourir"), ("tirer parti", "profiter"), ("rendre visite", "visiter"),
        ("rendu visite", "visiter"), ("se rendre", "visiter"), ("s’est rendu", "visiter"),
        ("remercier", "gratitude"),
        ("remerciements", "gratitude"),         ("s’est entretenu", "rencontre"), ("s’entretient", "rencontre"), ("s’entretenir", "rencontrer"),
    ]

    static let peoples: [(String, String)] = [
        ("américain", "états-unis"), ("américain", "amérique"), ("chinois", "chine"), ("européen", "europe"),
        ("kazakh", "kazakhstan"),
        ("allemand", "allemagne"), ("britannique", "royaume-uni"), ("coréen", "corée"),
        ("indien", "inde"), ("turc", "turquie"), ("ouzbek", "ouzbékistan"), ("hongrois", "hongrie"),
        ("italien", "italie"), ("espagnol", "espagne"), ("canadien", "canada"), ("brésilien", "brésil"),
        ("belge", "belgique"), ("arménien", "arménie"), ("kirghize", "kirghizistan"),
        ("tadjik", "tadjikistan"), ("turkmène", "turkménistan"),
        ("géorgien", "géorgie"), ("ukrainien", "ukraine"), ("iranien", "iran"), ("saoudien", "arabie saoudite"),
        ("émirati", "émirats arabes unis"), ("singapourien", "singapour"), ("africain", "afrique"),
        ("asiatique", "asie"), ("eurasien", "eurasie"), ("polonais", "pologne"),
        ("néerlandais", "pays-bas"), ("suédois", "suède"), ("israélien", "israël"), ("égyptien", "égypte"),
        ("mexicain", "mexique"), ("australien", "australie"), ("émirien", "émirats arabes unis"),
    ]

    /// Expressions that say what a more common word says, used from the expression to the word only: the word
    /// (`président`) is too common to stand for the expression's words (`chef`, `état`) one by one.
    public static let oneWay: [(String, String)] = [
        ("chef d’état", "président"), ("chef de l’état", "président"), ("chef du gouvernement", "premier ministre"),
    ]

    /// Each expression's analysed terms (compounds left out: the parts carry it) → the analysed terms of the
    /// expressions equivalent to it.
    static let analysed: [(from: [String], to: [String])] = {
        let analyzer = FrenchAnalyzer()
        func terms(_ s: String) -> [String] { analyzer.analyze(s).filter { !$0.isStopword && $0.kind != .compound }.map(\.term) }
        var out: [(from: [String], to: [String])] = []
        for (a, b) in pairs {
            let x = terms(a), y = terms(b)
            guard !x.isEmpty, !y.isEmpty, x != y else { continue }
            out.append((x, y))
            out.append((y, x))
        }
        for (a, b) in oneWay {
            let x = terms(a), y = terms(b)
            if !x.isEmpty, !y.isEmpty, x != y { out.append((x, y)) }
        }
        return out
    }()

    /// The expressions equivalent to a phrase of `sequence` (a question's content terms in order): for each
    /// expression whose terms stand in a row in it, the terms of its equivalent, with the phrase it stands for.
    public static func matches(in sequence: [String]) -> [(phrase: [String], equivalent: [String])] {
        analysed.compactMap { pair in
            guard pair.from.count <= sequence.count else { return nil }
            for start in 0...(sequence.count - pair.from.count)
            where Array(sequence[start..<(start + pair.from.count)]) == pair.from {
                return (pair.from, pair.to)
            }
            return nil
        }
    }
}
