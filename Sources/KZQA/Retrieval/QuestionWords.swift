/// Words that only ask or frame a question: dropped from a question's searched terms, never from text (so
/// they live here, not in Analysis).
public enum QuestionWords {
    /// Interrogative pronouns, determiners and adverbs, with the words of the `qu’est-ce que` and `selon qui`,
    /// `après quoi` frames. Every one is an entry of Lucene's extended French stop list
    /// (`FrenchStopwords.luceneExtended`); folded.
    public static let interrogatives: Set<String> = Set<String>([
        "combien", "quel", "quelle", "quels", "quelles", "qui", "quand", "ou", "pourquoi", "comment",
        "que", "quoi", "lequel", "laquelle", "lesquels", "lesquelles", "est", "ce", "selon", "apres",
    ]).union(framingVerbs)

    /// Forms of the auxiliaries (être, avoir) and of the modal and factitive semi-auxiliaries (vouloir, pouvoir,
    /// devoir, aller, falloir, faire: Grevisse, *Le Bon Usage*, « semi-auxiliaires ») that frame a question
    /// rather than say what it is about (`doit devenir`, `veut exporter`): never searched, but the text may
    /// repeat them next to the content word.
    public static let framingVerbs: Set<String> = [
        "etre", "avoir", "faire", "fait", "font", "veut", "veulent", "vouloir", "voulait", "peut", "peuvent", "pouvoir",
        "pourrait", "pourraient", "doit", "doivent", "devoir", "devrait", "devraient", "va", "vont", "aller", "faut",
    ]
}
