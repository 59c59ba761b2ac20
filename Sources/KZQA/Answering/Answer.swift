/// A numbered citation: the exact quote of a sentence and where it stands in its source file.
public struct Citation: Sendable, Codable, Equatable {
    public var n: Int
    public var passageID: String
    public var source: String
    public var title: String
    /// UTF-8 byte offsets into `source`: its bytes `[start, end)` decode to exactly `quote`.
    public var start: Int
    public var end: Int
    public var quote: String
    /// Paragraph number of the passage in its document.
    public var paragraph: Int

    enum CodingKeys: String, CodingKey {
        case n, passageID = "passage_id", source, title, start, end, quote
    }

    public init(n: Int, passageID: String, source: String, title: String, start: Int, end: Int, quote: String, paragraph: Int) {
        self.n = n
        self.passageID = passageID
        self.source = source
        self.title = title
        self.start = start
        self.end = end
        self.quote = quote
        self.paragraph = paragraph
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        n = try c.decode(Int.self, forKey: .n)
        passageID = try c.decode(String.self, forKey: .passageID)
        source = try c.decode(String.self, forKey: .source)
        title = try c.decode(String.self, forKey: .title)
        start = try c.decode(Int.self, forKey: .start)
        end = try c.decode(Int.self, forKey: .end)
        quote = try c.decode(String.self, forKey: .quote)
        paragraph = 0
    }
}

/// A passage listed under an answer, as `kzqa ask --json` prints it.
public struct AnswerPassage: Sendable, Codable, Equatable {
    public var rank: Int
    public var passageID: String
    public var source: String
    public var score: Double
    public var text: String

    enum CodingKeys: String, CodingKey {
        case rank, passageID = "passage_id", source, score, text
    }
}

/// The exact answer span inside the sentence of one citation: a name, a number with its unit, a date, a place, a
/// noun phrase or the clause that answers. The source's bytes `[start, end)` decode to exactly `text`.
public struct ShortAnswer: Sendable, Codable, Equatable {
    public var text: String
    /// The `n` of the citation whose sentence holds the span.
    public var citation: Int
    public var source: String
    public var start: Int
    public var end: Int

    public init(text: String, citation: Int, source: String, start: Int, end: Int) {
        self.text = text
        self.citation = citation
        self.source = source
        self.start = start
        self.end = end
    }
}

/// kzqa's reply to one question: the composed answer with its citations, or an abstention, and the
/// passages it looked at. Encodes to the `kzqa ask --json` contract.
public struct Answer: Sendable, Codable {
    public var question: String
    public var answer: String
    public var abstained: Bool
    /// How sure kzqa is that `answer` answers the question, 0…1 (abstains below the calibrated threshold).
    public var confidence: Double
    public var citations: [Citation]
    public var passages: [AnswerPassage]
    /// The exact answer span, nil when abstained or when no span can be singled out.
    public var shortAnswer: ShortAnswer? = nil
    /// The language the question was read in: "fr" or "en".
    public var language: String = "fr"

    enum CodingKeys: String, CodingKey {
        case question, answer, abstained, confidence, shortAnswer = "short_answer", language, citations, passages
    }

    /// The plain sentence given instead of a guess.
    public static let abstention = "Les articles indexés ne répondent pas à cette question."
}
