/// One unit of analysed text: what it said, where it stood, and the term it is matched by.
///
/// Offsets are UTF-8 byte offsets into the text the tokenizer read, so `text.utf8[start..<end]` is exactly
/// the surface form. Filters change `term` and flags, never the offsets of a token they keep
/// (elision narrows the token — surface and start — to the word after the apostrophe, which is still a byte
/// range of the original).
public struct Token: Hashable, Sendable {
    /// What kind of run of characters the tokenizer saw.
    public enum Kind: String, Sendable {
        case word, number, acronym, symbol
        /// A hyphenated word written as one term (`e-Gov` → `egov`), emitted beside its parts.
        case compound
    }

    /// The surface form, as written in the original text.
    public var surface: String
    /// The matching form: folded and, after the stem filter, stemmed.
    public var term: String
    public var start: Int
    public var end: Int
    /// Ordinal of the token in its text (compounds share the position of their first part).
    public var position: Int
    public var kind: Kind
    public var isStopword: Bool

    public init(surface: String, term: String, start: Int, end: Int, position: Int, kind: Kind, isStopword: Bool = false) {
        self.surface = surface
        self.term = term
        self.start = start
        self.end = end
        self.position = position
        self.kind = kind
        self.isStopword = isStopword
    }
}

/// A step of analysis that rewrites a stream of tokens (like the filters of a search-engine analyzer).
public protocol TokenFilter: Sendable {
    func apply(_ tokens: [Token]) -> [Token]
}
