import Foundation
import CBLAS

/// TF-IDF weighting as small pure functions (the smoothed variant of scikit-learn's `TfidfVectorizer`,
/// with sublinear tf), and a sparse vector type whose norms and dot products go through CBLAS.
public enum TFIDF {
    /// Smoothed inverse document frequency: `ln((1 + N) / (1 + df)) + 1`. Never zero, so a term in every
    /// passage still counts a little.
    @inlinable public static func idf(documents n: Int, documentFrequency df: Int) -> Float {
        Float(log(Double(1 + n) / Double(1 + df)) + 1)
    }

    /// Sublinear term frequency: `1 + ln(tf)` for tf > 0.
    @inlinable public static func tf(_ count: Float) -> Float {
        count > 0 ? 1 + Float(log(Double(count))) : 0
    }

    /// Scales `values` to unit L2 norm in place (cblas_snrm2, cblas_sscal); a zero vector stays zero.
    public static func normalize(_ values: inout [Float]) {
        let n = Int32(values.count)
        guard n > 0 else { return }
        let norm = cblas_snrm2(n, values, 1)
        guard norm > 0 else { return }
        cblas_sscal(n, 1 / norm, &values, 1)
    }
}

/// A sparse vector: term ids ascending, with one weight each.
public struct SparseVector: Equatable, Sendable {
    public var ids: [Int32]
    public var values: [Float]

    public init(ids: [Int32], values: [Float]) {
        self.ids = ids
        self.values = values
    }

    /// Term counts → sorted sparse vector of raw counts.
    public init(counts: [Int32: Int]) {
        let sorted = counts.sorted { $0.key < $1.key }
        self.ids = sorted.map(\.key)
        self.values = sorted.map { Float($0.value) }
    }

    /// TF-IDF weights of raw counts, L2-normalised. `idf(id)` gives each term's idf.
    public func tfidf(_ idf: (Int32) -> Float) -> SparseVector {
        var w = zip(ids, values).map { TFIDF.tf($0.1) * idf($0.0) }
        TFIDF.normalize(&w)
        return SparseVector(ids: ids, values: w)
    }

    // Blob layout: count (Int32), then count ids (Int32), then count values (Float32), little endian.
    public func encoded() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(4 + ids.count * 8)
        func put(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        put(UInt32(ids.count))
        for id in ids { put(UInt32(bitPattern: id)) }
        for v in values { put(v.bitPattern) }
        return out
    }

    /// Decodes a blob written by `encoded()`; nil when it is malformed.
    public init?(blob: UnsafeRawBufferPointer) {
        guard blob.count >= 4 else { return nil }
        let n = Int(UInt32(littleEndian: blob.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
        guard blob.count == 4 + n * 8 else { return nil }
        var ids = [Int32](repeating: 0, count: n)
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n {
            ids[i] = Int32(bitPattern: UInt32(littleEndian: blob.loadUnaligned(fromByteOffset: 4 + i * 4, as: UInt32.self)))
            values[i] = Float(bitPattern: UInt32(littleEndian: blob.loadUnaligned(fromByteOffset: 4 + n * 4 + i * 4, as: UInt32.self)))
        }
        self.ids = ids
        self.values = values
    }
}
