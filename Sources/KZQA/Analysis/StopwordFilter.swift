/// Marks French function words so that indexing and scoring can skip them.
///
/// The list is the Snowball French stop word list (snowballstem.org/algorithms/french/stop.txt, BSD licence)
/// in the form most toolkits ship: every listed form of être and avoir (`est`, `été`, `sont`, `ai`, …) kept,
/// with `ils` and `les`. Only `.word` tokens are flagged (an all-capital `AI` is an acronym, not `ai`), and
/// they are compared on folded, elision-stripped terms, so `à` and `où` match `a` and `ou`.
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

/// French stop word lists as data.
public enum FrenchStopwords {
    /// The Snowball French stop list (folded: accents removed, as terms are compared after folding).
    public static let snowball: Set<String> = Set(snowballList.split(separator: " ").map { Folding.stripDiacritics(String($0)) })

    /// Words that only ask (interrogatives and the light verbs of questions); dropped from queries, not from text.
    public static let interrogatives: Set<String> = Set<String>([
        "combien", "quel", "quelle", "quels", "quelles", "qui", "quand", "ou", "pourquoi", "comment",
        "que", "quoi", "lequel", "laquelle", "lesquels", "lesquelles", "est", "ce", "selon", "apres",
    ]).union(framingVerbs)

    /// Light and modal verbs that frame a question rather than say what it is about (`doit devenir`, `veut
    /// exporter`): never searched, but the text may repeat them next to the content word.
    public static let framingVerbs: Set<String> = [
        "etre", "avoir", "faire", "fait", "font", "veut", "veulent", "vouloir", "voulait", "peut", "peuvent", "pouvoir",
        "pourrait", "pourraient", "doit", "doivent", "devoir", "devrait", "devraient", "va", "vont", "aller", "faut",
    ]

    static let snowballList = """
    au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me même mes moi mon ne nos \
    notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l à \
    m n s t y été étée étées étés étant étante étants étantes suis es est sommes êtes sont serai seras sera serons \
    serez seront serais serait serions seriez seraient étais était étions étiez étaient fus fut fûmes fûtes furent \
    sois soit soyons soyez soient fusse fusses fût fussions fussiez fussent ayant ayante ayantes ayants eu eue eues \
    eus ai as avons avez ont aurai auras aura aurons aurez auront aurais aurait aurions auriez auraient avais avait \
    avions aviez avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient eusse eusses eût eussions eussiez \
    eussent
    """
}
