import Foundation
import KZQA
import KZQAFuzzing
#if canImport(Glibc)
import Glibc
#endif

/// The current input, kept where a signal handler can write it out when the process traps.
enum CrashRecord {
    nonisolated(unsafe) static var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 17)
    nonisolated(unsafe) static var capacity = 1 << 17
    nonisolated(unsafe) static var length = 0
    nonisolated(unsafe) static var fd: Int32 = -1
    nonisolated(unsafe) static var pathMessage: [UInt8] = []

    static func set(_ text: String) {
        let n = text.utf8.count
        if n > capacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
            let old = buffer
            length = 0
            buffer = bigger
            capacity = n
            old.deallocate()
        }
        var copy = text
        copy.withUTF8 { UnsafeMutableRawPointer(buffer).copyMemory(from: $0.baseAddress!, byteCount: n) }
        length = n
    }

    nonisolated(unsafe) static var scratchPath: [CChar] = []
    nonisolated(unsafe) static var finalPath: [CChar] = []

    /// Opens a hidden scratch file beside `path` now (opening a file inside a signal handler is not safe) and
    /// installs handlers that write the current input there and rename it to `path` when the process traps.
    static func install(path: String) {
        let url = URL(fileURLWithPath: path)
        let scratch = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent).path
        scratchPath = Array(scratch.utf8CString)
        finalPath = Array(path.utf8CString)
        fd = open(scratch, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        pathMessage = Array("\nkzqa-fuzz: CRASH (signal) on an input saved to \(path); show it with: kzqa-fuzz --show \(path)\n".utf8)
        atexit { _ = CrashRecord.scratchPath.withUnsafeBufferPointer { unlink($0.baseAddress!) } }
        for sig in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                if CrashRecord.fd >= 0 {
                    _ = write(CrashRecord.fd, CrashRecord.buffer, CrashRecord.length)
                    _ = close(CrashRecord.fd)
                    _ = rename(CrashRecord.scratchPath, CrashRecord.finalPath)
                }
                CrashRecord.pathMessage.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
                _exit(70)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
            sigaction(sig, &action, nil)
        }
    }
}

/// Watches the main loop from another thread: an input that runs longer than the limit is a hang.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var serial = 0
    private var started = Date()
    private var input = ""
    let limit: TimeInterval
    let savePath: String

    init(limit: TimeInterval, savePath: String) {
        self.limit = limit
        self.savePath = savePath
    }

    func begin(_ text: String) {
        lock.lock(); serial += 1; started = Date(); input = text; lock.unlock()
    }

    func start() {
        let thread = Thread { [self] in
            var lastSerial = -1
            while true {
                Thread.sleep(forTimeInterval: 0.5)
                lock.lock()
                let (s, t, text) = (serial, started, input)
                lock.unlock()
                if s == lastSerial, Date().timeIntervalSince(t) > limit {
                    _ = FileManager.default.createFile(atPath: savePath, contents: Data(text.utf8))
                    Session.report(Finding(check: "hang", detail: "one input ran over \(Int(limit)) s (saved to \(savePath))"),
                                   input: text)
                    _exit(3)
                }
                lastSerial = s
            }
        }
        thread.start()
    }
}

enum RandomDriver {
    static let usage = """
        usage: kzqa-fuzz [--seconds N] [--seed N] [--no-ask] [--hang-seconds N] [--findings DIR]
               kzqa-fuzz --replay FILE...      check each file's text
               kzqa-fuzz --show FILE           print a file's text as a Swift literal
               kzqa-fuzz --emit-corpus DIR [--count N] [--seed N]
        """

    static func main(_ arguments: [String]) -> Int32 {
        var seconds = 60.0, seed = UInt64(Date().timeIntervalSince1970 * 1000), hang = 10.0
        var findings = ".build-fuzz/findings"
        var replay: [String] = []
        var i = 0
        func value() -> String? {
            i += 1
            return i < arguments.count ? arguments[i] : nil
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--seconds": guard let v = value().flatMap(Double.init) else { return fail(usage) }; seconds = v
            case "--seed": guard let v = value().flatMap({ UInt64($0) }) else { return fail(usage) }; seed = v
            case "--hang-seconds": guard let v = value().flatMap(Double.init) else { return fail(usage) }; hang = v
            case "--findings": guard let v = value() else { return fail(usage) }; findings = v
            case "--no-ask": setenv("KZQA_FUZZ_ASK", "0", 1)
            case "--replay": replay = Array(arguments[(i + 1)...]); i = arguments.count
            case "--show":
                guard let path = value(), let data = FileManager.default.contents(atPath: path) else { return fail(usage) }
                print(swiftLiteral(String(decoding: data, as: UTF8.self)))
                return 0
            case "-h", "--help": print(usage); return 0
            default: return fail("unknown argument \(arguments[i])\n" + usage)
            }
            i += 1
        }
        try? FileManager.default.createDirectory(atPath: findings, withIntermediateDirectories: true)
        if !replay.isEmpty { return self.replay(replay) }
        return run(seconds: seconds, seed: seed, hang: hang, findings: findings)
    }

    static func fail(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        return 64
    }

    static func replay(_ files: [String]) -> Int32 {
        let checker = Session.sharedChecker()
        var bad = 0
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else { print("\(path): unreadable"); bad += 1; continue }
            let text = String(decoding: data, as: UTF8.self)
            CrashRecord.set(text)
            do {
                try checker.check(text)
                print("\(path): ok")
            } catch {
                print("\(path): \(error)")
                Session.report(error as? Finding ?? Finding(check: "harness", detail: "\(error)"), input: text)
                bad += 1
            }
        }
        return bad == 0 ? 0 : 1
    }

    static func run(seconds: Double, seed: UInt64, hang: Double, findings: String) -> Int32 {
        let checker = Session.sharedChecker()
        var generator = InputGenerator(seed: seed, sentences: seedSentences(in: Session.seedsFolder),
                                       extraPieces: Checker.canary.map { [$0] } ?? [])
        CrashRecord.install(path: findings + "/crash-input-\(seed).txt")
        let watchdog = Watchdog(limit: hang, savePath: findings + "/hang-input-\(seed).txt")
        watchdog.start()
        FileHandle.standardError.write(Data("kzqa-fuzz: random inputs for \(Int(seconds)) s, seed \(seed), seeds \(Session.seedsFolder), ask \(Session.askEnabled ? "on" : "off")\n".utf8))

        let start = Date()
        var lastReport = start
        var count = 0, bytes = 0
        var slowest = (seconds: 0.0, bytes: 0)
        while Date().timeIntervalSince(start) < seconds {
            let text = generator.next()
            CrashRecord.set(text)
            watchdog.begin(text)
            let t0 = Date()
            do {
                try checker.check(text)
            } catch {
                let finding = error as? Finding ?? Finding(check: "harness", detail: "\(error)")
                Session.report(finding, input: text)
                let path = findings + "/finding-\(seed)-\(count).txt"
                _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
                let small = minimize(text, check: finding.check, checker: checker)
                _ = FileManager.default.createFile(atPath: path + ".min", contents: Data(small.utf8))
                FileHandle.standardError.write(Data("kzqa-fuzz: minimized (\(small.utf8.count) bytes): \(swiftLiteral(small))\nsaved to \(path) and \(path).min\n".utf8))
                print("kzqa-fuzz summary: random, \(count + 1) inputs, 1 finding (\(finding.check))")
                return 1
            }
            let dt = Date().timeIntervalSince(t0)
            if dt > slowest.seconds { slowest = (dt, text.utf8.count) }
            count += 1
            bytes += text.utf8.count
            if Date().timeIntervalSince(lastReport) >= 30 {
                lastReport = Date()
                let elapsed = lastReport.timeIntervalSince(start)
                FileHandle.standardError.write(Data("kzqa-fuzz: \(Int(elapsed)) s, \(count) inputs (\(Int(Double(count) / elapsed))/s), \(checker.asks) asks\n".utf8))
            }
        }
        let elapsed = Date().timeIntervalSince(start)
        print("kzqa-fuzz summary: random, seed \(seed), \(count) inputs (\(bytes / 1024) KiB, \(checker.asks) asks) in \(Int(elapsed)) s, "
              + "slowest input \(String(format: "%.2f", slowest.seconds)) s (\(slowest.bytes) bytes), 0 findings")
        return 0
    }

    /// Removes runs of scalars (halving their length) while the same check still fails.
    static func minimize(_ text: String, check: String, checker: Checker) -> String {
        func fails(_ scalars: [Unicode.Scalar]) -> Bool {
            do { try checker.check(String(String.UnicodeScalarView(scalars)), ask: check == "ask") } catch let f as Finding {
                return f.check == check
            } catch { return false }
            return false
        }
        var s = Array(text.unicodeScalars)
        let deadline = Date().addingTimeInterval(60)
        var chunk = max(1, s.count / 2)
        while Date() < deadline {
            var i = 0, removed = false
            while i < s.count, Date() < deadline {
                let candidate = Array(s[..<i] + s[min(s.count, i + chunk)...])
                if fails(candidate) { s = candidate; removed = true } else { i += chunk }
            }
            if !removed {
                if chunk == 1 { break }
                chunk = max(1, chunk / 2)
            }
        }
        return String(String.UnicodeScalarView(s))
    }
}

/// `--emit-corpus DIR [--count N] [--seed N]`: the seed sentences and N generated inputs (short ones: libFuzzer
/// mutates them further), one file each.
func emitCorpus(_ arguments: [String]) -> Int32 {
    guard arguments.count >= 2 else { return RandomDriver.fail(RandomDriver.usage) }
    let dir = arguments[1]
    var count = 300, seed: UInt64 = 1
    var i = 2
    while i + 1 < arguments.count {
        if arguments[i] == "--count", let n = Int(arguments[i + 1]) { count = n }
        if arguments[i] == "--seed", let n = UInt64(arguments[i + 1]) { seed = n }
        i += 2
    }
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let sentences = seedSentences(in: Session.seedsFolder)
    var written = 0
    func write(_ name: String, _ text: String) {
        if FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(text.utf8)) { written += 1 }
    }
    for (n, s) in sentences.enumerated() { write("seed-\(n)", s) }
    var generator = InputGenerator(seed: seed, sentences: sentences)
    var n = 0
    while n < count {
        let text = generator.next()
        guard text.utf8.count <= 4096 else { continue }
        write("gen-\(seed)-\(n)", text)
        n += 1
    }
    print("kzqa-fuzz: wrote \(written) corpus files to \(dir)")
    return 0
}
