import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `kzqa` binary for the CLI and REPL tests, and holds the small hand-made French corpus shared by
/// the engine and CLI tests. Kept in its own namespace so other test files can define their own helpers.
enum CLITestSupport {
    // MARK: - the corpus

    /// Six short articles on unrelated topics, each a title line and a few paragraphs. Some French typography on
    /// purpose: a no-break space inside « 67 000 », a narrow no-break space inside 12 000, curly apostrophes,
    /// guillemets and ligatures, so byte offsets are exercised on multi-byte text.
    static let corpus: [(name: String, text: String)] = [
        ("boulangerie.txt", """
        La boulangerie Dupain de Lyon

        La boulangerie Dupain a été fondée en 1987 par Marie Dupain, dans le quartier de la Croix-Rousse. Elle emploie aujourd’hui douze personnes.

        Chaque matin, les boulangers cuisent 1 200 baguettes au levain dans un four à bois. Le pain de seigle est réservé au samedi.

        Les croissants au beurre coûtent 1,30 euro. La boutique ferme le lundi.

        """),
        ("horaires.txt", """
        Horaires du train entre Grenoble et Chambéry

        Le premier train quitte la gare de Grenoble à 6 h 12 et arrive à Chambéry à 7 h 05. Le dernier départ a lieu à 22 h 40.

        En semaine, la ligne compte 24 trains par jour dans chaque sens. Le dimanche, la circulation est réduite de moitié.

        Un billet aller simple coûte 11,60 euros ; les abonnés paient moins.

        """),
        ("football.txt", """
        L’Olympique de Valmont, club de football

        L’Olympique de Valmont joue ses matchs au stade des Tilleuls, une enceinte de « 67\u{00A0}000 places » inaugurée en 1998.

        L’entraîneur Karim Benali dirige l’équipe première depuis 2019. Sous sa direction, le club a remporté le championnat national en 2021.

        Le centre de formation accueille 85 jeunes joueurs venus de toute la région.

        """),
        ("ministere.txt", """
        Le ministère de l’Agriculture

        Le ministère de l’Agriculture veille sur les exploitations agricoles et la sécurité alimentaire du pays. Il emploie 30 000 agents.

        Sophie Laurent a été nommée ministre de l’Agriculture le 3 mars 2022. Elle a succédé à Paul Moreau.

        Le budget du ministère atteint 4,5 milliards d’euros en 2023, dont une large part consacrée à l’irrigation.

        """),
        ("musee.txt", """
        Le musée des Beaux-Arts de Nantes

        Le musée des Beaux-Arts de Nantes conserve 12\u{202F}000 œuvres, de la peinture italienne à l’art contemporain.

        Après six années de travaux, le musée a rouvert ses portes en juin 2017. La rénovation a coûté 88 millions d’euros.

        La directrice Claire Fontaine organise chaque hiver une exposition consacrée à un peintre du XIXe siècle.

        """),
        ("vignoble.txt", """
        Les vendanges dans le vignoble d’Alsace

        Le vignoble d’Alsace s’étend sur 15 500 hectares, le long des collines des Vosges.

        Les vendanges commencent généralement à la mi-septembre. Les vendangeurs récoltent le raisin à la main.

        Le riesling et le gewurztraminer sont les cépages les plus célèbres de la région.

        """),
    ]

    /// Writes the corpus into `folder/corpus/` and returns that folder's path.
    @discardableResult
    static func writeCorpus(in folder: String, subfolder: String = "corpus") throws -> String {
        let dir = (folder as NSString).appendingPathComponent(subfolder)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in corpus {
            try Data(text.utf8).write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent(name)))
        }
        return dir
    }

    /// Writes `count` generated French-looking articles (about 32 KB, 48 paragraphs each) into `folder`, for runs that
    /// must last: 8 generated paragraph blocks, each file one of them under its own numbered title (no two files equal).
    static func writeBigCorpus(in folder: String, count: Int) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let words = """
        ville village marché rivière montagne école hôpital usine ferme route pont gare port musée église château forêt \
        champ jardin maison boutique atelier bureau conseil maire habitant année siècle projet budget travaux fête saison \
        récolte troupeau moulin canal le la les un une des de du et en à au pour par avec dans sur
        """.split(separator: " ").map(String.init)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        var bodies: [[UInt8]] = []
        for _ in 0..<8 {
            var text = ""
            for _ in 0..<48 {
                var sentences: [String] = []
                for _ in 0..<4 {
                    let n = 8 + next(9)
                    let body = (0..<n).map { _ in words[next(words.count)] }.joined(separator: " ")
                    sentences.append("Le \(body) \(next(99_999)) \(words[next(words.count)]).")
                }
                text += sentences.joined(separator: " ") + "\n\n"
            }
            bodies.append(Array(text.utf8))
        }
        for i in 0..<count {
            let data = Data(Array("Chronique numéro \(i)\n\n".utf8) + bodies[i % bodies.count])
            try data.write(to: URL(fileURLWithPath: folder + "/doc\(100_000 + i).txt"))
        }
    }

    // MARK: - temporary folders

    /// A fresh temporary folder, removed when `test` ends (permissions restored first).
    static func temporaryFolder(for test: XCTestCase, _ label: String = "kzqa-cli-tests") throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        test.addTeardownBlock {
            // Tests may leave read-only folders (0555) behind: make every folder writable again, then remove.
            _ = chmod(path, 0o755)
            if let walker = FileManager.default.enumerator(atPath: path) {
                while let name = walker.nextObject() as? String {
                    if (walker.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory {
                        _ = chmod((path as NSString).appendingPathComponent(name), 0o755)
                    }
                }
            }
            try? FileManager.default.removeItem(atPath: path)
        }
        return path
    }

    // MARK: - running the binary

    /// What one run of `kzqa` did.
    struct Result: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var timedOut: Bool
        var arguments: [String]

        /// The non-empty lines of stderr.
        var stderrLines: [String] { stderr.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty } }

        var description: String {
            "kzqa \(arguments.map { $0.count > 80 ? String($0.prefix(80)) + "…" : $0 }.joined(separator: " ")) → exit \(status)"
                + (timedOut ? " (killed after timeout)" : "")
                + "\n--- stdout:\n\(stdout.prefix(3000))\n--- stderr:\n\(stderr.prefix(3000))"
        }
    }

    /// The `kzqa` executable built next to the test bundle.
    static let binary: String? = {
        var folders: [URL] = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        for b in Bundle.allBundles { folders += [b.bundleURL, b.bundleURL.deletingLastPathComponent()] }
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for folder in folders {
            let candidate = folder.appendingPathComponent("kzqa").path
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }()

    static func requireBinary() throws -> String {
        guard let binary else {
            throw XCTSkip("the kzqa executable was not found next to the test bundle (\(Bundle.main.bundleURL.path))")
        }
        return binary
    }

    /// The environment of every run: the test's own, without KZQA_INDEX, with NO_COLOR, no thesaurus (fast and
    /// deterministic) and HOME in `home` (the REPL writes its history there, the default index outside a checkout
    /// lives under it), without XDG_DATA_HOME, plus `extra`.
    static func environment(home: String, extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "KZQA_INDEX")
        env.removeValue(forKey: "XDG_DATA_HOME")
        env["NO_COLOR"] = "1"
        env["KZQA_THESAURUS"] = ""
        env["HOME"] = home
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Runs `kzqa arguments` in `directory` with `stdin` bytes, and kills it when it outlasts `timeout` seconds.
    static func run(_ arguments: [String], in directory: String, stdin: Data = Data(), environment extra: [String: String] = [:],
                    timeout: TimeInterval = 30) throws -> Result {
        let binary = try requireBinary()
        ignoreSIGPIPE
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment(home: directory, extra: extra)
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = errPipe

        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()

        let out = Collector(outPipe.fileHandleForReading.fileDescriptor)
        let err = Collector(errPipe.fileHandleForReading.fileDescriptor)
        let input = inPipe.fileHandleForWriting
        let writer = Thread { writeAll(stdin, to: input) }
        writer.start()

        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            done.wait()
        }
        process.waitUntilExit()
        let stdout = out.finish(), stderr = err.finish()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self), timedOut: timedOut, arguments: arguments)
    }

    /// Writes `data` to `handle` and closes it; stops quietly when the reader has gone (EPIPE). Closed through the
    /// handle, never with close(2) on its descriptor: the handle would close that number again when deallocated,
    /// by then perhaps another pipe's.
    static func writeAll(_ data: Data, to handle: FileHandle) {
        let fd = handle.fileDescriptor
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; break }
                offset += n
            }
        }
        try? handle.close()
    }

    static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Reads a file descriptor to its end on a background thread.
    final class Collector: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        private let finished = DispatchSemaphore(value: 0)

        init(_ fd: Int32) {
            let thread = Thread { [self] in
                var buffer = [UInt8](repeating: 0, count: 65536)
                while true {
                    let n = read(fd, &buffer, buffer.count)
                    if n < 0, errno == EINTR { continue }
                    if n <= 0 { break }
                    lock.lock(); data.append(contentsOf: buffer[0..<n]); lock.unlock()
                }
                finished.signal()
            }
            thread.start()
        }

        /// Waits (at most 10 s after the process ended) for end of file and returns what was read.
        func finish() -> Data {
            _ = finished.wait(timeout: .now() + 10)
            lock.lock(); defer { lock.unlock() }
            return data
        }
    }

    // MARK: - assertions

    /// Text that must never reach a user: raw SQLite messages, crash reports, Swift runtime errors.
    static let forbidden = ["SQLite error", "sqlite3", "SQL logic error", "no such table", "no such column",
                            "malformed", "fts5", "syntax error", "Fatal error", "Stack dump", "Backtrace",
                            "Illegal instruction", "Segmentation fault"]

    /// A refusal as the contract wants it: non-zero exit, stderr exactly one line starting `error:` that mentions
    /// every string of `mentions`, no stack trace or raw SQL text.
    static func assertCleanError(_ r: Result, mentions: [String] = [], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(r.timedOut, "timed out: \(r)", file: file, line: line)
        XCTAssertNotEqual(r.status, 0, "expected a failure: \(r)", file: file, line: line)
        let lines = r.stderrLines
        XCTAssertEqual(lines.count, 1, "stderr must be exactly one line: \(r)", file: file, line: line)
        XCTAssertTrue(lines.first?.hasPrefix("error: ") ?? false, "stderr must start with `error: `: \(r)", file: file, line: line)
        for m in mentions {
            XCTAssertTrue(r.stderr.contains(m), "the error should mention \(m.debugDescription): \(r)", file: file, line: line)
        }
        assertNoLeaks(r, file: file, line: line)
    }

    /// No raw SQL error text, stack trace or crash report anywhere in the output.
    static func assertNoLeaks(_ r: Result, file: StaticString = #filePath, line: UInt = #line) {
        for f in forbidden where r.stderr.localizedCaseInsensitiveContains(f) || r.stdout.contains("error: \(f)") {
            XCTFail("output leaks \(f.debugDescription): \(r)", file: file, line: line)
        }
        // Signals show up as exit codes above 128 or as a termination by signal.
        XCTAssertLessThan(r.status, 128, "crashed: \(r)", file: file, line: line)
    }

    /// A successful run: exit 0, no `error:` line, not timed out.
    static func assertSuccess(_ r: Result, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(r.timedOut, "timed out: \(r)", file: file, line: line)
        XCTAssertEqual(r.status, 0, "expected success: \(r)", file: file, line: line)
        XCTAssertFalse(r.stderrLines.contains { $0.hasPrefix("error:") }, "unexpected error line: \(r)", file: file, line: line)
        assertNoLeaks(r, file: file, line: line)
    }

    /// Builds an index of the hand-made corpus at `folder/index.sqlite` (corpus in `folder/corpus`) with the CLI.
    @discardableResult
    static func buildIndex(in folder: String, name: String = "index.sqlite", file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try writeCorpus(in: folder)
        let r = try run(["index", "--index", name, "corpus"], in: folder)
        assertSuccess(r, file: file, line: line)
        return (folder as NSString).appendingPathComponent(name)
    }

    /// Text normalised as the benchmark does: every run of white space (U+00A0 and U+202F included) is one space.
    static func normalizeSpaces(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace || $0 == "\u{00A0}" || $0 == "\u{202F}" }).joined(separator: " ")
    }
}
