import Foundation
import Hummingbird
import KZQA
import Logging

/// The web page at `/`: a question box and, for `/?q=…`, the answer rendered on the server (links can be shared
/// and the page works without JavaScript). Every piece of document or request text goes through `escape`; the page
/// loads only its own stylesheet and script (`PageAssets`), as the Content-Security-Policy demands.
enum WebPage {
    struct Rendered {
        var html: String
        var status: HTTPResponse.Status
    }

    /// The page for the query string of `/`.
    static func render(query: QueryString, pool: EnginePool, logger: Logger) -> Rendered {
        let question = query["q"] ?? ""
        guard !question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return Rendered(html: page(question: "", body: ""), status: .ok)
        }
        do {
            let parameters = try AskParameters(question: question, top: query["top"], mode: query["mode"], lang: query["lang"])
            let text = try QAEngine.validate(parameters.question)
            let (answer, passages) = try pool.withEngine { engine -> (Answer, [String: PassageNeighbourhood]) in
                let answer = try engine.ask(text, mode: parameters.mode, top: parameters.top).answer
                var passages: [String: PassageNeighbourhood] = [:]
                for c in answer.citations where passages[c.passageID] == nil {
                    passages[c.passageID] = try engine.store.passage(id: c.passageID)
                }
                return (answer, passages)
            }
            return Rendered(html: page(question: question, body: body(answer, passages: passages)), status: .ok)
        } catch {
            let e = APIError.from(error, logger: logger)
            return Rendered(html: page(question: question, body: #"<p class="error" role="alert">"# + escape(e.message) + "</p>"),
                            status: e.status)
        }
    }

    /// Text made safe for HTML content and attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func page(question: String, body: String) -> String {
        let title = question.isEmpty ? "kzqa" : "\(escape(question)) — kzqa"
        return """
        <!doctype html>
        <html lang="fr">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <link rel="stylesheet" href="/app.css">
        <script src="/app.js" defer></script>
        </head>
        <body>
        <header><h1><a href="/">kzqa</a></h1><p>Questions en français sur les articles indexés, réponses citées.</p></header>
        <main>
        <form action="/" method="get" role="search">
        <label for="q">Question</label>
        <div class="ask"><input id="q" name="q" type="search" value="\(escape(question))" placeholder="Qui dirige le ministère de l’IA ?" autocomplete="off"\(question.isEmpty ? " autofocus" : "")><button type="submit">Demander</button></div>
        <p class="hint"><kbd>Entrée</kbd> demande · <kbd>/</kbd> revient à la question · <kbd>1</kbd>–<kbd>9</kbd> ouvre une citation</p>
        </form>
        <section id="result" aria-live="polite">\(body)</section>
        </main>
        <footer>API : <a href="/api/health">/api/health</a> · <a href="/openapi.json">/openapi.json</a></footer>
        </body>
        </html>

        """
    }

    static func body(_ answer: Answer, passages: [String: PassageNeighbourhood]) -> String {
        var h = ""
        if answer.abstained {
            h += #"<div class="abstained" role="status"><p class="notice">"# + escape(answer.answer) + "</p>"
            h += #"<p class="confidence">confiance "# + String(format: "%.2f", answer.confidence) + "</p></div>"
            if !answer.passages.isEmpty {
                h += "<h2>Passages les plus proches</h2><ol class=\"passages\">"
                for p in answer.passages {
                    h += "<li><p class=\"where\"><code>" + escape(p.source) + "</code> · " + escape(p.passageID)
                        + " · score " + JSONText.rounded(p.score) + "</p><p>" + escape(p.text) + "</p></li>"
                }
                h += "</ol>"
            }
            return h
        }
        if let short = answer.shortAnswer {
            h += #"<p class="short"><span class="label">Réponse</span> <mark>"# + escape(short.text) + "</mark></p>"
        }
        h += #"<p class="answer">"# + linkMarks(highlight(answer.answer, answer.shortAnswer?.text)) + "</p>"
        h += #"<p class="confidence">confiance "# + String(format: "%.2f", answer.confidence) + "</p>"
        h += "<h2>Sources</h2><ol class=\"citations\">"
        for c in answer.citations {
            // The first citation is open: its passage, with the quote marked, shows at once.
            h += "<li id=\"c\(c.n)\"><details\(c.n == 1 ? " open" : "")><summary><span class=\"n\">[\(c.n)]</span> " + escape(c.title)
                + " — <code>" + escape(c.source) + "</code>, paragraphe \(c.paragraph), octets \(c.start)–\(c.end)</summary>"
            if let n = passages[c.passageID] {
                h += "<blockquote>" + quoteInPassage(c, n.passage) + "</blockquote>"
                h += "<p class=\"where\">passage " + escape(n.passage.id) + " · octets \(n.passage.start)–\(n.passage.end)</p>"
            } else {
                h += "<blockquote><mark>" + escape(c.quote) + "</mark></blockquote>"
            }
            h += "</details></li>"
        }
        h += "</ol>"
        return h
    }

    /// The escaped passage text with the cited quote marked, found by its byte offsets (or by its text).
    static func quoteInPassage(_ c: Citation, _ p: Passage) -> String {
        let bytes = Array(p.text.utf8)
        let a = c.start - p.start, b = c.end - p.start
        if a >= 0, b >= a, b <= bytes.count,
           let before = String(bytes: bytes[0..<a], encoding: .utf8),
           let quote = String(bytes: bytes[a..<b], encoding: .utf8),
           let after = String(bytes: bytes[b...], encoding: .utf8) {
            return escape(before) + "<mark>" + escape(quote) + "</mark>" + escape(after)
        }
        return highlight(p.text, c.quote)
    }

    /// The escaped `text` with the first occurrence of `part` marked.
    static func highlight(_ text: String, _ part: String?) -> String {
        guard let part, !part.isEmpty, let r = text.range(of: part) else { return escape(text) }
        return escape(String(text[..<r.lowerBound])) + "<mark>" + escape(part) + "</mark>" + escape(String(text[r.upperBound...]))
    }

    /// Escaped text whose `[n]` marks become links to citation n.
    static func linkMarks(_ escaped: String) -> String {
        var out = ""
        var rest = escaped[...]
        while let open = rest.firstIndex(of: "[") {
            out += rest[..<open]
            let afterOpen = rest.index(after: open)
            let digits = rest[afterOpen...].prefix { $0.isASCII && $0.isNumber }
            let close = digits.endIndex
            if !digits.isEmpty, digits.count <= 2, close < rest.endIndex, rest[close] == "]" {
                out += "<a class=\"ref\" href=\"#c\(digits)\">[\(digits)]</a>"
                rest = rest[rest.index(after: close)...]
            } else {
                out += "["
                rest = rest[afterOpen...]
            }
        }
        return out + rest
    }
}
