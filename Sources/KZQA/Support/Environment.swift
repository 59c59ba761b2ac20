import Foundation

/// The process's environment variables, read one at a time with getenv(3): `ProcessInfo.environment` copies every
/// variable into a dictionary on each call (some 350 thousand instructions), and a one-shot `kzqa ask` reads a
/// few of them before its first question.
public enum Environment {
    /// The value of `name`, nil when it is not set.
    public static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The variables of `names` that are set, as `ProcessInfo.environment` would give them.
    public static func subset(_ names: [String]) -> [String: String] {
        var out: [String: String] = [:]
        for name in names { if let v = value(name) { out[name] = v } }
        return out
    }
}
