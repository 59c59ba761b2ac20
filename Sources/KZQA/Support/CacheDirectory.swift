import Foundation

/// Where kzqa keeps files it can always make again (the translation table, hunspell's answers):
/// `$KZQA_CACHE_DIR`, else `$XDG_CACHE_HOME/kzqa`, else `~/.cache/kzqa`; nil without any of them.
public enum CacheDirectory {
    public static var path: String? {
        if let d = Environment.value("KZQA_CACHE_DIR"), !d.isEmpty { return d }
        if let x = Environment.value("XDG_CACHE_HOME"), !x.isEmpty { return x + "/kzqa" }
        if let home = Environment.value("HOME"), !home.isEmpty { return home + "/.cache/kzqa" }
        return nil
    }

    /// Writes `data` to `path` through a temporary file renamed into place (rename(2) replaces an older file
    /// atomically: a concurrent reader sees the old file or the new one), creating the folder; a cache that
    /// cannot be written is only skipped.
    static func replace(_ path: String, with data: Data) {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: temporary)
            if rename(temporary.path, path) != 0 { try? FileManager.default.removeItem(at: temporary) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
        }
    }
}
