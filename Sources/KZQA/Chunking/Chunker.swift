import Foundation

/// Cuts documents into passages: whole sentences of one paragraph, at most `maxCharacters` characters
/// (a single longer sentence stands alone). A paragraph is a line of the file; blank lines are skipped.
///
/// ```swift
/// Chunker().passages(of: "Titre\nUne phrase. Une autre.", source: "a.txt").count // 2
/// ```
public struct Chunker: Sendable {
    public static let defaultMaxCharacters = 800
    public let maxCharacters: Int
    let splitter = SentenceSplitter()

    public init(maxCharacters: Int = Chunker.defaultMaxCharacters) {
        self.maxCharacters = maxCharacters
    }

    /// The title of a document: its first non-empty line, trimmed (lines end at `\n` or `\r\n`; a leading
    /// byte-order mark is not part of it).
    /// For Markdown (`markdown`), a heading's `#` marks are not part of the title (`# Le vélo` → `Le vélo`).
    public static func title(of text: String, markdown: Bool = false) -> String {
        let body = text.first == "\u{FEFF}" ? text.dropFirst() : Substring(text)
        // "\r\n" is a single Character in Swift, so it is matched explicitly.
        for line in body.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let t = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if t.isEmpty { continue }
            if markdown, let heading = atxHeading(t), !heading.isEmpty { return heading }
            return t
        }
        return ""
    }

    /// The text of a Markdown ATX heading line (CommonMark §4.2: one to six `#`, then a space or the end; an
    /// optional closing run of `#` after a space), nil when the line is not one.
    static func atxHeading(_ line: String) -> String? {
        let marks = line.prefix { $0 == "#" }.count
        guard (1...6).contains(marks) else { return nil }
        let rest = line.dropFirst(marks)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        var text = rest.trimmingCharacters(in: .whitespaces)
        let closing = text.reversed().prefix { $0 == "#" }.count
        if closing > 0 {
            let before = text.dropLast(closing)
            if before.isEmpty { return "" }
            if before.last == " " || before.last == "\t" { text = before.trimmingCharacters(in: .whitespaces) }
        }
        return text
    }

    /// Passages of a text document, with byte offsets into `text` (which is the whole file; a leading
    /// byte-order mark is skipped, and a `\r` before `\n` is trimmed with the other white space).
    public func passages(of text: String, source: String, idPrefix: String? = nil) -> [Passage] {
        chunks(of: text, source: source, idPrefix: idPrefix).map(\.passage)
    }

    /// `passages(of:source:idPrefix:)`, each with its sentences when the split of its paragraph gives them (see
    /// `Chunk`): the indexer then does not split the passage again.
    func chunks(of text: String, source: String, idPrefix: String? = nil) -> [Chunk] {
        let title = Self.title(of: text, markdown: (source as NSString).pathExtension.lowercased() == "md")
        let prefix = idPrefix ?? Self.idPrefix(for: source)
        let bytes = Array(text.utf8)
        var out: [Chunk] = []
        var paragraph = 0
        var lineStart = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while lineStart <= bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let line = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
            // Blank by scalars, as the sentence splitter trims: a Character is white space when its first scalar
            // is, so a space carrying a combining mark (" \u{311}") would count as blank and its mark be lost.
            if !line.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
                paragraph += 1
                let sentences = splitter.split(line)
                let groups = group(sentences, in: line)
                for (part, range) in groups.enumerated() {
                    let start = lineStart + range.lowerBound, end = lineStart + range.upperBound
                    out.append(Chunk(passage: Passage(id: "\(prefix):\(paragraph).\(part + 1)", source: source, title: title,
                                                      paragraph: paragraph, start: start, end: end,
                                                      text: String(decoding: bytes[start..<end], as: UTF8.self)),
                                     sentences: groups.count == 1 ? Self.shifted(sentences, by: range.lowerBound) : nil))
                }
            }
            lineStart = lineEnd + 1
        }
        return out
    }

    /// Passages of one JSONL record: offsets are into the record's text.
    public func passages(ofRecord text: String, id: String, title: String, source: String, number: Int) -> [Passage] {
        chunks(ofRecord: text, id: id, title: title, source: source, number: number).map(\.passage)
    }

    /// `passages(ofRecord:…)`, each with its sentences when the split of the record gives them (see `Chunk`).
    func chunks(ofRecord text: String, id: String, title: String, source: String, number: Int) -> [Chunk] {
        let bytes = Array(text.utf8)
        let sentences = splitter.split(text)
        let groups = group(sentences, in: text)
        return groups.enumerated().map { part, range in
            Chunk(passage: Passage(id: groups.count == 1 ? id : "\(id)#\(part + 1)", source: source, title: title,
                                   paragraph: number, start: range.lowerBound, end: range.upperBound,
                                   text: String(decoding: bytes[range], as: UTF8.self)),
                  sentences: groups.count == 1 ? Self.shifted(sentences, by: range.lowerBound) : nil)
        }
    }

    /// A passage and, when it is the only passage of its paragraph, the byte ranges of its sentences in its text:
    /// exactly `SentenceSplitter().split(passage.text)`, since the passage is then the paragraph with its white
    /// space trimmed at both ends, and the splitter reads no farther than that (its decisions look at the
    /// scalars between the previous sentence and the next one). When a paragraph makes several passages, a
    /// later one starts inside it (after an unclosed `«`, say) and is split again: `sentences` is nil.
    struct Chunk: Sendable {
        var passage: Passage
        var sentences: [Range<Int>]?
    }

    static func shifted(_ ranges: [Range<Int>], by offset: Int) -> [Range<Int>] {
        ranges.map { ($0.lowerBound - offset)..<($0.upperBound - offset) }
    }

    /// Greedily packs consecutive sentence ranges into runs of at most `maxCharacters` characters.
    func group(_ sentences: [Range<Int>], in line: String) -> [Range<Int>] {
        let utf8 = Array(line.utf8)
        func characters(_ r: Range<Int>) -> Int { String(decoding: utf8[r], as: UTF8.self).count }
        var out: [Range<Int>] = []
        var current: Range<Int>?
        for s in sentences {
            if let c = current {
                let merged = c.lowerBound..<s.upperBound
                if characters(merged) <= maxCharacters { current = merged; continue }
                out.append(c)
            }
            current = s
        }
        if let c = current { out.append(c) }
        return out
    }

    /// `seeds/003_aedf.txt` → `003_aedf`.
    public static func idPrefix(for source: String) -> String {
        let name = source.split(separator: "/").last.map(String.init) ?? source
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { return String(name[..<dot]) }
        return name
    }
}
