/// An in-memory FTS5 table tokenized exactly as an index's `passages_fts`, holding one document at a time: what the
/// fuzzing checks run `FTS5Pattern` output against, so that their SQL stays in the Store with the index's.
public final class FTS5Scratch {
    private let db: SQLiteDatabase

    public init() throws {
        db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE VIRTUAL TABLE passages_fts USING fts5(\(IndexSchema.ftsColumns));")
    }

    /// Makes `terms` (space-separated index terms) the table's only document.
    public func replace(with terms: String) throws {
        try db.execute("DELETE FROM passages_fts")
        try db.run("INSERT INTO passages_fts(rowid, terms) VALUES (1, ?)", .text(terms))
    }

    /// The number of documents an FTS5 MATCH expression selects (0 or 1).
    /// - throws: `SQLiteError` when the expression is not valid FTS5.
    @discardableResult
    public func count(matching pattern: String) throws -> Int64 {
        try db.scalarInt("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?", .text(pattern)) ?? 0
    }
}
