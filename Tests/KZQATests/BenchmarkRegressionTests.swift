import Foundation
import XCTest
@testable import KZQA

/// Runs the benchmark on the committed question sets over a fresh seed index and fails when a figure pinned in
/// `benchmarks/floors.json` drops (Anserini-style regression: quality as a test).
final class BenchmarkRegressionTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One seed index for the whole class, built with the same thesaurus the README's setup installs.
    static let index: Result<String, Error> = Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kzqa-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("seeds.sqlite").path
        let indexer = Indexer(indexPath: path)
        _ = try indexer.run(roots: [root.appendingPathComponent("seeds").path], rebuild: true)
        return path
    }

    struct Floors: Decodable {
        var targets: [String: Double]
        var targets_reached: [String]
        var pinned: [String: [String: [String: Double]]]
    }

    func floors() throws -> Floors {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("benchmarks/floors.json"))
        return try JSONDecoder().decode(Floors.self, from: data)
    }

    /// The pinned figures assume the thesaurus: without it the tests fail (they never skip and pass).
    static func requireThesaurus() throws {
        struct MissingThesaurus: Error, CustomStringConvertible {
            var description: String { "the thesaurus /usr/share/mythes/thes_fr.dat is missing: run scripts/setup.sh (the pinned figures assume it)" }
        }
        guard Thesaurus.defaultPath != nil else { throw MissingThesaurus() }
    }

    /// Each question set's report over every mode, built once for the whole class (running a set is most of the
    /// suite's time).
    static let reports = ReportCache()

    final class ReportCache: @unchecked Sendable {
        private let lock = NSLock()
        private var built: [String: Result<BenchReport, Error>] = [:]

        func report(_ file: String) throws -> BenchReport {
            lock.lock(); defer { lock.unlock() }
            if let r = built[file] { return try r.get() }
            let r = Result<BenchReport, Error> {
                try BenchmarkRegressionTests.requireThesaurus()
                let engine = QAEngine(store: try IndexStore(path: BenchmarkRegressionTests.index.get()))
                let questions = try QuestionSet.load(path: BenchmarkRegressionTests.root.appendingPathComponent("benchmarks/\(file)").path)
                return try BenchRunner(engine: engine).run(questions, modes: RetrievalMode.allCases)
            }
            built[file] = r
            return try r.get()
        }
    }

    func report(_ file: String) throws -> BenchReport { try Self.reports.report(file) }

    /// Lower is better for these measures; higher for every other.
    static let lowerIsBetter: Set<String> = ["false_abstain_rate", "sentences_per_answer", "latency_ms_p50", "latency_ms_p95"]

    func check(_ file: String) throws {
        let pinned = try XCTUnwrap(try floors().pinned[file], "no pinned figures for \(file)")
        let report = try report(file)
        for (mode, measures) in pinned {
            let got = try XCTUnwrap(report.modes[mode], "mode \(mode) missing from the report")
            for (name, floor) in measures.sorted(by: { $0.key < $1.key }) {
                let value = try XCTUnwrap(got.value(named: name), "unknown measure \(name)")
                if Self.lowerIsBetter.contains(name) {
                    XCTAssertLessThanOrEqual(value, floor + 1e-4, "\(file) \(mode) \(name) rose above its pinned \(floor)")
                } else {
                    XCTAssertGreaterThanOrEqual(value, floor - 1e-4, "\(file) \(mode) \(name) fell below its pinned \(floor)")
                }
            }
        }
    }

    func testDevQuestionsKeepTheirFigures() throws { try check("dev-questions.jsonl") }

    func testOwnQuestionsKeepTheirFigures() throws { try check("own-questions.jsonl") }

    /// The floors (those listed as reached) hold on both question sets, hybrid beats plain bm25 on mrr@10
    /// and does not fall below it on answer accuracy.
    func testReachedTargetsAndHybridOverBM25() throws {
        let floors = try floors()
        for file in ["dev-questions.jsonl", "own-questions.jsonl"] {
            let report = try report(file)
            let hybrid = try XCTUnwrap(report.modes["hybrid"]), bm25 = try XCTUnwrap(report.modes["bm25"])
            for name in floors.targets_reached {
                let target = try XCTUnwrap(floors.targets[name]), value = try XCTUnwrap(hybrid.value(named: name))
                if Self.lowerIsBetter.contains(name) { XCTAssertLessThanOrEqual(value, target, "\(file) \(name)") }
                else { XCTAssertGreaterThanOrEqual(value, target, "\(file) \(name)") }
            }
            XCTAssertGreaterThan(hybrid.mrrAt10, bm25.mrrAt10, "\(file): hybrid must beat bm25 on mrr@10")
            // One-sentence answers from the same composer: hybrid's better ranking shows in mrr@10 and in the first
            // citation; on answer accuracy it must not fall below bm25.
            XCTAssertGreaterThanOrEqual(hybrid.answerAccuracy, bm25.answerAccuracy, "\(file): hybrid must not fall below bm25 on answer accuracy")
        }
    }

    /// The golden question of the query-engine issue: the answer names the minister, with a citation whose
    /// quote holds the name.
    func testMinistryQuestionNamesTheMinister() throws {
        try Self.requireThesaurus()
        let engine = QAEngine(store: try IndexStore(path: Self.index.get()))
        let answer = try engine.ask("Qui dirige le nouveau ministère de l'IA ?").answer
        XCTAssertFalse(answer.abstained)
        XCTAssertTrue(answer.answer.contains("Zhaslan Madiyev"), answer.answer)
        XCTAssertTrue(answer.citations.contains { $0.quote.contains("Zhaslan Madiyev") }, "no citation quotes the minister")
    }
}
