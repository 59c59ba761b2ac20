import Foundation
import XCTest
@testable import KZQA

/// The ranking's parts checked on their own: the top-k heap against sort-and-truncate, Rocchio feedback by hand,
/// the sentence rerank, variants and acronyms, and near-duplicate suppression.
final class RankingStagesTests: XCTestCase {
    typealias F = IndexFixtures

    /// `CandidateGenerator.top` is sort (score descending, row id ascending) then truncate, for random score tables
    /// with many ties and every k from 0 past the table's size.
    func testTopKHeapEqualsSortAndTruncate() {
        var seed: UInt64 = 0x5EED_1234
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        for _ in 0..<2000 {
            var scores: [Int64: Double] = [:]
            for _ in 0..<next(40) { scores[Int64(next(60))] = Double(next(6)) * 0.5 }
            let k = next(scores.count + 3)
            let oracle = scores.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(k)
            let heap = CandidateGenerator.top(k, of: scores)
            XCTAssertEqual(heap.map(\.rowid), oracle.map(\.key), "k = \(k), scores = \(scores)")
            XCTAssertEqual(heap.map(\.score), oracle.map(\.value))
        }
    }

    /// Rocchio: q + β·centroid of the feedback vectors, keeping the centroid's heaviest terms, renormalised.
    func testRocchioFeedbackByHand() {
        let q: [Int32: Float] = [1: 1]
        let v1 = SparseVector(ids: [1, 2], values: [0.6, 0.8]), v2 = SparseVector(ids: [2, 3], values: [0.8, 0.6])
        // Centroid: 1 → 0.3, 2 → 0.8, 3 → 0.3; the one heaviest term is 2: q + 0.5·0.8·e₂ = (1, 0.4), norm √1.16.
        let one = Retriever.feedbackQuery(q, from: [v1, v2], terms: 1, beta: 0.5)
        XCTAssertEqual(Set(one.keys), [1, 2])
        XCTAssertEqual(one[1] ?? 0, Float(1 / 1.16.squareRoot()), accuracy: 1e-6)
        XCTAssertEqual(one[2] ?? 0, Float(0.4 / 1.16.squareRoot()), accuracy: 1e-6)
        // Every term: (1 + 0.15, 0.4, 0.15), renormalised.
        let all = Retriever.feedbackQuery(q, from: [v1, v2], terms: 3, beta: 0.5)
        let norm = (1.15 * 1.15 + 0.4 * 0.4 + 0.15 * 0.15).squareRoot()
        XCTAssertEqual(all[1] ?? 0, Float(1.15 / norm), accuracy: 1e-6)
        XCTAssertEqual(all[3] ?? 0, Float(0.15 / norm), accuracy: 1e-6)
        // No feedback passage: the question unchanged.
        XCTAssertEqual(Retriever.feedbackQuery(q, from: [], terms: 3, beta: 0.5), q)
    }

    /// An index of `texts` (one file each) and an engine over it.
    func engine(_ texts: [String]) throws -> QAEngine {
        let folder = try F.temporaryFolder(for: self)
        for (i, text) in texts.enumerated() { try F.write(text, to: "corpus/doc\(i).txt", in: folder) }
        try F.index([folder + "/corpus"], into: folder + "/index.sqlite")
        return QAEngine(store: try IndexStore(path: folder + "/index.sqlite"))
    }

    /// The rerank mixes (1 − w)·fused/best fused with w·best sentence score, re-sorts and renumbers; `parts.fused`
    /// keeps the fusion's score.
    func testRerankMixesTheFusedScoreWithTheBestSentence() throws {
        let engine = try self.engine(["Titre\n\nUne phrase sur le pont.\n\nUne autre phrase sur la rivière.\n"])
        let rowids = try engine.store.allPassageRowIDs()
        XCTAssertGreaterThanOrEqual(rowids.count, 2)
        func ranked(_ i: Int, _ score: Double) throws -> RankedPassage {
            var parts = ScoreParts()
            parts.fused = score
            return RankedPassage(rank: i + 1, rowid: rowids[i], passage: try XCTUnwrap(engine.store.passage(rowid: rowids[i])),
                                 score: score, parts: parts, matchedTerms: [])
        }
        let a = try ranked(0, 2.0), b = try ranked(1, 1.0)
        func sentence(_ r: RankedPassage, _ score: Double) -> CandidateSentence {
            var c = CandidateSentence(text: r.passage.text, start: r.passage.start, end: r.passage.end, passage: r, tokens: [], terms: [])
            c.score = score
            return c
        }
        engine.rerankSettings.sentenceWeight = 0.6
        let out = engine.rerank([a, b], sentences: [sentence(a, 0.1), sentence(b, 1.0), sentence(b, 0.2)])
        // a: 0.4·2/2 + 0.6·0.1 = 0.46; b: 0.4·1/2 + 0.6·1 = 0.8 (its best sentence counts).
        XCTAssertEqual(out.map(\.rowid), [b.rowid, a.rowid])
        XCTAssertEqual(out.map(\.rank), [1, 2])
        XCTAssertEqual(out[0].score, 0.8, accuracy: 1e-12)
        XCTAssertEqual(out[1].score, 0.46, accuracy: 1e-12)
        XCTAssertEqual(out[0].parts.sentence, 1.0)
        XCTAssertEqual(out[0].parts.fused, 1.0, "the fusion's score is kept apart")
        // No sentence weight: the order stays the fusion's.
        engine.rerankSettings.sentenceWeight = 0
        XCTAssertEqual(engine.rerank([a, b], sentences: [sentence(b, 1.0)]).map(\.rowid), [a.rowid, b.rowid])
    }

    /// Acronyms expand both ways when the index holds the other side; variants are index terms sharing the
    /// stem's prefix, weighted below the user's words.
    func testAcronymsAndVariants() throws {
        let engine = try self.engine(["L’IA au pays\n\nL’IA progresse. L’intelligence artificielle change le travail.\n\nLa numérisation avance et le numérique aussi.\n"])
        let expansion = QueryExpansion()
        let analyzer = FrenchAnalyzer()
        let long = analyzer.terms("intelligence artificielle")
        let fromAcronym = try expansion.expand(Query("Que change l’IA ?"), store: engine.store)
        for t in long {
            XCTAssertTrue(fromAcronym.contains { $0.term == t && $0.origin == .acronym && $0.weight == expansion.acronymWeight && $0.of == "ia" },
                          "\(t) from ia: \(fromAcronym)")
        }
        let toAcronym = try expansion.expand(Query("Que change l’intelligence artificielle ?"), store: engine.store)
        XCTAssertTrue(toAcronym.contains { $0.term == "ia" && $0.origin == .acronym && $0.of == long.joined(separator: " ") }, "\(toAcronym)")

        let numerique = try XCTUnwrap(analyzer.terms("numérique").first), numerisation = try XCTUnwrap(analyzer.terms("numérisation").first)
        XCTAssertNotEqual(numerique, numerisation)
        let variants = try expansion.expand(Query("Où en est la numérisation ?"), store: engine.store)
        XCTAssertTrue(variants.contains { $0.term == numerique && $0.origin == .variant && $0.weight == expansion.variantWeight && $0.of == numerisation },
                      "\(variants)")
        // A term shorter than the minimum stem gets no variants, and a term never expands to itself.
        XCTAssertFalse(variants.contains { $0.origin == .variant && $0.term == $0.of })
    }

    /// Two sentences saying the same thing are one: the composer never cites a near-duplicate of a sentence it
    /// already picked.
    func testNearDuplicatesAreSuppressed() throws {
        XCTAssertEqual(AnswerComposer.similarity(["pont", "valmont"], ["pont", "valmont"]), 1, accuracy: 1e-6)
        XCTAssertEqual(AnswerComposer.similarity(["pont", "valmont"], ["rivier"]), 0, accuracy: 1e-6)
        XCTAssertEqual(AnswerComposer.similarity(["a", "b", "c"], ["a", "b", "d"]), Float(2.0 / 3.0), accuracy: 1e-6)
        let sentence = "Le pont de Valmont mesure 300 mètres de long."
        let engine = try self.engine(["Le pont\n\n\(sentence)\n", "Valmont\n\n\(sentence)\n", "La rivière\n\nLa rivière de Valmont passe sous le pont.\n"])
        let answer = try engine.ask("Combien mesure le pont de Valmont ?").answer
        XCTAssertFalse(answer.abstained, answer.answer)
        XCTAssertEqual(answer.citations.filter { $0.quote == sentence }.count, 1, "\(answer.citations)")
    }
}
