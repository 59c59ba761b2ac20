import Foundation
import Hummingbird
import KZQA
import Logging

/// The routes of `kzqa serve` and what each reads from its request. No request value ever reaches a file path: the
/// only file is the index the server was started on.
enum Routes {
    /// Largest POST body read.
    static let maxBodyBytes = 64 * 1024
    /// The range of `top`, as on the command line.
    static let topRange = 1...100

    static func add(to router: Router<BasicRequestContext>, pool: EnginePool, logger: Logger) {
        router.get("/api/ask") { request, _ -> Response in
            let q = try QueryString(request.uri.query)
            guard let question = q["q"] else {
                throw APIError.badParameter("missing parameter q: the question, e.g. /api/ask?q=Qui+dirige+le+minist%C3%A8re+de+l%27IA+%3F")
            }
            let parameters = try AskParameters(question: question, top: q["top"], mode: q["mode"], lang: q["lang"])
            return json(try await pool.perform { try parameters.answer(pool) })
        }
        router.post("/api/ask") { request, _ -> Response in
            var body = Data()
            for try await chunk in request.body {
                guard body.count + chunk.readableBytes <= maxBodyBytes else {
                    throw APIError(.contentTooLarge, "the request body is over \(maxBodyBytes) bytes")
                }
                body.append(contentsOf: chunk.readableBytesView)
            }
            let parameters = try AskParameters(jsonBody: body)
            return json(try await pool.perform { try parameters.answer(pool) })
        }
        router.get("/api/passages/{id}") { _, context -> Response in
            guard let raw = context.parameters.get("id"), let id = raw.removingPercentEncoding, !id.isEmpty else {
                throw APIError.badParameter("give a passage id, e.g. /api/passages/<id> with an id from a citation")
            }
            guard let found = try await pool.perform({ try pool.withEngine { try $0.store.passage(id: id) } }) else {
                throw APIError(.notFound, "no passage \(id) in the index")
            }
            return json(passageJSON(found))
        }
        router.get("/api/health") { _, _ -> Response in
            let (passages, schema, analyzer) = try await pool.perform {
                try pool.withEngine { engine in
                    (try engine.store.storedPassageCount(), try engine.store.meta("schema_version") ?? IndexSchema.version,
                     try engine.store.meta("analyzer") ?? IndexSchema.analyzer)
                }
            }
            var j = JSONText()
            j.object { o in
                o.member("index", pool.path)
                o.member("passages", passages)
                o.member("schema_version", schema)
                o.member("analyzer", analyzer)
            }
            return json(j.text)
        }
        router.get("/openapi.json") { _, _ -> Response in
            json(OpenAPIDocument.json)
        }
        router.get("/") { request, _ -> Response in
            let q = try QueryString(request.uri.query)
            let page = try await pool.perform { WebPage.render(query: q, pool: pool, logger: logger) }
            return html(page.html, status: page.status)
        }
        router.get("/app.css") { _, _ -> Response in
            asset(PageAssets.css, type: "text/css; charset=utf-8")
        }
        router.get("/app.js") { _, _ -> Response in
            asset(PageAssets.js, type: "text/javascript; charset=utf-8")
        }
    }

    static func passageJSON(_ n: PassageNeighbourhood) -> String {
        var j = JSONText()
        j.object { o in
            o.member("passage_id", n.passage.id)
            o.member("source", n.passage.source)
            o.member("title", n.passage.title)
            o.member("paragraph", n.passage.paragraph)
            o.member("start", n.passage.start)
            o.member("end", n.passage.end)
            o.member("text", n.passage.text)
            o.member("previous", n.previous)
            o.member("next", n.next)
        }
        return j.text
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func html(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=3600"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The parameters of one question, from the query string or a JSON body, checked as the CLI checks them.
struct AskParameters {
    var question: String
    var top = 5
    var mode = RetrievalMode.hybrid

    init(question: String, top: String?, mode: String?, lang: String?) throws {
        self.question = question
        if let top {
            guard let n = Int(top), Routes.topRange.contains(n) else {
                throw APIError.badParameter("top takes a number from 1 to 100")
            }
            self.top = n
        }
        if let mode {
            guard let m = RetrievalMode(rawValue: mode) else {
                throw APIError.badParameter("mode is hybrid, bm25 or tfidf")
            }
            self.mode = m
        }
        // The language the question is read in; the answer's `language` says which one the engine used.
        if let lang, lang != "fr", lang != "en" {
            throw APIError.badParameter("lang is fr or en")
        }
    }

    private struct Body: Decodable {
        var question: String
        var top: Int?
        var mode: String?
        var lang: String?
    }

    init(jsonBody: Data) throws {
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: jsonBody)
        } catch {
            throw APIError.badParameter(#"the body must be a JSON object such as {"question": "…", "top": 5, "mode": "hybrid"}"#)
        }
        try self.init(question: body.question, top: body.top.map(String.init), mode: body.mode, lang: body.lang)
    }

    /// The `kzqa ask --json` object.
    func answer(_ pool: EnginePool) throws -> String {
        let text = try QAEngine.validate(question)
        return try pool.answerJSON(question: text, mode: mode, top: top)
    }
}

/// An `application/x-www-form-urlencoded` query string: `+` is a space, `%XX` a byte of UTF-8; the first value of a
/// name wins.
struct QueryString {
    private var values: [String: String] = [:]

    init(_ query: String?) throws {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else {
                throw APIError.badParameter("the query string is not valid percent-encoded UTF-8")
            }
            guard let value = Self.decode(parts.count > 1 ? parts[1] : "") else {
                throw APIError.badParameter("parameter \(name) is not valid percent-encoded UTF-8")
            }
            if values[name] == nil { values[name] = value }
        }
    }

    subscript(name: String) -> String? { values[name] }

    static func decode(_ s: Substring) -> String? {
        s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
