import CSQLite
import Foundation

/// The vocabulary of an indexing run: every term's id and df, in arrays indexed by id (ids are dense:
/// 1, 2, 3… in order of first sight, never reused), written back at the end.
struct TermTable {
    private(set) var ids: [String: Int32] = [:]
    /// Term of each id ("" for an id no longer used); index 0 is unused.
    private(set) var terms: [String] = [""]
    private(set) var df: [Int32] = [0]
    private(set) var changed: [Bool] = [false]
    private(set) var anyChanged = false

    var nextID: Int32 { Int32(terms.count) }

    /// Loads every term of the index.
    init(db: SQLiteDatabase) throws {
        let s = try db.prepare("SELECT id, term, df FROM terms ORDER BY id")
        while try s.step() {
            let id = Int(s.int(0))
            guard id > 0 else { continue }
            if id >= terms.count {
                let grow = id + 1 - terms.count
                terms.append(contentsOf: repeatElement("", count: grow))
                df.append(contentsOf: repeatElement(0, count: grow))
                changed.append(contentsOf: repeatElement(false, count: grow))
            }
            let term = s.text(1)
            terms[id] = term
            df[id] = Int32(clamping: s.int(2))
            ids[term] = Int32(id)
        }
    }

    mutating func id(for term: String) -> Int32 {
        if let id = ids[term] { return id }
        let id = Int32(terms.count)
        ids[term] = id
        terms.append(term)
        df.append(0)
        changed.append(false)
        return id
    }

    mutating func adjust(_ id: Int32, by delta: Int32) {
        df[Int(id)] += delta
        changed[Int(id)] = true
        anyChanged = true
    }

    /// Terms that occur in at least one passage.
    var vocabulary: Set<String> {
        var out = Set<String>(minimumCapacity: ids.count)
        for id in 1..<terms.count where df[id] > 0 { out.insert(terms[id]) }
        return out
    }
}

/// The prepared statements that write one passage, bound without intermediate values.
final class PassageStatements {
    let db: SQLiteDatabase
    let passage: SQLiteStatement, fts: SQLiteStatement, vector: SQLiteStatement, document: SQLiteStatement
    let analysis: SQLiteStatement
    private var blob: [UInt8] = []
    private var pairs: [(id: Int32, count: Int32)] = []

    let postings: PostingsWriter

    init(db: SQLiteDatabase, postings: PostingsWriter) throws {
        self.db = db
        self.postings = postings
        passage = try db.prepare("INSERT INTO passages(doc_id, pid, title, paragraph, start, end, text) VALUES (?, ?, ?, ?, ?, ?, ?)")
        fts = try db.prepare("INSERT INTO passages_fts(rowid, terms) VALUES (?, ?)")
        // Counts only: the TF-IDF weights are computed when read (`IndexStore.vectors`), from N and the dfs then.
        vector = try db.prepare("INSERT INTO vectors(passage_id, length, tf) VALUES (?, ?, ?)")
        document = try db.prepare("INSERT INTO documents(path, real_path, title, hash, bytes, standalone) VALUES (?, ?, ?, ?, ?, ?)")
        analysis = try db.prepare("INSERT INTO passage_analysis(passage_id, sentences, context) VALUES (?, ?, ?)")
    }

    func insertDocument(_ f: IndexedFile) throws -> Int64 {
        document.bindText(1, f.path)
        document.bindText(2, f.realPath)
        document.bindText(3, f.title)
        document.bindText(4, f.hash)
        document.bindInt(5, Int64(f.bytes))
        document.bindInt(6, f.standalone ? 1 : 0)
        try document.run()
        return db.lastInsertRowID
    }

    /// Writes a passage row, its FTS5 row and its counts, and counts its terms in `vocab`.
    func insert(_ a: AnalyzedPassage, docID: Int64, vocab: inout TermTable) throws {
        let p = a.passage
        passage.bindInt(1, docID)
        passage.bindText(2, p.id)
        passage.bindText(3, p.title)
        passage.bindInt(4, Int64(p.paragraph))
        passage.bindInt(5, Int64(p.start))
        passage.bindInt(6, Int64(p.end))
        passage.bindText(7, p.text)
        try passage.run()
        let rowid = db.lastInsertRowID
        fts.bindInt(1, rowid)
        fts.bindText(2, a.ftsText)
        try fts.run()

        // The blob of `SparseVector(counts:).encoded()`: ids ascending, counts as floats.
        pairs.removeAll(keepingCapacity: true)
        for (term, count) in zip(a.terms, a.counts) {
            let id = vocab.id(for: term)
            vocab.adjust(id, by: 1)
            pairs.append((id, count))
        }
        pairs.sort { $0.id < $1.id }
        try postings.add(rowid: rowid, length: a.length, pairs: pairs)
        blob.removeAll(keepingCapacity: true)
        func put(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { blob.append(contentsOf: $0) } }
        put(UInt32(pairs.count))
        for p in pairs { put(UInt32(bitPattern: p.id)) }
        for p in pairs { put(Float(p.count).bitPattern) }
        vector.bindInt(1, rowid)
        vector.bindInt(2, Int64(a.length))
        vector.bindBlob(3, blob)
        try vector.run()
        analysis.bindInt(1, rowid)
        analysis.bindBlob(2, a.sentences)
        if let loan = a.loan { analysis.bindBlob(3, loan) } else { analysis.bindNull(3) }
        try analysis.run()
    }
}

extension SQLiteStatement {
    func bindInt(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(stmt, index, value)
    }

    func bindText(_ index: Int32, _ value: String) {
        var s = value
        s.withUTF8 { p in
            if let base = p.baseAddress {
                base.withMemoryRebound(to: CChar.self, capacity: p.count) {
                    _ = sqlite3_bind_text(stmt, index, $0, Int32(p.count), SQLITE_TRANSIENT)
                }
            } else {
                _ = sqlite3_bind_text(stmt, index, "", 0, SQLITE_TRANSIENT)
            }
        }
    }

    func bindBlob(_ index: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(stmt, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count), SQLITE_TRANSIENT)
        }
    }

    func bindNull(_ index: Int32) {
        sqlite3_bind_null(stmt, index)
    }

    /// Steps a statement that returns no rows, then resets it.
    func run() throws {
        defer { sqlite3_reset(stmt) }
        _ = try step()
    }
}

extension Indexer {
    /// Consumes the events of `pipeline` (which runs on its own thread) and writes them: documents, passages,
    /// FTS5 rows, counts. Returns the number of passages written.
    /// `vocab` is loaded from the index when the first file to index arrives, if it was not yet.
    func writeStream(_ pipeline: IndexPipeline, db: SQLiteDatabase, vocab: inout TermTable?, postings: PostingsWriter,
                     forms: LexiconForms, summary: inout Summary) throws -> Int {
        let fm = FileManager.default
        let totalBytes = pipeline.files.reduce(0) { $0 + ((try? fm.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        let statements = try PassageStatements(db: db, postings: postings)
        let channel = IndexChannel()
        let finished = pipeline.start(into: channel)
        var written = 0, filesDone = 0, inFile = false, docID: Int64 = 0, bytesDone = 0
        func fileDone() {
            if inFile { filesDone += 1; inFile = false }
        }
        func report() {
            progress(Progress(filesDone: filesDone, filesTotal: pipeline.files.count, passages: written,
                              phase: "indexing", bytesDone: bytesDone, bytesTotal: totalBytes))
        }
        do {
            report()
            while let event = channel.pop() {
                switch event {
                case .unchanged:
                    summary.unchanged += 1
                    fileDone()
                    filesDone += 1
                    report()
                case .skipped(let message):
                    warn(message)
                    summary.skipped += 1
                    fileDone()
                    filesDone += 1
                    report()
                case .failed(let error):
                    throw error
                case .file(let f):
                    fileDone()
                    inFile = true
                    if vocab == nil { vocab = try TermTable(db: db) }
                    if let old = f.replaces {
                        try deleteDocument(old, db: db, vocab: &vocab!, postings: postings)
                        summary.updated += 1
                    } else {
                        summary.added += 1
                    }
                    docID = try statements.insertDocument(f)
                    report()
                case .items(let items, let done):
                    for item in items {
                        switch item {
                        case .warning(let message):
                            warn(message)
                        case .passage(let a):
                            try statements.insert(a, docID: docID, vocab: &vocab!)
                            forms.add(a.newForms)
                            written += 1
                            if written % 1000 == 0 { bytesDone = done; report() }
                        }
                    }
                    bytesDone = done
                }
            }
        } catch {
            channel.cancel()
            finished.wait()
            throw error
        }
        finished.wait()
        var cpu = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu)
        phaseTimer.note(String(format: "analysis waited %.2f s for the writer, the writer %.2f s for analysis; writer thread CPU %.2f s",
                               channel.pushWait, channel.popWait, Double(cpu.tv_sec) + Double(cpu.tv_nsec) / 1e9))
        return written
    }

    /// Removes a document, its passages, FTS5 rows and vectors, and uncounts its terms.
    func deleteDocument(_ docID: Int64, db: SQLiteDatabase, vocab: inout TermTable, postings: PostingsWriter) throws {
        let rows = try db.prepare("SELECT p.id, v.tf FROM passages p LEFT JOIN vectors v ON v.passage_id = p.id WHERE p.doc_id = ?")
        try rows.bind([.int(docID)])
        var ids: [Int64] = []
        while try rows.step() {
            ids.append(rows.int(0))
            let tf = rows.withBlob(1, { SparseVector(blob: $0) })
            if let tf {
                for id in tf.ids where id > 0 && id < vocab.nextID { vocab.adjust(id, by: -1) }
            }
            try postings.remove(rowid: rows.int(0), termIDs: tf?.ids ?? [])
        }
        rows.reset()
        for id in ids {
            try db.run("DELETE FROM passages_fts WHERE rowid = ?", .int(id))
            try db.run("DELETE FROM vectors WHERE passage_id = ?", .int(id))
            try db.run("DELETE FROM passage_analysis WHERE passage_id = ?", .int(id))
        }
        try db.run("DELETE FROM passages WHERE doc_id = ?", .int(docID))
        try db.run("DELETE FROM documents WHERE id = ?", .int(docID))
    }

    /// Writes the terms whose df changed (a term no passage holds any more is deleted).
    func writeTerms(_ vocab: TermTable, db: SQLiteDatabase) throws {
        let upsert = try db.prepare("INSERT INTO terms(id, term, df) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET df = excluded.df")
        let delete = try db.prepare("DELETE FROM terms WHERE id = ?")
        for id in 1..<vocab.terms.count where vocab.changed[id] {
            if vocab.df[id] <= 0 {
                delete.bindInt(1, Int64(id))
                try delete.run()
            } else {
                upsert.bindInt(1, Int64(id))
                upsert.bindText(2, vocab.terms[id])
                upsert.bindInt(3, Int64(vocab.df[id]))
                try upsert.run()
            }
        }
    }

    /// Starts computing the thesaurus pairs of `vocabulary` on another thread; `wait()` gives them.
    func startSynonyms(vocabulary: Set<String>) -> SynonymTask {
        let task = SynonymTask()
        guard let path = thesaurusPath else { task.done.signal(); return task }
        let analyzer = self.analyzer, senses = thesaurusSenses, cacheFolder = thesaurusCacheFolder
        let lexicon = thesaurusByWordClass ? lexiconPath.flatMap { try? FrenchLexicon.loaded(path: $0) } : nil
        let box = UncheckedBox(vocabulary)
        Thread {
            do {
                task.pairs = try Thesaurus.pairs(path: path, vocabulary: box.value, senses: senses, lexicon: lexicon, analyzer: analyzer,
                                             cacheFolder: cacheFolder)
            } catch {
                task.error = "\(error)"
            }
            task.done.signal()
        }.start()
        return task
    }

    /// Replaces the synonym table with the pairs a `SynonymTask` found.
    func writeSynonyms(_ task: SynonymTask, db: SQLiteDatabase) throws {
        task.done.wait()
        try db.execute("DELETE FROM synonyms")
        if let error = task.error { warn("no synonyms: \(error)"); return }
        let insert = try db.prepare("INSERT OR IGNORE INTO synonyms(term, synonym, rank) VALUES (?, ?, ?)")
        for (rank, (term, synonym)) in task.pairs.enumerated() {
            insert.bindText(1, term)
            insert.bindText(2, synonym)
            insert.bindInt(3, Int64(rank))
            try insert.run()
        }
    }
}

/// Thesaurus pairs computed on another thread while the writer finishes the index.
final class SynonymTask: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    var pairs: [(String, String)] = []
    var error: String?
}

/// Phase timings on stderr when `KZQA_INDEX_TIMING` is set (a diagnostic for scale work).
let phaseTimer = PhaseTimer()
final class PhaseTimer: @unchecked Sendable {
    let enabled = ProcessInfo.processInfo.environment["KZQA_INDEX_TIMING"] != nil
    private var last = Date()
    func note(_ line: String) {
        if enabled { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    func lap(_ name: String) {
        guard enabled else { return }
        let now = Date()
        FileHandle.standardError.write(Data(String(format: "%@ %.2f s\n", name, now.timeIntervalSince(last)).utf8))
        last = now
    }
}
