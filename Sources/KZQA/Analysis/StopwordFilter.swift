/// Marks French function words so that indexing and scoring can skip them.
///
/// The default list is Snowball's French stop list (`FrenchStopwords.snowball`, see there). Only `.word` tokens
/// are flagged (an all-capital `AI` is an acronym, not `ai`), and they are compared on folded, elision-stripped
/// terms, so `à` and `où` match `a` and `ou`.
public struct StopwordFilter: TokenFilter {
    public let words: Set<String>

    public init(words: Set<String> = FrenchStopwords.snowball) {
        self.words = words
    }

    public func apply(_ tokens: [Token]) -> [Token] {
        tokens.map { token in
            var t = token
            if t.kind == .word, words.contains(Folding.stripDiacritics(t.term)) { t.isStopword = true }
            return t
        }
    }
}

/// French stop word lists as data, each from its published source, folded (accents removed) as terms are
/// compared after folding.
public enum FrenchStopwords {
    /// Snowball's French stop list (https://snowballstem.org/algorithms/french/stop.txt, BSD licence, the file
    /// Lucene ships as `snowball/french_stop.txt`): `snowballPublished` with the forms of être and avoir and
    /// `son` that the file lists but comments out only because they are English homonyms (`est` "east", `été`
    /// "summer", `as` "ace"…), which does not apply to French-only text.
    public static let snowball: Set<String> = snowballPublished.union(snowballEnglishHomonyms)

    /// The words of Snowball's stop.txt that are not commented out, its later additions included (`ceci`,
    /// `cela`, `cet`, `cette`, `ici`, `ils`, `les`, `leurs`, `quel`…, `sans`, `soi`).
    public static let snowballPublished: Set<String> = fold(snowballList)

    /// The entries of Snowball's stop.txt commented out as English homonyms.
    public static let snowballEnglishHomonyms: Set<String> = fold("son été étés est sommes fût as auras aura avions")

    /// Lucene's "extended list of typical French stopwords" (`FrenchAnalyzer.FRENCH_STOP_WORDS`, Apache Lucene
    /// 2.x–3.x, Apache licence 2.0; the default before Lucene 3.1 switched to Snowball's list). Wider than
    /// Snowball's: prepositions (`chez`, `parmi`, `selon`), interrogatives (`combien`, `pourquoi`), quantifiers.
    public static let luceneExtended: Set<String> = fold(luceneExtendedList)

    static func fold(_ words: String) -> Set<String> {
        Set(Folding.words(words).map(Folding.stripDiacritics))
    }

    /// stop.txt in its order, comments and commented-out entries left out.
    static let snowballList = """
    au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même mes moi mon ne nos \
    notre nous on ou par pas pour qu que qui sa se ses sur ta te tes toi ton tu un une vos votre vous \
    c d j l à m n s t y \
    étée étées étant suis es êtes sont serai seras sera serons serez seront serais serait serions seriez \
    seraient étais était étions étiez étaient fus fut fûmes fûtes furent sois soit soyons soyez soient fusse \
    fusses fussions fussiez fussent \
    ayant eu eue eues eus ai avons avez ont aurai aurons aurez auront aurais aurait aurions auriez auraient \
    avais avait aviez avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient eusse eusses eût eussions \
    eussiez eussent \
    ceci cela celà cet cette ici ils les leurs quel quels quelle quelles sans soi
    """

    /// FRENCH_STOP_WORDS of Lucene's FrenchAnalyzer, in its order.
    static let luceneExtendedList = """
    a afin ai ainsi après attendu au aujourd auquel aussi autre autres aux auxquelles auxquels avait avant avec \
    avoir c car ce ceci cela celle celles celui cependant certain certaine certaines certains ces cet cette ceux \
    chez ci combien comme comment concernant contre d dans de debout dedans dehors delà depuis derrière des \
    désormais desquelles desquels dessous dessus devant devers devra divers diverse diverses doit donc dont du \
    duquel durant dès elle elles en entre environ est et etc etre eu eux excepté hormis hors hélas hui il ils j \
    je jusqu jusque l la laquelle le lequel les lesquelles lesquels leur leurs lorsque lui là ma mais malgré me \
    merci mes mien mienne miennes miens moi moins mon moyennant même mêmes n ne ni non nos notre nous néanmoins \
    nôtre nôtres on ont ou outre où par parmi partant pas passé pendant plein plus plusieurs pour pourquoi proche \
    près puisque qu quand que quel quelle quelles quels qui quoi quoique revoici revoilà s sa sans sauf se selon \
    seront ses si sien sienne siennes siens sinon soi soit son sont sous suivant sur ta te tes tien tienne \
    tiennes tiens toi ton tous tout toute toutes tu un une va vers voici voilà vos votre vous vu vôtre vôtres y \
    à ça ès été être ô
    """
}
