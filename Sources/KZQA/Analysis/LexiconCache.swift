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
    /// The file as read at the first lookup, and the entries this process stored since.
    private var bytes: [UInt8]?
    private var added: [String: LexicalEntry] = [:]

    /// A cache at `path` for the dictionary `dictionary` (`.aff` + `.dic`); nil when the dictionary is missing.
    public init?(path: String, dictionary: String) {
        // stat(2) itself: FileManager's attributes also look up the owner's and group's names (the password and
        // group databases), a sixth of a one-shot `kzqa ask`'s start.
        func describe(_ p: String) -> String? {
            var info = stat()
            guard stat(p, &info) == 0 else { return nil }
            return "\(p):\(info.st_size):\(info.st_mtim.tv_sec)"
        }
        guard let aff = describe(dictionary + ".aff"), let dic = describe(dictionary + ".dic") else { return nil }
        self.path = path
        stamp = "# kzqa lexicon cache 2 \(aff) \(dic)"
    }

    /// `$KZQA_CACHE_DIR`, else `$XDG_CACHE_HOME/kzqa`, else `~/.cache/kzqa`, + `/hunspell-entries.tsv`, for the
    /// default dictionary (`FrenchLexicon.defaultPath`); nil without one.
    public static let shared: LexiconCache? = CacheDirectory.path.flatMap { dir in
        FrenchLexicon.defaultPath.flatMap { LexiconCache(path: dir + "/hunspell-entries.tsv", dictionary: $0) }
    }

    /// The cached entry of `word` (as given to `FrenchLexicon.entry`), nil when none was stored.
    public func entry(_ word: String) -> LexicalEntry? {
        lock.lock(); defer { lock.unlock() }
        if let e = added[word] { return e }
        if bytes == nil { bytes = load() }
        guard let bytes, !word.isEmpty else { return nil }
        // One line is `word \t known \t readings`: found by a byte search for `\nword\t`, decoded only then (a
        // process asks about a few words; reading every line of the file would cost more than the search).
        let needle = [0x0A] + Array(word.utf8) + [0x09]
        return bytes.withUnsafeBytes { file -> LexicalEntry? in
            needle.withUnsafeBytes { n -> LexicalEntry? in
                guard let at = Self.search(n, in: file) else { return nil }
                let start = at + n.count
                guard let end = file[start...].firstIndex(of: 0x0A) else { return nil }
                // `known \t readings`, split by index: an array of slices would make the runtime look up the
                // buffer's Collection conformance, a scan of every conformance in the binary.
                guard let tab = file[start..<end].firstIndex(of: 0x09) else { return nil }
                let readings = Self.unescape(Substring(String(decoding: UnsafeRawBufferPointer(rebasing: file[(tab + 1)..<end]), as: UTF8.self)))
                return LexicalEntry(isKnown: tab == start + 1 && file[start] == 0x31, storedReadings: readings)
            }
        }
    }

    /// Keeps `entry` as what the dictionary says of `word`.
    public func store(_ entry: LexicalEntry, for word: String) {
        lock.lock(); defer { lock.unlock() }
        guard !word.isEmpty, !word.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" }) else { return }
        added[word] = entry
        if bytes == nil { bytes = load() }
        let line = word + "\t" + (entry.isKnown ? "1" : "0") + "\t" + Self.escape(entry.storedReadings) + "\n"
        // A file grown past `maxBytes` is started anew rather than searched ever longer.
        append(line, create: !FileManager.default.fileExists(atPath: path) || (bytes?.count ?? 0) > Self.maxBytes)
    }

    /// The offset of the first occurrence of `needle` (which opens on a newline) in `file`.
    static func search(_ needle: UnsafeRawBufferPointer, in file: UnsafeRawBufferPointer) -> Int? {
        guard needle.count > 0, file.count >= needle.count else { return nil }
        var i = 0
        while i <= file.count - needle.count {
            if file[i] == 0x0A && file[(i + 1)..<(i + needle.count)].elementsEqual(needle[1...]) { return i }
            i += 1
        }
        return nil
    }

    /// Size past which the file is started anew (about 25,000 words).
    static let maxBytes = 1 << 20

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

    /// The file's bytes (its stamp line included: every entry line follows a newline); a file made for another
    /// dictionary is replaced by an empty one.
    func load() -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let stampLine = Array((stamp + "\n").utf8)
        guard data.starts(with: stampLine) else {
            restart()
            return []
        }
        return Array(data)
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
