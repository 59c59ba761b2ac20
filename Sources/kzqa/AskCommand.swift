import ArgumentParser
import Foundation
import KZQA

extension RetrievalMode: ExpressibleByArgument {}

/// `--lang`: a language, or `auto` to detect it.
enum LanguageChoice: String, ExpressibleByArgument, CaseIterable {
    case fr, en, auto

    var language: Language? { Language(rawValue: rawValue) }
}

/// Options shared by `ask` and `repl`.
struct AnswerOptions: ParsableArguments {
    @Option(name: .long, help: "Ranking mode: hybrid, bm25 or tfidf.")
    var mode: RetrievalMode = .hybrid

    // Unconditional: `--top -1` reaches the range check instead of reading as an unknown option.
    @Option(name: .long, parsing: .unconditional, help: "How many sources and passages to list, 1 to 100.")
    var top: Int = 5

    @Option(name: .long, help: "The question's language: fr, en or auto (default: auto, detected).")
    var lang: LanguageChoice = .auto

    func validate() throws {
        guard top >= 1, top <= 100 else { throw ValidationError("--top takes a number from 1 to 100") }
    }
}

extension Kzqa {
    /// `kzqa ask`: one question, one cited answer.
    struct Ask: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ask",
            abstract: "Answer one question with cited sentences from the indexed articles.",
            discussion: """
            Builds the default index first when it is missing (kzqa --help says which index is the default).

            Examples:
              kzqa ask "Qui dirige le nouveau ministère de l'IA ?"
              kzqa ask --json --top 3 "Combien d'étudiants suivront des cours d'IA ?"
              kzqa ask --explain --mode bm25 "tenge numérique"
              kzqa ask "Who heads the new AI ministry?"      (English: translated, answered from the French text)
            """
        )

        @OptionGroup var indexOption: IndexOption
        @OptionGroup var configurationOptions: ConfigurationOptions
        @OptionGroup var answerOptions: AnswerOptions

        @Flag(name: .long, help: "Print one JSON object (see docs/CONTRACTS.md) instead of text.")
        var json = false

        @Flag(name: .long, help: "Show the parts of each ranked passage's score and its matched terms.")
        var explain = false

        @Argument(help: "The question, in French or English.")
        var question: [String] = []

        func run() throws {
            try AskRequest(index: indexOption.index, config: configurationOptions.config, set: configurationOptions.set,
                           mode: answerOptions.mode, top: answerOptions.top, lang: answerOptions.lang, json: json,
                           explain: explain, question: question).run()
        }
    }
}

/// What `kzqa ask` was asked, as plain values: the one body of the command, whether ArgumentParser or `QuickAsk`
/// read the command line.
struct AskRequest: Equatable {
    var index: String?
    var config: String?
    var set: [String] = []
    var mode: RetrievalMode = .hybrid
    var top = 5
    var lang: LanguageChoice = .auto
    var json = false
    var explain = false
    var question: [String] = []

    func run() throws {
        let text = question.joined(separator: " ")
        _ = try QAEngine.validate(text)
        let engine = try openEngine(try IndexOption.checkedPath(index), configuration: try ConfigurationOptions.configuration(config: config, set: set))
        let response = try engine.ask(text, mode: mode, top: top, language: lang.language)
        let answer = response.answer
        if json {
            print(AnswerJSON.encode(answer))
        } else {
            print(AnswerRendering.text(answer, top: top))
        }
        if explain {
            let out = AnswerRendering.explain(response, mode: mode)
            if json { FileHandle.standardError.write(Data((out + "\n").utf8)) } else { print(out) }
        }
    }
}

/// Reads the usual `kzqa ask` command line — long options with their values, flags, the question's words —
/// without ArgumentParser, whose reflection over every command's options is about a third of a one-question
/// process. It accepts only what it reads exactly as ArgumentParser would: any other line (help, `--version`,
/// `--top=3`, a repeated option, a value that looks like an option or is out of range, no question, a word that
/// names a command) gets nil, and ArgumentParser parses it, with its own messages.
enum QuickAsk {
    static func parse(_ arguments: [String], commandNames: [String]) -> AskRequest? {
        var rest = arguments[...]
        guard let first = rest.first, !first.hasPrefix("-") else { return nil }
        if first == "ask" {
            rest = rest.dropFirst()
        } else if commandNames.contains(first) {
            return nil
        }
        var request = AskRequest()
        var seen: Set<String> = []
        while let argument = rest.popFirst() {
            if !argument.hasPrefix("-") {
                guard !commandNames.contains(argument) else { return nil }
                request.question.append(argument)
                continue
            }
            guard argument != "--set" else {
                guard let value = rest.popFirst(), !value.hasPrefix("-") else { return nil }
                request.set.append(value)
                continue
            }
            guard seen.insert(argument).inserted else { return nil }
            switch argument {
            case "--json": request.json = true
            case "--explain": request.explain = true
            case "--index", "--config", "--mode", "--lang", "--top":
                guard let value = rest.popFirst() else { return nil }
                switch argument {
                case "--top":
                    guard value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), value.utf8.count <= 3,
                          let top = Int(value), top >= 1, top <= 100 else { return nil }
                    request.top = top
                case _ where value.hasPrefix("-"):
                    return nil
                case "--index": request.index = value
                case "--config": request.config = value
                case "--mode":
                    guard let mode = RetrievalMode(rawValue: value) else { return nil }
                    request.mode = mode
                default:
                    guard let lang = LanguageChoice(rawValue: value) else { return nil }
                    request.lang = lang
                }
            default:
                return nil
            }
        }
        return request.question.isEmpty ? nil : request
    }
}

/// Opens the index (building the default one from the seed articles when missing) and the engine over it.
func openEngine(_ path: String, configuration: EngineConfiguration = EngineConfiguration()) throws -> QAEngine {
    let store = try Defaults.openOrBuild(path: path, announce: { Terminal.note($0) }, warn: { Terminal.warning($0) })
    let engine = QAEngine(store: store)
    engine.configuration = configuration
    return engine
}

/// How answers look on a terminal, in JSON, and explained.
enum AnswerRendering {
    /// The answer for a terminal: at most `top` sources (the answer then keeps only their sentences), or for an
    /// abstention at most `top` (and 3) closest passages.
    static func text(_ answer: Answer, top: Int = .max) -> String {
        var lines: [String] = []
        if answer.abstained {
            lines.append(Terminal.yellow(answer.answer))
            lines.append(Terminal.dim("confidence " + NumberText.fixed(answer.confidence, places: 2)))
            if !answer.passages.isEmpty {
                lines.append("")
                lines.append(Terminal.bold("Closest passages:"))
                for p in answer.passages.prefix(min(3, top)) {
                    lines.append("  \(p.rank). \(p.source) (\(p.passageID))")
                    lines.append("     " + Terminal.dim(p.text))
                }
            }
            return lines.joined(separator: "\n")
        }
        let listed = answer.citations.prefix(max(top, 1))
        // Fewer sources than sentences: the answer is the sentences of the sources listed, as the composer writes them.
        let text = listed.count < answer.citations.count ? listed.map { "\($0.quote) [\($0.n)]" }.joined(separator: " ") : answer.answer
        // The exact answer first, then the sentence(s) it stands in.
        if let short = answer.shortAnswer {
            lines.append(Terminal.bold(short.text) + " " + Terminal.cyan("[\(short.citation)]"))
            lines.append(text)
        } else {
            lines.append(Terminal.bold(text))
        }
        lines.append(Terminal.dim("confidence " + NumberText.fixed(answer.confidence, places: 2)))
        lines.append("")
        lines.append(Terminal.bold("Sources:"))
        for c in listed {
            lines.append("  " + Terminal.cyan("[\(c.n)]") + " \(c.title) — \(c.source), \(location(of: c))")
            // A quote that is itself a quotation keeps its own marks rather than getting a second pair.
            let quoted = NeighbourContext.isQuotation(c.quote) ? c.quote : "« \(c.quote) »"
            lines.append("      \(quoted)")
        }
        return lines.joined(separator: "\n")
    }

    /// Where a cited sentence stands: a paragraph and bytes of a text file, or the record of a JSONL passage file
    /// (its `id` and line; offsets there are into the record's text, which no one sees).
    static func location(of c: Citation) -> String {
        if (c.source as NSString).pathExtension.lowercased() == "jsonl" {
            return "record \(c.passageID), line \(c.paragraph)"
        }
        return "paragraph \(c.paragraph), bytes \(c.start)–\(c.end)"
    }

    static func explain(_ response: Response, mode: RetrievalMode) -> String {
        let q = response.query, e = response.evidence
        var lines: [String] = []
        if let t = response.translation {
            let shares = t.sourceShares
            lines.append(Terminal.bold("Language en: each English word → French terms (one concept in BM25, weight); concepts ")
                + TranslatedConcept.Source.allCases.compactMap { s in shares[s].map { "\(s.rawValue) \(String(format: "%.2f", $0))" } }.joined(separator: ", ") + ":")
            for c in t.concepts {
                let via = c.translations.isEmpty ? "" : " from " + c.translations.joined(separator: ", ")
                lines.append("  \(c.english) → \(c.terms.joined(separator: " | ")) (\(c.source.rawValue), ×\(String(format: "%.2f", c.weight)))\(via)")
            }
        }
        lines.append(Terminal.bold("Question: type \(q.type.rawValue)\(q.focus.map { ", focus \($0)" } ?? ""); terms searched:"))
        lines.append("  " + response.terms.map { $0.origin == .question ? $0.term : "\($0.term) (\($0.origin.rawValue) of \($0.of), ×\(String(format: "%.2f", $0.weight)))" }.joined(separator: ", "))
        lines.append(Terminal.bold("Confidence \(String(format: "%.2f", e.confidence)):") + String(format: " sentence coverage %.2f, passage coverage %.2f, type match %.1f, unknown terms %.2f [%@]%@%@",
            e.coverage, e.passageCoverage, e.typeMatch, e.unknownShare, e.unknownTerms.joined(separator: " "), e.unmetConstraint ? ", unmet number or time constraint" : "", e.unknownFocus ? ", unknown focus" : "")
            + (e.answerKind.map { ", wants \($0)\(e.unmetKind ? " (unmet)" : "")" } ?? ""))
        if !e.features.isEmpty {
            let model = response.answerabilityModel
            let parts = model.contributions(e.features)
            lines.append(Terminal.bold("Answerability features (value × weight → share of the logit):"))
            for (i, name) in model.names.enumerated() where i < e.features.count && i < model.weights.count {
                lines.append(String(format: "  %@ %7.3f  ×%7.3f  → %+.3f", name.padding(toLength: 24, withPad: " ", startingAt: 0), e.features[i], model.weights[i], parts[i]))
            }
            lines.append(String(format: "  bias %+.3f; threshold %.3f", model.bias, response.threshold))
        }
        // In hybrid mode the final score is the sentence rerank's (`QAEngine.rerank`), not the fusion's.
        let scoreName = mode == .hybrid ? "reranked" : "score"
        lines.append(Terminal.bold("Ranking (\(mode.rawValue)): rank, \(scoreName) = parts; matched terms"))
        for r in response.ranked {
            let p = r.parts
            lines.append(String(format: "%2d. %@ %@ %.3f | fused %.3f: bm25 %.3f (norm %.3f) cosine %.3f feedback %.3f proximity %.3f type %.1f | sentence %.3f",
                                r.rank, r.passage.id, scoreName, r.score, p.fused, p.bm25, p.bm25Normalized, p.cosine, p.feedback, p.proximity, p.answerType, p.sentence))
            lines.append("    terms: \(r.matchedTerms.joined(separator: " "))")
        }
        return lines.joined(separator: "\n")
    }
}
