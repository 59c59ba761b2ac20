import Foundation
import KZQA

/// A broken invariant: which check (`tokenizer`, `fts5`, `ask`…), and what was seen. The drivers report it
/// with the input; the minimizer keeps an input smaller while the same check still fails.
public struct Finding: Error, CustomStringConvertible {
    public let check: String
    public let detail: String
    public var description: String { "\(check): \(detail)" }

    public init(check: String, detail: String) {
        self.check = check
        self.detail = detail
    }
}

/// Runs one input through tokenizer, elision, the whole analyzer, the sentence splitter, the chunker, `Query`,
/// `FTS5Pattern` (against a real in-memory FTS5 table), `QAEngine.validate` and, when an index is given,
/// `QAEngine.ask`, and checks what each must guarantee. Traps are left to crash (libFuzzer or the random
/// driver's signal handler report the input). One definition of the invariants for the fuzz driver and the
/// test suite (`FuzzRegressionTests`). Not Sendable: one checker per thread.
public final class Checker {
    /// Which of a text's own terms must find it through FTS5 (see `checkMatch`).
    public enum OwnTermsCheck: Sendable {
        /// Every term: what the fuzzer checks, against this machine's SQLite.
        case everyScript
        /// Only when every term is Latin (below U+0250), so that a test's verdict does not depend on the SQLite
        /// version's Unicode tables.
        case latinTermsOnly
    }

    let fts: FTS5Scratch
    let engine: QAEngine?
    let ownTerms: OwnTermsCheck
    /// Bytes of the indexed files, by the source path the index stores, to check citations.
    let sources: [String: [UInt8]]
    /// How many inputs went through `QAEngine.ask`.
    public private(set) var asks = 0

    /// - Parameters:
    ///   - index: an index file to ask questions against, or nil to skip `ask`.
    ///   - ownTerms: which own terms of a text must find it (`.everyScript` unless the verdict must not depend on
    ///     the SQLite version).
    public init(index: String?, ownTerms: OwnTermsCheck = .everyScript) throws {
        fts = try Self.ftsTable()
        self.ownTerms = ownTerms
        if let index {
            let store = try IndexStore(path: index)
            engine = QAEngine(store: store)
            var sources: [String: [UInt8]] = [:]
            for d in try store.documents() {
                if let data = FileManager.default.contents(atPath: d.path) { sources[d.path] = Array(data) }
            }
            self.sources = sources
        } else {
            engine = nil
            sources = [:]
        }
    }

    /// An in-memory FTS5 table `passages_fts(terms)` tokenized as the index's is.
    public static func ftsTable() throws -> FTS5Scratch { try FTS5Scratch() }

    /// Runs `pattern` as an FTS5 MATCH on `db`'s `passages_fts`; returns the number of rows matched.
    @discardableResult
    public static func match(_ pattern: String, in table: FTS5Scratch) throws -> Int64 {
        try table.count(matching: pattern)
    }

    /// Builds an index of `seeds` (no thesaurus) in `folder` and returns its path.
    public static func buildIndex(seeds: String, folder: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/fuzz.sqlite"
        let indexer = Indexer(indexPath: path)
        indexer.thesaurusPath = nil
        _ = try indexer.run(roots: [seeds], rebuild: true)
        return path
    }

    func fail(_ check: String, _ detail: String) -> Finding { Finding(check: check, detail: detail) }

    /// Checks every invariant on `text` (and, with `ask` and an index, `QAEngine.ask` on it); throws the first
    /// `Finding`.
    public func check(_ text: String, ask: Bool = true) throws {
        if let word = Self.canary { try plantedBug(text, word) }
        let bytes = Array(text.utf8)
        let tokens = Tokenizer().tokenize(text)
        try checkTokens(tokens, bytes, stage: "tokenizer")
        try checkTokens(ElisionFilter().apply(tokens), bytes, stage: "elision")
        let analyzed = FrenchAnalyzer().analyze(text)
        try checkTokens(analyzed, bytes, stage: "analyzer")
        let wordless = analyzed.first { !$0.term.unicodeScalars.contains { Self.letterOrNumber.contains($0.properties.generalCategory) } }
        if let t = wordless {
            throw fail("analyzer", "token \(swiftLiteral(t.surface)) has the term \(swiftLiteral(t.term)), with no letter or number")
        }

        try checkSentences(SentenceSplitter().split(text), bytes)
        try checkPassages(Chunker().passages(of: text, source: "fuzz/input.txt"), bytes, stage: "chunker")
        try checkPassages(Chunker(maxCharacters: 40).passages(of: text, source: "fuzz/input.txt"), bytes, stage: "chunker(40)")
        try checkPassages(Chunker().passages(ofRecord: text, id: "r", title: "t", source: "fuzz/input.jsonl", number: 1),
                          bytes, stage: "chunker(record)")
        _ = Chunker.title(of: text)

        let query = Query(text)
        try checkQuery(query)
        try checkMatch(document: analyzed.map(\.term), query: query, text: text)

        let validated: String?
        do {
            validated = try QAEngine.validate(text)
        } catch let e as KZQAError {
            // Refused without words only when it has no letter or digit at all.
            let wordless = !text.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
            guard e == .emptyQuestion || e == .questionTooLong(bytes: bytes.count, limit: QAEngine.maxQuestionBytes)
                    || (e == .questionWithoutWords && wordless) else {
                throw fail("validate", "unexpected KZQAError \(e)")
            }
            validated = nil
        } catch {
            throw fail("validate", "threw a non-KZQAError \(type(of: error)): \(error)")
        }
        if let v = validated {
            try checkValidated(v)
            guard (try? QAEngine.validate(v)) == v else { throw fail("validate", "not idempotent on \(swiftLiteral(v))") }
        }

        if ask, let engine {
            // Long inputs are refused by validate; ask their first 4 KiB too so the engine sees them.
            var question = text
            if question.utf8.count > QAEngine.maxQuestionBytes {
                question = String(decoding: bytes.prefix(QAEngine.maxQuestionBytes - 3), as: UTF8.self)
            }
            try checkAsk(engine, question)
        }
    }

    /// KZQA_FUZZ_CANARY=crash|hang|finding plants a bug, to see that the drivers report that kind of failure:
    /// an input containing `KZQA-CRASH` then traps, `KZQA-HANG` never returns, `KZQA-FINDING` breaks an
    /// invariant. The random driver adds the word to its pieces.
    public static let canary: String? = ProcessInfo.processInfo.environment["KZQA_FUZZ_CANARY"]
        .flatMap { ["crash", "hang", "finding"].contains($0) ? "KZQA-" + $0.uppercased() : nil }

    func plantedBug(_ text: String, _ word: String) throws {
        guard text.contains(word) else { return }
        switch word {
        case "KZQA-CRASH": let empty: [Int] = []; _ = empty[text.utf8.count]
        case "KZQA-HANG": while true { sleep(1) }
        default: throw fail("canary", "planted finding")
        }
    }

    func checkTokens(_ tokens: [Token], _ bytes: [UInt8], stage: String) throws {
        for t in tokens {
            guard !t.term.isEmpty else { throw fail(stage, "token \(swiftLiteral(t.surface)) has an empty term") }
            guard t.start >= 0, t.start < t.end, t.end <= bytes.count else {
                throw fail(stage, "token \(swiftLiteral(t.surface)) has range \(t.start)..<\(t.end) in \(bytes.count) bytes")
            }
            guard bytes[t.start..<t.end].elementsEqual(t.surface.utf8) else {
                let got = String(decoding: bytes[t.start..<t.end], as: UTF8.self)
                throw fail(stage, "bytes \(t.start)..<\(t.end) are \(swiftLiteral(got)), not the surface \(swiftLiteral(t.surface))")
            }
        }
    }

    func checkSentences(_ ranges: [Range<Int>], _ bytes: [UInt8]) throws {
        var previousEnd = 0
        for r in ranges {
            guard r.lowerBound >= previousEnd, r.lowerBound < r.upperBound, r.upperBound <= bytes.count else {
                throw fail("sentences", "range \(r) after \(previousEnd) in \(bytes.count) bytes (ranges: \(ranges))")
            }
            guard isBoundary(r.lowerBound, bytes), isBoundary(r.upperBound, bytes) else {
                throw fail("sentences", "range \(r) cuts a UTF-8 sequence")
            }
            let sentence = String(decoding: bytes[r], as: UTF8.self).unicodeScalars
            if let first = sentence.first, let last = sentence.last,
               first.properties.isWhitespace || last.properties.isWhitespace {
                throw fail("sentences", "range \(r) is not trimmed: \(swiftLiteral(String(sentence)))")
            }
            let gap = String(decoding: bytes[previousEnd..<r.lowerBound], as: UTF8.self)
            if !gap.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
                throw fail("sentences", "text \(swiftLiteral(gap)) before \(r) is in no sentence")
            }
            previousEnd = r.upperBound
        }
        let tail = String(decoding: bytes[previousEnd...], as: UTF8.self)
        if !tail.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            throw fail("sentences", "text \(swiftLiteral(tail)) after the last sentence is in no sentence")
        }
    }

    /// Letters and numbers (general categories L* and N*): FTS5's unicode61 tokenizer sees no word in a term
    /// without one. Stated here rather than borrowed from the engine, so that the check does not trust it.
    static let letterOrNumber: Set<Unicode.GeneralCategory> = [
        .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
        .decimalNumber, .letterNumber, .otherNumber,
    ]

    func isBoundary(_ i: Int, _ bytes: [UInt8]) -> Bool { i == bytes.count || bytes[i] & 0xC0 != 0x80 }

    func checkPassages(_ passages: [Passage], _ bytes: [UInt8], stage: String) throws {
        // Whatever lies between passages is white space (or the byte-order mark a file may start with).
        var covered = 0
        for p in passages + [Passage(id: "", source: "", title: "", paragraph: 0, start: bytes.count, end: bytes.count, text: "")]
        where p.start >= covered && p.start <= bytes.count {
            var gap = String(decoding: bytes[covered..<p.start], as: UTF8.self)
            if covered == 0, gap.hasPrefix("\u{FEFF}") { gap.removeFirst() }
            if !gap.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
                throw fail(stage, "text \(swiftLiteral(gap)) at \(covered)..<\(p.start) is in no passage")
            }
            covered = p.end
        }
        var previousEnd = 0
        var ids = Set<String>()
        for p in passages {
            guard p.start >= previousEnd, p.start < p.end, p.end <= bytes.count else {
                throw fail(stage, "passage \(p.id) has range \(p.start)..<\(p.end) after \(previousEnd) in \(bytes.count) bytes")
            }
            guard bytes[p.start..<p.end].elementsEqual(p.text.utf8) else {
                throw fail(stage, "passage \(p.id): bytes \(p.start)..<\(p.end) are not its text \(swiftLiteral(p.text))")
            }
            guard ids.insert(p.id).inserted else { throw fail(stage, "passage id \(p.id) twice") }
            guard !p.text.unicodeScalars.allSatisfy(\.properties.isWhitespace) else {
                throw fail(stage, "passage \(p.id) is blank")
            }
            previousEnd = p.end
        }
    }

    func checkQuery(_ query: Query) throws {
        guard Set(query.terms).count == query.terms.count else { throw fail("query", "terms repeat: \(query.terms)") }
        guard Set(query.termCounts.keys) == Set(query.terms) else {
            throw fail("query", "termCounts \(query.termCounts) do not match terms \(query.terms)")
        }
        guard query.termCounts.values.allSatisfy({ $0 >= 1 }) else { throw fail("query", "a count below 1") }
    }

    /// The terms go through `FTS5Pattern` into a real FTS5 MATCH, which must not fail; raw whitespace-separated
    /// words of the input too (`FTS5Pattern` must make any term inert).
    /// Terms over 1 KiB are left out: FTS5 matches a phrase of n words against a document of n words in
    /// O(n²), which only slows the harness (questions are at most 4 KiB), and length does not change syntax.
    func checkMatch(document: [String], query: Query, text: String) throws {
        func short(_ terms: [String]) -> [String] { terms.filter { $0.utf8.count <= 1024 } }
        try fts.replace(with: short(document).joined(separator: " "))
        let raw = short(text.split(whereSeparator: { $0 == " " || $0 == "\n" }).prefix(64).map(String.init))
        let terms = short(query.terms)
        let patterns: [(String, String?)] = [
            ("anyOf(terms)", FTS5Pattern.anyOf(terms)),
            ("anyOf(terms + function terms)", FTS5Pattern.anyOf(terms + short(query.functionTerms))),
            ("allOf(terms)", FTS5Pattern.allOf(terms)),
            ("anyOf(raw words)", FTS5Pattern.anyOf(raw)),
            ("allOf(raw words)", FTS5Pattern.allOf(raw)),
        ]
        for (name, pattern) in patterns {
            guard let pattern else { continue }
            do {
                try fts.count(matching: pattern)
            } catch {
                throw fail("fts5", "\(name) = \(swiftLiteral(pattern)) fails: \(error)")
            }
        }
        // A question made of a passage's own text finds that passage: every term is a word to FTS5's unicode61
        // tokenizer too (a term of marks alone, or of `'`, would match nothing).
        let checked = ownTerms == .everyScript || terms.allSatisfy { $0.unicodeScalars.allSatisfy { $0.value < 0x250 } }
        if checked, let pattern = FTS5Pattern.anyOf(terms), try Self.match(pattern, in: fts) != 1 {
            throw fail("fts5", "the text's own terms \(swiftLiteral(pattern)) do not match its index terms \(swiftLiteral(short(document).joined(separator: " ")))")
        }
    }

    func checkValidated(_ v: String) throws {
        let scalars = v.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { throw fail("validate", "returned an empty question") }
        guard !first.properties.isWhitespace, !last.properties.isWhitespace else {
            throw fail("validate", "returned an untrimmed question \(swiftLiteral(v))")
        }
        guard !scalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw fail("validate", "returned a question with control characters \(swiftLiteral(v))")
        }
        guard v.utf8.count <= QAEngine.maxQuestionBytes else { throw fail("validate", "returned \(v.utf8.count) bytes") }
    }

    func checkAsk(_ engine: QAEngine, _ question: String) throws {
        let modes = RetrievalMode.allCases
        let mode = modes[Int(UInt(bitPattern: question.utf8.count) % UInt(modes.count))]
        asks += 1
        let response: Response
        do {
            response = try engine.ask(question, mode: mode, top: 5)
        } catch is KZQAError {
            return
        } catch {
            throw fail("ask", "threw a non-KZQAError \(type(of: error)): \(error) (mode \(mode))")
        }
        let answer = response.answer
        guard !answer.answer.isEmpty else { throw fail("ask", "empty answer (mode \(mode))") }
        guard answer.confidence.isFinite, answer.confidence >= 0, answer.confidence <= 1 else {
            throw fail("ask", "confidence \(answer.confidence) (mode \(mode))")
        }
        for c in answer.citations {
            guard let source = sources[c.source] else { continue }
            guard c.start >= 0, c.start <= c.end, c.end <= source.count,
                  source[c.start..<c.end].elementsEqual(c.quote.utf8) else {
                throw fail("ask", "citation [\(c.n)] \(c.source) \(c.start)..<\(c.end) is not its quote \(swiftLiteral(c.quote)) (mode \(mode))")
            }
        }
        for r in response.ranked where !r.score.isFinite {
            throw fail("ask", "ranked passage \(r.rowid) has score \(r.score) (mode \(mode))")
        }
    }
}
