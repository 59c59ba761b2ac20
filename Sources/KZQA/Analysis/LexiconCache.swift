import Foundation

/// What the `FrenchLexicon` said of words, kept in a small file so that a process asking about a word the index
/// lacks does not load hunspell (about 270 million instructions, most of a `kzqa ask`) when some earlier process
/// already asked hunspell about it. Entries are exactly `FrenchLexicon.entry`'s, in the `lexicon` table's
/// stored form; the file is made for one dictionary (its paths, sizes and dates on the first line) and is started
/// anew when the dictionary changes. New entries are appended one line per write (`O_APPEND`), so concurrent
/// processes only ever add whole lines; a cache that cannot be read or written is only skipped.
public final class LexiconCache: @unchecked Sendable {
    public let path: String
    let stamp: String
    private let lock = NSLock()
    private var entries: [String: LexicalEntry]?

    /// A cache at `path` for the dictionary `dictionary` (`.aff` + `.dic`); nil when the dictionary is missing.
    public init?(path: String, dictionary: String) {
        func describe(_ p: String) -> String? {
            guard let a = try? FileManager.default.attributesOfItem(atPath: p) else { return nil }
            let size = (a[.size] as? NSNumber)?.intValue ?? 0
            let date = (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(p):\(size):\(Int(date))"
        }
        guard let aff = describe(dictionary + ".aff"), let dic = describe(dictionary + ".dic") else { return nil }
        self.path = path
        stamp = "# kzqa lexicon cache 1 \(aff) \(dic)"
    }

    /// `$KZQA_CACHE_DIR`, else `$XDG_CACHE_HOME/kzqa`, else `~/.cache/kzqa`, + `/hunspell-entries.tsv`, for the
    /// default dictionary (`FrenchLexicon.defaultPath`); nil without one.
    public static let shared: LexiconCache? = CacheDirectory.path.flatMap { dir in
        FrenchLexicon.defaultPath.flatMap { LexiconCache(path: dir + "/hunspell-entries.tsv", dictionary: $0) }
    }

    /// The cached entry of `word` (as given to `FrenchLexicon.entry`), nil when none was stored.
    public func entry(_ word: String) -> LexicalEntry? {
        lock.lock(); defer { lock.unlock() }
        if entries == nil { entries = load() }
        return entries?[word]
    }

    /// Keeps `entry` as what the dictionary says of `word`.
    public func store(_ entry: LexicalEntry, for word: String) {
        lock.lock(); defer { lock.unlock() }
        if entries == nil { entries = load() }
        guard !word.isEmpty, !word.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" }) else { return }
        entries?[word] = entry
        let line = word + "\t" + (entry.isKnown ? "1" : "0") + "\t" + Self.escape(entry.storedReadings) + "\n"
        append(line, create: !FileManager.default.fileExists(atPath: path))
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\t", with: "\\t")
    }

    static func unescape(_ s: Substring) -> String {
        var out = "", escaped = false
        for c in s {
            if escaped { out.append(c == "n" ? "\n" : c == "t" ? "\t" : c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }

    /// The stored entries; a file made for another dictionary is replaced by an empty one.
    func load() -> [String: LexicalEntry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)[...]
        guard lines.first.map(String.init) == stamp else {
            restart()
            return [:]
        }
        lines = lines.dropFirst()
        var out: [String: LexicalEntry] = [:]
        for line in lines {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 3 else { continue }
            out[String(f[0])] = LexicalEntry(isKnown: f[1] == "1", storedReadings: Self.unescape(f[2]))
        }
        return out
    }

    /// A new file holding only the stamp, renamed into place.
    func restart() {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try Data((stamp + "\n").utf8).write(to: temporary)
            if rename(temporary.path, path) != 0 { try? FileManager.default.removeItem(at: temporary) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
        }
    }

    func append(_ line: String, create: Bool) {
        if create {
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
            restart()
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
