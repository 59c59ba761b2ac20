/// A run of whole sentences from one paragraph of one document: the unit kzqa indexes, ranks and cites.
public struct Passage: Hashable, Sendable {
    /// Stable identifier: `<file stem>:<paragraph>.<part>` for text files, the record id for JSONL.
    public var id: String
    /// The source path as given at indexing time.
    public var source: String
    public var title: String
    /// 1-based paragraph number in the document (the record number for JSONL).
    public var paragraph: Int
    /// UTF-8 byte offsets: the source file's bytes `[start, end)` are exactly `text`
    /// (for JSONL records, offsets into the record's `text` value).
    public var start: Int
    public var end: Int
    public var text: String

    public init(id: String, source: String, title: String, paragraph: Int, start: Int, end: Int, text: String) {
        self.id = id
        self.source = source
        self.title = title
        self.paragraph = paragraph
        self.start = start
        self.end = end
        self.text = text
    }
}
