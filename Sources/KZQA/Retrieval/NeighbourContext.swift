import Foundation

/// What a paragraph means often hangs on its neighbours, which questions take for granted:
/// - who said a quotation is written in a paragraph of its own next to it: « … », then « a déclaré le président
///   Tokaïev. », or « Tokaïev a déclaré : » then « … ». Questions name the speaker (« selon le président »,
///   « d’après Kai-Fu Lee ») while the quoted paragraph does not;
/// - a paragraph opening on « Il a indiqué que… » speaks of someone named in the paragraph before;
/// - a byline (« Par Derya Soysal ») names the author of the article its document's title heads;
/// - a bibliography entry restates a title, not the facts: the text that states them should rank first.
/// The retriever lends a passage the words of that context (see `Retriever`) and ranks bibliography entries lower.
public enum NeighbourContext {
    /// Paragraphs longer than this (in Unicode scalars) are not attribution fragments.
    public static let maxFragmentLength = 160

    /// Opening quotation marks of French and English text.
    static let openingQuotes: [Character] = ["«", "“", "\"", "„", "‹"]

    /// True when the paragraph is a quotation: it opens with a quotation mark.
    public static func isQuotation(_ text: String) -> Bool {
        guard let first = text.first(where: { !$0.isWhitespace }) else { return false }
        return openingQuotes.contains(first)
    }

    /// True when the paragraph is a short fragment that only introduces or attributes a neighbour: it starts in
    /// lowercase (« a ajouté Lee. » goes on the sentence of the quotation before it) or ends with a colon or a
    /// comma (« Tokaïev a déclaré : », « X a écrit que le Kazakhstan, »).
    public static func isFragment(_ text: String) -> Bool {
        // Most paragraphs are long: rule them out first (a character is at most 4 UTF-8 bytes).
        guard text.utf8.count <= 4 * maxFragmentLength + 64 else { return false }
        let start = text.unicodeScalars.drop(while: \.properties.isWhitespace)
        guard let first = start.first, start.count <= maxFragmentLength, !openingQuotes.contains(Character(first)),
              let last = start.last(where: { !$0.properties.isWhitespace }) else { return false }
        if first.properties.isLowercase { return true }
        return last == ":" || last == ","
    }

    /// True when the paragraph is a bibliography entry: `Author, X. (2025, October 7). Title. Source. https://…` —
    /// a year in parentheses near its start, and a link or a book reference (ISBN, pages).
    public static func isReferenceEntry(_ text: String) -> Bool {
        guard containsAny(text, of: ["http", "ISBN", "pp. "]) else { return false }
        let head = Array(text.unicodeScalars.prefix(120))
        guard head.count >= 6 else { return false }
        for i in 0..<(head.count - 5) where head[i] == "(" {
            let digits = head[(i + 1)...(i + 4)]
            guard digits.allSatisfy({ $0.properties.numericType == .decimal }) else { continue }
            let next = head[i + 5]
            if (head[i + 1] == "1" || head[i + 1] == "2") && (next == ")" || next == ",") { return true }
        }
        return false
    }

    /// Whether `text` holds one of the ASCII `needles`: a plain byte scan (Foundation's `contains` bridges to
    /// NSString, and the generic `firstRange(of:)` is slower still, on every candidate of every question).
    static func containsAny(_ text: String, of needles: [String]) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            needles.contains { needle in
                let n = Array(needle.utf8)
                guard let first = n.first, bytes.count >= n.count else { return false }
                var i = 0
                while i <= bytes.count - n.count {
                    if bytes[i] == first && bytes[i..<(i + n.count)].elementsEqual(n) { return true }
                    i += 1
                }
                return false
            }
        }
    }

    /// What a neighbouring paragraph lends a passage.
    public enum Kind: Sendable, Equatable {
        /// The paragraph naming the speaker of the passage's quotation.
        case attribution
        /// The quotation the passage (an attribution fragment) introduces or attributes.
        case quotation
        /// The paragraph before one that opens on a subject pronoun (`Il a indiqué que…`): its names are who
        /// the pronoun stands for.
        case antecedent
        /// For a byline, the title of the article and the words that say what a byline is (`bylineWords`).
        case byline
    }

    /// What a byline says about the name in it, in the words questions use for it.
    public static let bylineWords = "auteur article écrit rédigé journaliste"

    /// True when the paragraph is a byline: a short « Par Prénom Nom » (or « By … »).
    public static func isByline(_ text: String) -> Bool {
        let start = text.unicodeScalars.drop(while: \.properties.isWhitespace)
        guard start.count <= 80 else { return false }
        let words = String(start).split(separator: " ", omittingEmptySubsequences: true)
        guard words.count >= 2, words.count <= 6, words[0] == "Par" || words[0] == "By" else { return false }
        return words[1].first?.isUppercase ?? false
    }

    static func startsLowercase(_ text: String) -> Bool {
        text.first(where: { !$0.isWhitespace })?.isLowercase ?? false
    }

    /// Subject pronouns that open a paragraph continuing about someone named just before.
    static let subjectPronouns: Set<String> = ["il", "elle", "ils", "elles"]

    /// True when the paragraph opens on a subject pronoun (`Il a ajouté…`).
    public static func opensOnPronoun(_ text: String) -> Bool {
        let start = text.drop(while: \.isWhitespace)
        guard start.first?.isUppercase ?? false else { return false }
        let first = start.prefix(while: \.isLetter)
        return first.count <= 5 && subjectPronouns.contains(first.lowercased())
    }

    /// The neighbouring paragraphs that give `text` its speaker or its quotation: for a quotation, an adjacent
    /// attribution fragment (the one after it when it continues the quotation's sentence; else the one before
    /// it, which introduces it or attributes the quotation just before, which the same speaker goes on); for a
    /// fragment, the quotation it attributes or introduces; for a paragraph opening on a subject pronoun, the
    /// paragraph before; for a byline, `title` (its document's) and `bylineWords`. `previous` and `next` are the paragraphs right before and after in the same document
    /// (nil at its edges).
    public static func context(of text: String, previous: String?, next: String?,
                               title: String? = nil) -> [(text: String, kind: Kind)] {
        var out: [(text: String, kind: Kind)] = []
        if isByline(text) {
            if let title { out.append((title, .byline)) }
            out.append((bylineWords, .byline))
        } else if isQuotation(text) {
            // Its own attribution after it names its speaker; only without one does the fragment before count.
            if let next, isFragment(next), startsLowercase(next) {
                out.append((next, .attribution))
            } else if let previous, isFragment(previous) {
                out.append((previous, .attribution))
            }
        } else if isFragment(text) {
            let lowercaseStart = startsLowercase(text)
            if lowercaseStart, let previous, isQuotation(previous) { out.append((previous, .quotation)) }
            if !lowercaseStart || out.isEmpty, let next, isQuotation(next) { out.append((next, .quotation)) }
        } else if opensOnPronoun(text), let previous {
            out.append((previous, .antecedent))
        }
        return out
    }
}
