import CSQLite
import Foundation

/// The postings kzqa keeps beside FTS5 for exact BM25 with pruning (`BM25Search`), and the per-passage and
/// per-term arrays the query side reads whole: each passage's length and each term's df.
///
/// A term's posting list is one blob read by primary key, a run of self-contained blocks (`PostingCodec`): a
/// block can be skipped without decoding it, and two lists of increasing row ids concatenate into a valid list,
/// so a run appends to a list in SQL (`data || excluded.data`). `max_tf` and `min_length` bound any score the
/// list can give (they may be looser than the list after deletions, never tighter).
enum PostingsSchema {
    static let createSQL = """
    CREATE TABLE IF NOT EXISTS postings(
        term_id    INTEGER PRIMARY KEY,
        count      INTEGER NOT NULL,
        max_tf     INTEGER NOT NULL,
        min_length INTEGER NOT NULL,
        data       BLOB NOT NULL
    );
    CREATE TABLE IF NOT EXISTS passage_lengths(
        block INTEGER PRIMARY KEY,
        data  BLOB NOT NULL
    );
    CREATE TABLE IF NOT EXISTS term_df(
        block INTEGER PRIMARY KEY,
        data  BLOB NOT NULL
    );
    """

    /// Entries per row of `passage_lengths` (row id >> 12) and `term_df` (term id >> 12), UInt32 little endian
    /// each (0: no passage, no term): an incremental run rewrites only the blocks it changed.
    static let blockShift = 12
    static let blockSize = 1 << blockShift
}

/// The byte layout of a posting list: blocks of at most `blockSize` postings, row ids ascending.
///
/// A block is `varint count, varint first rowid, varint (last − first), varint body bytes`, then the body:
/// `varint tf` of the first posting, then `varint delta, varint tf` for each further one.
public enum PostingCodec {
    public static let blockSize = 128

    @inline(__always) static func put(_ v: UInt64, into out: inout [UInt8]) {
        var v = v
        while v >= 0x80 { out.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    @inline(__always) static func read(_ p: UnsafePointer<UInt8>, _ i: inout Int) -> UInt64 {
        var v: UInt64 = 0, shift: UInt64 = 0
        while true {
            let b = p[i]
            i += 1
            v |= UInt64(b & 0x7f) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }

    /// The blocks of `postings` (row ids strictly ascending, tf ≥ 1).
    public static func encode(_ postings: [(rowid: Int64, tf: UInt32)]) -> [UInt8] {
        var out: [UInt8] = []
        var body: [UInt8] = []
        var start = 0
        while start < postings.count {
            let end = min(start + blockSize, postings.count)
            body.removeAll(keepingCapacity: true)
            put(UInt64(postings[start].tf), into: &body)
            for i in (start + 1)..<end {
                put(UInt64(postings[i].rowid - postings[i - 1].rowid), into: &body)
                put(UInt64(postings[i].tf), into: &body)
            }
            put(UInt64(end - start), into: &out)
            put(UInt64(postings[start].rowid), into: &out)
            put(UInt64(postings[end - 1].rowid - postings[start].rowid), into: &out)
            put(UInt64(body.count), into: &out)
            out.append(contentsOf: body)
            start = end
        }
        return out
    }

    /// Every posting of a list; nil when the bytes are not a list.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> [(rowid: Int64, tf: UInt32)]? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return [] }
        var cursor = PostingCursor(base: base, count: bytes.count)
        var out: [(rowid: Int64, tf: UInt32)] = []
        while cursor.rowid != PostingCursor.end {
            out.append((cursor.rowid, cursor.tf))
            cursor.next()
        }
        return cursor.malformed ? nil : out
    }
}

/// A posting list read from the index: its blocks in memory it owns, and the bounds of its scores.
public final class PostingList: @unchecked Sendable {
    public let count: Int
    public let maxTF: UInt32
    public let minLength: UInt32
    let bytes: UnsafeMutableRawBufferPointer

    public init(count: Int, maxTF: UInt32, minLength: UInt32, bytes source: UnsafeRawBufferPointer) {
        self.count = count
        self.maxTF = maxTF
        self.minLength = minLength
        bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(source.count, 1), alignment: 1)
        if let from = source.baseAddress, source.count > 0 { bytes.baseAddress?.copyMemory(from: from, byteCount: source.count) }
        size = source.count
    }

    /// The list of `postings` (tests, and lists built in memory).
    public convenience init(_ postings: [(rowid: Int64, tf: UInt32)], minLength: UInt32) {
        let data = PostingCodec.encode(postings)
        self.init(count: postings.count, maxTF: postings.map(\.tf).max() ?? 0, minLength: minLength,
                  bytes: data.withUnsafeBytes { $0 })
    }

    let size: Int
    deinit { bytes.deallocate() }

    /// A cursor on the first posting; the list must outlive it.
    public func cursor() -> PostingCursor {
        PostingCursor(base: UnsafePointer(bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)), count: size)
    }
}

/// Reads a posting list forward: `next()` one posting, `advance(to:)` skips whole blocks by their last row id.
/// A malformed list reads as ending where it stops making sense (`malformed` is then set). A struct, so that the
/// scoring loop reads its fields without the run-time exclusivity checks of a class's stored properties.
public struct PostingCursor {
    public static let end = Int64.max
    let base: UnsafePointer<UInt8>
    let count: Int
    var offset = 0, nextBlock = 0, left = 0
    var blockLast: Int64 = 0
    public private(set) var rowid: Int64 = PostingCursor.end
    public private(set) var tf: UInt32 = 0
    public private(set) var malformed = false

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
        _ = enterNextBlock()
    }

    /// Reads the header at `nextBlock`: (postings, first, last, body start, body end), or nil at the end.
    @inline(__always) private mutating func header() -> (Int, Int64, Int64, Int, Int)? {
        guard nextBlock < count else { return nil }
        // A header is at most 4 varints of 10 bytes: check the room before reading without bounds.
        guard count - nextBlock >= 40 || headerFits(nextBlock) else { malformed = true; return nil }
        var i = nextBlock
        let n = Int(PostingCodec.read(base, &i))
        let first = Int64(PostingCodec.read(base, &i))
        let span = Int64(PostingCodec.read(base, &i))
        let length = Int(PostingCodec.read(base, &i))
        guard n > 0, length >= 0, i + length <= count else { malformed = true; return nil }
        return (n, first, first + span, i, i + length)
    }

    private func headerFits(_ at: Int) -> Bool {
        var i = at, varints = 0
        while i < count, varints < 4 { if base[i] < 0x80 { varints += 1 }; i += 1 }
        return varints == 4
    }

    @inline(__always) private mutating func enter(_ h: (Int, Int64, Int64, Int, Int)) {
        offset = h.3
        nextBlock = h.4
        blockLast = h.2
        rowid = h.1
        left = h.0 - 1
        tf = readBody()
    }

    @inline(__always) private mutating func readBody() -> UInt32 {
        guard offset < nextBlock, nextBlock - offset >= 20 || bodyFits() else {
            malformed = true
            rowid = Self.end
            return 0
        }
        return UInt32(truncatingIfNeeded: PostingCodec.read(base, &offset))
    }

    private func bodyFits() -> Bool {
        var i = offset
        while i < nextBlock { if base[i] < 0x80 { return true }; i += 1 }
        return false
    }

    private mutating func enterNextBlock() -> Bool {
        guard let h = header() else { rowid = Self.end; return false }
        enter(h)
        return rowid != Self.end
    }

    /// Moves to the next posting (`rowid == end` after the last).
    @inline(__always) public mutating func next() {
        if left > 0 {
            left -= 1
            guard nextBlock - offset >= 20 || bodyFits() else { malformed = true; rowid = Self.end; return }
            rowid += Int64(PostingCodec.read(base, &offset))
            tf = readBody()
        } else {
            _ = enterNextBlock()
        }
    }

    /// Moves to the first posting whose row id is at least `target`.
    public mutating func advance(to target: Int64) {
        guard rowid < target else { return }
        if blockLast < target {
            // Skip whole blocks: their headers say their last row id.
            while true {
                guard let h = header() else { rowid = Self.end; return }
                if h.2 >= target { enter(h); break }
                nextBlock = h.4
            }
        }
        while rowid < target { next() }
    }
}

/// What an indexing run adds to and removes from the postings, the passage lengths and the term dfs, written
/// when it ends (or earlier, when the postings it holds grow past `flushBytes`). Fresh lists are encoded as
/// they come (row ids only grow), then appended to the stored ones in SQL; a list that loses passages is read,
/// filtered and written again.
final class PostingsWriter {
    /// A term's postings not yet written: finished blocks, then the body of the open one.
    fileprivate struct Pending {
        var bytes: [UInt8] = []
        var blockStart: Int32 = 0, blockCount: Int32 = 0
        var blockFirst: Int64 = 0, last: Int64 = 0
        var count: Int32 = 0
        var maxTF: UInt32 = 0, minLength = UInt32.max
    }

    let db: SQLiteDatabase
    /// Pending postings above this size (their bytes and `perTermBytes` for each term holding some) are written
    /// before the run ends: bounds the writer's memory, which a vocabulary of a million terms would otherwise fill.
    var flushBytes = 32 << 20
    static let perTermBytes = 64
    private var pending: [Pending] = [Pending()]
    private var pendingBytes = 0
    private var touched: [Int32] = []
    /// Row ids removed in this run, and the terms whose stored lists still hold some of them.
    private var deleted = Set<Int64>()
    private var filter = Set<Int32>()
    private var lengthBlocks: [Int: [UInt32]] = [:]
    private let append: SQLiteStatement

    init(db: SQLiteDatabase) throws {
        self.db = db
        append = try db.prepare("""
            INSERT INTO postings(term_id, count, max_tf, min_length, data) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(term_id) DO UPDATE SET count = count + excluded.count, max_tf = max(max_tf, excluded.max_tf),
              min_length = min(min_length, excluded.min_length), data = CAST(data || excluded.data AS BLOB)
            """)
    }

    /// Counts a new passage: its row id (larger than any in the index), length and term counts.
    func add(rowid: Int64, length: Int, pairs: [(id: Int32, count: Int32)]) throws {
        try setLength(rowid, UInt32(clamping: length))
        for (id, count) in pairs {
            let t = Int(id)
            if t >= pending.count { pending.append(contentsOf: repeatElement(Pending(), count: t + 1 - pending.count)) }
            let before = pending[t].bytes.count
            pending[t].append(rowid: rowid, tf: UInt32(clamping: count), length: UInt32(clamping: length))
            if pending[t].count == 1 { touched.append(id); pendingBytes += Self.perTermBytes }
            pendingBytes += pending[t].bytes.count - before
        }
        if pendingBytes > flushBytes { try flush() }
    }

    /// Uncounts a passage removed from the index.
    func remove(rowid: Int64, termIDs: [Int32]) throws {
        deleted.insert(rowid)
        for id in termIDs { filter.insert(id) }
        try setLength(rowid, 0)
    }

    private func setLength(_ rowid: Int64, _ length: UInt32) throws {
        let block = Int(rowid >> PostingsSchema.blockShift), slot = Int(rowid) & (PostingsSchema.blockSize - 1)
        if lengthBlocks[block] == nil {
            lengthBlocks[block] = try Self.readBlock(db: db, table: "passage_lengths", block: block)
                ?? [UInt32](repeating: 0, count: PostingsSchema.blockSize)
        }
        lengthBlocks[block]![slot] = length
    }

    static func readBlock(db: SQLiteDatabase, table: String, block: Int) throws -> [UInt32]? {
        try db.fetchOne("SELECT data FROM \(table) WHERE block = ?", [.int(Int64(block))]) { s in
            s.withBlob(0) { raw -> [UInt32]? in
                guard raw.count == PostingsSchema.blockSize * 4 else { return nil }
                return (0..<PostingsSchema.blockSize).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
            }
        }
    }

    /// Writes every pending list (lists losing passages are rewritten whole).
    func flush() throws {
        let rewrite = try db.prepare("SELECT count, max_tf, min_length, data FROM postings WHERE term_id = ?")
        let replace = try db.prepare("INSERT OR REPLACE INTO postings(term_id, count, max_tf, min_length, data) VALUES (?, ?, ?, ?, ?)")
        let drop = try db.prepare("DELETE FROM postings WHERE term_id = ?")
        for id in filter.sorted() {
            rewrite.bindInt(1, Int64(id))
            var kept: [(rowid: Int64, tf: UInt32)] = []
            var maxTF: UInt32 = 0, minLength = UInt32.max
            if try rewrite.step() {
                minLength = UInt32(clamping: rewrite.int(2))
                if let old = rewrite.withBlob(3, { PostingCodec.decode($0) }) {
                    kept = old.filter { !deleted.contains($0.rowid) }
                }
            }
            rewrite.reset()
            var list = pending.indices.contains(Int(id)) ? pending[Int(id)] : Pending()
            if list.count > 0 {
                list.closeBlock()
                if let fresh = list.bytes.withUnsafeBytes({ PostingCodec.decode($0) }) { kept += fresh }
                minLength = min(minLength, list.minLength)
                pendingBytes -= pending[Int(id)].bytes.count
                pending[Int(id)] = Pending()
            }
            for p in kept { maxTF = max(maxTF, p.tf) }
            if kept.isEmpty {
                drop.bindInt(1, Int64(id))
                try drop.run()
            } else {
                replace.bindInt(1, Int64(id))
                replace.bindInt(2, Int64(kept.count))
                replace.bindInt(3, Int64(maxTF))
                replace.bindInt(4, Int64(minLength))
                replace.bindBlob(5, PostingCodec.encode(kept))
                try replace.run()
            }
        }
        filter.removeAll()
        for id in touched {
            let t = Int(id)
            guard pending[t].count > 0 else { continue }
            pending[t].closeBlock()
            append.bindInt(1, Int64(id))
            append.bindInt(2, Int64(pending[t].count))
            append.bindInt(3, Int64(pending[t].maxTF))
            append.bindInt(4, Int64(pending[t].minLength))
            append.bindBlob(5, pending[t].bytes)
            try append.run()
            pending[t] = Pending()
        }
        touched.removeAll(keepingCapacity: true)
        pendingBytes = 0
    }

    /// Writes what is left: pending postings, the changed blocks of passage lengths, and the dfs of `vocab`'s
    /// changed terms.
    func finish(vocab: TermTable) throws {
        try flush()
        let put = try db.prepare("INSERT OR REPLACE INTO passage_lengths(block, data) VALUES (?, ?)")
        for (block, values) in lengthBlocks.sorted(by: { $0.key < $1.key }) {
            put.bindInt(1, Int64(block))
            put.bindBlob(2, Self.bytes(values))
            try put.run()
        }
        lengthBlocks.removeAll()
        let putDF = try db.prepare("INSERT OR REPLACE INTO term_df(block, data) VALUES (?, ?)")
        var blocks = Set<Int>()
        for id in 1..<vocab.terms.count where vocab.changed[id] { blocks.insert(id >> PostingsSchema.blockShift) }
        for block in blocks.sorted() {
            var values = [UInt32](repeating: 0, count: PostingsSchema.blockSize)
            let start = block << PostingsSchema.blockShift
            for slot in 0..<PostingsSchema.blockSize where start + slot < vocab.df.count {
                values[slot] = UInt32(clamping: max(0, vocab.df[start + slot]))
            }
            putDF.bindInt(1, Int64(block))
            putDF.bindBlob(2, Self.bytes(values))
            try putDF.run()
        }
    }

    static func bytes(_ values: [UInt32]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: values.count * 4)
        out.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() { raw.storeBytes(of: v.littleEndian, toByteOffset: i * 4, as: UInt32.self) }
        }
        return out
    }
}

extension PostingsWriter.Pending {
    mutating func append(rowid: Int64, tf: UInt32, length: UInt32) {
        if blockCount == 0 {
            blockStart = Int32(bytes.count)
            blockFirst = rowid
        } else {
            PostingCodec.put(UInt64(rowid - last), into: &bytes)
        }
        PostingCodec.put(UInt64(tf), into: &bytes)
        blockCount += 1
        last = rowid
        count += 1
        maxTF = max(maxTF, tf)
        minLength = min(minLength, length)
        if blockCount == Int32(PostingCodec.blockSize) { closeBlock() }
    }

    /// Puts the open block's header before its body.
    mutating func closeBlock() {
        guard blockCount > 0 else { return }
        var header: [UInt8] = []
        PostingCodec.put(UInt64(blockCount), into: &header)
        PostingCodec.put(UInt64(blockFirst), into: &header)
        PostingCodec.put(UInt64(last - blockFirst), into: &header)
        PostingCodec.put(UInt64(bytes.count - Int(blockStart)), into: &header)
        bytes.insert(contentsOf: header, at: Int(blockStart))
        blockCount = 0
    }
}

/// The read side of `PostingsSchema`: posting lists by term id, and the passage lengths and term dfs, each read
/// whole on first use and kept (4 bytes a passage, 4 bytes a term).
public final class PostingsReader {
    unowned let store: IndexStore
    private var lengthsCache: [UInt32]?
    private var dfCache: [UInt32]?

    init(store: IndexStore) {
        self.store = store
    }

    /// The posting list of a term id, nil when no passage holds it.
    public func list(termID: Int32) throws -> PostingList? {
        try store.wrap {
            try store.db.fetchOne("SELECT count, max_tf, min_length, data FROM postings WHERE term_id = ?", [.int(Int64(termID))]) { s in
                s.withBlob(3) { PostingList(count: Int(s.int(0)), maxTF: UInt32(clamping: s.int(1)), minLength: UInt32(clamping: s.int(2)), bytes: $0) }
            }
        }
    }

    /// Each passage's length in index terms, by row id (0: no passage).
    public func lengths() throws -> [UInt32] {
        if let lengthsCache { return lengthsCache }
        let values = try blocks("passage_lengths")
        lengthsCache = values
        return values
    }

    /// Each term's df, by term id (0: no term).
    public func documentFrequencies() throws -> [UInt32] {
        if let dfCache { return dfCache }
        let values = try blocks("term_df")
        dfCache = values
        return values
    }

    private func blocks(_ table: String) throws -> [UInt32] {
        try store.wrap {
            var out: [UInt32] = []
            let s = try store.db.prepare("SELECT block, data FROM \(table) ORDER BY block")
            defer { s.reset() }
            while try s.step() {
                let start = Int(s.int(0)) << PostingsSchema.blockShift
                guard start >= 0 else { continue }
                if out.count < start + PostingsSchema.blockSize {
                    out.append(contentsOf: repeatElement(0, count: start + PostingsSchema.blockSize - out.count))
                }
                s.withBlob(1) { raw in
                    let n = min(raw.count / 4, PostingsSchema.blockSize)
                    guard n > 0, let from = raw.baseAddress else { return }
                    out.withUnsafeMutableBufferPointer { to in
                        // Stored little endian, as this machine reads them (`bytes(_:)` writes `littleEndian`).
                        UnsafeMutableRawPointer(to.baseAddress! + start).copyMemory(from: from, byteCount: n * 4)
                        if UInt32(littleEndian: 1) != 1 { for i in start..<(start + n) { to[i] = UInt32(littleEndian: to[i]) } }
                    }
                }
            }
            return out
        }
    }
}
