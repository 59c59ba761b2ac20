import CSQLite
import Foundation
import XCTest
@testable import KZQA

/// Helpers for the indexer tests: temporary folders, an indexer that records its warnings, raw SQLite
/// access that does not go through the code under test, and an independent recomputation of every
/// statistic an index stores (df, N, term counts, TF-IDF weights).
enum IndexFixtures {
    // MARK: - Files and folders

    /// The package root, found from this file's path (Tests/KZQATests/IndexFixtures.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // KZQATests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root

    /// The seeds folder of the package, as an absolute path.
    static var seedsFolder: String { packageRoot.appendingPathComponent("seeds").path }

    /// A new empty folder under the system temporary directory, removed when `test` ends.
    static func temporaryFolder(for test: XCTestCase, _ label: String = "kzqa-index-tests") throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    /// Writes `text` (UTF-8) to `folder/name`, creating intermediate folders; returns the full path.
    @discardableResult
    static func write(_ text: String, to name: String, in folder: String) throws -> String {
        try write(Array(text.utf8), to: name, in: folder)
    }

    @discardableResult
    static func write(_ bytes: [UInt8], to name: String, in folder: String) throws -> String {
        let path = folder + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func bytes(of path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    // MARK: - Indexers

    /// Collects the warnings an indexer reports.
    final class WarningLog: @unchecked Sendable {
        private let lock = NSLock()
        private var _lines: [String] = []
        var lines: [String] { lock.lock(); defer { lock.unlock() }; return _lines }
        func append(_ line: String) { lock.lock(); _lines.append(line); lock.unlock() }
    }

    /// An indexer on `indexPath` without thesaurus (fast), whose warnings go to `log`.
    static func indexer(_ indexPath: String, log: WarningLog? = nil) -> Indexer {
        let indexer = Indexer(indexPath: indexPath)
        indexer.thesaurusPath = nil
        if let log { indexer.warn = { log.append($0) } }
        return indexer
    }

    /// Indexes `roots` into `indexPath` and returns the summary.
    @discardableResult
    static func index(_ roots: [String], into indexPath: String, rebuild: Bool = false, log: WarningLog? = nil) throws -> Indexer.Summary {
        try indexer(indexPath, log: log).run(roots: roots, rebuild: rebuild)
    }

    // MARK: - Raw SQLite (CSQLite only, independent of the code under test)

    enum Value: Equatable, CustomStringConvertible {
        case null, int(Int64), double(Double), text(String), blob([UInt8])

        var description: String {
            switch self {
            case .null: return "NULL"
            case .int(let v): return String(v)
            case .double(let v): return String(v)
            case .text(let s): return s.debugDescription
            case .blob(let b): return "x'" + b.map { String(format: "%02x", $0) }.joined() + "'"
            }
        }

        var int: Int64? { if case .int(let v) = self { return v }; return nil }
        var text: String? { if case .text(let v) = self { return v }; return nil }
        var blob: [UInt8]? { if case .blob(let v) = self { return v }; return nil }
    }

    struct RawError: Error, CustomStringConvertible {
        let code: Int32, message: String
        var description: String { "SQLite \(code): \(message)" }
    }

    /// A plain sqlite3 connection.
    final class Raw {
        let handle: OpaquePointer

        init(_ path: String, readOnly: Bool = true) throws {
            var db: OpaquePointer?
            let flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
            let rc = sqlite3_open_v2(path, &db, flags, nil)
            guard rc == SQLITE_OK, let db else {
                let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
                if let db { sqlite3_close_v2(db) }
                throw RawError(code: rc, message: message)
            }
            handle = db
            sqlite3_busy_timeout(db, 5000)
        }

        deinit { sqlite3_close_v2(handle) }

        /// Every row of `sql`, each column as a `Value`.
        func query(_ sql: String) throws -> [[Value]] {
            var stmt: OpaquePointer?
            guard sqlite3_prepare_v2(handle, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
                throw RawError(code: sqlite3_errcode(handle), message: String(cString: sqlite3_errmsg(handle)))
            }
            defer { sqlite3_finalize(stmt) }
            var rows: [[Value]] = []
            while true {
                let rc = sqlite3_step(stmt)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else {
                    throw RawError(code: rc, message: String(cString: sqlite3_errmsg(handle)))
                }
                var row: [Value] = []
                for c in 0..<sqlite3_column_count(stmt) {
                    switch sqlite3_column_type(stmt, c) {
                    case SQLITE_NULL: row.append(.null)
                    case SQLITE_INTEGER: row.append(.int(sqlite3_column_int64(stmt, c)))
                    case SQLITE_FLOAT: row.append(.double(sqlite3_column_double(stmt, c)))
                    case SQLITE_TEXT:
                        let n = Int(sqlite3_column_bytes(stmt, c))
                        let p = sqlite3_column_text(stmt, c)!
                        row.append(.text(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)))
                    default:
                        let n = Int(sqlite3_column_bytes(stmt, c))
                        if n == 0 { row.append(.blob([])); continue }
                        let p = sqlite3_column_blob(stmt, c)!.assumingMemoryBound(to: UInt8.self)
                        row.append(.blob(Array(UnsafeBufferPointer(start: p, count: n))))
                    }
                }
                rows.append(row)
            }
            return rows
        }

        func execute(_ sql: String) throws {
            var err: UnsafeMutablePointer<CChar>?
            let rc = sqlite3_exec(handle, sql, nil, nil, &err)
            guard rc == SQLITE_OK else {
                let message = err.map { String(cString: $0) } ?? "error"
                sqlite3_free(err)
                throw RawError(code: rc, message: message)
            }
        }

        func scalar(_ sql: String) throws -> Value? { try query(sql).first?.first }
    }

    /// Every row of every table of the index (blobs in hex), one string a row, table by table.
    static func dump(_ indexPath: String) throws -> [String] {
        let db = try Raw(indexPath)
        var out: [String] = []
        let tables: [(String, String)] = [
            ("meta", "SELECT * FROM meta ORDER BY key"),
            ("documents", "SELECT * FROM documents ORDER BY id"),
            ("passages", "SELECT * FROM passages ORDER BY id"),
            ("passages_fts", "SELECT rowid, terms FROM passages_fts ORDER BY rowid"),
            ("terms", "SELECT * FROM terms ORDER BY id"),
            ("vectors", "SELECT * FROM vectors ORDER BY passage_id"),
            ("synonyms", "SELECT * FROM synonyms ORDER BY term, synonym"),
            ("passage_analysis", "SELECT * FROM passage_analysis ORDER BY passage_id"),
        ]
        for (name, sql) in tables {
            for row in try db.query(sql) { out.append(name + "|" + row.map(\.description).joined(separator: "|")) }
        }
        return out
    }

    // MARK: - Reading an index back

    /// A decoded vector blob (count: UInt32, ids: Int32 × count, values: Float32 × count, little endian),
    /// decoded here rather than with `SparseVector(blob:)` so the layout itself is checked.
    static func decodeVector(_ blob: [UInt8]) -> (ids: [Int32], values: [Float])? {
        func u32(_ at: Int) -> UInt32 {
            UInt32(blob[at]) | UInt32(blob[at + 1]) << 8 | UInt32(blob[at + 2]) << 16 | UInt32(blob[at + 3]) << 24
        }
        guard blob.count >= 4 else { return nil }
        let n = Int(u32(0))
        guard blob.count == 4 + 8 * n else { return nil }
        let ids = (0..<n).map { Int32(bitPattern: u32(4 + 4 * $0)) }
        let values = (0..<n).map { Float(bitPattern: u32(4 + 4 * n + 4 * $0)) }
        return (ids, values)
    }

    /// One passage row joined with its document, its FTS terms and its vectors.
    struct StoredPassage {
        var rowid: Int64
        var docID: Int64
        var path: String
        var pid: String
        var title: String
        var paragraph: Int
        var start: Int, end: Int
        var text: String
        var ftsTerms: String?
        var length: Int?
        var tf: [Int32: Float]?
        /// The TF-IDF weights `IndexStore.vectors` gives (nil when it cannot read them).
        var weights: [Int32: Float]?
        var weightsIsNull: Bool
    }

    struct Snapshot {
        var passages: [StoredPassage]
        var termIDs: [String: Int32]
        var termText: [Int32: String]
        var df: [String: Int]
        var meta: [String: String]
        var documents: [String: (id: Int64, title: String, hash: String, bytes: Int64)]

        /// The passages of one document path, in rowid order.
        func passages(of path: String) -> [StoredPassage] { passages.filter { $0.path == path } }

        /// The stored weights of a passage keyed by term text.
        func weightsByTerm(_ p: StoredPassage) -> [String: Float] {
            var out: [String: Float] = [:]
            for (id, w) in p.weights ?? [:] { out[termText[id] ?? "#\(id)"] = w }
            return out
        }

        var passageCount: Int { passages.count }
    }

    static func snapshot(_ indexPath: String) throws -> Snapshot {
        let db = try Raw(indexPath)
        var termIDs: [String: Int32] = [:], termText: [Int32: String] = [:], df: [String: Int] = [:]
        for row in try db.query("SELECT id, term, df FROM terms") {
            let id = Int32(row[0].int!), term = row[1].text!
            termIDs[term] = id
            termText[id] = term
            df[term] = Int(row[2].int!)
        }
        var meta: [String: String] = [:]
        for row in try db.query("SELECT key, value FROM meta") { meta[row[0].text!] = row[1].text! }
        var documents: [String: (id: Int64, title: String, hash: String, bytes: Int64)] = [:]
        for row in try db.query("SELECT id, path, title, hash, bytes FROM documents") {
            documents[row[1].text!] = (row[0].int!, row[2].text!, row[3].text!, row[4].int!)
        }
        let rows = try db.query("""
            SELECT p.id, p.doc_id, d.path, p.pid, p.title, p.paragraph, p.start, p.end, p.text,
                   f.terms, v.length, v.tf
            FROM passages p LEFT JOIN documents d ON d.id = p.doc_id
            LEFT JOIN passages_fts f ON f.rowid = p.id
            LEFT JOIN vectors v ON v.passage_id = p.id
            ORDER BY p.id
            """)
        func sparse(_ v: Value) -> [Int32: Float]? {
            guard let blob = v.blob, let d = decodeVector(blob) else { return nil }
            return Dictionary(uniqueKeysWithValues: zip(d.ids, d.values))
        }
        // The weights are those the engine reads: computed from the counts with N and the dfs when read.
        let store = try? IndexStore(path: indexPath)
        let passages = rows.map { r in
            let weights = (try? store?.vectors(rowid: r[0].int!))??.weights
            return StoredPassage(rowid: r[0].int!, docID: r[1].int!, path: r[2].text ?? "<no document>", pid: r[3].text!,
                                 title: r[4].text!, paragraph: Int(r[5].int!), start: Int(r[6].int!), end: Int(r[7].int!),
                                 text: r[8].text!, ftsTerms: r[9].text, length: r[10].int.map(Int.init), tf: sparse(r[11]),
                                 weights: weights.map { Dictionary(uniqueKeysWithValues: zip($0.ids, $0.values)) },
                                 weightsIsNull: weights == nil)
        }
        return Snapshot(passages: passages, termIDs: termIDs, termText: termText, df: df, meta: meta, documents: documents)
    }

    // MARK: - Independent recomputation

    /// `ln((1 + N) / (1 + df)) + 1`, in Double.
    static func idf(n: Int, df: Int) -> Double { log(Double(1 + n) / Double(1 + df)) + 1 }

    /// `1 + ln(count)`, in Double.
    static func tf(_ count: Double) -> Double { 1 + log(count) }

    /// L2-normalised TF-IDF weights of `counts` (term → count) given df and N.
    static func expectedWeights(counts: [String: Int], df: [String: Int], n: Int) -> [String: Double] {
        var raw: [String: Double] = [:]
        for (term, c) in counts { raw[term] = tf(Double(c)) * idf(n: n, df: df[term] ?? 0) }
        let norm = raw.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? raw.mapValues { $0 / norm } : raw
    }

    /// Checks everything an index stores about its passages against a recomputation from the passage texts:
    /// the FTS terms are the analyser's index terms; the tf blob holds their counts; `terms` holds exactly
    /// the terms present with their df (number of passages containing them; no df-0 rows); meta `passages`
    /// is N; every weights vector the engine reads is the normalised TF-IDF of its counts under the *current* N and df.
    static func assertConsistent(_ indexPath: String, accuracy: Double = 1e-5, analyzer: FrenchAnalyzer = FrenchAnalyzer(),
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        let s = try snapshot(indexPath)
        let n = s.passages.count
        XCTAssertEqual(s.meta["passages"], String(n), "meta passages is not the number of passages", file: file, line: line)
        XCTAssertEqual(s.meta["schema_version"], IndexSchema.version, file: file, line: line)
        let db = try Raw(indexPath)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM vectors")?.int, Int64(n), "vectors rows ≠ passages", file: file, line: line)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM passages_fts")?.int, Int64(n), "fts rows ≠ passages", file: file, line: line)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM passages WHERE doc_id NOT IN (SELECT id FROM documents)")?.int, 0,
                       "passages without a document", file: file, line: line)

        var expectedDF: [String: Int] = [:]
        var countsOf: [Int64: [String: Int]] = [:]
        for p in s.passages {
            let terms = analyzer.indexTerms(p.text)
            XCTAssertEqual(p.ftsTerms, terms.joined(separator: " "), "\(p.pid): FTS terms", file: file, line: line)
            XCTAssertEqual(p.length, terms.count, "\(p.pid): length", file: file, line: line)
            var counts: [String: Int] = [:]
            for t in terms { counts[t, default: 0] += 1 }
            countsOf[p.rowid] = counts
            for t in counts.keys { expectedDF[t, default: 0] += 1 }
            // The tf blob: the same counts, keyed by the ids of the terms table.
            var stored: [String: Int] = [:]
            for (id, c) in p.tf ?? [:] { stored[s.termText[id] ?? "#\(id)"] = Int(c) }
            XCTAssertNotNil(p.tf, "\(p.pid): no or malformed tf blob", file: file, line: line)
            XCTAssertEqual(stored, counts, "\(p.pid): stored term counts", file: file, line: line)
        }
        XCTAssertEqual(s.df, expectedDF, "terms table (term → df) differs from a recount over the passages", file: file, line: line)
        XCTAssertFalse(s.df.values.contains { $0 <= 0 }, "terms with df 0 are left in the table", file: file, line: line)

        for p in s.passages {
            let expected = expectedWeights(counts: countsOf[p.rowid] ?? [:], df: expectedDF, n: n)
            XCTAssertFalse(p.weightsIsNull, "\(p.pid): weights were never computed", file: file, line: line)
            let got = s.weightsByTerm(p)
            XCTAssertEqual(Set(got.keys), Set(expected.keys), "\(p.pid): weight terms", file: file, line: line)
            for (term, w) in expected {
                guard let g = got[term] else { continue }
                XCTAssertEqual(Double(g), w, accuracy: accuracy, "\(p.pid): weight of \(term) (N = \(n), df = \(expectedDF[term] ?? 0))",
                               file: file, line: line)
            }
        }
    }

    /// Every passage of a text document: the file's bytes `[start, end)` decode to exactly its text.
    static func assertOffsetsReproduceSource(_ indexPath: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let s = try snapshot(indexPath)
        var cache: [String: [UInt8]] = [:]
        for p in s.passages where !p.path.lowercased().hasSuffix(".jsonl") {
            if cache[p.path] == nil { cache[p.path] = try bytes(of: p.path) }
            let b = cache[p.path]!
            guard 0 <= p.start, p.start < p.end, p.end <= b.count else {
                XCTFail("\(p.pid): bad range \(p.start)..<\(p.end) for a \(b.count)-byte file", file: file, line: line)
                continue
            }
            XCTAssertEqual(String(decoding: b[p.start..<p.end], as: UTF8.self), p.text,
                           "\(p.pid): bytes \(p.start)..<\(p.end) of \(p.path) are not its text", file: file, line: line)
        }
    }
}
