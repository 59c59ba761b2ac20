import Foundation

/// Every failure kzqa reports to a user: what went wrong, with the file or input at fault and what to do.
///
/// `description` is one sentence meant to follow `error: ` on stderr; it never contains raw SQL text.
public enum KZQAError: Error, CustomStringConvertible, Equatable {
    case indexMissing(path: String)
    /// A kzqa index that cannot be read (damaged, half written); `sources`: the paths it was built from, when known.
    case indexUnreadable(path: String, reason: String, sources: [String] = [])
    case indexIncompatible(path: String, found: String, expected: String, sources: [String] = [])
    /// A file that is not a kzqa index (text, another program's database): kzqa neither reads nor writes it.
    case notAnIndex(path: String, reason: String)
    case indexReadOnly(path: String)
    case indexBusy(path: String)
    case storage(path: String, reason: String)
    case fileUnreadable(path: String, reason: String)
    case notUTF8(path: String)
    /// A file named for indexing whose format kzqa does not read (a PDF, a Word file).
    case unsupportedFile(path: String)
    case emptyCorpus(paths: [String])
    case pathNotFound(path: String)
    case emptyQuestion
    /// A question with no letter or digit (only punctuation or symbols).
    case questionWithoutWords
    case questionTooLong(bytes: Int, limit: Int)
    case invalidQuestionFile(path: String, line: Int, reason: String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .indexMissing(let path):
            return "no index at \(path): build it first with `kzqa index FOLDER --index \(path)`"
        case .indexUnreadable(let path, let reason, let sources):
            return "\(path) is not a readable kzqa index (\(reason)): rebuild it with \(Self.rebuildCommand(path, sources))"
        case .indexIncompatible(let path, let found, let expected, let sources):
            return "\(path) was written by an incompatible kzqa (schema \(found), this kzqa reads \(expected)): rebuild it with \(Self.rebuildCommand(path, sources))"
        case .notAnIndex(let path, let reason):
            return "\(path) is not a kzqa index (\(reason)), and kzqa never writes into it: give the path of a kzqa index, or of a new file, with --index FILE"
        case .indexReadOnly(let path):
            return "cannot write the index \(path): its folder is read-only; choose another place with --index FILE"
        case .indexBusy(let path):
            return "another kzqa is indexing into \(path) right now: wait for it to finish, then run again"
        case .storage(let path, let reason):
            return "the index \(path) could not be used: \(reason)"
        case .fileUnreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .notUTF8(let path):
            return "\(path) is not UTF-8 text: convert it (e.g. with iconv) or leave it out"
        case .unsupportedFile(let path):
            return "\(path) is not a .txt, .md or .jsonl file: convert it to text first (e.g. pdftotext for a PDF) and index the text"
        case .emptyCorpus(let paths):
            return "nothing to index in \(paths.joined(separator: ", ")): give .txt, .md or .jsonl files or folders holding them"
        case .pathNotFound(let path):
            return "\(path) does not exist: give an existing file or folder"
        case .emptyQuestion:
            return "the question is empty: ask something, e.g. kzqa ask \"Qui dirige le ministère de l'IA ?\""
        case .questionWithoutWords:
            return "the question has no words, only punctuation or symbols: ask something, e.g. kzqa ask \"Qui dirige le ministère de l'IA ?\""
        case .questionTooLong(let bytes, let limit):
            return "the question is \(bytes) bytes long; ask it in at most \(limit) bytes"
        case .invalidQuestionFile(let path, let line, let reason):
            return line > 0 ? "\(path), line \(line): \(reason)" : "\(path): \(reason)"
        case .invalidArgument(let message):
            return message
        }
    }

    /// The `kzqa index --rebuild` command line that rebuilds `path` from the paths it was built from (`FOLDER`
    /// when the index does not say). Paths with spaces or quotes are quoted for a POSIX shell.
    static func rebuildCommand(_ path: String, _ sources: [String]) -> String {
        let roots = sources.isEmpty ? ["FOLDER"] : sources.map(shellQuoted)
        return "`kzqa index --rebuild --index \(shellQuoted(path)) \(roots.joined(separator: " "))`"
    }

    static func shellQuoted(_ s: String) -> String {
        let plain = s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "/._-+,:=@%".unicodeScalars.contains($0) }
        return plain && !s.isEmpty ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
