import Foundation
import KZQA

/// Read-only engines over one index file, lent to one request at a time (an SQLite connection is not Sendable), so
/// many readers are answered at once. Every request runs in one read snapshot; an engine whose file was committed to
/// (`kzqa index`) or replaced (`kzqa index --rebuild` renames a new file into place) since it opened is closed and a
/// new one opened, so answers always come from the last complete index. An answer cache keyed by the request is
/// emptied at every such change.
public final class EnginePool: @unchecked Sendable {
    public let path: String
    /// Engines open at most: a request finding them all busy waits for one (the work is CPU-bound, so more engines
    /// than cores would only share the same cores).
    public let maxEngines: Int
    /// Answers kept, by question, mode and top (0: no cache).
    public let cacheSize: Int
    /// The knobs every engine of the pool is opened with.
    public let configuration: EngineConfiguration

    /// Runs the requests' engine work, first come first served, at most `maxEngines` at once, off Swift's cooperative
    /// threads (SQLite and scoring block while they compute).
    private let workers = OperationQueue()
    private let lock = NSCondition()
    private var idle: [Entry] = []
    /// Engines open now, lent or idle.
    private var live = 0
    private var opened = 0
    /// Bumped whenever an engine sees a newer index, or a new engine opens: cached answers of older epochs are dropped.
    private var epoch = 0
    private var cache: [String: CachedAnswer] = [:]
    private var cacheOrder: [String] = []

    private struct CachedAnswer {
        var epoch: Int
        var json: String
    }

    /// One open engine and the index state it was opened on.
    final class Entry {
        let engine: QAEngine
        let identity: FileIdentity?
        let dataVersion: Int64

        init(path: String, configuration: EngineConfiguration) throws {
            identity = IndexStore.fileIdentity(of: path)
            let store = try IndexStore(path: path)
            engine = QAEngine(store: store)
            engine.configuration = configuration
            // The counts IndexStore read on opening must be those of the snapshot this version names.
            let (version, count) = try store.readSnapshot { (try store.dataVersion(), try store.storedPassageCount()) }
            guard count == store.passageCount else { throw Stale() }
            dataVersion = version
        }
    }

    struct Stale: Error {}

    /// Opens one engine at once, so that a missing or unreadable index is reported before serving.
    /// - throws: the `KZQAError` of `IndexStore.init`.
    public init(path: String, maxEngines: Int = max(2, ProcessInfo.processInfo.activeProcessorCount), cacheSize: Int = 256,
                configuration: EngineConfiguration = EngineConfiguration()) throws {
        self.path = path
        self.configuration = configuration
        self.maxEngines = max(1, maxEngines)
        self.cacheSize = cacheSize
        live = 1
        workers.maxConcurrentOperationCount = self.maxEngines
        workers.name = "kzqa engines"
        idle.append(try open())
    }

    /// Runs `body` on one of the engine threads, in the order requests arrived, and returns its result.
    public func perform<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            workers.addOperation {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    /// How many engines were opened so far (a new index opens new ones).
    public var enginesOpened: Int { lock.withLock { opened } }

    /// Runs `body` with an engine to itself, inside one read snapshot of the current index.
    public func withEngine<T>(_ body: (QAEngine) throws -> T) throws -> T {
        try withEntry { entry, _ in try body(entry.engine) }
    }

    /// The `kzqa ask --json` object for one question, from the cache when the same request was answered on the
    /// current index.
    public func answerJSON(question: String, mode: RetrievalMode, top: Int) throws -> String {
        let key = "\(mode.rawValue)\u{0}\(top)\u{0}\(question)"
        return try withEntry { entry, epoch in
            if cacheSize > 0, let hit = lock.withLock({ cache[key] }), hit.epoch == epoch { return hit.json }
            let json = AnswerJSON.encode(try entry.engine.ask(question, mode: mode, top: top).answer)
            if cacheSize > 0 { store(json, key: key, epoch: epoch) }
            return json
        }
    }

    private func withEntry<T>(_ body: (Entry, Int) throws -> T) throws -> T {
        // A few tries: each stale engine is dropped and the next one opened on the newer file.
        for _ in 0..<4 {
            let (entry, epoch) = try checkout()
            if let now = IndexStore.fileIdentity(of: path), now != entry.identity {
                retire(entry)
                continue
            }
            let outcome: T?
            do {
                outcome = try entry.engine.store.readSnapshot { () throws -> T? in
                    guard try entry.engine.store.dataVersion() == entry.dataVersion else { return nil }
                    return try body(entry, epoch)
                }
            } catch {
                checkin(entry)
                throw error
            }
            guard let outcome else {
                retire(entry)
                continue
            }
            checkin(entry)
            return outcome
        }
        throw KZQAError.storage(path: path, reason: "the index kept changing while it was read; ask again")
    }

    /// An idle engine, or a new one while fewer than `maxEngines` are open, else waits for one to come back.
    private func checkout() throws -> (Entry, Int) {
        lock.lock()
        while idle.isEmpty && live >= maxEngines { lock.wait() }
        if let e = idle.popLast() {
            defer { lock.unlock() }
            return (e, epoch)
        }
        live += 1
        lock.unlock()
        do {
            var tries = 0
            while true {
                do {
                    let entry = try open()
                    return (entry, lock.withLock { epoch })
                } catch is Stale where tries < 3 {
                    tries += 1
                }
            }
        } catch {
            lock.withLock { live -= 1; lock.signal() }
            if error is Stale { throw KZQAError.storage(path: path, reason: "the index kept changing while it was opened; ask again") }
            throw error
        }
    }

    private func open() throws -> Entry {
        let entry = try Entry(path: path, configuration: configuration)
        // A new engine may see a newer index than the cached answers were made on.
        lock.withLock {
            opened += 1
            epoch += 1
        }
        return entry
    }

    private func checkin(_ entry: Entry) {
        lock.withLock {
            idle.append(entry)
            lock.signal()
        }
    }

    /// Closes an engine that reads an older index, and drops every cached answer.
    private func retire(_ entry: Entry) {
        lock.withLock {
            live -= 1
            epoch += 1
            cache.removeAll()
            cacheOrder.removeAll()
            lock.signal()
        }
    }

    private func store(_ json: String, key: String, epoch: Int) {
        lock.withLock {
            guard epoch == self.epoch else { return }
            if cache[key] == nil {
                cacheOrder.append(key)
                if cacheOrder.count > cacheSize {
                    cache[cacheOrder.removeFirst()] = nil
                }
            }
            cache[key] = CachedAnswer(epoch: epoch, json: json)
        }
    }
}
