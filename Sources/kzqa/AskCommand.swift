import ArgumentParser
import Foundation
import KZQA

extension RetrievalMode: ExpressibleByArgument {}

/// Options shared by `ask` and `repl`.
struct AnswerOptions: ParsableArguments {
    @Option(name: .long, help: "Ranking mode: hybrid (default), bm25 or tfidf.")
    var mode: RetrievalMode = .hybrid

    @Option(name: .long, help: "How many passages to list under the answer.")
    var top: Int = 5

    func validate() throws {
        guard top >= 1, top <= 100 else { throw ValidationError("--top takes a number from 1 to 100") }
    }
}

extension Kzqa {
    /// `kzqa ask`: one question, one cited answer.
    struct Ask: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Answer one question with cited sentences from the indexed articles.",
            discussion: """
            Builds the default index from seeds/ first when it is missing.

            Examples:
              kzqa ask "Qui dirige le nouveau ministère de l'IA ?"
              kzqa ask --json --top 3 "Combien d'étudiants suivront des cours d'IA ?"
              kzqa ask --explain --mode bm25 "tenge numérique"
            """
        )

        @OptionGroup var indexOption: IndexOption
        @OptionGroup var answerOptions: AnswerOptions

        @Flag(name: .long, help: "Print one JSON object (see CONTRACTS.md) instead of text.")
        var json = false

        @Flag(name: .long, help: "Show the parts of each ranked passage's score and its matched terms.")
        var explain = false

        @Argument(help: "The question, in French.")
        var question: [String] = []

        func run() throws {
            let text = question.joined(separator: " ")
            _ = try QAEngine.validate(text)
            let engine = try openEngine(try indexOption.checkedPath())
            let response = try engine.ask(text, mode: answerOptions.mode, top: answerOptions.top)
            let answer = response.answer
            if json {
                print(AnswerJSON.encode(answer))
            } else {
                print(AnswerRendering.text(answer))
            }
            if explain {
                let out = AnswerRendering.explain(response, mode: answerOptions.mode)
                if json { FileHandle.standardError.write(Data((out + "\n").utf8)) } else { print(out) }
            }
        }
    }
}

/// Opens the index (building the default one from seeds/ when missing) and the engine over it.
func openEngine(_ path: String) throws -> QAEngine {
    let store = try Defaults.openOrBuild(path: path, announce: { Terminal.note($0) }, warn: { Terminal.warning($0) })
    return QAEngine(store: store)
}

/// How answers look on a terminal, in JSON, and explained.
enum AnswerRendering {
    static func text(_ answer: Answer) -> String {
        var lines: [String] = []
        if answer.abstained {
            lines.append(Terminal.yellow(answer.answer))
            lines.append(Terminal.dim(String(format: "confidence %.2f", answer.confidence)))
            if !answer.passages.isEmpty {
                lines.append("")
                lines.append(Terminal.bold("Closest passages:"))
                for p in answer.passages.prefix(3) {
                    lines.append("  \(p.rank). \(p.source) (\(p.passageID))")
                    lines.append("     " + Terminal.dim(p.text))
                }
            }
            return lines.joined(separator: "\n")
        }
        lines.append(Terminal.bold(answer.answer))
        lines.append(Terminal.dim(String(format: "confidence %.2f", answer.confidence)))
        lines.append("")
        lines.append(Terminal.bold("Sources:"))
        for c in answer.citations {
            lines.append("  " + Terminal.cyan("[\(c.n)]") + " \(c.title) — \(c.source), paragraph \(c.paragraph), bytes \(c.start)–\(c.end)")
            // A quote that is itself a quotation keeps its own marks rather than getting a second pair.
            let quoted = NeighbourContext.isQuotation(c.quote) ? c.quote : "« \(c.quote) »"
            lines.append("      \(quoted)")
        }
        return lines.joined(separator: "\n")
    }

    static func explain(_ response: Response, mode: RetrievalMode) -> String {
        let q = response.query, e = response.evidence
        var lines = [Terminal.bold("Question: type \(q.type.rawValue)\(q.focus.map { ", focus \($0)" } ?? ""); terms searched:")]
        lines.append("  " + response.terms.map { $0.origin == .question ? $0.term : "\($0.term) (\($0.origin.rawValue) of \($0.of), ×\(String(format: "%.2f", $0.weight)))" }.joined(separator: ", "))
        lines.append(Terminal.bold("Confidence \(String(format: "%.2f", e.confidence)):") + String(format: " sentence coverage %.2f, passage coverage %.2f, type match %.1f, unknown terms %.2f [%@]%@%@",
            e.coverage, e.passageCoverage, e.typeMatch, e.unknownShare, e.unknownTerms.joined(separator: " "), e.unmetConstraint ? ", unmet number or time constraint" : "", e.unknownFocus ? ", unknown focus" : "")
            + (e.answerKind.map { ", wants \($0)\(e.unmetKind ? " (unmet)" : "")" } ?? ""))
        lines.append(Terminal.bold("Ranking (\(mode.rawValue)): rank, fused score = parts; matched terms"))
        for r in response.ranked {
            let p = r.parts
            lines.append(String(format: "%2d. %@ fused %.3f | bm25 %.3f (norm %.3f) cosine %.3f feedback %.3f proximity %.3f type %.1f sentence %.3f",
                                r.rank, r.passage.id, p.fused, p.bm25, p.bm25Normalized, p.cosine, p.feedback, p.proximity, p.answerType, p.sentence))
            lines.append("    terms: \(r.matchedTerms.joined(separator: " "))")
        }
        return lines.joined(separator: "\n")
    }
}
