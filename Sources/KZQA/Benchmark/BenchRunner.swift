import Foundation

/// Runs every question of a question set through the engine in each mode and scores the outcomes.
/// Latency is measured in process around `QAEngine.ask`, after one untimed warm-up pass over the questions, and
/// around `QAEngine.retrieve` (retrieval alone) after that.
public struct BenchRunner {
    public let engine: QAEngine
    /// Passages ranked per question (recall@10 and mrr@10 need 10).
    public var depth = 10
    /// The language every question is read in; nil: detected, as `kzqa ask` does without `--lang`.
    public var language: Language? = nil

    public init(engine: QAEngine) {
        self.engine = engine
    }

    /// The outcomes of one mode, one per question in order.
    public func outcomes(_ questions: [BenchQuestion], mode: RetrievalMode) throws -> [QuestionOutcome] {
        for q in questions { _ = try? engine.ask(q.question, mode: mode, top: depth, language: language) }
        var out: [QuestionOutcome] = []
        for q in questions {
            let clock = ContinuousClock()
            var result: Response?
            var failure: Error?
            let elapsed = clock.measure {
                do { result = try engine.ask(q.question, mode: mode, top: depth, language: language) } catch { failure = error }
            }
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            if let failure, !(failure is KZQAError) { throw failure }
            out.append(QuestionOutcome(question: q, answer: result?.answer, latencyMs: ms))
        }
        // Retrieval alone (`QAEngine.retrieve`: the top `depth` passages, no answer), timed the same way.
        for (i, q) in questions.enumerated() {
            let clock = ContinuousClock()
            let elapsed = clock.measure { _ = try? engine.retrieve(q.question, mode: mode, top: depth, language: language) }
            out[i].retrievalMs = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        }
        return out
    }

    /// A full report over `modes`.
    public func run(_ questions: [BenchQuestion], modes: [RetrievalMode]) throws -> BenchReport {
        var runs: [(mode: String, outcomes: [QuestionOutcome])] = []
        for mode in modes { runs.append((mode.rawValue, try outcomes(questions, mode: mode))) }
        return BenchReport(runs: runs)
    }
}
