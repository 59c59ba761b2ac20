import Foundation

/// Where kzqa keeps files it can always make again (the translation table, hunspell's answers):
/// `$KZQA_CACHE_DIR`, else `$XDG_CACHE_HOME/kzqa`, else `~/.cache/kzqa`; nil without any of them.
public enum CacheDirectory {
    public static var path: String? {
        let env = ProcessInfo.processInfo.environment
        if let d = env["KZQA_CACHE_DIR"], !d.isEmpty { return d }
        if let x = env["XDG_CACHE_HOME"], !x.isEmpty { return x + "/kzqa" }
        if let home = env["HOME"], !home.isEmpty { return home + "/.cache/kzqa" }
        return nil
    }
}
