import Foundation

/// One benchmark question read from a question file (see CONTRACTS.md, "Question files").
///
/// `answers` are the gold answer strings; a passage or answer counts as right when its normalised text contains one
/// of them (`AnswerMatching`). Unanswerable questions test that the engine abstains.
public struct BenchQuestion: Sendable, Equatable, Hashable {
    /// Identifier, unique within its file (e.g. "q001").
    public var id: String
    /// The question text as asked.
    public var question: String
    /// Whether the indexed articles answer the question; the contract's default is true.
    public var answerable: Bool
    /// Gold answer strings; any one of them is enough.
    public var answers: [String]
    /// The question's language ("fr", "en"), when the file says.
    public var lang: String?
    /// The kind of answer asked for ("person", "date", "number", "reason", …), when the file says.
    public var kind: String?

    public init(id: String, question: String, answerable: Bool = true, answers: [String] = [],
                lang: String? = nil, kind: String? = nil) {
        self.id = id
        self.question = question
        self.answerable = answerable
        self.answers = answers
        self.lang = lang
        self.kind = kind
    }

    /// The language the question is written in: `lang`, French when absent.
    public var language: Language { lang.flatMap(Language.init(rawValue:)) ?? .fr }
}

/// Reads question files: JSONL, one `{"id", "question", "answerable"?, "answers"?, "lang"?, "kind"?}` object a line.
///
/// Other keys are ignored and blank lines skipped. Any bad line stops the load with
/// `KZQAError.invalidQuestionFile(path:line:reason:)` naming its 1-based line number, so a typo in a benchmark set is
/// reported rather than silently changing the scores.
public enum QuestionSet {
    /// Loads every question of the JSONL file at `path`, in file order.
    ///
    /// Rules beyond JSON syntax: "question" must be a non-empty string; "id" a string or integer (a missing id
    /// becomes `L<line>`), unique in the file; "answerable" a boolean (default true); "answers" an array of
    /// non-empty strings, required (non-empty) for answerable questions, since such a question could never be scored
    /// right; "lang" and "kind", when present and not null, strings; string escapes must not hold lone UTF-16
    /// surrogates (`"\ud800"`).
    public static func load(path: String) throws -> [BenchQuestion] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw KZQAError.pathNotFound(path: path)
        }
        if isDirectory.boolValue {
            throw KZQAError.fileUnreadable(path: path, reason: "it is a folder, not a question file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw KZQAError.fileUnreadable(path: path, reason: error.localizedDescription)
        }
        return try parse(data, path: path)
    }

    /// Parses JSONL question-file bytes; `path` is used only in error messages.
    public static func parse(_ data: Data, path: String) throws -> [BenchQuestion] {
        var questions: [BenchQuestion] = []
        var seenIDs: [String: Int] = [:]
        let bytes = [UInt8](data)
        var lineNumber = 0
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            lineNumber += 1
            var lineBytes = bytes[start..<end]
            if lineBytes.last == 0x0D { lineBytes = lineBytes.dropLast() }
            if lineNumber == 1, lineBytes.starts(with: [0xEF, 0xBB, 0xBF]) { lineBytes = lineBytes.dropFirst(3) }
            start = end + 1

            guard let line = String(validating: lineBytes, as: UTF8.self) else {
                throw KZQAError.invalidQuestionFile(path: path, line: lineNumber, reason: "not valid UTF-8 text")
            }
            if line.allSatisfy({ $0.isWhitespace }) { continue }
            let question = try parseLine(line, path: path, lineNumber: lineNumber)
            if let first = seenIDs[question.id] {
                throw KZQAError.invalidQuestionFile(
                    path: path, line: lineNumber,
                    reason: "duplicate id \"\(question.id)\" (first used on line \(first))")
            }
            seenIDs[question.id] = lineNumber
            questions.append(question)
        }
        return questions
    }

    // MARK: - One line

    private static func parseLine(_ line: String, path: String, lineNumber: Int) throws -> BenchQuestion {
        func fail(_ reason: String) -> KZQAError {
            KZQAError.invalidQuestionFile(path: path, line: lineNumber, reason: reason)
        }
        if let surrogate = loneSurrogateEscape(in: line) {
            throw fail("lone UTF-16 surrogate escape \\u\(surrogate) in a string: not valid Unicode text")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [])
        } catch {
            throw fail("not valid JSON")
        }
        guard let object = parsed as? [String: Any] else {
            throw fail("not a JSON object; each line must be one {\"id\", \"question\", …} object")
        }

        let id: String
        switch object["id"] {
        case nil, is NSNull:
            id = "L\(lineNumber)"
        case let value as String where !value.isEmpty:
            id = value
        case let value as NSNumber where !isBoolean(value) && value.doubleValue == value.doubleValue.rounded():
            id = String(value.int64Value)
        default:
            throw fail("\"id\" must be a non-empty string")
        }

        guard let rawQuestion = object["question"], !(rawQuestion is NSNull) else {
            throw fail("missing \"question\"")
        }
        guard let question = rawQuestion as? String,
              !question.allSatisfy({ $0.isWhitespace }) else {
            throw fail("\"question\" must be a non-empty string")
        }

        var answerable = true
        switch object["answerable"] {
        case nil, is NSNull:
            break
        case let value as NSNumber where isBoolean(value):
            answerable = value.boolValue
        default:
            throw fail("\"answerable\" must be true or false")
        }

        var answers: [String] = []
        switch object["answers"] {
        case nil, is NSNull:
            break
        case let values as [Any]:
            for value in values {
                guard let answer = value as? String, !answer.allSatisfy({ $0.isWhitespace }) else {
                    throw fail("\"answers\" must hold only non-empty strings")
                }
                answers.append(answer)
            }
        default:
            throw fail("\"answers\" must be an array of strings")
        }
        if answerable && answers.isEmpty {
            throw fail("an answerable question needs at least one string in \"answers\" (or set \"answerable\": false)")
        }
        func optionalString(_ key: String) throws -> String? {
            switch object[key] {
            case nil, is NSNull: return nil
            case let value as String: return value
            default: throw fail("\"\(key)\" must be a string")
            }
        }
        let lang = try optionalString("lang")
        if let lang, Language(rawValue: lang) == nil { throw fail("\"lang\" must be \"fr\" or \"en\"") }
        return BenchQuestion(id: id, question: question, answerable: answerable, answers: answers,
                             lang: lang, kind: try optionalString("kind"))
    }

    /// Whether a JSONSerialization number is really a JSON `true`/`false` (Foundation bridges both to NSNumber).
    private static func isBoolean(_ number: NSNumber) -> Bool {
        // JSON booleans come back as CFBoolean, whose objCType is "c" (char); JSON numbers never do.
        String(cString: number.objCType) == "c"
    }

    /// The hex digits of the first `\uXXXX` escape that is an unpaired UTF-16 surrogate, if any.
    ///
    /// Backslashes occur only inside JSON strings, so scanning the raw line escape by escape is exact for valid JSON.
    static func loneSurrogateEscape(in line: String) -> String? {
        let units = Array(line.utf8)
        func hexValue(at index: Int) -> UInt16? {
            guard index + 4 <= units.count else { return nil }
            var value: UInt16 = 0
            for byte in units[index..<index + 4] {
                guard let digit = hexDigit(byte) else { return nil }
                value = value << 4 | UInt16(digit)
            }
            return value
        }
        func text(at index: Int) -> String {
            String(decoding: units[index..<min(index + 4, units.count)], as: UTF8.self)
        }
        var i = 0
        while i < units.count {
            guard units[i] == UInt8(ascii: "\\"), i + 1 < units.count else { i += 1; continue }
            guard units[i + 1] == UInt8(ascii: "u"), let value = hexValue(at: i + 2) else { i += 2; continue }
            switch value {
            case 0xD800...0xDBFF:
                let next = i + 6
                if next + 1 < units.count, units[next] == UInt8(ascii: "\\"), units[next + 1] == UInt8(ascii: "u"),
                   let low = hexValue(at: next + 2), (0xDC00...0xDFFF).contains(low) {
                    i = next + 6
                } else {
                    return text(at: i + 2)
                }
            case 0xDC00...0xDFFF:
                return text(at: i + 2)
            default:
                i += 6
            }
        }
        return nil
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
