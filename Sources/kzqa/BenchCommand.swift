import ArgumentParser
import Foundation
import KZQA

extension Kzqa {
    /// `kzqa bench`: scores every mode on a question file.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Measure retrieval and answer quality of every mode on a question file.",
            discussion: """
            Prints a table; --json and --markdown write the report (see docs/CONTRACTS.md for the JSON).
            --plot writes recall@k (k = 1…10) per mode as an SVG chart.
            A file whose questions carry "lang" gets a table per language too, with the share detected right.

            Examples:
              kzqa bench --questions benchmarks/dev-questions.jsonl
              kzqa bench --questions benchmarks/en-dev-questions.jsonl --modes hybrid
              kzqa bench --questions benchmarks/own-questions.jsonl --modes hybrid,bm25 \\
                --json benchmarks/results/own.json --markdown benchmarks/results/own.md
            """
        )

        @OptionGroup var indexOption: IndexOption
        @OptionGroup var configurationOptions: ConfigurationOptions

        @Option(name: .long, help: ArgumentHelp("The question file (JSONL).", valueName: "FILE"))
        var questions: String

        @Option(name: .long, help: "Modes to score, comma-separated.")
        var modes: String = RetrievalMode.allCases.map(\.rawValue).joined(separator: ",")

        @Option(name: .long, help: ArgumentHelp("Write the JSON report here.", valueName: "FILE"))
        var json: String?

        @Option(name: .long, help: ArgumentHelp("Write the Markdown table here.", valueName: "FILE"))
        var markdown: String?

        @Option(name: .long, help: ArgumentHelp("Write the recall@k chart (SVG) here.", valueName: "FILE"))
        var plot: String?

        @Option(name: .long, help: "The questions' language: fr, en or auto (default: auto, detected per question).")
        var lang: LanguageChoice = .auto

        @Flag(name: .long, help: "Also list the questions each mode got wrong.")
        var verbose = false

        var parsedModes: [RetrievalMode] {
            get throws {
                try modes.split(separator: ",").map {
                    let name = $0.trimmingCharacters(in: .whitespaces)
                    guard let m = RetrievalMode(rawValue: name) else {
                        throw ValidationError("unknown mode '\(name)' in --modes: use hybrid, bm25, tfidf")
                    }
                    return m
                }
            }
        }

        func validate() throws { _ = try parsedModes }

        func run() throws {
            let questionSet = try QuestionSet.load(path: questions)
            guard !questionSet.isEmpty else { throw KZQAError.invalidQuestionFile(path: questions, line: 0, reason: "no questions in the file") }
            let engine = try openEngine(try indexOption.checkedPath(), configuration: try configurationOptions.configuration())
            var runner = BenchRunner(engine: engine)
            runner.language = lang.language
            let runs = try parsedModes.map { (mode: $0.rawValue, outcomes: try runner.outcomes(questionSet, mode: $0)) }
            let report = BenchReport(runs: runs)
            print(report.markdown())
            for mode in report.orderedModes {
                guard let s = report.stages[mode] else { continue }
                print(String(format: "%@: retrieval alone (top %d passages) p50 %.2f / p95 %.2f ms; whole answer p50 %.2f / p95 %.2f ms",
                             mode, runner.depth, s.retrievalMsP50, s.retrievalMsP95, s.answerMsP50, s.answerMsP95))
            }
            printPerLanguage(questionSet, runs: runs, engine: engine)
            if verbose {
                for r in report.perQuestion where !r.answerCorrect {
                    print("\(r.mode)\t\(r.id)\trank \(r.firstRelevantRank.map(String.init) ?? "-")\t\(r.abstained ? "abstained" : "answered")")
                }
            }
            if let json { try writeReport(report.jsonData(), to: json) }
            if let markdown { try writeReport(Data((report.markdown() + "\n").utf8), to: markdown) }
            if let plot { try writeReport(Data(RecallPlot.svg(report).utf8), to: plot) }
        }

        /// One table per language of the file when it has an English question, each after the share of its
        /// questions `LanguageDetector` reads as that language.
        func printPerLanguage(_ questions: [BenchQuestion], runs: [(mode: String, outcomes: [QuestionOutcome])], engine: QAEngine) {
            let languages = Language.allCases.filter { l in questions.contains { $0.language == l } }
            guard languages.contains(.en) else { return }
            for l in languages {
                let ids = Set(questions.filter { $0.language == l }.map(\.id))
                let detected = questions.filter { $0.language == l && engine.detectLanguage($0.question) == l }.count
                print("\nlanguage \(l.rawValue): \(ids.count) questions, \(detected) detected as \(l.rawValue) (\(String(format: "%.1f", 100 * Double(detected) / Double(ids.count))) %)")
                print(BenchReport(runs: runs.map { (mode: $0.mode, outcomes: $0.outcomes.filter { ids.contains($0.id) }) }).markdown())
            }
        }
    }
}

/// Writes a report file that `bench` or `calibrate` was asked for; a failure names the path.
func writeReport(_ data: Data, to path: String) throws {
    do { try data.write(to: URL(fileURLWithPath: path)) } catch {
        throw KZQAError.fileUnreadable(path: path, reason: "cannot write it (\(error.localizedDescription))")
    }
}
