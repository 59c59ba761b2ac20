import Foundation

/// The reading and analysis stage of indexing, run on its own thread while the calling thread writes to SQLite.
///
/// It walks the files in order, decides which ones need indexing (hash against the index), streams `.jsonl`
/// files line by line, cuts and analyses passages on every core (`DispatchQueue.concurrentPerform` over a
/// batch), and hands the writer `IndexEvent`s in file order through a bounded `IndexChannel`, so memory
/// stays bounded by a few batches whatever the corpus size, and rows get the same ids as a one-thread run.
struct IndexPipeline: Sendable {
    /// A document already in the index (keyed by its real path): its row id and content hash.
    struct KnownDocument: Sendable {
        var id: Int64
        var hash: String
    }

    let files: [String]
    let known: [String: KnownDocument]
    let analyzer: FrenchAnalyzer
    let chunker: Chunker
    /// Lines (or passages of a text file) analysed per batch.
    var batchSize = 1024
    /// Parts a batch is cut into for the cores (more parts than cores evens the load).
    var stripes = max(1, ProcessInfo.processInfo.activeProcessorCount) * 2

    /// Runs the stage on a new thread; the returned semaphore is signalled when it has finished.
    func start(into channel: IndexChannel) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            self.run(into: channel)
            channel.finish()
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        return done
    }

    func run(into channel: IndexChannel) {
        let workers = AnalysisWorkers(stripes: stripes)
        var bytesBefore = 0
        for file in files {
            defer { bytesBefore += (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0 }
            let ok = file.lowercased().hasSuffix(".jsonl")
                ? streamJSONL(file, workers: workers, channel: channel, bytesBefore: bytesBefore)
                : readText(file, workers: workers, channel: channel, bytesBefore: bytesBefore)
            if !ok { return }
        }
    }

    /// A `.txt` or `.md` file, read whole (documents are small; passage files are the large ones).
    func readText(_ file: String, workers: AnalysisWorkers, channel: IndexChannel, bytesBefore: Int) -> Bool {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            return channel.push(.skipped("skipped \(file): it cannot be read (\(error.localizedDescription))"))
        }
        let hash = ContentHash.of(bytes)
        let realPath = CorpusFiles.realPath(file)
        if let doc = known[realPath], doc.hash == hash { return channel.push(.unchanged) }
        guard let text = String(validating: bytes, as: UTF8.self), !bytes.contains(0) else {
            return channel.push(.skipped("skipped \(file): it is not UTF-8 text"))
        }
        let header = IndexedFile(path: file, realPath: realPath, title: Chunker.title(of: text, markdown: (file as NSString).pathExtension.lowercased() == "md"), hash: hash, bytes: bytes.count,
                                 standalone: false, replaces: known[realPath]?.id)
        guard channel.push(.file(header)) else { return false }
        let chunks = chunker.chunks(of: text, source: file)
        let passages = chunks.map(\.passage)
        var k = 0
        while k < passages.count {
            let batch = Array(chunks[k..<min(k + batchSize, passages.count)])
            let items = workers.run(count: batch.count) { [k] i, cache in
                // The paragraphs right before and after (as `IndexStore.neighbourhood` reads them) lend it context.
                let at = k + i, p = batch[i].passage
                let previous = at > 0 && passages[at - 1].paragraph == p.paragraph - 1 ? passages[at - 1].text : nil
                let next = at + 1 < passages.count && passages[at + 1].paragraph == p.paragraph + 1 ? passages[at + 1].text : nil
                return [.passage(AnalyzedPassage(p, sentenceRanges: batch[i].sentences, analyzer: analyzer, cache: &cache,
                                                 neighbours: (previous, next)))]
            }
            k += batch.count
            let done = bytesBefore + bytes.count * k / max(passages.count, 1)
            guard channel.push(.items(items, bytesDone: done)) else { return false }
        }
        return true
    }

    /// A `.jsonl` passage file: scanned once for its hash and encoding, then streamed in batches of lines.
    func streamJSONL(_ file: String, workers: AnalysisWorkers, channel: IndexChannel, bytesBefore: Int) -> Bool {
        let scan: CorpusStream.Scan
        do { scan = try CorpusStream.scan(file) } catch {
            return channel.push(.skipped("skipped \(file): it cannot be read (\(error.localizedDescription))"))
        }
        let realPath = CorpusFiles.realPath(file)
        if let doc = known[realPath], doc.hash == scan.hash { return channel.push(.unchanged) }
        guard scan.isText else { return channel.push(.skipped("skipped \(file): it is not UTF-8 text")) }
        let header = IndexedFile(path: file, realPath: realPath, title: (file as NSString).lastPathComponent, hash: scan.hash,
                                 bytes: scan.bytes, standalone: true, replaces: known[realPath]?.id)
        guard channel.push(.file(header)) else { return false }
        let reader: CorpusStream.LineReader
        do { reader = try CorpusStream.LineReader(path: file) } catch {
            return channel.push(.failed(KZQAError.fileUnreadable(path: file, reason: error.localizedDescription)))
        }
        let context = RecordContext(source: file, chunker: chunker)
        while true {
            let lines: [CorpusStream.Line]
            do { lines = try reader.next(maxLines: batchSize, maxBytes: 8 << 20) } catch {
                return channel.push(.failed(KZQAError.fileUnreadable(path: file, reason: error.localizedDescription)))
            }
            if lines.isEmpty { return true }
            let items = workers.run(count: lines.count) { i, cache in
                context.items(of: lines[i], analyzer: analyzer, cache: &cache)
            }
            guard channel.push(.items(items, bytesDone: bytesBefore + reader.bytesRead)) else { return false }
        }
    }

    /// How the lines of one passage file become passages (as `Indexer.jsonlPassages` did for a whole file).
    struct RecordContext: Sendable {
        let source: String
        let chunker: Chunker
        let idPrefix: String
        let defaultTitle: String

        init(source: String, chunker: Chunker) {
            self.source = source
            self.chunker = chunker
            idPrefix = Chunker.idPrefix(for: source)
            defaultTitle = (source as NSString).lastPathComponent
        }

        func items(of line: CorpusStream.Line, analyzer: FrenchAnalyzer, cache: inout AnalysisCache) -> [IndexItem] {
            let fields: (id: String?, title: String?, text: String)
            if let fast = line.bytes.withUnsafeBufferPointer(PassageLine.parse) {
                fields = (fast.id, fast.title, fast.text)
            } else {
                // The general path: blank lines, other white space, and every line the fast reader leaves alone.
                let text = String(decoding: line.bytes, as: UTF8.self)
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { return [] }
                guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any],
                      let body = object["text"] as? String else {
                    return [.warning("\(source), line \(line.number): not a JSON object with a \"text\" string; line skipped")]
                }
                fields = ((object["id"] as? String) ?? (object["id"] as? Int).map(String.init), object["title"] as? String, body)
            }
            let id = fields.id ?? "\(idPrefix):\(line.number)"
            return chunker.chunks(ofRecord: fields.text, id: id, title: fields.title ?? defaultTitle, source: source, number: line.number)
                .map { .passage(AnalyzedPassage($0.passage, sentenceRanges: $0.sentences, analyzer: analyzer, cache: &cache, neighbours: nil)) }
        }
    }
}

/// A passage with its analysis, ready to be written.
struct AnalyzedPassage: Sendable {
    var passage: Passage
    /// The index terms joined by spaces: the FTS5 row.
    var ftsText: String
    /// Number of index terms.
    var length: Int
    /// Distinct terms in order of first occurrence, and how often each occurs.
    var terms: [String]
    var counts: [Int32]
    /// Content words this passage was the first to show the analysis thread (surface, term): the lexicon's input.
    var newForms: [(surface: String, term: String)]
    /// The `passage_analysis` blobs: its analysed sentences, and what its neighbours lend it (nil: it stands alone).
    var sentences: [UInt8]
    var loan: [UInt8]?

    /// `neighbours`: the texts of the paragraphs right before and after it in its document (nil for a passage that
    /// stands alone).
    /// `sentenceRanges`: the passage's sentences when the chunker knows them (`Chunker.Chunk`).
    init(_ p: Passage, sentenceRanges: [Range<Int>]? = nil, analyzer: FrenchAnalyzer, cache: inout AnalysisCache,
         neighbours: (previous: String?, next: String?)?) {
        let (analysed, all) = AnalysedSentence.analysed(p.text, sentences: sentenceRanges, analyzer: analyzer, cache: &cache)
        newForms = cache.takeNewForms()
        var slot: [String: Int] = [:]
        slot.reserveCapacity(all.count)
        var terms: [String] = [], counts: [Int32] = []
        for t in all {
            if let k = slot[t] { counts[k] += 1 } else {
                slot[t] = terms.count
                terms.append(t)
                counts.append(1)
            }
        }
        passage = p
        ftsText = all.joined(separator: " ")
        length = all.count
        self.terms = terms
        self.counts = counts
        sentences = PassageAnalysis.encode(analysed)
        loan = neighbours.map {
            PassageAnalysis.encode(NeighbourLoan.of(p.text, previous: $0.previous, next: $0.next, title: p.title,
                                                    analyzer: analyzer, cache: &cache))
        }
    }
}

/// A file about to be indexed: its path as given (what answers show) and its real path (what identifies it).
struct IndexedFile: Sendable {
    var path: String, realPath: String, title: String, hash: String
    var bytes: Int
    /// Whether its passages stand alone (records of a JSONL passage file), with no neighbours or lead paragraphs.
    var standalone: Bool
    /// The row id of the document it replaces (a changed file), if any.
    var replaces: Int64?
}

enum IndexItem: Sendable {
    case passage(AnalyzedPassage)
    /// A problem that skips a line, reported in its place.
    case warning(String)
}

/// What the analysis stage tells the writer, in order.
enum IndexEvent: Sendable {
    /// A file to index: its passages follow.
    case file(IndexedFile)
    case items([IndexItem], bytesDone: Int)
    case unchanged
    /// A file skipped, with the warning to show.
    case skipped(String)
    /// The run cannot go on.
    case failed(KZQAError)
}

/// The analysis workers of a run: `stripes` parts of each batch run at once, each with its own
/// `AnalysisCache` kept from batch to batch (a part always goes to the same cache, and two parts never share one).
final class AnalysisWorkers: @unchecked Sendable {
    let stripes: Int
    private let caches: UnsafeMutablePointer<AnalysisCache>
    private let results: UnsafeMutablePointer<[IndexItem]>

    init(stripes: Int) {
        self.stripes = stripes
        caches = .allocate(capacity: stripes)
        caches.initialize(repeating: AnalysisCache(capacity: 100_000), count: stripes)
        results = .allocate(capacity: stripes)
        results.initialize(repeating: [], count: stripes)
    }

    deinit {
        caches.deinitialize(count: stripes)
        caches.deallocate()
        results.deinitialize(count: stripes)
        results.deallocate()
    }

    /// `work(i, cache)` for i in 0..<count, on every core, the items concatenated in order of i.
    func run(count: Int, _ work: (Int, inout AnalysisCache) -> [IndexItem]) -> [IndexItem] {
        let parts = min(stripes, max(count, 1))
        // Each part touches only its own slot of `caches` and `results`.
        let slots = UncheckedBox((caches: caches, results: results))
        withoutActuallyEscaping(work) { work in
            let box = UncheckedBox(work)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let lo = count * part / parts, hi = count * (part + 1) / parts
                var out: [IndexItem] = []
                out.reserveCapacity(hi - lo)
                for i in lo..<hi { out.append(contentsOf: box.value(i, &slots.value.caches[part])) }
                slots.value.results[part] = out
            }
        }
        var all: [IndexItem] = []
        all.reserveCapacity(count)
        for part in 0..<parts {
            all.append(contentsOf: results[part])
            results[part] = []
        }
        return all
    }
}

/// Carries a value the compiler cannot prove safe across threads, where the code guarantees it is.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// A bounded first-in first-out queue of events from the analysis thread to the writer: the analysis waits
/// when `capacity` events are pending (so memory stays bounded), the writer when none is.
final class IndexChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var events: [IndexEvent] = []
    private var finished = false
    private var cancelled = false
    let capacity: Int
    /// Seconds the analysis waited for room, and the writer for events (diagnostics).
    private(set) var pushWait = 0.0, popWait = 0.0

    init(capacity: Int = 4) {
        self.capacity = capacity
    }

    /// Queues an event; false when the writer has given up (the analysis should stop).
    func push(_ event: IndexEvent) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if events.count >= capacity && !cancelled {
            let t = Date()
            while events.count >= capacity && !cancelled { condition.wait() }
            pushWait += Date().timeIntervalSince(t)
        }
        if cancelled { return false }
        events.append(event)
        condition.broadcast()
        return true
    }

    /// The next event; nil when the analysis has finished and every event was taken.
    func pop() -> IndexEvent? {
        condition.lock()
        defer { condition.unlock() }
        if events.isEmpty && !finished {
            let t = Date()
            while events.isEmpty && !finished { condition.wait() }
            popWait += Date().timeIntervalSince(t)
        }
        guard !events.isEmpty else { return nil }
        let e = events.removeFirst()  // at most `capacity` events: cheap, and the taken one is released
        condition.broadcast()
        return e
    }

    /// Called by the analysis thread when it has no more events.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Called by the writer when it stops early: pending and future events are dropped.
    func cancel() {
        condition.lock()
        cancelled = true
        events.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
