import CSQLite
import Foundation

/// Builds and updates an index file from corpus files.
///
/// Incremental: unchanged files (same content hash) are skipped, changed ones replaced, files once indexed
/// from under one of the given roots that no longer exist are removed. Document frequencies and the posting
/// lists of the terms concerned are updated as passages come and go; vectors keep counts only (their idf part is
/// applied when read), so a run touches the rows of the passages it changes and not every vector. All writes of a run are one transaction (WAL mode: readers keep answering from
/// the last complete index); `--rebuild` writes a new file and renames it into place.
///
/// Memory stays bounded whatever the corpus size: `.jsonl` files are streamed line by line, passages are cut
/// and analysed in batches on every core (`IndexPipeline`) while the calling thread writes them with prepared
/// statements (`IndexWriting.swift`); only the vocabulary is held whole.
public final class Indexer {
    /// What a run did.
    public struct Summary: Sendable, Equatable {
        public var documents = 0, passages = 0, terms = 0
        public var added = 0, updated = 0, removed = 0, unchanged = 0, skipped = 0
        public var seconds = 0.0

        /// `indexed 1 document, 12 passages, 340 terms in 0.05 s`.
        public var line: String {
            "indexed \(Self.count(documents, "document")), \(Self.count(passages, "passage")), \(Self.count(terms, "term"))"
                + " in \(String(format: "%.2f", seconds)) s"
        }

        /// `line` with what changed: `(1 added, 0 updated, 0 removed, 0 unchanged, 0 skipped)`.
        public var detailedLine: String {
            line + " (\(added) added, \(updated) updated, \(removed) removed, \(unchanged) unchanged, \(skipped) skipped)"
        }

        static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
    }

    /// Progress of a run, for a progress bar: files done of total, passages written so far, and bytes of the
    /// files read so far of their total (the finer measure when one large passage file is being indexed).
    public struct Progress: Sendable {
        public var filesDone: Int, filesTotal: Int, passages: Int
        public var phase: String
        public var bytesDone = 0, bytesTotal = 0
    }

    public let indexPath: String
    public var analyzer = FrenchAnalyzer()
    public var chunker = Chunker()
    /// Called with each problem that does not stop the run (a skipped file), as one line.
    public var warn: (String) -> Void = { _ in }
    /// The MyThes thesaurus whose synonyms are stored for query expansion (nil: none).
    public var thesaurusPath: String? = Thesaurus.defaultPath
    /// How many meanings of a thesaurus entry give synonyms (see `Thesaurus.chosen`; 0: all), and whether a
    /// synonym must share a word class with its head (through the lexicon at `lexiconPath`).
    public var thesaurusSenses = Thesaurus.defaultSenses
    public var thesaurusByWordClass = true
    /// Where the thesaurus, once read, is kept for the next runs (`Thesaurus.Compiled`; nil: read it every run).
    public var thesaurusCacheFolder: String? = CacheDirectory.path
    /// The hunspell dictionary (path without `.aff`/`.dic`) whose lemmas and parts of speech are stored for
    /// each word of the vocabulary (nil: none; see `FrenchLexicon`, `LexiconForms`).
    public var lexiconPath: String? = FrenchLexicon.defaultPath
    public var progress: (Progress) -> Void = { _ in }

    public init(indexPath: String) {
        self.indexPath = indexPath
    }

    // MARK: - running

    /// Indexes `roots` (files or folders) into the index file.
    ///
    /// A first build (no file, or an empty one) and `rebuild` write a new file beside the index
    /// (`<index>.rebuild-PID`) and rename it into place when the run succeeds: an interrupted run leaves the
    /// index as it was (or absent), and the next run removes what it left. A file that is not a kzqa index is
    /// never written into nor replaced, unless `force`.
    /// - throws: `KZQAError.notAnIndex` for such a file; `.indexBusy` while another run holds the lock.
    public func run(roots: [String], rebuild: Bool = false, force: Bool = false) throws -> Summary {
        let started = Date()
        let files = try CorpusFiles.list(roots)
        let rootPaths = roots.map { CorpusFiles.realPath(CorpusFiles.normalize($0)) }
        if case .foreign(let reason) = IndexFile.kind(of: indexPath), !force {
            throw KZQAError.notAnIndex(path: indexPath, reason: reason)
        }
        let folder = (indexPath as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            catch { throw KZQAError.indexReadOnly(path: indexPath) }
        }
        let lock = try IndexLock(indexPath: indexPath)
        defer { lock.release() }
        removeAbandonedBuilds()

        // Told again under the lock: another run may have just built the index.
        let fresh: Bool
        switch IndexFile.kind(of: indexPath) {
        case .missing, .empty: fresh = true
        case .kzqa: fresh = rebuild
        case .foreign(let reason):
            guard force else { throw KZQAError.notAnIndex(path: indexPath, reason: reason) }
            fresh = true
        }
        let target = fresh ? indexPath + Self.buildSuffix + "\(getpid())" : indexPath
        if fresh { try? FileManager.default.removeItem(atPath: target) }
        var summary: Summary
        do {
            let db = try open(target, checkExisting: !fresh, fresh: fresh)
            summary = try db.transaction { try update(db: db, files: files, roots: rootPaths, fresh: fresh) }
            if fresh { try db.execute("PRAGMA journal_mode = WAL") }
            try finish(db)
        } catch let e as SQLiteError {
            if fresh { try? FileManager.default.removeItem(atPath: target) }
            throw storageError(e)
        } catch {
            if fresh { try? FileManager.default.removeItem(atPath: target) }
            throw error
        }
        if fresh {
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: indexPath + suffix) }
            guard rename(target, indexPath) == 0 else {
                try? FileManager.default.removeItem(atPath: target)
                throw KZQAError.storage(path: indexPath, reason: "cannot move the new index into place (\(String(cString: strerror(errno))))")
            }
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// What a new file being built is named after: `<index>.rebuild-PID`.
    static let buildSuffix = ".rebuild-"

    /// Removes the files a killed run building a new index left beside it. Called under the lock: no other run
    /// is building one, so every such file is abandoned.
    func removeAbandonedBuilds() {
        let folder = (indexPath as NSString).deletingLastPathComponent
        let prefix = (indexPath as NSString).lastPathComponent + Self.buildSuffix
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        for name in names where name.hasPrefix(prefix) {
            try? FileManager.default.removeItem(atPath: folder.isEmpty ? name : (folder as NSString).appendingPathComponent(name))
        }
    }

    func storageError(_ e: SQLiteError) -> KZQAError {
        switch e.code & 0xff {
        case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM: return .indexReadOnly(path: indexPath)
        case SQLITE_BUSY, SQLITE_LOCKED: return .indexBusy(path: indexPath)
        case SQLITE_FULL: return .storage(path: indexPath, reason: "the disk is full")
        default: return .indexUnreadable(path: indexPath, reason: IndexStore.reason(e), sources: IndexFile.sources(of: indexPath))
        }
    }

    /// Opens the file being written. A `fresh` one (the new file of `--rebuild`, renamed into place only when
    /// the run succeeds) needs no journal: a failed run deletes it. It is built without the secondary indexes
    /// of `passages`, created at the end in one sorted pass (see `update`).
    func open(_ path: String, checkExisting: Bool, fresh: Bool = false) throws -> SQLiteDatabase {
        let existed = FileManager.default.fileExists(atPath: path)
            && ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) > 0
        let db: SQLiteDatabase
        do { db = try SQLiteDatabase(path: path) } catch let e as SQLiteError { throw storageError(e) }
        if existed && checkExisting {
            try IndexStore.checkVersion(db: db, path: path)
        }
        do {
            if fresh {
                // Rows are appended in order, so a small page cache does; sorting for the indexes goes to
                // temporary files rather than memory. FTS5 keeps up to 8 MB of postings before writing a
                // segment (1 MB by default): fewer segments.
                try db.execute("""
                    PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE;
                    PRAGMA cache_size = -32768; PRAGMA foreign_keys = OFF;
                    """)
                try db.execute(IndexSchema.createSQL)
                try db.execute("PRAGMA application_id = \(IndexSchema.applicationID)")
                try db.execute("DROP INDEX IF EXISTS passages_doc; DROP INDEX IF EXISTS passages_pid;")
                // No merging while loading: one 'optimize' at the end merges every segment once (see `update`).
                try db.execute("""
                    INSERT INTO passages_fts(passages_fts, rank) VALUES('hashsize', 8388608);
                    INSERT INTO passages_fts(passages_fts, rank) VALUES('automerge', 0);
                    INSERT INTO passages_fts(passages_fts, rank) VALUES('crisismerge', 200);
                    """)
            } else {
                try db.execute("""
                    PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;
                    PRAGMA cache_size = -131072; PRAGMA foreign_keys = OFF;
                    """)
                try db.execute(IndexSchema.createSQL)
                try db.execute("PRAGMA application_id = \(IndexSchema.applicationID)")
            }
        } catch let e as SQLiteError { throw storageError(e) }
        return db
    }

    func finish(_ db: SQLiteDatabase) throws {
        try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    // MARK: - the transaction

    /// The whole run inside its transaction. Reading and analysis run on another thread (`IndexPipeline`, every
    /// core) while this one writes; the vocabulary lives in memory (proportional to the vocabulary, not to
    /// passages); once every passage is in, the terms, the postings (`PostingsWriter`) and the synonyms are
    /// written. `fresh`: a new file opened by `open(fresh: true)`.
    func update(db: SQLiteDatabase, files: [String], roots: [String], fresh: Bool = false) throws -> Summary {
        phaseTimer.lap("start")
        var summary = Summary()
        // Loaded even when nothing changes: reading the whole vocabulary is also what tells a damaged index
        // (`kzqa index` must then fail and suggest --rebuild rather than report it unchanged).
        var vocab: TermTable? = try TermTable(db: db)
        var known: [String: IndexPipeline.KnownDocument] = [:]
        // Documents are known by their real path: two spellings of a path name one document.
        let docs = try db.prepare("SELECT id, real_path, hash FROM documents")
        while try docs.step() { known[docs.text(1)] = .init(id: docs.int(0), hash: docs.text(2)) }
        docs.reset()

        let postings = try PostingsWriter(db: db)
        // Documents gone from under the given roots (`roots`: real paths).
        let present = Set(files.map(CorpusFiles.realPath))
        for (path, doc) in known where !present.contains(path) && roots.contains(where: { CorpusFiles.isUnder(path, root: $0) }) {
            if vocab == nil { vocab = try TermTable(db: db) }
            try deleteDocument(doc.id, db: db, vocab: &vocab!, postings: postings)
            summary.removed += 1
        }

        let pipeline = IndexPipeline(files: files, known: known, analyzer: analyzer, chunker: chunker)
        let forms = try LexiconForms(db: db)
        let passagesWritten = try writeStream(pipeline, db: db, vocab: &vocab, postings: postings, forms: forms, summary: &summary)
        phaseTimer.lap("passages")
        // The phases after the last passage, named on the progress bar (they may take seconds on a large corpus).
        func phase(_ name: String) {
            progress(Progress(filesDone: files.count, filesTotal: files.count, passages: passagesWritten, phase: name))
        }

        // Any passage added or removed changes N, hence every idf, even when no term's df changed
        // (a passage with no index term, e.g. a line of punctuation).
        let dirty = (vocab?.anyChanged ?? false) || summary.removed + summary.added + summary.updated > 0
        if dirty, let vocab {
            // The thesaurus is read, and the new forms looked up in the lexicon, on other threads while the terms
            // and postings are written.
            let lexicon = try lexiconPath.map(FrenchLexicon.loaded)
            let synonyms = startSynonyms(vocabulary: vocab.vocabulary)
            forms.startLookups(lexicon: lexicon)
            do {
                phase("writing terms")
                try writeTerms(vocab, db: db)
                phaseTimer.lap("terms")
                phase("writing postings")
                try postings.finish(vocab: vocab)
                phaseTimer.lap("postings")
            } catch {
                synonyms.done.wait()
                forms.waitForLookups()
                throw error
            }
            phase("storing synonyms")
            try writeSynonyms(synonyms, db: db)
            phaseTimer.lap("synonyms")
            try forms.write(db: db, lexicon: lexicon)
            phaseTimer.lap("lexicon")
        }
        if fresh {
            phase("merging the full-text index")
            // One FTS5 segment instead of the dozens a bulk load leaves: queries read fewer b-trees
            // (about 1 s at 1M passages; query latency p50/p95 down ~15%).
            try db.execute("""
                INSERT INTO passages_fts(passages_fts) VALUES('optimize');
                INSERT INTO passages_fts(passages_fts, rank) VALUES('automerge', 4);
                INSERT INTO passages_fts(passages_fts, rank) VALUES('crisismerge', 16);
                """)  // FTS5's defaults again, for later incremental runs
            phaseTimer.lap("optimize")
            phase("creating indexes")
            try db.execute(IndexSchema.createSQL)  // the indexes left out by `open(fresh:)`
        }
        phaseTimer.lap("indexes")
        let total = try db.scalarInt("SELECT count(*) FROM passages") ?? 0
        var stored: [String: String] = [:]
        let read = try db.prepare("SELECT key, value FROM meta")
        while try read.step() { stored[read.text(0)] = read.text(1) }
        read.reset()
        let sources = IndexFile.mergeSources(fresh ? [] : IndexFile.decodeSources(stored["sources"]), roots)
        var meta: [(String, String)] = [
            ("schema_version", IndexSchema.version), ("analyzer", IndexSchema.analyzer),
            ("max_passage_characters", String(chunker.maxCharacters)), ("sources", IndexFile.encodeSources(sources)),
        ]
        // The statistics are computed again only when passages changed (a full scan of the vectors).
        if dirty || stored["passages"] == nil || stored["average_length"] == nil {
            meta.append(("passages", String(total)))
            meta.append(("average_length", String(try db.scalarText("SELECT coalesce(avg(length), 1) FROM vectors") ?? "1")))
        }
        for (k, v) in meta where stored[k] != v {
            try db.run("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", .text(k), .text(v))
        }
        summary.documents = Int(try db.scalarInt("SELECT count(*) FROM documents") ?? 0)
        summary.passages = Int(total)
        summary.terms = Int(try db.scalarInt("SELECT count(*) FROM terms") ?? 0)
        phaseTimer.lap("meta")
        phase("saving")
        return summary
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
