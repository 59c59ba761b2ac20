import CSQLite
import Foundation

/// One kzqa index file: opens it (checking its schema version), and reads passages, term statistics,
/// FTS5 candidates and TF-IDF vectors for the query engine. Writing is the `Indexer`'s job.
///
/// Opened once per process; statements are prepared once and reused.
public final class IndexStore {
    public let path: String
    let db: SQLiteDatabase
    /// Number of passages, the N of idf.
    public private(set) var passageCount: Int = 0
    /// Mean passage length in index terms, the avgdl of BM25.
    public private(set) var averageLength: Double = 1
    /// Whether any document's passages have neighbours (a text file, not a JSONL passage file).
    public private(set) var hasTextDocuments = true
    /// The postings, passage lengths and term dfs of `PostingsSchema`.
    public private(set) lazy var postings = PostingsReader(store: self)

    /// Opens an existing index for reading.
    /// - throws: `KZQAError.indexMissing`, `.indexUnreadable` (not SQLite, corrupt), `.indexIncompatible`.
    public init(path: String) throws {
        self.path = path
        switch IndexFile.kind(of: path) {
        case .missing: throw KZQAError.indexMissing(path: path)
        case .empty: throw KZQAError.indexUnreadable(path: path, reason: "the file is empty")
        case .foreign(let reason): throw KZQAError.notAnIndex(path: path, reason: reason)
        case .kzqa: break
        }
        do {
            db = try SQLiteDatabase(path: path, readOnly: true)
            try db.execute("PRAGMA query_only = 1; PRAGMA mmap_size = 0; PRAGMA cache_size = -32768")
        } catch let e as SQLiteError {
            throw KZQAError.indexUnreadable(path: path, reason: Self.reason(e), sources: IndexFile.sources(of: path))
        }
        try Self.checkVersion(db: db, path: path)
        passageCount = Int((try? db.scalarInt("SELECT count(*) FROM passages")) ?? 0)
        averageLength = Double((try? db.scalarText("SELECT value FROM meta WHERE key = 'average_length'")) ?? "") ?? 1
        hasTextDocuments = ((try? db.scalarInt("SELECT EXISTS(SELECT 1 FROM documents WHERE standalone = 0)")) ?? 1) != 0
    }

    /// Verifies the file is a kzqa index of this schema version.
    static func checkVersion(db: SQLiteDatabase, path: String) throws {
        let version: String?
        do {
            version = try db.scalarText("SELECT value FROM meta WHERE key = 'schema_version'")
        } catch let e as SQLiteError {
            throw KZQAError.indexUnreadable(path: path, reason: reason(e), sources: IndexFile.sources(of: path))
        }
        guard let version else {
            throw KZQAError.indexUnreadable(path: path, reason: "it has no schema version", sources: IndexFile.sources(of: path))
        }
        guard version == IndexSchema.version else {
            throw KZQAError.indexIncompatible(path: path, found: version, expected: IndexSchema.version, sources: IndexFile.sources(of: path))
        }
        // Terms made by another analysis would not match the questions' terms: refuse rather than answer badly.
        if let analyzer = try? db.scalarText("SELECT value FROM meta WHERE key = 'analyzer'"), analyzer != IndexSchema.analyzer {
            throw KZQAError.indexIncompatible(path: path, found: "\(version), analyzer \(analyzer)",
                                              expected: "\(IndexSchema.version), analyzer \(IndexSchema.analyzer)",
                                              sources: IndexFile.sources(of: path))
        }
    }

    static func reason(_ e: SQLiteError) -> String {
        switch e.code & 0xff {
        case SQLITE_NOTADB: return "not an SQLite database"
        case SQLITE_CORRUPT: return "the file is corrupt"
        case SQLITE_CANTOPEN: return "it cannot be opened"
        case SQLITE_ERROR: return "it is not a kzqa index"
        case SQLITE_BUSY, SQLITE_LOCKED: return "it is locked by another process"
        case SQLITE_IOERR: return "reading it failed with an input/output error"
        case SQLITE_PERM, SQLITE_AUTH: return "permission denied"
        case SQLITE_READONLY: return "it is read-only"
        case SQLITE_FULL: return "the disk is full"
        case SQLITE_NOMEM: return "out of memory"
        default: return "SQLite code \(e.code)"
        }
    }

    func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as SQLiteError {
            // Damage found while reading calls for a rebuild, like damage found when opening.
            switch e.code & 0xff {
            case SQLITE_CORRUPT, SQLITE_NOTADB:
                throw KZQAError.indexUnreadable(path: path, reason: Self.reason(e), sources: IndexFile.sources(of: path))
            default: throw KZQAError.storage(path: path, reason: Self.reason(e))
            }
        }
    }

    /// A term's id and document frequency, or nil when the index does not have it.
    public func term(_ term: String) throws -> (id: Int32, df: Int)? {
        try wrap { try db.fetchOne("SELECT id, df FROM terms WHERE term = ?", [.text(term)]) { (Int32($0.int(0)), Int($0.int(1))) } }
    }

    /// Index terms starting with `prefix`, most frequent first.
    public func terms(withPrefix prefix: String, limit: Int) throws -> [String] {
        try wrap {
            try db.fetchAll("SELECT term FROM terms WHERE term >= ? AND term < ? ORDER BY df DESC, term LIMIT ?",
                            [.text(prefix), .text(prefix + "\u{FFFF}"), .int(Int64(limit))]) { $0.text(0) }
        }
    }

    /// What the index's lexicon table says of a word form (folded: `Folding.fold`): the form's index term and
    /// its lexical entry; nil when the indexed text never had that form (see `LexiconForms`).
    public func lexicalEntry(form: String) throws -> (term: String, entry: LexicalEntry)? {
        try wrap {
            let s = try db.prepare("SELECT term, known, readings FROM lexicon WHERE form = ?")
            defer { s.reset() }
            try s.bind([.text(form)])
            guard try s.step() else { return nil }
            return (s.text(0), LexicalEntry(isKnown: s.int(1) != 0, storedReadings: s.text(2)))
        }
    }

    /// The index terms of the forms whose lemma is `lemma` (folded), most frequent first: `nommer` →
    /// `nomm`; `élire` → `elu`, `elir`. Only terms the index still holds.
    public func terms(ofLemma lemma: String, limit: Int) throws -> [String] {
        try wrap {
            let s = try db.prepare("""
                SELECT l.term FROM lemmas l JOIN terms t ON t.term = l.term
                WHERE l.lemma = ? AND t.df > 0 ORDER BY t.df DESC, l.term LIMIT ?
                """)
            defer { s.reset() }
            try s.bind([.text(lemma), .int(Int64(limit))])
            var out: [String] = []
            while try s.step() { out.append(s.text(0)) }
            return out
        }
    }

    /// Thesaurus synonyms of a stem that the index holds (see `Thesaurus`).
    public func synonyms(of term: String, limit: Int) throws -> [String] {
        try wrap {
            try db.fetchAll("SELECT synonym FROM synonyms WHERE term = ? ORDER BY rank LIMIT ?", [.text(term), .int(Int64(limit))]) { $0.text(0) }
        }
    }

    /// Whether the thesaurus stored in the index has an entry for `stem` (what `dictionaryStems` holds).
    public func isDictionaryStem(_ stem: String) throws -> Bool {
        try wrap { (try db.scalarInt("SELECT EXISTS(SELECT 1 FROM synonyms WHERE term = ?)", .text(stem)) ?? 0) != 0 }
    }

    /// All stems the thesaurus stored in the index knows (as a word or a synonym).
    public func dictionaryStems() throws -> Set<String> {
        try wrap { Set(try db.fetchAll("SELECT DISTINCT term FROM synonyms") { $0.text(0) }) }
    }

    /// Row ids matching an already-built MATCH expression, in rowid order, without ranking (fast: no score is
    /// computed, and reading stops after `limit` rows).
    public func rowids(match: String, limit: Int) throws -> [Int64] {
        try wrap {
            try db.fetchAll("SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? LIMIT ?", [.text(match), .int(Int64(limit))]) { $0.int(0) }
        }
    }

    /// The stored passage of an internal row id.
    public func passage(rowid: Int64) throws -> Passage? {
        try wrap {
            try db.fetchOne("""
                SELECT p.pid, d.path, p.title, p.paragraph, p.start, p.end, p.text
                FROM passages p JOIN documents d ON d.id = p.doc_id WHERE p.id = ?
                """, [.int(rowid)]) { s in
                Passage(id: s.text(0), source: s.text(1), title: s.text(2), paragraph: Int(s.int(3)),
                        start: Int(s.int(4)), end: Int(s.int(5)), text: s.text(6))
            }
        }
    }

    /// A passage's text and title with the texts of the paragraphs right before and after it in its document (nil at the
    /// document's edges): what `NeighbourContext` reads a quotation's speaker from. Nil for a passage that stands
    /// alone (`documents.standalone`, set at indexing time for records of JSONL passage files).
    public func neighbourhood(rowid: Int64) throws -> (text: String, title: String, previous: String?, next: String?)? {
        try wrap {
            // Passages are stored in document order: the neighbours are the rows right before and after, when
            // they belong to the same document and the adjacent paragraphs (primary-key lookups only).
            try db.fetchOne("""
                SELECT p.text, p.title,
                  (SELECT q.text FROM passages q WHERE q.id = p.id - 1 AND q.doc_id = p.doc_id AND q.paragraph = p.paragraph - 1),
                  (SELECT q.text FROM passages q WHERE q.id = p.id + 1 AND q.doc_id = p.doc_id AND q.paragraph = p.paragraph + 1)
                FROM passages p JOIN documents d ON d.id = p.doc_id WHERE p.id = ? AND d.standalone = 0
                """, [.int(rowid)]) { s in
                (s.text(0), s.text(1), s.isNull(2) ? nil : s.text(2), s.isNull(3) ? nil : s.text(3))
            }
        }
    }

    /// The passages of the first `paragraphs` paragraphs of the documents holding `rowids` (title, byline, lead);
    /// none for passages that stand alone.
    public func leadPassages(of rowids: [Int64], paragraphs: Int) throws -> [Int64] {
        try wrap {
            var out: [Int64] = [], seen = Set<Int64>(), documents = Set<Int64>()
            for rowid in rowids {
                // Each document once: the candidates often share a few documents.
                guard let doc = try db.fetchOne("""
                    SELECT p.doc_id FROM passages p JOIN documents d ON d.id = p.doc_id WHERE p.id = ? AND d.standalone = 0
                    """, [.int(rowid)], row: { $0.int(0) }), documents.insert(doc).inserted else { continue }
                let ids = try db.fetchAll("SELECT id FROM passages WHERE doc_id = ? AND paragraph <= ? ORDER BY id",
                                          [.int(doc), .int(Int64(paragraphs))]) { $0.int(0) }
                for id in ids where seen.insert(id).inserted { out.append(id) }
            }
            return out
        }
    }

    /// A passage's FTS5 text (its analysed terms) read from the table's content shadow table by primary key
    /// (`passages_fts_content`, column `c0`: SQLite's documented layout for an FTS5 table with its own content):
    /// the same value as `SELECT terms FROM passages_fts WHERE rowid = ?`, without going through the FTS5 module
    /// (some 11,000 instructions a read).
    static let storedTermsSQL = "SELECT c0 FROM passages_fts_content WHERE id = ?"

    /// The analysed terms of a passage as stored in FTS5 (in order, compounds included).
    public func passageTerms(rowid: Int64) throws -> [String] {
        try wrap {
            try db.fetchOne(Self.storedTermsSQL, [.int(rowid)]) { s -> [String]? in
                guard !s.isNull(0), let p = sqlite3_column_text(s.stmt, 0) else { return [] }
                // Split the UTF-8 bytes on spaces directly: String.split by Character is slow on long texts.
                let bytes = UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(s.stmt, 0)))
                return bytes.split(separator: 0x20).map { String(decoding: UnsafeBufferPointer(rebasing: $0), as: UTF8.self) }
            } ?? []
        }
    }

    /// Calls `body` with each analysed term of a passage as stored in FTS5 (its position and its UTF-8 bytes, valid
    /// only inside the call): `passageTerms` without making a string of every term.
    public func forEachPassageTerm(rowid: Int64, _ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) throws {
        try wrap {
            _ = try db.fetchOne(Self.storedTermsSQL, [.int(rowid)]) { s -> Bool? in
                guard !s.isNull(0), let p = sqlite3_column_text(s.stmt, 0) else { return true }
                // Terms are the runs between spaces, walked in place (no array of slices is made).
                let bytes = UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(s.stmt, 0)))
                var position = 0, start = 0
                for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x20 {
                    if i > start {
                        body(position, UnsafeBufferPointer(rebasing: bytes[start..<i]))
                        position += 1
                    }
                    start = i + 1
                }
                return true
            }
        }
    }

    /// A passage's term counts, its length in terms, and its normalised TF-IDF vector (computed from the counts
    /// with N and the dfs of this snapshot: `SparseVector.tfidf`, so that adding passages re-weights nothing).
    public func vectors(rowid: Int64) throws -> (counts: SparseVector, length: Int, weights: SparseVector)? {
        let found = try wrap {
            try db.fetchOne("SELECT tf, length FROM vectors WHERE passage_id = ?", [.int(rowid)]) { s in
                s.withBlob(0, { SparseVector(blob: $0) }).map { ($0, Int(s.int(1))) }
            }
        }
        guard let (counts, length) = found else { return nil }
        let df = try postings.documentFrequencies(), n = passageCount
        // `TFIDF.idf` of each term's df (1 for a term no passage holds), computed in place: a logarithm costs
        // less than looking a memo up through the reader's stored properties.
        return (counts, length, counts.tfidf { id in
            let i = Int(id)
            guard i > 0, i < df.count, df[i] > 0 else { return 1 }
            return TFIDF.idf(documents: n, documentFrequency: Int(df[i]))
        })
    }

    /// Every document path with its stored hash.
    public func documents() throws -> [(path: String, hash: String)] {
        try wrap { try db.fetchAll("SELECT path, hash FROM documents ORDER BY path") { ($0.text(0), $0.text(1)) } }
    }

    /// Every passage row id, in order (for tests and full scans).
    public func allPassageRowIDs() throws -> [Int64] {
        try wrap { try db.fetchAll("SELECT id FROM passages ORDER BY id") { $0.int(0) } }
    }

    /// A meta value written at indexing time.
    public func meta(_ key: String) throws -> String? {
        try wrap { try db.scalarText("SELECT value FROM meta WHERE key = ?", .text(key)) }
    }
}
