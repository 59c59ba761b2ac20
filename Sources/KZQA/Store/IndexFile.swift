import CSQLite
import Foundation

/// What a path holds, told before kzqa reads or writes it as an index, so that `kzqa index` never writes into a
/// file that is not its own (a text file, another program's database) and a hint can name what an index was built
/// from.
public enum IndexFile {
    /// What a path holds.
    public enum Kind: Equatable, Sendable {
        case missing
        /// An empty file: nothing to lose, built like a missing one.
        case empty
        /// A kzqa index, possibly damaged or of another version (its header says so, or its `meta` table does).
        case kzqa
        /// Anything else, with what it is instead.
        case foreign(String)
    }

    /// Reads the file's header (the SQLite magic and `PRAGMA application_id`), and for an SQLite file without
    /// kzqa's id (indexes of schema 1) whether it has kzqa's `meta` table.
    public static func kind(of path: String) -> Kind {
        guard FileManager.default.fileExists(atPath: path) else { return .missing }
        guard let handle = FileHandle(forReadingAtPath: path) else { return .foreign("it cannot be read") }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
        if header.isEmpty { return .empty }
        guard header.count == 100, header.starts(with: Array("SQLite format 3\0".utf8)) else {
            return .foreign("not an SQLite database")
        }
        let id = header[68..<72].reduce(Int32(0)) { $0 << 8 | Int32($1) }
        if id == IndexSchema.applicationID { return .kzqa }
        guard let db = try? SQLiteDatabase(path: path, readOnly: true),
              let version = try? db.scalarText("SELECT value FROM meta WHERE key = 'schema_version'"), !version.isEmpty else {
            return .foreign("an SQLite database of another program")
        }
        return .kzqa
    }

    /// The paths the index at `path` was built from (meta `sources`); for an index that does not store them
    /// (schema 1), the folders of its documents; none when it cannot be read.
    public static func sources(of path: String) -> [String] {
        guard let db = try? SQLiteDatabase(path: path, readOnly: true) else { return [] }
        if let text = try? db.scalarText("SELECT value FROM meta WHERE key = 'sources'") { return decodeSources(text) }
        guard let paths = try? db.fetchAll("SELECT path FROM documents ORDER BY id LIMIT 10000", row: { $0.text(0) }) else { return [] }
        var folders: [String] = []
        for p in paths {
            let folder = (p as NSString).deletingLastPathComponent
            let f = folder.isEmpty ? "." : folder
            if !folders.contains(f) { folders.append(f) }
        }
        return mergeSources([], Array(folders.prefix(5)))
    }

    static func decodeSources(_ text: String?) -> [String] {
        guard let text, let data = text.data(using: .utf8),
              let list = try? JSONDecoder().decode([String].self, from: data) else { return [] }
        return list
    }

    static func encodeSources(_ list: [String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(list)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// The roots a run leaves in `sources`: those stored before (none for a fresh build) and the new ones, in
    /// order, without a root that lies under another.
    static func mergeSources(_ old: [String], _ new: [String]) -> [String] {
        var all: [String] = []
        for r in old + new where !all.contains(r) { all.append(r) }
        return all.filter { r in !all.contains { $0 != r && CorpusFiles.isUnder(r, root: $0) } }
    }
}
