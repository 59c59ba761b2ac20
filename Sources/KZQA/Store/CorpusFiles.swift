import Foundation

/// Finds the files `kzqa index` reads under the paths it is given: `.txt`, `.md` and `.jsonl`, recursively,
/// hidden files skipped, in a stable (sorted) order. Paths keep the form the user gave them; `realPath` is what
/// tells two spellings of one file apart.
public enum CorpusFiles {
    public static let extensions: Set<String> = ["txt", "md", "jsonl"]

    /// `./seeds/` → `seeds`; absolute paths stay absolute.
    public static func normalize(_ path: String) -> String {
        var p = path
        while p.hasPrefix("./") { p.removeFirst(2) }
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        return p.isEmpty ? "." : p
    }

    /// The file's absolute path with symbolic links, `.` and `..` resolved: what identifies a document, however
    /// its path was spelled (`docs/velo.txt`, `./docs/velo.txt`, `/home/me/docs/velo.txt`). A path that does not
    /// exist (any more) is made absolute against the working directory.
    public static func realPath(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (absolute as NSString).standardizingPath
    }

    /// True when `path` is `root` or lies under it.
    public static func isUnder(_ path: String, root: String) -> Bool {
        if root == "." { return !path.hasPrefix("/") }
        if root == "/" { return path.hasPrefix("/") }
        return path == root || path.hasPrefix(root + "/")
    }

    /// The indexable files under each root.
    /// - throws: `KZQAError.pathNotFound` for a root that does not exist.
    public static func list(_ roots: [String]) throws -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        for raw in roots {
            let root = normalize(raw)
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: root, isDirectory: &isDir) else { throw KZQAError.pathNotFound(path: raw) }
            if !isDir.boolValue {
                // A file named on the command line is read as text only when it is one of the formats kzqa reads.
                guard extensions.contains((root as NSString).pathExtension.lowercased()) else {
                    throw KZQAError.unsupportedFile(path: raw)
                }
                out.append(root)
                continue
            }
            // Walked through its real path: a folder reached by a symbolic link is walked too.
            guard let walker = fm.enumerator(atPath: realPath(root)) else { continue }
            var found: [String] = []
            while let rel = walker.nextObject() as? String {
                let name = (rel as NSString).lastPathComponent
                if name.hasPrefix(".") { walker.skipDescendants(); continue }
                let ext = (name as NSString).pathExtension.lowercased()
                guard extensions.contains(ext) else { continue }
                let full = root == "." ? rel : root + "/" + rel
                var d: ObjCBool = false
                if fm.fileExists(atPath: full, isDirectory: &d), !d.boolValue { found.append(full) }
            }
            out.append(contentsOf: found.sorted())
        }
        // One file reached through two spellings of its path (or two links) is read once, under the first.
        var seen = Set<String>()
        return out.filter { seen.insert(realPath($0)).inserted }
    }
}
