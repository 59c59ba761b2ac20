import Foundation

/// Where kzqa looks when told nothing: the index file and the corpus folder it is built from.
public enum Defaults {
    public static let indexPath = "index/kzqa.sqlite"
    public static let corpusFolder = "seeds"

    /// Opens the index at `path`; when it is missing and `path` is the default one, first builds it from
    /// `seeds/` (calling `announce` with a line for stderr).
    /// - throws: `KZQAError.indexMissing` when there is neither an index nor a seeds/ folder to build it from.
    public static func openOrBuild(path: String, announce: (String) -> Void, warn: @escaping (String) -> Void) throws -> IndexStore {
        if !FileManager.default.fileExists(atPath: path) {
            var isDir: ObjCBool = false
            guard path == indexPath, FileManager.default.fileExists(atPath: corpusFolder, isDirectory: &isDir), isDir.boolValue else {
                throw KZQAError.indexMissing(path: path)
            }
            announce("no index at \(path): building it from \(corpusFolder)/ first")
            let indexer = Indexer(indexPath: path)
            indexer.warn = warn
            let s = try indexer.run(roots: [corpusFolder])
            announce("indexed \(s.documents) documents, \(s.passages) passages, \(s.terms) terms in \(String(format: "%.2f", s.seconds)) s")
        }
        return try IndexStore(path: path)
    }
}
