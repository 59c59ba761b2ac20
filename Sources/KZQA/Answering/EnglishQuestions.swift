import Foundation

/// What `QAEngine.ask` searches for a question, read in its language: for a French question its analysis and
/// expansions; for an English one its translation into French concepts (see `QueryTranslator`), then the same
/// French expansions of each concept's representative term.
struct PreparedQuestion {
    var query: Query
    var terms: [ExpandedTerm]
    /// What plain `bm25` mode searches.
    var plain: [ExpandedTerm]
    var translation: QueryTranslation?
}

extension Answer {
    /// The abstention sentence for an English question.
    public static let abstentionEnglish = "The indexed articles do not answer this question."
}

extension QAEngine {
    /// The question's language (`LanguageDetector`), asking the dictionaries about its words when its function
    /// words leave it undecided (without the dictionaries, by function words and letters alone).
    public func detectLanguage(_ text: String) -> Language {
        detector.detect(text) { [self] word in
            if translator == nil, let d = try? TranslationDictionary.load() { translator = QueryTranslator(dictionary: d) }
            return translator?.dictionary.language(of: word)
        }
    }

    func prepare(_ text: String, language: Language) throws -> PreparedQuestion {
        switch language {
        case .fr:
            let query = Query(text, lexicon: queryLexicon)
            return PreparedQuestion(query: query, terms: try retriever.expansion.expand(query, store: store, lexicon: queryLexicon),
                                    plain: ExpandedTerm.plain(query), translation: nil)
        case .en:
            if translator == nil { translator = QueryTranslator(dictionary: try TranslationDictionary.load()) }
            guard var translator else { throw KZQAError.invalidArgument("no English dictionary") }
            translator.settings = translationSettings
            let translation = try translator.translate(text, store: store)
            let query = translation.query
            var terms = translation.expandedTerms
            let translated = Set(terms.map(\.term))
            // French expansions of the representatives (variants, acronyms, synonyms), below the translations.
            for e in try retriever.expansion.expand(query, store: store, lexicon: queryLexicon) where e.origin != .question && !translated.contains(e.term) {
                terms.append(e)
            }
            return PreparedQuestion(query: query, terms: terms, plain: translation.expandedTerms, translation: translation)
        }
    }

    /// The answer's language field, and the abstention sentence in the question's language.
    func localize(_ answer: inout Answer, language: Language) {
        answer.language = language.rawValue
        if answer.abstained, language == .en { answer.answer = Answer.abstentionEnglish }
    }
}
