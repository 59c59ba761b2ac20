import Foundation
import XCTest
@testable import KZQA

/// Helpers shared by the analysis, sentence-splitter and chunker tests. Kept in a namespace so that
/// other test files of the target can define their own helpers without clashing.
enum AnalysisTestSupport {
    /// The fields of a token that the tests pin down exactly.
    struct ExpectedToken: Equatable, CustomStringConvertible {
        var surface: String
        var term: String
        var kind: Token.Kind
        var start: Int
        var end: Int
        var isStopword: Bool

        init(_ surface: String, _ term: String, _ kind: Token.Kind, _ start: Int, _ end: Int, stop: Bool = false) {
            self.surface = surface
            self.term = term
            self.kind = kind
            self.start = start
            self.end = end
            self.isStopword = stop
        }

        init(_ token: Token) {
            self.init(token.surface, token.term, token.kind, token.start, token.end, stop: token.isStopword)
        }

        var description: String {
            "tok(\(surface.debugDescription), \(term.debugDescription), .\(kind.rawValue), \(start), \(end)"
                + (isStopword ? ", stop: true)" : ")")
        }
    }

    /// The UTF-8 bytes `range` of `text`, decoded.
    static func slice(_ text: String, _ range: Range<Int>) -> String {
        String(decoding: Array(text.utf8)[range], as: UTF8.self)
    }

    /// Every token's byte range is inside `text` and its bytes are exactly the token's surface.
    static func assertOffsetsReproduceSurfaces(_ tokens: [Token], in text: String,
                                               file: StaticString = #filePath, line: UInt = #line) {
        let bytes = Array(text.utf8)
        for t in tokens {
            guard t.start >= 0, t.start < t.end, t.end <= bytes.count else {
                XCTFail("token \(t.surface.debugDescription) has bad range \(t.start)..<\(t.end) (text has \(bytes.count) bytes)",
                        file: file, line: line)
                continue
            }
            if !bytes[t.start..<t.end].elementsEqual(t.surface.utf8) {
                XCTFail("bytes \(t.start)..<\(t.end) are \(slice(text, t.start..<t.end).debugDescription), "
                        + "not the surface \(t.surface.debugDescription)", file: file, line: line)
            }
        }
    }

    /// The tokens are exactly `expected` (surface, term, kind, offsets, stopword flag), in order.
    static func assertTokens(_ tokens: [Token], _ expected: [ExpectedToken], in text: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        assertOffsetsReproduceSurfaces(tokens, in: text, file: file, line: line)
        let got = tokens.map(ExpectedToken.init)
        guard got != expected else { return }
        var report: [String] = []
        for i in 0..<max(got.count, expected.count) {
            let g = i < got.count ? got[i].description : "—"
            let e = i < expected.count ? expected[i].description : "—"
            report.append((g == e ? "   " : "!! ") + "got \(g)  expected \(e)")
        }
        XCTFail("tokens of \(text.debugDescription) differ:\n" + report.joined(separator: "\n"), file: file, line: line)
    }

    /// `ranges` are exactly `expected`, and each range's bytes are the expected text.
    static func assertRanges(_ ranges: [Range<Int>], _ expected: [(Range<Int>, String)], in text: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        let got = ranges.map { "\($0.lowerBound)..<\($0.upperBound) \(slice(text, $0).debugDescription)" }
        let want = expected.map { "\($0.0.lowerBound)..<\($0.0.upperBound) \($0.1.debugDescription)" }
        XCTAssertEqual(got, want, "sentences of \(text.debugDescription)", file: file, line: line)
    }

    /// The package root, found from this file's path (Tests/KZQATests/TestSupport.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // KZQATests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root

    /// The seed articles in `seeds/`, sorted by name.
    static func seedURLs(file: StaticString = #filePath, line: UInt = #line) throws -> [URL] {
        let folder = packageRoot.appendingPathComponent("seeds")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".txt") }
            .sorted()
        XCTAssertFalse(names.isEmpty, "no seed articles in \(folder.path)", file: file, line: line)
        return names.map { folder.appendingPathComponent($0) }
    }

    /// The seed article whose file name starts with `prefix` (e.g. `003_`), as text.
    static func seed(_ prefix: String) throws -> (url: URL, text: String) {
        guard let url = try seedURLs().first(where: { $0.lastPathComponent.hasPrefix(prefix) }) else {
            throw NSError(domain: "AnalysisTestSupport", code: 1,
                          userInfo: [NSLocalizedDescriptionKey: "no seed article named \(prefix)* in seeds/"])
        }
        let data = try Data(contentsOf: url)
        guard let text = String(validating: Array(data), as: UTF8.self) else {
            throw NSError(domain: "AnalysisTestSupport", code: 1,
                          userInfo: [NSLocalizedDescriptionKey: "\(url.path) is not UTF-8"])
        }
        return (url, text)
    }
}
