/// Named engine settings that `kzqa bench --set KEY=VALUE` can override, so tuning experiments run without
/// editing code. Keys: `fusion` (4 weights: bm25, cosine, feedback, proximity), `depth`, `feedback.passages`,
/// `feedback.terms`, `feedback.beta`, `type.weight`, `proximity.depth`, `variant.weight`, `variant.trim`,
/// `synonym.weight`, `lemma.weight`, `lemma.known`, `function.weight`, `acronym.weight`, `equivalent.weight`, `compound.weight`, `compound.parts`,
/// `expansion.share`, `context.weight`, `context.quotation`, `context.antecedent`,
/// `lead.documents`, `lead.paragraphs`, `postings`, `sentence` (5 weights: coverage, prior, type, novelty, phrase),
/// `answer.passages`, `answer.sentences`, `answer.follower`, `rerank.weight`, `rerank.depth`, `abstain`;
/// English questions: `lang.margin` (`LanguageDetector.margin`), `translation.max`, `translation.similarity`,
/// `translation.variant` (see `TranslationSettings`).
public enum EngineSettings {
    public static func apply(_ assignment: String, to engine: QAEngine) throws {
        let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw KZQAError.invalidArgument("--set takes KEY=VALUE, got '\(assignment)'") }
        let key = parts[0], raw = parts[1]
        let numbers = raw.split(separator: ",").compactMap { Double($0) }
        guard !numbers.isEmpty else { throw KZQAError.invalidArgument("--set \(key): '\(raw)' is not a number list") }
        let x = numbers[0]
        switch key {
        case "fusion" where numbers.count == 4: engine.retriever.settings.weights = numbers
        case "depth": engine.retriever.settings.candidateDepth = Int(x)
        case "feedback.passages": engine.retriever.settings.feedbackPassages = Int(x)
        case "feedback.terms": engine.retriever.settings.feedbackTerms = Int(x)
        case "feedback.beta": engine.retriever.settings.feedbackBeta = Float(x)
        case "type.weight": engine.retriever.settings.answerTypeWeight = x
        case "proximity.depth": engine.retriever.settings.proximityDepth = Int(x)
        case "variant.weight": engine.retriever.expansion.variantWeight = Float(x)
        case "synonym.weight": engine.retriever.expansion.synonymWeight = Float(x)
        case "lemma.weight": engine.retriever.expansion.lemmaWeight = Float(x)
        case "lemma.known": engine.retriever.expansion.lemmaWeightKnown = Float(x)
        case "function.weight": engine.retriever.expansion.functionWeight = Float(x)
        case "acronym.weight": engine.retriever.expansion.acronymWeight = Float(x)
        case "sentence" where numbers.count == 5: engine.composer.settings.weights = numbers
        case "answer.passages": engine.composer.settings.passages = Int(x)
        case "answer.sentences": engine.composer.settings.maxSentences = Int(x)
        case "answer.follower": engine.composer.settings.followerShare = x
        case "rerank.weight": engine.sentenceWeight = x
        case "rerank.depth": engine.rerankDepth = Int(x)
        case "postings": engine.retriever.generator.maxPostings = Int(x)
        case "expansion.share": engine.retriever.settings.expansionShare = x
        case "variant.trim": engine.retriever.expansion.variantTrim = Int(x)
        case "compound.weight": engine.retriever.expansion.compoundWeight = Float(x)
        case "compound.parts": engine.retriever.expansion.compoundPartWeight = Float(x)
        case "context.weight": engine.retriever.settings.contextWeight = x
        case "equivalent.weight": engine.retriever.expansion.equivalentWeight = Float(x)
        case "context.quotation": engine.retriever.settings.quotationShare = x
        case "context.antecedent": engine.retriever.settings.antecedentShare = x
        case "lead.documents": engine.retriever.settings.leadDocuments = Int(x)
        case "lead.paragraphs": engine.retriever.settings.leadParagraphs = Int(x)
        case "reference.factor": engine.retriever.settings.referenceFactor = x
        case "abstain": engine.composer.settings.abstainBelow = x
        case "lang.margin": engine.detector.margin = x
        case "translation.max": engine.translationSettings.maxTranslations = Int(x)
        case "translation.similarity": engine.translationSettings.minimumSimilarity = x
        case "translation.variant": engine.translationSettings.variantLength = Int(x)
        default: throw KZQAError.invalidArgument("--set: unknown setting or wrong number of values in '\(assignment)'")
        }
    }
}
