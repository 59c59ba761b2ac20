import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest
@testable import KZQA
@testable import KZQAServer

/// `kzqa serve` through HummingbirdTesting: every route and error, the page (escaping, no external URL, weight),
/// a hostile document, parallel requests, CORS, and answers that follow re-indexing.
final class ServerTests: XCTestCase {
    var folder = ""
    var corpusFolder = ""
    var indexPath = ""

    /// A document whose text is markup: indexed, it must only ever show as text.
    static let hostile = """
    Le laboratoire Balise de Karaganda

    Le laboratoire Balise publie ses notes sous la forme <script>alert("balise")</script> et ses schémas comme <img src=x onerror=alert(1)> sans jamais les exécuter.

    """
    static let answerable = "Combien coûtent les croissants au beurre ?"
    static let unanswerable = "Combien de volcans sont actifs en Islande ?"

    override func setUpWithError() throws {
        folder = try CLITestSupport.temporaryFolder(for: self, "kzqa-server-tests")
        corpusFolder = try CLITestSupport.writeCorpus(in: folder)
        try Data(Self.hostile.utf8).write(to: URL(fileURLWithPath: corpusFolder + "/balise.txt"))
        indexPath = folder + "/index.sqlite"
        try IndexFixtures.index([corpusFolder], into: indexPath)
    }

    func makeApp(cors: String? = nil) throws -> (some ApplicationProtocol, EnginePool) {
        let pool = try EnginePool(path: indexPath)
        return (KZQAServer.application(pool: pool, options: ServerOptions(host: "127.0.0.1", port: 0, corsOrigin: cors)), pool)
    }

    /// What `kzqa ask --json` prints for `question`, from an engine of its own.
    func expectedJSON(_ question: String, mode: RetrievalMode = .hybrid, top: Int = 5) throws -> String {
        try Self.expectedJSON(question, mode: mode, top: top, index: indexPath)
    }

    static func expectedJSON(_ question: String, mode: RetrievalMode = .hybrid, top: Int = 5, index: String) throws -> String {
        let engine = QAEngine(store: try IndexStore(path: index))
        return AnswerJSON.encode(try engine.ask(question, mode: mode, top: top).answer)
    }

    static func object(_ body: ByteBuffer) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any], String(buffer: body))
    }

    static func query(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// An error reply: the status, JSON `{"error": …}` and nothing else, no SQL or Swift internals.
    static func assertError(_ r: TestResponse, _ status: HTTPResponse.Status, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(r.status, status, String(buffer: r.body), file: file, line: line)
        XCTAssertEqual(r.headers[.contentType], "application/json; charset=utf-8", file: file, line: line)
        let o = try object(r.body)
        XCTAssertEqual(Array(o.keys), ["error"], file: file, line: line)
        let message = try XCTUnwrap(o["error"] as? String, file: file, line: line)
        XCTAssertFalse(message.isEmpty, file: file, line: line)
        for leak in ["SELECT", "sqlite", "SQLite", "Swift", "Error(", ".swift"] {
            XCTAssertFalse(message.contains(leak), "\(message) leaks \(leak)", file: file, line: line)
        }
    }

    // MARK: - /api/ask

    func testAskGetAndPostGiveTheAskJSONObject() async throws {
        let (app, _) = try makeApp()
        let expected = try expectedJSON(Self.answerable, mode: .bm25, top: 3)
        let abstention = try expectedJSON(Self.unanswerable)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/ask?q=\(Self.query(Self.answerable))&top=3&mode=bm25&lang=fr", method: .get) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(r.headers[.contentType], "application/json; charset=utf-8")
                XCTAssertEqual(r.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'"), true)
                XCTAssertEqual(String(buffer: r.body), expected)
                let o = try Self.object(r.body)
                XCTAssertEqual(o["abstained"] as? Bool, false)
                XCTAssertTrue((o["answer"] as? String ?? "").contains("1,30 euro"), String(buffer: r.body))
            }
            // `+` is a space in a query string, as a browser's form sends it.
            try await client.execute(uri: "/api/ask?q=" + Self.query(Self.answerable).replacingOccurrences(of: "%20", with: "+") + "&top=3&mode=bm25", method: .get) { r in
                XCTAssertEqual(String(buffer: r.body), expected)
            }
            let body = try JSONSerialization.data(withJSONObject: ["question": Self.answerable, "top": 3, "mode": "bm25"])
            try await client.execute(uri: "/api/ask", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(bytes: body)) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(String(buffer: r.body), expected)
            }
            try await client.execute(uri: "/api/ask?q=\(Self.query(Self.unanswerable))", method: .get) { r in
                XCTAssertEqual(String(buffer: r.body), abstention)
                XCTAssertEqual(try Self.object(r.body)["abstained"] as? Bool, true)
            }
        }
    }

    func testAskRefusesBadParametersAsJSON() async throws {
        let (app, _) = try makeApp()
        let q = Self.query(Self.answerable)
        try await app.test(.router) { client in
            for (uri, status) in [("/api/ask?q=", HTTPResponse.Status.badRequest), ("/api/ask?q=%20%20", .badRequest),
                                  ("/api/ask", .badRequest), ("/api/ask?q=\(q)&top=abc", .badRequest),
                                  ("/api/ask?q=\(q)&top=0", .badRequest), ("/api/ask?q=\(q)&top=101", .badRequest),
                                  ("/api/ask?q=\(q)&mode=magic", .badRequest), ("/api/ask?q=\(q)&lang=de", .badRequest),
                                  ("/api/ask?q=%FF", .badRequest),
                                  ("/api/ask?q=" + String(repeating: "a", count: 100 * 1024), .contentTooLarge),
                                  ("/nosuch", .notFound), ("/api/nosuch?q=x", .notFound),
                                  ("/api/passages/nosuch:1.1", .notFound)] {
                try await client.execute(uri: uri, method: .get) { r in
                    try Self.assertError(r, status)
                }
            }
            for (body, status) in [("not json", HTTPResponse.Status.badRequest), (#"{"top": 3}"#, .badRequest),
                                   (#"{"question": 12}"#, .badRequest), (#"{"question": "Qui ?", "top": "abc"}"#, .badRequest),
                                   (#"{"question": ""}"#, .badRequest),
                                   (#"{"question": "\#(String(repeating: "é", count: 5000))"}"#, .contentTooLarge),
                                   (String(repeating: " ", count: Routes.maxBodyBytes + 1), .contentTooLarge)] {
                try await client.execute(uri: "/api/ask", method: .post, body: ByteBuffer(string: body)) { r in
                    try Self.assertError(r, status)
                }
            }
        }
    }

    /// A broken index is a 500 with a plain message: no SQL text, no stack trace.
    func testBrokenIndexIsA500WithoutDetails() async throws {
        let (app, _) = try makeApp()
        // Overwrite the file in place (same inode): the open engine finds garbage where its pages were.
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: indexPath))
        try handle.write(contentsOf: Data(repeating: 0x41, count: 64 * 1024))
        try handle.close()
        try? FileManager.default.removeItem(atPath: indexPath + "-wal")
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/ask?q=\(Self.query(Self.answerable))", method: .get) { r in
                try Self.assertError(r, .internalServerError)
            }
        }
    }

    // MARK: - /api/passages, /api/health, /openapi.json

    func testPassageRouteGivesThePassageAndItsNeighbours() async throws {
        let (app, _) = try makeApp()
        let answer = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try expectedJSON(Self.answerable).utf8)) as? [String: Any])
        let citation = try XCTUnwrap((answer["citations"] as? [[String: Any]])?.first)
        let id = try XCTUnwrap(citation["passage_id"] as? String)
        let citedSource = try XCTUnwrap(citation["source"] as? String)
        let quote = try XCTUnwrap(citation["quote"] as? String)
        try await app.test(.router) { client in
            let o = try await client.execute(uri: "/api/passages/\(Self.query(id))", method: .get) { r -> [String: Any] in
                XCTAssertEqual(r.status, .ok)
                return try Self.object(r.body)
            }
            XCTAssertEqual(Set(o.keys), ["passage_id", "source", "title", "paragraph", "start", "end", "text", "previous", "next"])
            XCTAssertEqual(o["passage_id"] as? String, id)
            let source = try XCTUnwrap(o["source"] as? String)
            XCTAssertEqual(source, citedSource)
            let start = try XCTUnwrap(o["start"] as? Int), end = try XCTUnwrap(o["end"] as? Int)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source)))
            XCTAssertEqual(String(decoding: bytes[start..<end], as: UTF8.self), o["text"] as? String)
            XCTAssertTrue((o["text"] as? String ?? "").contains(quote))
            // The croissant paragraph is the last of its article: a previous passage, no next one.
            let previous = try XCTUnwrap(o["previous"] as? String)
            XCTAssertTrue(o["next"] is NSNull, "\(o)")
            let p = try await client.execute(uri: "/api/passages/\(Self.query(previous))", method: .get) { try Self.object($0.body) }
            XCTAssertEqual(p["next"] as? String, id)
            XCTAssertLessThan(try XCTUnwrap(p["end"] as? Int), start)
        }
    }

    func testHealthAndOpenAPI() async throws {
        let (app, _) = try makeApp()
        let passages = try IndexStore(path: indexPath).passageCount
        let indexPath = self.indexPath
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/health", method: .get) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(String(buffer: r.body),
                               #"{"index":"\#(indexPath)","passages":\#(passages),"schema_version":"\#(IndexSchema.version)","analyzer":"\#(IndexSchema.analyzer)"}"#)
            }
            try await client.execute(uri: "/openapi.json", method: .get) { r in
                XCTAssertEqual(r.status, .ok)
                let o = try Self.object(r.body)
                XCTAssertEqual(o["openapi"] as? String, "3.1.0")
                let paths = try XCTUnwrap(o["paths"] as? [String: Any])
                XCTAssertEqual(Set(paths.keys), ["/api/ask", "/api/passages/{passage_id}", "/api/health"])
            }
        }
    }

    // MARK: - the page

    func testPageHasNoExternalURLAndWeighsUnder100KB() async throws {
        let (app, _) = try makeApp()
        try await app.test(.router) { client in
            var total = 0
            for uri in ["/", "/app.css", "/app.js"] {
                let text = try await client.execute(uri: uri, method: .get) { r -> String in
                    XCTAssertEqual(r.status, .ok, uri)
                    XCTAssertEqual(r.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'"), true)
                    return String(buffer: r.body)
                }
                total += text.utf8.count
                for external in ["http://", "https://", "//cdn", "url(", "@import"] {
                    XCTAssertFalse(text.contains(external), "\(uri) names \(external)")
                }
            }
            XCTAssertLessThan(total, 100 * 1024)
            let page = try await client.execute(uri: "/", method: .get) { String(buffer: $0.body) }
            XCTAssertTrue(page.contains(#"<form action="/" method="get""#))
            XCTAssertTrue(page.contains(#"<script src="/app.js" defer></script>"#))
            XCTAssertFalse(page.contains("<style"), "inline styles are forbidden by the CSP")
            XCTAssertEqual(page.components(separatedBy: "<script").count, 2, "one script, the bundled one")
        }
    }

    func testPageRendersTheAnswerOnTheServer() async throws {
        let (app, _) = try makeApp()
        let engine = QAEngine(store: try IndexStore(path: indexPath))
        let answer = try engine.ask(Self.answerable).answer
        // Abstained, with close passages to list.
        let unanswered = "Qui a remporté la coupe du monde de rugby ?"
        let abstention = try engine.ask(unanswered).answer
        XCTAssertTrue(abstention.abstained)
        XCTAssertFalse(abstention.passages.isEmpty)
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/?q=\(Self.query(Self.answerable))", method: .get) { r -> String in
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(r.headers[.contentType], "text/html; charset=utf-8")
                return String(buffer: r.body)
            }
            XCTAssertTrue(page.contains(#"value="\#(WebPage.escape(Self.answerable))""#))
            XCTAssertFalse(answer.citations.isEmpty)
            for c in answer.citations {
                XCTAssertTrue(page.contains(#"<li id="c\#(c.n)"><details\#(c.n == 1 ? " open" : "")><summary>"#), "citation \(c.n) opens its passage")
                XCTAssertTrue(page.contains("<mark>" + WebPage.escape(c.quote) + "</mark>"), "the quote is highlighted")
                XCTAssertTrue(page.contains("paragraphe \(c.paragraph), octets \(c.start)–\(c.end)"))
                XCTAssertTrue(page.contains(##"<a class="ref" href="#c\##(c.n)">[\##(c.n)]</a>"##))
            }
            let refused = try await client.execute(uri: "/?q=\(Self.query(unanswered))", method: .get) { String(buffer: $0.body) }
            XCTAssertTrue(refused.contains(#"<div class="abstained" role="status"><p class="notice">"# + WebPage.escape(Answer.abstention)))
            XCTAssertTrue(refused.contains("Passages les plus proches"))
            for p in abstention.passages {
                XCTAssertTrue(refused.contains(WebPage.escape(p.text)))
            }
            try await client.execute(uri: "/?q=" + String(repeating: "a", count: 10_000), method: .get) { r in
                XCTAssertEqual(r.status, .contentTooLarge)
                XCTAssertTrue(String(buffer: r.body).contains(#"<p class="error" role="alert">"#))
            }
        }
    }

    /// Markup in an indexed document reaches the reader as text: through the API (JSON strings) and the page (escaped).
    func testHostileDocumentShowsAsText() async throws {
        let (app, _) = try makeApp()
        let question = "Sous quelle forme le laboratoire Balise publie-t-il ses notes ?"
        try await app.test(.router) { client in
            let o = try await client.execute(uri: "/api/ask?q=\(Self.query(question))", method: .get) { try Self.object($0.body) }
            let texts = ((o["passages"] as? [[String: Any]]) ?? []).compactMap { $0["text"] as? String }
            XCTAssertTrue(texts.contains { $0.contains(#"<script>alert("balise")</script>"#) }, "the API gives the text as it is: \(o)")
            let page = try await client.execute(uri: "/?q=\(Self.query(question))", method: .get) { String(buffer: $0.body) }
            XCTAssertTrue(page.contains("&lt;script&gt;alert(&quot;balise&quot;)&lt;/script&gt;"), page)
            XCTAssertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;"))
            XCTAssertFalse(page.contains("<img"))
            XCTAssertFalse(page.contains("<script>"))
            XCTAssertEqual(page.components(separatedBy: "<script").count, 2)
            // The question box too: a question holding markup comes back escaped.
            let echoed = try await client.execute(uri: "/?q=\(Self.query("\"><script>alert(2)</script>"))", method: .get) { String(buffer: $0.body) }
            XCTAssertFalse(echoed.contains("<script>alert(2)"))
            XCTAssertTrue(echoed.contains("&quot;&gt;&lt;script&gt;alert(2)"))
        }
    }

    // MARK: - many readers, CORS, re-indexing

    /// 200 requests at once over a live server, each answered exactly as `kzqa ask --json` would.
    func testParallelRequestsAllSucceed() async throws {
        let (app, pool) = try makeApp()
        let questions = [Self.answerable, Self.unanswerable, "Qui entraîne l'équipe première ?",
                         "Combien de trains circulent chaque jour sur la ligne ?", "Qui organise les expositions du musée ?"]
        var expected: [String: String] = [:]
        for q in questions { expected[q] = try expectedJSON(q) }
        let want = expected
        try await app.test(.ahc(.http)) { client in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<200 {
                    let q = questions[i % questions.count]
                    // Half the requests differ in top, so they are answered by the engines rather than the cache.
                    let top = i % 2 == 0 ? 5 : 1 + i % 7
                    group.addTask {
                        try await client.execute(uri: "/api/ask?q=\(Self.query(q))&top=\(top)", method: .get) { r in
                            guard r.status == .ok, let o = try? Self.object(r.body) else { return false }
                            if top == 5 { return String(buffer: r.body) == want[q] }
                            return (o["passages"] as? [Any])?.count ?? 99 <= top
                        }
                    }
                }
                var ok = 0
                for try await success in group where success { ok += 1 }
                XCTAssertEqual(ok, 200)
            }
        }
        XCTAssertLessThanOrEqual(pool.enginesOpened, pool.maxEngines, "engines are reused, not opened per request")
    }

    func testNoCORSUnlessAnOriginIsGiven() async throws {
        let (plain, _) = try makeApp()
        try await plain.test(.router) { client in
            try await client.execute(uri: "/api/health", method: .get, headers: [.origin: "https://elsewhere.example"]) { r in
                XCTAssertNil(r.headers[.accessControlAllowOrigin])
            }
        }
        let (open, _) = try makeApp(cors: "https://news.example")
        try await open.test(.router) { client in
            try await client.execute(uri: "/api/health", method: .get, headers: [.origin: "https://news.example"]) { r in
                XCTAssertEqual(r.headers[.accessControlAllowOrigin], "https://news.example")
            }
            try await client.execute(uri: "/api/ask", method: .options,
                                     headers: [.origin: "https://news.example", .accessControlRequestMethod: "POST"]) { r in
                XCTAssertEqual(r.headers[.accessControlAllowOrigin], "https://news.example")
                XCTAssertTrue(r.headers[.accessControlAllowMethods]?.contains("POST") ?? false)
            }
        }
    }

    /// An incremental run and a `--rebuild` while serving: the next answers come from the new, complete index.
    func testAnswersFollowReindexing() async throws {
        let (app, pool) = try makeApp()
        let question = "Combien de ruches compte le rucher de Borovoïé ?"
        let doc = "Le rucher de Borovoïé\n\nLe rucher de Borovoïé compte 340 ruches installées au bord du lac.\n"
        let corpusFolder = self.corpusFolder, indexPath = self.indexPath
        try await app.test(.router) { client in
            let before = try await client.execute(uri: "/api/ask?q=\(Self.query(question))", method: .get) { try Self.object($0.body) }
            XCTAssertFalse((before["answer"] as? String ?? "").contains("340"), "\(before)")
            try Data(doc.utf8).write(to: URL(fileURLWithPath: corpusFolder + "/rucher.txt"))
            try IndexFixtures.index([corpusFolder], into: indexPath)
            let after = try await client.execute(uri: "/api/ask?q=\(Self.query(question))", method: .get) { try Self.object($0.body) }
            XCTAssertEqual(after["abstained"] as? Bool, false, "\(after)")
            XCTAssertTrue((after["answer"] as? String ?? "").contains("340 ruches"))
            XCTAssertEqual(String(data: try JSONSerialization.data(withJSONObject: after, options: .sortedKeys), encoding: .utf8),
                           String(data: try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: Data(try Self.expectedJSON(question, index: indexPath).utf8)), options: .sortedKeys), encoding: .utf8))
            // A rebuild renames a new file into place: the open engines still read the old one and must be replaced.
            try FileManager.default.removeItem(atPath: corpusFolder + "/rucher.txt")
            try IndexFixtures.index([corpusFolder], into: indexPath, rebuild: true)
            let rebuilt = try await client.execute(uri: "/api/ask?q=\(Self.query(question))", method: .get) { try Self.object($0.body) }
            XCTAssertFalse((rebuilt["answer"] as? String ?? "").contains("340"), "\(rebuilt)")
        }
        XCTAssertGreaterThan(pool.enginesOpened, 1)
    }
}
