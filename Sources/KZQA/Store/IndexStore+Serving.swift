import CSQLite
import Foundation

/// A stored passage with the ids of the passages right before and after it in its document.
public struct PassageNeighbourhood: Sendable, Equatable {
    public var passage: Passage
    /// The previous and next passages of the same document (nil at its edges, and for JSONL records, which stand
    /// alone).
    public var previous: String?
    public var next: String?
}

/// What a long-running reader (`kzqa serve`) needs beyond one question: consistent snapshots while an indexer
/// commits, telling when the file changed under it, and passages looked up by their public id.
extension IndexStore {
    /// Runs `body` inside one read transaction: every query in it sees the same committed state of the index, even
    /// when `kzqa index` commits meanwhile (WAL readers keep their snapshot), and SQLite takes its locks once
    /// rather than once a statement (some 800 `fcntl` calls a question). Inside another snapshot it only runs
    /// `body`, in that one.
    public func readSnapshot<T>(_ body: () throws -> T) throws -> T {
        guard sqlite3_get_autocommit(db.handle) != 0 else { return try body() }
        try wrap { try db.execute("BEGIN DEFERRED") }
        do {
            let value = try body()
            try wrap { try db.execute("COMMIT") }
            return value
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    /// SQLite's `data_version` of this connection: it changes when another connection commits to the file. Read it
    /// inside `readSnapshot` to learn the version that snapshot shows.
    public func dataVersion() throws -> Int64 {
        try wrap { try db.scalarInt("PRAGMA data_version") ?? 0 }
    }

    /// The number of passages the current snapshot holds (`passageCount` is the figure read when the file was
    /// opened).
    public func storedPassageCount() throws -> Int {
        try wrap { Int(try db.scalarInt("SELECT count(*) FROM passages") ?? 0) }
    }

    /// The file identity (device and inode) of `path` now, nil when it cannot be read: a rebuilt index is renamed
    /// into place, so a new identity means this connection still reads the file it replaced.
    public static func fileIdentity(of path: String) -> FileIdentity? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// The passage whose public id is `id` (the first one when two documents share a file stem), with its
    /// neighbours in the same document; nil when there is none.
    public func passage(id: String) throws -> PassageNeighbourhood? {
        try wrap {
            let s = try db.prepare("""
                SELECT p.id, p.pid, d.path, p.title, p.paragraph, p.start, p.end, p.text, d.path LIKE '%.jsonl',
                  (SELECT q.pid FROM passages q WHERE q.id = p.id - 1 AND q.doc_id = p.doc_id),
                  (SELECT q.pid FROM passages q WHERE q.id = p.id + 1 AND q.doc_id = p.doc_id)
                FROM passages p JOIN documents d ON d.id = p.doc_id WHERE p.pid = ? ORDER BY p.id LIMIT 1
                """)
            defer { s.reset() }
            try s.bind([.text(id)])
            guard try s.step() else { return nil }
            let passage = Passage(id: s.text(1), source: s.text(2), title: s.text(3), paragraph: Int(s.int(4)),
                                  start: Int(s.int(5)), end: Int(s.int(6)), text: s.text(7))
            let standsAlone = s.int(8) != 0
            return PassageNeighbourhood(passage: passage,
                                        previous: standsAlone || s.isNull(9) ? nil : s.text(9),
                                        next: standsAlone || s.isNull(10) ? nil : s.text(10))
        }
    }
}

/// A file's device and inode numbers.
public struct FileIdentity: Sendable, Equatable, Hashable {
    public var device: UInt64
    public var inode: UInt64
}
