import CSQLite
import Foundation

/// Builds and updates an index file from corpus files.
///
/// Incremental: unchanged files (same content hash) are skipped, changed ones replaced, files once indexed
/// from under one of the given roots that no longer exist are removed. Document frequencies are updated
/// as passages come and go, and every TF-IDF vector is re-weighted in one pass at the end, so IDF and
/// vectors always agree. All writes of a run are one transaction (WAL mode: readers keep answering from
/// the last complete index); `--rebuild` writes a new file and renames it into place.
public final class Indexer {
    /// What a run did.
    public struct Summary: Sendable, Equatable {
        public var documents = 0, passages = 0, terms = 0
        public var added = 0, updated = 0, removed = 0, unchanged = 0, skipped = 0
        public var seconds = 0.0
    }

    /// Progress of a run, for a progress bar: files done of total, passages written so far.
    public struct Progress: Sendable {
        public var filesDone: Int, filesTotal: Int, passages: Int
        public var phase: String
    }

    public let indexPath: String
    public var analyzer = FrenchAnalyzer()
    public var chunker = Chunker()
    /// Called with each problem that does not stop the run (a skipped file), as one line.
    public var warn: (String) -> Void = { _ in }
    /// The MyThes thesaurus whose synonyms are stored for query expansion (nil: none).
    public var thesaurusPath: String? = Thesaurus.defaultPath
    public var progress: (Progress) -> Void = { _ in }

    public init(indexPath: String) {
        self.indexPath = indexPath
    }

    // MARK: - running

    /// Indexes `roots` (files or folders) into the index file.
    public func run(roots: [String], rebuild: Bool = false) throws -> Summary {
        let started = Date()
        let files = try CorpusFiles.list(roots)
        let normalizedRoots = roots.map(CorpusFiles.normalize)
        let folder = (indexPath as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            catch { throw KZQAError.indexReadOnly(path: indexPath) }
        }
        let lock = try IndexLock(indexPath: indexPath)
        defer { lock.release() }

        let target = rebuild ? indexPath + ".rebuild-\(getpid())" : indexPath
        if rebuild { try? FileManager.default.removeItem(atPath: target) }
        var summary: Summary
        do {
            let db = try open(target, checkExisting: !rebuild)
            summary = try db.transaction { try update(db: db, files: files, roots: normalizedRoots) }
            try finish(db)
        } catch let e as SQLiteError {
            if rebuild { try? FileManager.default.removeItem(atPath: target) }
            throw storageError(e)
        } catch {
            if rebuild { try? FileManager.default.removeItem(atPath: target) }
            throw error
        }
        if rebuild {
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: indexPath + suffix) }
            guard rename(target, indexPath) == 0 else {
                try? FileManager.default.removeItem(atPath: target)
                throw KZQAError.storage(path: indexPath, reason: "cannot move the rebuilt index into place (\(String(cString: strerror(errno))))")
            }
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    func storageError(_ e: SQLiteError) -> KZQAError {
        switch e.code & 0xff {
        case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM: return .indexReadOnly(path: indexPath)
        case SQLITE_BUSY, SQLITE_LOCKED: return .indexBusy(path: indexPath)
        case SQLITE_FULL: return .storage(path: indexPath, reason: "the disk is full")
        default: return .indexUnreadable(path: indexPath, reason: IndexStore.reason(e))
        }
    }

    func open(_ path: String, checkExisting: Bool) throws -> SQLiteDatabase {
        let existed = FileManager.default.fileExists(atPath: path)
            && ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) ?? 0 > 0
        let db: SQLiteDatabase
        do { db = try SQLiteDatabase(path: path) } catch let e as SQLiteError { throw storageError(e) }
        if existed && checkExisting {
            try IndexStore.checkVersion(db: db, path: path)
        }
        do {
            try db.execute("""
                PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;
                PRAGMA cache_size = -131072; PRAGMA foreign_keys = OFF;
                """)
            try db.execute(IndexSchema.createSQL)
        } catch let e as SQLiteError { throw storageError(e) }
        return db
    }

    func finish(_ db: SQLiteDatabase) throws {
        try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    // MARK: - the transaction

    /// Vocabulary state for one run: every term's id and df, kept in memory (proportional to the vocabulary,
    /// not to passages), written back at the end.
    struct Vocabulary {
        var ids: [String: Int32] = [:]
        var df: [Int32: Int] = [:]
        var changed: Set<Int32> = []
        var nextID: Int32 = 1

        mutating func id(for term: String) -> Int32 {
            if let id = ids[term] { return id }
            let id = nextID
            nextID += 1
            ids[term] = id
            df[id] = 0
            return id
        }

        mutating func adjust(_ id: Int32, by delta: Int) {
            df[id, default: 0] += delta
            changed.insert(id)
        }
    }

    func update(db: SQLiteDatabase, files: [String], roots: [String]) throws -> Summary {
        var summary = Summary()
        var vocab = Vocabulary()
        let load = try db.prepare("SELECT id, term, df FROM terms")
        while try load.step() {
            let id = Int32(load.int(0))
            vocab.ids[load.text(1)] = id
            vocab.df[id] = Int(load.int(2))
            vocab.nextID = max(vocab.nextID, id + 1)
        }
        var known: [String: (id: Int64, hash: String)] = [:]
        let docs = try db.prepare("SELECT id, path, hash FROM documents")
        while try docs.step() { known[docs.text(1)] = (docs.int(0), docs.text(2)) }

        // Documents gone from under the given roots.
        let present = Set(files)
        for (path, doc) in known where !present.contains(path) && roots.contains(where: { CorpusFiles.isUnder(path, root: $0) }) {
            try deleteDocument(doc.id, db: db, vocab: &vocab)
            summary.removed += 1
        }

        var passagesWritten = 0
        for (n, file) in files.enumerated() {
            progress(Progress(filesDone: n, filesTotal: files.count, passages: passagesWritten, phase: "indexing"))
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            } catch {
                warn("skipped \(file): it cannot be read (\(error.localizedDescription))")
                summary.skipped += 1
                continue
            }
            let hash = ContentHash.of(bytes)
            if let doc = known[file], doc.hash == hash { summary.unchanged += 1; continue }
            guard let text = String(validating: bytes, as: UTF8.self), !bytes.contains(0) else {
                warn("skipped \(file): it is not UTF-8 text")
                summary.skipped += 1
                continue
            }
            if let doc = known[file] {
                try deleteDocument(doc.id, db: db, vocab: &vocab)
                summary.updated += 1
            } else {
                summary.added += 1
            }
            let passages = file.lowercased().hasSuffix(".jsonl")
                ? jsonlPassages(text, source: file)
                : chunker.passages(of: text, source: file)
            let title = file.lowercased().hasSuffix(".jsonl") ? (file as NSString).lastPathComponent : Chunker.title(of: text)
            try db.run("INSERT INTO documents(path, title, hash, bytes) VALUES (?, ?, ?, ?)",
                       .text(file), .text(title), .text(hash), .int(Int64(bytes.count)))
            let docID = db.lastInsertRowID
            for p in passages {
                try insert(p, docID: docID, db: db, vocab: &vocab)
                passagesWritten += 1
                if passagesWritten % 1000 == 0 {
                    progress(Progress(filesDone: n, filesTotal: files.count, passages: passagesWritten, phase: "indexing"))
                }
            }
        }
        progress(Progress(filesDone: files.count, filesTotal: files.count, passages: passagesWritten, phase: "weighting"))

        // Any passage added or removed changes N, hence every idf, even when no term's df changed
        // (a passage with no index term, e.g. a line of punctuation).
        let dirty = !vocab.changed.isEmpty || summary.removed + summary.added + summary.updated > 0
        if dirty {
            try writeVocabulary(vocab, db: db)
            try reweight(db: db)
            try writeSynonyms(db: db)
        }
        let total = try db.scalarInt("SELECT count(*) FROM passages") ?? 0
        let meta: [(String, String)] = [
            ("schema_version", IndexSchema.version), ("analyzer", IndexSchema.analyzer),
            ("max_passage_characters", String(chunker.maxCharacters)), ("passages", String(total)),
            ("average_length", String(try db.scalarText("SELECT coalesce(avg(length), 1) FROM vectors") ?? "1")),
        ]
        for (k, v) in meta {
            try db.run("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", .text(k), .text(v))
        }
        summary.documents = Int(try db.scalarInt("SELECT count(*) FROM documents") ?? 0)
        summary.passages = Int(total)
        summary.terms = Int(try db.scalarInt("SELECT count(*) FROM terms") ?? 0)
        return summary
    }

    /// Passages of a JSONL passage file; invalid lines are reported with their number and skipped.
    func jsonlPassages(_ text: String, source: String) -> [Passage] {
        var out: [Passage] = []
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so Windows line endings are matched explicitly.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any],
                  let body = object["text"] as? String else {
                warn("\(source), line \(lineNumber): not a JSON object with a \"text\" string; line skipped")
                continue
            }
            let id = (object["id"] as? String) ?? (object["id"] as? Int).map(String.init) ?? "\(Chunker.idPrefix(for: source)):\(lineNumber)"
            let title = (object["title"] as? String) ?? (source as NSString).lastPathComponent
            out.append(contentsOf: chunker.passages(ofRecord: body, id: id, title: title, source: source, number: lineNumber))
        }
        return out
    }

    func insert(_ p: Passage, docID: Int64, db: SQLiteDatabase, vocab: inout Vocabulary) throws {
        let terms = analyzer.indexTerms(p.text)
        try db.run("INSERT INTO passages(doc_id, pid, title, paragraph, start, end, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   .int(docID), .text(p.id), .text(p.title), .int(Int64(p.paragraph)),
                   .int(Int64(p.start)), .int(Int64(p.end)), .text(p.text))
        let rowid = db.lastInsertRowID
        try db.run("INSERT INTO passages_fts(rowid, terms) VALUES (?, ?)", .int(rowid), .text(terms.joined(separator: " ")))
        var counts: [Int32: Int] = [:]
        for t in terms { counts[vocab.id(for: t), default: 0] += 1 }
        for id in counts.keys { vocab.adjust(id, by: 1) }
        let tf = SparseVector(counts: counts)
        try db.run("INSERT INTO vectors(passage_id, length, tf, weights) VALUES (?, ?, ?, NULL)",
                   .int(rowid), .int(Int64(terms.count)), .blob(Data(tf.encoded())))
    }

    func deleteDocument(_ docID: Int64, db: SQLiteDatabase, vocab: inout Vocabulary) throws {
        let rows = try db.prepare("SELECT p.id, v.tf FROM passages p LEFT JOIN vectors v ON v.passage_id = p.id WHERE p.doc_id = ?")
        try rows.bind([.int(docID)])
        var ids: [Int64] = []
        while try rows.step() {
            ids.append(rows.int(0))
            if let tf = rows.withBlob(1, { SparseVector(blob: $0) }) {
                for id in tf.ids { vocab.adjust(id, by: -1) }
            }
        }
        for id in ids {
            try db.run("DELETE FROM passages_fts WHERE rowid = ?", .int(id))
            try db.run("DELETE FROM vectors WHERE passage_id = ?", .int(id))
        }
        try db.run("DELETE FROM passages WHERE doc_id = ?", .int(docID))
        try db.run("DELETE FROM documents WHERE id = ?", .int(docID))
    }

    func writeVocabulary(_ vocab: Vocabulary, db: SQLiteDatabase) throws {
        var termOf: [Int32: String] = [:]
        for (term, id) in vocab.ids where vocab.changed.contains(id) { termOf[id] = term }
        for id in vocab.changed.sorted() {
            let df = vocab.df[id] ?? 0
            if df <= 0 {
                try db.run("DELETE FROM terms WHERE id = ?", .int(Int64(id)))
            } else if let term = termOf[id] {
                try db.run("INSERT INTO terms(id, term, df) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET df = excluded.df",
                           .int(Int64(id)), .text(term), .int(Int64(df)))
            }
        }
    }

    /// Replaces the synonym table with the thesaurus pairs whose synonym the vocabulary holds.
    func writeSynonyms(db: SQLiteDatabase) throws {
        try db.execute("DELETE FROM synonyms")
        guard let path = thesaurusPath else { return }
        var vocabulary = Set<String>()
        let s = try db.prepare("SELECT term FROM terms")
        while try s.step() { vocabulary.insert(s.text(0)) }
        let pairs: [(String, String)]
        do { pairs = try Thesaurus.pairs(path: path, vocabulary: vocabulary, analyzer: analyzer) } catch {
            warn("no synonyms: \(error)")
            return
        }
        for (rank, (term, synonym)) in pairs.enumerated() {
            try db.run("INSERT OR IGNORE INTO synonyms(term, synonym, rank) VALUES (?, ?, ?)", .text(term), .text(synonym), .int(Int64(rank)))
        }
    }

    /// Recomputes every passage's normalised TF-IDF weights from its counts and the current idf.
    func reweight(db: SQLiteDatabase) throws {
        let n = Int(try db.scalarInt("SELECT count(*) FROM passages") ?? 0)
        var idf: [Int32: Float] = [:]
        let terms = try db.prepare("SELECT id, df FROM terms")
        while try terms.step() { idf[Int32(terms.int(0))] = TFIDF.idf(documents: n, documentFrequency: Int(terms.int(1))) }
        // Read in rowid batches so memory stays bounded while rows are rewritten.
        var last: Int64 = 0
        while true {
            let read = try db.prepare("SELECT passage_id, tf FROM vectors WHERE passage_id > ? ORDER BY passage_id LIMIT 4096")
            try read.bind([.int(last)])
            var batch: [(Int64, SparseVector)] = []
            while try read.step() {
                if let tf = read.withBlob(1, { SparseVector(blob: $0) }) { batch.append((read.int(0), tf)) }
                last = read.int(0)
            }
            if batch.isEmpty { break }
            for (rowid, tf) in batch {
                let w = tf.tfidf { idf[$0] ?? 1 }
                try db.run("UPDATE vectors SET weights = ? WHERE passage_id = ?", .blob(Data(w.encoded())), .int(rowid))
            }
        }
    }
}

/// An exclusive advisory lock beside the index file (`<index>.lock`), held for a whole indexing run, so two
/// `kzqa index` runs on the same file never interleave: the second one refuses at once with a clear error.
final class IndexLock {
    private var fd: Int32

    init(indexPath: String) throws {
        let lockPath = indexPath + ".lock"
        fd = Foundation.open(lockPath, O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else {
            if errno == EACCES || errno == EROFS { throw KZQAError.indexReadOnly(path: indexPath) }
            throw KZQAError.storage(path: indexPath, reason: "cannot create \(lockPath) (\(String(cString: strerror(errno))))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            fd = -1
            throw KZQAError.indexBusy(path: indexPath)
        }
    }

    func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
