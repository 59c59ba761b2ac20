import ArgumentParser
import Foundation
import KZQA

extension Kzqa {
    /// `kzqa calibrate`: fits the answerability and short-answer models on training questions.
    struct Calibrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "calibrate",
            abstract: "Fit the answerability and short-answer models by k-fold cross-validation.",
            discussion: """
            Asks every question once, fits the span model (which words of the best sentence answer) and the
            answerability model (whether the articles answer at all) on the questions of the other folds,
            reports the cross-validated figures, picks the abstention threshold on the cross-validated
            predictions, and with --write-models writes the models fitted on every question as Swift source.
            The second example is the command that made the committed models.

            Examples:
              kzqa calibrate --questions benchmarks/train-questions.jsonl --questions benchmarks/dev-questions.jsonl
              kzqa calibrate --questions benchmarks/train-questions.jsonl@0.01%0.07 --questions benchmarks/dev-questions.jsonl%0.04 \\
                --questions benchmarks/own-questions.jsonl%0.04 --questions benchmarks/en-dev-questions.jsonl%0.06 \\
                --write-models Sources/KZQA/Answering/FittedModels.swift --report benchmarks/results/calibration.json
            """
        )

        @OptionGroup var indexOption: IndexOption
        @OptionGroup var configurationOptions: ConfigurationOptions

        @Option(name: .long, help: ArgumentHelp("A question file to learn from (repeatable); FILE@W counts its questions W times; FILE%R lets the threshold abstain on at most the share R of its answerable questions (cross-validated), in place of the 4 % bound over the files without one.", valueName: "FILE[@W][%R]"))
        var questions: [String]

        @Option(name: .long, help: "Number of cross-validation folds (2 to 20).")
        var folds: Int = 5

        @Option(name: .long, help: ArgumentHelp("Write the fitted models here as Swift source (FittedModels).", valueName: "FILE"))
        var writeModels: String?

        @Option(name: .long, help: ArgumentHelp("Write the cross-validated figures here as JSON.", valueName: "FILE"))
        var report: String?

        @Option(name: .customLong("examples"), help: ArgumentHelp("Write each question's cross-validated prediction, answer and features here, one JSON object a line.", valueName: "FILE"))
        var examplesPath: String?

        @Flag(name: .long, help: "Fit the candidate sentences' weights too (a logistic model telling the sentences holding an answer from the others); by default the current weights are kept.")
        var fitSentenceWeights = false

        @Option(name: .long, help: ArgumentHelp("How the span model is fitted: softmax, the default (over each sentence's candidates, as extractive readers are trained), or pointwise (one logistic over every candidate).", valueName: "softmax|pointwise"))
        var spanObjective: String = SpanObjective.softmax.rawValue

        @Option(name: .long, help: ArgumentHelp("L2 penalty of the span model's fit, either objective (default 0.05).", valueName: "X"))
        var spanL2: Double?

        func validate() throws {
            guard !questions.isEmpty else { throw ValidationError("give at least one --questions FILE") }
            guard (2...20).contains(folds) else { throw ValidationError("--folds takes a number from 2 to 20") }
            guard SpanObjective(rawValue: spanObjective) != nil else {
                throw ValidationError("--span-objective takes softmax or pointwise, not '\(spanObjective)'")
            }
        }

        func run() throws {
            let engine = try openEngine(try indexOption.checkedPath(), configuration: try configurationOptions.configuration())
            var examples: [CalibrationExample] = []
            for spec in questions {
                let (path, weight, budget) = try Self.fileSpec(spec)
                examples += try Calibrator.examples(try QuestionSet.load(path: path), engine: engine, weight: weight,
                                                    falseAbstainBudget: budget,
                                                    group: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
            }
            var calibrator = Calibrator()
            calibrator.folds = folds
            calibrator.fitsSentenceWeights = fitSentenceWeights
            calibrator.spanObjective = SpanObjective(rawValue: spanObjective) ?? .softmax
            if let spanL2 { calibrator.spanL2 = spanL2 }
            let r = calibrator.calibrate(examples, composer: engine.composer)
            var summary: [String: Double] = [
                "questions": Double(r.questions), "answerable": Double(r.answerable), "folds": Double(r.folds),
                "threshold": r.threshold, "translated_threshold": r.translatedThreshold, "cv_short_answer_f1": r.cvShortAnswerF1,
                "cv_short_answer_exact": r.cvShortAnswerExact, "cv_abstain_recall": r.cvAbstainRecall,
                "cv_false_abstain_rate": r.cvFalseAbstainRate,
                "cv_short_answer_f1_right_sentence": r.cvShortAnswerF1OnRightSentence,
                "span_share": r.spanShare, "cv_first_citation_hand_weights": r.cvFirstCitationHandWeights, "cv_first_citation_accuracy": r.cvFirstCitationAccuracy,
            ]
            for (group, figures) in r.cvByGroup {
                summary["cv_abstain_recall_\(group)"] = figures.abstainRecall
                summary["cv_false_abstain_rate_\(group)"] = figures.falseAbstainRate
            }
            for (share, rate) in zip(calibrator.spanShares, r.cvFirstCitationByShare) {
                summary["cv_first_citation_at_span_share_\(share)"] = rate
            }
            for key in summary.keys.sorted() { print("\(key)\t\(String(format: "%.4f", summary[key] ?? 0))") }
            if let report {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try writeReport(try encoder.encode(summary), to: report)
            }
            if let examplesPath {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                let lines = try r.examples.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
                try writeReport(Data((lines.joined(separator: "\n") + "\n").utf8), to: examplesPath)
            }
            if let writeModels {
                // The engine settings the fit ran with are part of what made the models.
                let settings = (configurationOptions.config.map { " --config \($0)" } ?? "")
                    + configurationOptions.set.map { " --set \($0)" }.joined()
                let command = "kzqa calibrate " + questions.map { "--questions \($0)" }.joined(separator: " ") + settings
                    + " --folds \(folds)" + (fitSentenceWeights ? " --fit-sentence-weights" : "")
                    + " --span-objective \(calibrator.spanObjective.rawValue)"
                    + (spanL2.map { " --span-l2 \($0)" } ?? "") + " --write-models \(writeModels)"
                try writeReport(Data(Calibrator.source(r, command: command).utf8), to: writeModels)
            }
        }

        /// `FILE[@W][%R]` → (FILE, W, R): a plain FILE weighs 1 and has no budget of its own (R: the most false
        /// abstentions allowed on its answerable questions, as a share).
        static func fileSpec(_ spec: String) throws -> (String, Double, Double?) {
            var rest = Substring(spec)
            var budget: Double?
            if let pct = rest.lastIndex(of: "%"), let r = Double(rest[rest.index(after: pct)...]) {
                guard (0..<1).contains(r) else { throw ValidationError("the false-abstain budget in \(spec) must be from 0 to below 1") }
                budget = r
                rest = rest[..<pct]
            }
            guard let at = rest.lastIndex(of: "@"), let w = Double(rest[rest.index(after: at)...]) else { return (String(rest), 1, budget) }
            guard w > 0 else { throw ValidationError("the weight in \(spec) must be above 0") }
            return (String(rest[..<at]), w, budget)
        }
    }
}
