/// Every failure kzqa reports to a user: what went wrong, with the file or input at fault and what to do.
///
/// `description` is one sentence meant to follow `error: ` on stderr; it never contains raw SQL text.
public enum KZQAError: Error, CustomStringConvertible, Equatable {
    case indexMissing(path: String)
    case indexUnreadable(path: String, reason: String)
    case indexIncompatible(path: String, found: String, expected: String)
    case indexReadOnly(path: String)
    case indexBusy(path: String)
    case storage(path: String, reason: String)
    case fileUnreadable(path: String, reason: String)
    case notUTF8(path: String)
    case emptyCorpus(paths: [String])
    case pathNotFound(path: String)
    case emptyQuestion
    case questionTooLong(bytes: Int, limit: Int)
    case invalidQuestionFile(path: String, line: Int, reason: String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .indexMissing(let path) where path == Defaults.indexPath:
            return "no index at \(path), and no \(Defaults.corpusFolder)/ folder to build one from: run `kzqa index FOLDER --index \(path)` first"
        case .indexMissing(let path):
            return "no index at \(path): build it first with `kzqa index FOLDER --index \(path)`"
        case .indexUnreadable(let path, let reason):
            return "\(path) is not a readable kzqa index (\(reason)): rebuild it with `kzqa index --rebuild --index \(path) seeds`"
        case .indexIncompatible(let path, let found, let expected):
            return "\(path) was written by an incompatible kzqa (schema \(found), this kzqa reads \(expected)): rebuild it with `kzqa index --rebuild --index \(path) seeds`"
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
        case .emptyCorpus(let paths):
            return "nothing to index in \(paths.joined(separator: ", ")): give .txt, .md or .jsonl files or folders holding them"
        case .pathNotFound(let path):
            return "\(path) does not exist: give an existing file or folder"
        case .emptyQuestion:
            return "the question is empty: ask something, e.g. kzqa ask \"Qui dirige le ministère de l'IA ?\""
        case .questionTooLong(let bytes, let limit):
            return "the question is \(bytes) bytes long; ask it in at most \(limit) bytes"
        case .invalidQuestionFile(let path, let line, let reason):
            return line > 0 ? "\(path), line \(line): \(reason)" : "\(path): \(reason)"
        case .invalidArgument(let message):
            return message
        }
    }
}
