/// Strips French elided articles and pronouns: `l’intelligence` → `intelligence`, `jusqu'à` → `à`.
///
/// Both the typographic apostrophe ’ and the ASCII ' are recognised (the tokenizer's folding already
/// mapped ’ to ' in terms). The token's start offset moves past the elided prefix, so its byte range is
/// still exactly its surface form in the original text.
public struct ElisionFilter: TokenFilter {
    /// Elided forms, without the apostrophe.
    public static let articles: Set<String> = ["l", "d", "j", "m", "n", "s", "t", "c", "qu",
                                               "jusqu", "lorsqu", "puisqu", "quoiqu"]

    public init() {}

    public func apply(_ tokens: [Token]) -> [Token] {
        tokens.map(strip)
    }

    func strip(_ token: Token) -> Token {
        // A byte search: `'` is ASCII, so its UTF-8 index is a valid index of the term (a Character search
        // would run grapheme breaking over every word).
        guard token.kind == .word || token.kind == .compound || token.kind == .acronym,
              let apostrophe = token.term.utf8.firstIndex(of: 0x27) else { return token }
        let prefix = String(token.term[..<apostrophe])
        guard Self.articles.contains(prefix) else { return token }
        let rest = String(token.term[token.term.index(after: apostrophe)...])
        guard !rest.isEmpty else { return token }
        // Find the same apostrophe in the surface (it may be ’, 3 bytes) to move the start offset.
        let surfaceScalars = token.surface.unicodeScalars
        guard let surfaceApostrophe = surfaceScalars.firstIndex(where: Tokenizer.isApostrophe) else { return token }
        let afterApostrophe = surfaceScalars.index(after: surfaceApostrophe)
        let skipped = token.surface.unicodeScalars[..<afterApostrophe].reduce(0) { $0 + UTF8.width($1) }
        var out = token
        out.term = rest
        out.surface = String(surfaceScalars[afterApostrophe...])
        out.start += skipped
        if out.kind == .acronym || (out.kind == .word && Self.isAcronym(out.surface)) { out.kind = .acronym }
        return out
    }

    static func isAcronym(_ s: String) -> Bool {
        let n = s.unicodeScalars.count
        return n >= 2 && n <= 6 && s.unicodeScalars.allSatisfy { $0.properties.isUppercase }
    }
}
