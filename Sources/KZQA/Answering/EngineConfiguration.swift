import Foundation

/// How hybrid mode reranks passages by their best answer sentence (see `QAEngine.rerank`).
public struct RerankSettings: Sendable, Codable, Equatable {
    /// Passages reranked.
    public var depth = 20
    /// Share of the reranked score given to the passage's best sentence (the rest is the fused score).
    public var sentenceWeight = 0.6

    public init() {}
}

/// Every knob and coefficient of the query engine in one value, so that an experiment or a deployment changes
/// them without editing code: the defaults are the values in code (each part's type documents its fields), a
/// JSON file (`--config FILE`, any subset of the keys `kzqa config` prints) overrides them, and `--set KEY=VALUE`
/// overrides both. The fitted models are not part of it: they are data written by `kzqa calibrate`
/// (`FittedModels`). Indexing options (thesaurus, translation dictionary) are the indexer's, fixed in the index.
///
/// ```json
/// {"retrieval": {"candidateDepth": 200}, "composer": {"abstainBelow": 0.4}}
/// ```
public struct EngineConfiguration: Sendable, Codable, Equatable {
    public var retrieval = RetrievalSettings()
    public var expansion = QueryExpansion()
    public var candidates = CandidateGenerator()
    public var rerank = RerankSettings()
    public var composer = ComposerSettings()
    public var language = LanguageDetector()
    public var translation = TranslationSettings()

    public init() {}

    /// The configuration as pretty, key-sorted JSON (what `kzqa config` prints).
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The defaults overridden by the JSON object `data` holds (any subset of the keys; `path` names it in
    /// errors). A key the configuration does not have is an error, so a misspelt knob does not pass unnoticed.
    /// - throws: `KZQAError.invalidArgument` for malformed JSON, an unknown key or a value of the wrong type.
    public static func decode(_ data: Data, path: String, over base: EngineConfiguration = EngineConfiguration()) throws -> EngineConfiguration {
        guard let overrides = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw KZQAError.invalidArgument("\(path) is not a JSON object; `kzqa config` prints one with every key")
        }
        guard let defaults = try JSONSerialization.jsonObject(with: JSONEncoder().encode(base)) as? [String: Any] else {
            throw KZQAError.invalidArgument("the default configuration could not be encoded")
        }
        let merged = try merge(overrides, into: defaults, at: "", path: path)
        do {
            return try JSONDecoder().decode(EngineConfiguration.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw KZQAError.invalidArgument("\(path): \(key) has a value of the wrong type (`kzqa config` shows each key's default)")
        } catch {
            throw KZQAError.invalidArgument("\(path): \(error.localizedDescription)")
        }
    }

    /// Reads a configuration file over the defaults.
    /// - throws: `KZQAError.fileUnreadable` when the file cannot be read, `invalidArgument` as `decode`.
    public static func load(path: String) throws -> EngineConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KZQAError.fileUnreadable(path: path, reason: "no such configuration file (`kzqa config > FILE` writes one)")
        }
        return try decode(data, path: path)
    }

    /// `overrides` laid over `defaults`, object by object; every key must exist in `defaults`.
    static func merge(_ overrides: [String: Any], into defaults: [String: Any], at prefix: String, path: String) throws -> [String: Any] {
        var out = defaults
        for (key, value) in overrides {
            let name = prefix.isEmpty ? key : "\(prefix).\(key)"
            guard let current = defaults[key] else {
                let known = defaults.keys.sorted().joined(separator: ", ")
                throw KZQAError.invalidArgument("\(path): unknown setting '\(name)' (known here: \(known))")
            }
            if let inner = value as? [String: Any], let base = current as? [String: Any] {
                out[key] = try merge(inner, into: base, at: name, path: path)
            } else {
                out[key] = value
            }
        }
        return out
    }

    /// Applies one `--set KEY=VALUE`. Keys: `fusion` (4 weights: bm25, cosine, feedback, proximity), `depth`,
    /// `feedback.passages`, `feedback.terms`, `feedback.beta`, `type.weight`, `proximity.depth`,
    /// `variant.weight`, `variant.trim`, `synonym.weight`, `lemma.weight`, `lemma.known`, `function.weight`,
    /// `acronym.weight`, `equivalent.weight`, `compound.weight`, `compound.parts`, `expansion.share`,
    /// `context.weight`, `context.quotation`, `context.antecedent`, `lead.documents`, `lead.paragraphs`,
    /// `reference.factor`, `postings`, `sentence` (5 weights: coverage, prior, type, novelty, phrase),
    /// `answer.passages`, `answer.sentences`, `answer.follower`, `rerank.weight`, `rerank.depth`, `abstain`;
    /// English questions: `lang.margin`, `translation.max`, `translation.similarity`, `translation.variant`.
    /// - throws: `KZQAError.invalidArgument` for a malformed assignment or an unknown key.
    public mutating func set(_ assignment: String) throws {
        let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw KZQAError.invalidArgument("--set takes KEY=VALUE, got '\(assignment)'") }
        let key = parts[0], raw = parts[1]
        let numbers = raw.split(separator: ",").compactMap { Double($0) }
        guard !numbers.isEmpty else { throw KZQAError.invalidArgument("--set \(key): '\(raw)' is not a number list") }
        let x = numbers[0]
        switch key {
        case "fusion" where numbers.count == 4: retrieval.weights = numbers
        case "depth": retrieval.candidateDepth = Int(x)
        case "feedback.passages": retrieval.feedbackPassages = Int(x)
        case "feedback.terms": retrieval.feedbackTerms = Int(x)
        case "feedback.beta": retrieval.feedbackBeta = Float(x)
        case "type.weight": retrieval.answerTypeWeight = x
        case "proximity.depth": retrieval.proximityDepth = Int(x)
        case "expansion.share": retrieval.expansionShare = x
        case "context.weight": retrieval.contextWeight = x
        case "context.quotation": retrieval.quotationShare = x
        case "context.antecedent": retrieval.antecedentShare = x
        case "lead.documents": retrieval.leadDocuments = Int(x)
        case "lead.paragraphs": retrieval.leadParagraphs = Int(x)
        case "reference.factor": retrieval.referenceFactor = x
        case "variant.weight": expansion.variantWeight = Float(x)
        case "synonym.weight": expansion.synonymWeight = Float(x)
        case "lemma.weight": expansion.lemmaWeight = Float(x)
        case "lemma.known": expansion.lemmaWeightKnown = Float(x)
        case "function.weight": expansion.functionWeight = Float(x)
        case "acronym.weight": expansion.acronymWeight = Float(x)
        case "variant.trim": expansion.variantTrim = Int(x)
        case "compound.weight": expansion.compoundWeight = Float(x)
        case "compound.parts": expansion.compoundPartWeight = Float(x)
        case "equivalent.weight": expansion.equivalentWeight = Float(x)
        case "postings": candidates.maxPostings = Int(x)
        case "sentence" where numbers.count == 5: composer.weights = numbers
        case "answer.passages": composer.passages = Int(x)
        case "answer.sentences": composer.maxSentences = Int(x)
        case "answer.follower": composer.followerShare = x
        case "abstain": composer.abstainBelow = x
        case "abstain.translated": composer.abstainBelowTranslated = x
        case "rerank.weight": rerank.sentenceWeight = x
        case "rerank.depth": rerank.depth = Int(x)
        case "lang.margin": language.margin = x
        case "translation.max": translation.maxTranslations = Int(x)
        case "translation.similarity": translation.minimumSimilarity = x
        case "translation.variant": translation.variantLength = Int(x)
        default: throw KZQAError.invalidArgument("--set: unknown setting or wrong number of values in '\(assignment)'")
        }
    }
}

extension QAEngine {
    /// The engine's knobs as one value; setting it reconfigures every stage.
    public var configuration: EngineConfiguration {
        get {
            var c = EngineConfiguration()
            c.retrieval = retriever.settings
            c.expansion = retriever.expansion
            c.candidates = retriever.generator
            c.rerank = rerankSettings
            c.composer = composer.settings
            c.language = detector
            c.translation = translationSettings
            return c
        }
        set {
            retriever.settings = newValue.retrieval
            retriever.expansion = newValue.expansion
            retriever.generator = newValue.candidates
            rerankSettings = newValue.rerank
            // The fitted models stay those of the engine: a configuration does not carry them.
            var composerSettings = newValue.composer
            composerSettings.answerability = composer.settings.answerability
            composerSettings.span = composer.settings.span
            composer.settings = composerSettings
            detector = newValue.language
            translationSettings = newValue.translation
        }
    }
}
