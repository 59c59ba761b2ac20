import Foundation

/// Where kzqa looks when told nothing: which index file, and which seed articles build it on first use.
///
/// The index in force is `--index FILE`, else `$KZQA_INDEX`, else `index/kzqa.sqlite` when the working directory
/// is a kzqa checkout (it has `seeds/` and `index/`), else `$XDG_DATA_HOME/kzqa/kzqa.sqlite`
/// (`~/.local/share/kzqa/kzqa.sqlite`). That default index is built on first use from the checkout's `seeds/`,
/// or outside a checkout from the seed articles bundled with kzqa (SwiftPM resources of this library).
public enum Defaults {
    /// The index of a kzqa checkout, relative to it.
    public static let indexPath = "index/kzqa.sqlite"
    /// The seed articles' folder of a kzqa checkout.
    public static let corpusFolder = "seeds"

    /// Whether `directory` is a kzqa checkout: it has a `seeds/` and an `index/` folder.
    public static func isCheckout(_ directory: String = FileManager.default.currentDirectoryPath) -> Bool {
        let fm = FileManager.default
        return [corpusFolder, (indexPath as NSString).deletingLastPathComponent].allSatisfy {
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: (directory as NSString).appendingPathComponent($0), isDirectory: &isDir) && isDir.boolValue
        }
    }

    /// The variables the default paths read.
    public static var environment: [String: String] { Environment.subset(["KZQA_INDEX", "XDG_DATA_HOME", "HOME"]) }

    /// The user's data directory for kzqa: `$XDG_DATA_HOME/kzqa`, else `$HOME/.local/share/kzqa`.
    public static func dataDirectory(environment: [String: String] = Defaults.environment) -> String {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return (xdg as NSString).appendingPathComponent("kzqa") }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".local/share/kzqa")
    }

    /// The default index when neither `--index` nor `KZQA_INDEX` says (see the type's rule).
    public static func defaultIndexPath(directory: String = FileManager.default.currentDirectoryPath,
                                        environment: [String: String] = Defaults.environment) -> String {
        isCheckout(directory) ? indexPath : (dataDirectory(environment: environment) as NSString).appendingPathComponent("kzqa.sqlite")
    }

    /// The index in force: `explicit` (`--index`), else `KZQA_INDEX`, else `defaultIndexPath`.
    public static func resolveIndexPath(_ explicit: String?, environment: [String: String] = Defaults.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = environment["KZQA_INDEX"], !env.isEmpty { return env }
        return defaultIndexPath(environment: environment)
    }

    /// The folder of seed articles bundled with kzqa (`KZQA_KZQA.resources/seeds` beside the executable, or in
    /// the build folder), nil when it is not found.
    public static var bundledSeeds: String? {
        let name = "kzqa_KZQA.resources"
        var folders: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            folders.append((exe as NSString).deletingLastPathComponent)
        }
        folders.append(Bundle.main.bundlePath)
        folders.append((CommandLine.arguments[0] as NSString).deletingLastPathComponent)
        for folder in folders {
            let seeds = ((folder as NSString).appendingPathComponent(name) as NSString).appendingPathComponent(corpusFolder)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: seeds, isDirectory: &isDir), isDir.boolValue { return seeds }
        }
        return nil
    }

    /// What the default index is built from: the checkout's `seeds/` (relative, so answers cite `seeds/…`), else
    /// the bundled seed articles.
    public static func seedFolder(directory: String = FileManager.default.currentDirectoryPath) -> String? {
        isCheckout(directory) ? corpusFolder : bundledSeeds
    }

    /// Opens the index at `path`; when it is missing (or empty) and `path` is the default index, first builds it
    /// from the seed articles (calling `announce` with a line for stderr). Any other index is never built
    /// implicitly.
    /// - throws: `KZQAError.indexMissing` when there is no index and nothing to build the default one from.
    public static func openOrBuild(path: String, announce: (String) -> Void, warn: @escaping (String) -> Void) throws -> IndexStore {
        let kind = IndexFile.kind(of: path)
        if kind == .missing || kind == .empty {
            guard path == defaultIndexPath(), let seeds = seedFolder() else { throw KZQAError.indexMissing(path: path) }
            announce("no index at \(path): building it from \(seeds)/ first")
            let indexer = Indexer(indexPath: path)
            indexer.warn = warn
            let s = try indexer.run(roots: [seeds])
            announce(s.line)
        }
        return try IndexStore(path: path)
    }
}
