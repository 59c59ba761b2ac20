import ArgumentParser
import Foundation
import KZQA

extension Kzqa {
    /// `kzqa bench`: scores every mode on a question file.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure retrieval and answer quality of every mode on a question file.",
            discussion: """
            Prints a table; --json and --markdown write the report (see docs/CONTRACTS.md for the JSON).
            --plot writes recall@k (k = 1…10) per mode as an SVG chart.

            Examples:
              kzqa bench --questions benchmarks/dev-questions.jsonl
              kzqa bench --questions benchmarks/own-questions.jsonl --modes hybrid,bm25 \\
                --json benchmarks/results/own.json --markdown benchmarks/results/own.md
            """
        )

        @OptionGroup var indexOption: IndexOption

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

        @Option(name: .long, help: ArgumentHelp("Override an engine setting for an experiment, e.g. --set fusion=0.4,0.3,0.2,0.1 (repeatable; see `EngineSettings`).", valueName: "KEY=VALUE"))
        var set: [String] = []

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
            let engine = try openEngine(try indexOption.checkedPath())
            for assignment in set { try EngineSettings.apply(assignment, to: engine) }
            let report = try BenchRunner(engine: engine).run(questionSet, modes: try parsedModes)
            print(report.markdown())
            if verbose {
                for r in report.perQuestion where !r.answerCorrect {
                    print("\(r.mode)\t\(r.id)\trank \(r.firstRelevantRank.map(String.init) ?? "-")\t\(r.abstained ? "abstained" : "answered")")
                }
            }
            if let json { try write(report.jsonData(), to: json) }
            if let markdown { try write(Data((report.markdown() + "\n").utf8), to: markdown) }
            if let plot { try write(Data(RecallPlot.svg(report).utf8), to: plot) }
        }

        func write(_ data: Data, to path: String) throws {
            do { try data.write(to: URL(fileURLWithPath: path)) } catch {
                throw KZQAError.fileUnreadable(path: path, reason: "cannot write it (\(error.localizedDescription))")
            }
        }
    }
}
