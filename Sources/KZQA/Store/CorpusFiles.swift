import Foundation

/// Finds the files `kzqa index` reads under the paths it is given: `.txt`, `.md` and `.jsonl`, recursively,
/// hidden files skipped, in a stable (sorted) order. Paths keep the form the user gave them.
public enum CorpusFiles {
    public static let extensions: Set<String> = ["txt", "md", "jsonl"]

    /// `./seeds/` → `seeds`; absolute paths stay absolute.
    public static func normalize(_ path: String) -> String {
        var p = path
        while p.hasPrefix("./") { p.removeFirst(2) }
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        return p.isEmpty ? "." : p
    }

    /// True when `path` is `root` or lies under it.
    public static func isUnder(_ path: String, root: String) -> Bool {
        root == "." ? !path.hasPrefix("/") : (path == root || path.hasPrefix(root + "/"))
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
            if !isDir.boolValue { out.append(root); continue }
            guard let walker = fm.enumerator(atPath: root) else { continue }
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
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }
}
