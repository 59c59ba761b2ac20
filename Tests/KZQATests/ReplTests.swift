import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `kzqa repl` driven through a pipe (plain line reading) and through a pseudo-terminal (libedit).
final class ReplTests: XCTestCase {
    typealias S = CLITestSupport
    var dir = ""

    override func setUpWithError() throws {
        _ = try S.requireBinary()
        dir = try S.temporaryFolder(for: self, "kzqa-repl-tests")
        try S.buildIndex(in: dir)
    }

    func repl(_ lines: [String], arguments: [String] = []) throws -> S.Result {
        try S.run(["repl", "--index", "index.sqlite"] + arguments, in: dir, stdin: Data(lines.map { $0 + "\n" }.joined().utf8))
    }

    /// Numbered passage lines printed by `:sources` ("1. corpus/… (id) score …").
    func sourceEntries(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.range(of: #"^\d+\. corpus/"#, options: .regularExpression) != nil }
    }

    // MARK: - through a pipe

    func testPipedSession() throws {
        let r = try repl([
            "Combien de places compte le stade des Tilleuls ?",
            ":mode bm25",
            ":top 2",
            "Qui entraîne l'équipe première ?",
            ":sources",
            ":help",
            ":foo",
            ":quit",
            "Combien d'œuvres conserve le musée de Nantes ?",
        ])
        XCTAssertFalse(r.timedOut)
        XCTAssertEqual(r.status, 1, "a piped session that met an error (:foo) ends with status 1: \(r)")
        let out = S.normalizeSpaces(r.stdout)
        XCTAssertTrue(out.contains("67 000 places"), "first answer: \(r)")
        XCTAssertTrue(r.stdout.contains("mode: bm25"), "\(r)")
        XCTAssertTrue(r.stdout.contains("top: 2"), "\(r)")
        XCTAssertTrue(r.stdout.contains("Karim Benali"), "second answer: \(r)")
        let sources = sourceEntries(r.stdout)
        XCTAssertFalse(sources.isEmpty, ":sources lists passages: \(r)")
        XCTAssertLessThanOrEqual(sources.count, 2, ":top 2 limits the passages: \(sources)")
        XCTAssertTrue(sources.first?.contains("corpus/football.txt") ?? false, "\(sources)")
        for command in [":help", ":mode", ":top", ":sources", ":quit"] {
            XCTAssertTrue(r.stdout.contains(command), ":help lists \(command): \(r)")
        }
        // The unknown command is one error line naming it; nothing else on stderr.
        XCTAssertEqual(r.stderrLines.count, 1, "\(r)")
        XCTAssertTrue(r.stderrLines.first?.hasPrefix("error: ") ?? false, "\(r)")
        XCTAssertTrue(r.stderr.contains(":foo"), "\(r)")
        // :quit ends the session: the last question is not answered.
        XCTAssertFalse(out.contains("12 000"), "answered after :quit: \(r)")
        // No prompt or banner on a pipe.
        XCTAssertFalse(r.stdout.contains("kzqa>"), "\(r)")
        S.assertNoLeaks(r)
    }

    func testShowsSettingsAndRefusesBadOnes() throws {
        let r = try repl([":mode", ":top", ":sources", ":top 0", ":top 101", ":top deux", ":mode semantic", ":mode tfidf", ":top 3", ":mode", ":top", ":q"])
        XCTAssertEqual(r.status, 1, "bad settings are errors: \(r)")
        XCTAssertTrue(r.stdout.contains("mode: hybrid"), "the default mode: \(r)")
        XCTAssertTrue(r.stdout.contains("top: 5"), "the default top: \(r)")
        XCTAssertTrue(r.stdout.contains("no answer yet"), ":sources before any question: \(r)")
        XCTAssertTrue(r.stdout.contains("mode: tfidf"), "\(r)")
        XCTAssertTrue(r.stdout.contains("top: 3"), "\(r)")
        XCTAssertEqual(r.stderrLines.count, 4, "one error line per bad setting: \(r)")
        XCTAssertTrue(r.stderrLines.allSatisfy { $0.hasPrefix("error: ") }, "\(r)")
        XCTAssertTrue(r.stderr.contains("semantic"), "\(r)")
        S.assertNoLeaks(r)
    }

    /// Bad questions do not end the session.
    func testBadQuestionsDoNotEndTheSession() throws {
        let r = try repl(["\"", "NEAR(", "   ", "\u{0}", "Combien de places compte le stade des Tilleuls ?"])
        XCTAssertEqual(r.status, 1, "the session goes on, and its status tells errors were met: \(r)")
        XCTAssertTrue(S.normalizeSpaces(r.stdout).contains("67 000 places"), "\(r)")
        XCTAssertTrue(r.stderrLines.allSatisfy { $0.hasPrefix("error: ") }, "\(r)")
        S.assertNoLeaks(r)
    }

    /// End of input (Ctrl-D on a pipe) ends a session without errors with exit 0.
    func testEndOfInputEndsWithSuccess() throws {
        let r = try repl(["Combien de places compte le stade des Tilleuls ?"])
        XCTAssertEqual(r.status, 0, "\(r)")
        XCTAssertTrue(S.normalizeSpaces(r.stdout).contains("67 000 places"), "\(r)")
        XCTAssertEqual(r.stderr, "")

        let empty = try S.run(["repl", "--index", "index.sqlite"], in: dir)
        XCTAssertEqual(empty.status, 0, "\(empty)")
        XCTAssertEqual(empty.stdout, "")
        XCTAssertEqual(empty.stderr, "")
        // A last line without a newline is still read.
        let unterminated = try S.run(["repl", "--index", "index.sqlite"], in: dir, stdin: Data("Qui entraîne l'équipe première ?".utf8))
        XCTAssertEqual(unterminated.status, 0, "\(unterminated)")
        XCTAssertTrue(unterminated.stdout.contains("Karim Benali"), "\(unterminated)")
    }

    func testModeAndTopOptionsSetTheStart() throws {
        let r = try repl([":mode", ":top"], arguments: ["--mode", "bm25", "--top", "7"])
        XCTAssertEqual(r.status, 0, "\(r)")
        XCTAssertTrue(r.stdout.contains("mode: bm25"), "\(r)")
        XCTAssertTrue(r.stdout.contains("top: 7"), "\(r)")
    }

    // MARK: - through a pseudo-terminal (libedit)

    /// A session on a pseudo-terminal: banner and prompt, an answered question, line editing (backspace), history
    /// recall (up arrow), Ctrl-C dropping the line being typed, Ctrl-D leaving with exit 0, and the history file.
    func testTerminalSessionThroughLibedit() throws {
        let term = try PseudoTerminal()
        defer { term.closeSlave() }
        let home = (dir as NSString).appendingPathComponent("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try S.requireBinary())
        process.arguments = ["repl", "--index", "index.sqlite"]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = S.environment(home: home)
        env["TERM"] = "xterm"
        env["COLUMNS"] = "200"
        process.environment = env
        let slave = FileHandle(fileDescriptor: term.slave, closeOnDealloc: false)
        process.standardInput = slave
        process.standardOutput = slave
        process.standardError = slave
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        term.closeSlave()
        var finished = false
        defer {
            if !finished {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }

        func expect(_ text: String, occurrences: Int = 1, _ what: String, line: UInt = #line) throws {
            guard term.waitFor(text, occurrences: occurrences, timeout: 20) else {
                XCTFail("\(what): no \(text.debugDescription) (×\(occurrences)) on the terminal; got:\n\(term.transcript)", line: line)
                throw XCTSkip("terminal session stalled (see the failure above)")
            }
        }
        /// Waits for the n-th prompt to be the last thing shown, so input is typed while libedit reads.
        func prompt(_ n: Int, line: UInt = #line) throws {
            guard term.waitForPrompt("kzqa>", occurrences: n, timeout: 20) else {
                XCTFail("no prompt #\(n) on the terminal; got:\n\(term.transcript)", line: line)
                throw XCTSkip("terminal session stalled (see the failure above)")
            }
        }

        try prompt(1)
        XCTAssertTrue(term.transcript.contains("ask a question"), "a banner on a terminal: \(term.transcript)")

        term.send("Combien de places compte le stade des Tilleuls ?\r")
        try expect("67", "the first answer")
        try prompt(2)

        // Line editing: two typos erased with backspace.
        term.send("Qui entraîne l'équipe premièreXX\u{7F}\u{7F} ?\r")
        try expect("Karim Benali", "the edited question's answer")
        try prompt(3)

        // History: up arrow recalls the last question (its answer names Karim Benali twice: answer and quote).
        term.send("\u{1B}[A")
        Thread.sleep(forTimeInterval: 0.2)
        term.send("\r")
        try expect("Karim Benali", occurrences: 3, "the recalled question's answer")
        try prompt(4)

        // Ctrl-C (SIGINT) drops the line being typed and the session goes on.
        term.send("abandonné")
        try expect("abandonné", "the echo of the typed text")
        kill(process.processIdentifier, SIGINT)
        try prompt(5)
        term.send(":top 3\r")
        try expect("top: 3", "a command after Ctrl-C")
        XCTAssertFalse(term.transcript.contains("unknown command"), "the abandoned text was dropped: \(term.transcript)")
        XCTAssertEqual(process.isRunning, true, "SIGINT does not end the session")

        // Ctrl-D on an empty line leaves.
        try prompt(6)
        term.send("\u{04}")
        if exited.wait(timeout: .now() + 20) == .timedOut {
            XCTFail("Ctrl-D did not end the session:\n\(term.transcript)")
            return
        }
        finished = true
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 0, term.transcript)
        XCTAssertFalse(term.transcript.contains("error:"), term.transcript)

        let history = (try? String(contentsOfFile: (home as NSString).appendingPathComponent(".kzqa_history"), encoding: .utf8)) ?? ""
        XCTAssertTrue(history.contains("Tilleuls"), "the history file keeps the questions: \(history)")
        XCTAssertTrue(history.contains("top"), history)
    }
}

/// A pseudo-terminal pair (posix_openpt). A background thread reads the master into a transcript and closes it
/// at end of file (EIO once the child and our slave descriptor are gone).
final class PseudoTerminal: @unchecked Sendable {
    let master: Int32
    private(set) var slave: Int32
    private let lock = NSLock()
    private var output = Data()

    /// posix_openpt and friends are not in Swift's Glibc module (they need _XOPEN_SOURCE): found in libc at run time.
    private static func libc<T>(_ name: String, as type: T.Type) -> T? {
        guard let symbol = dlsym(nil, name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }

    init() throws {
        typealias IntFunction = @convention(c) (Int32) -> Int32
        typealias NameFunction = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        guard let posix_openpt = Self.libc("posix_openpt", as: IntFunction.self),
              let grantpt = Self.libc("grantpt", as: IntFunction.self),
              let unlockpt = Self.libc("unlockpt", as: IntFunction.self),
              let ptsname = Self.libc("ptsname", as: NameFunction.self) else {
            throw XCTSkip("posix_openpt is not available")
        }
        let m = posix_openpt(O_RDWR | O_NOCTTY)
        guard m >= 0, grantpt(m) == 0, unlockpt(m) == 0, let name = ptsname(m) else {
            throw XCTSkip("no pseudo-terminal available (posix_openpt: \(String(cString: strerror(errno))))")
        }
        let s = open(name, O_RDWR | O_NOCTTY)
        guard s >= 0 else {
            close(m)
            throw XCTSkip("cannot open the pseudo-terminal's slave \(String(cString: name))")
        }
        master = m
        slave = s
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(master, &buffer, buffer.count)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                lock.lock(); output.append(contentsOf: buffer[0..<n]); lock.unlock()
            }
            close(master)
        }
        thread.start()
    }

    /// Everything written to the terminal so far, escape sequences and carriage returns removed.
    var transcript: String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: output, as: UTF8.self)
            .replacingOccurrences(of: "\u{1B}\\[[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
            .replacingOccurrences(of: "\r", with: "")
    }

    func count(_ text: String, in transcript: String) -> Int { transcript.components(separatedBy: text).count - 1 }

    /// Waits until `text` has appeared `occurrences` times in all.
    func waitFor(_ text: String, occurrences: Int = 1, timeout: TimeInterval) -> Bool {
        waitUntil(timeout: timeout) { self.count(text, in: $0) >= occurrences }
    }

    /// Waits until the terminal shows `prompt` as its last output (the program waits for a line), at least
    /// `occurrences` times in all.
    func waitForPrompt(_ prompt: String, occurrences: Int, timeout: TimeInterval) -> Bool {
        waitUntil(timeout: timeout) {
            self.count(prompt, in: $0) >= occurrences && $0.trimmingCharacters(in: .whitespaces).hasSuffix(prompt)
        }
    }

    private func waitUntil(timeout: TimeInterval, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(transcript) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition(transcript)
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }

    func closeSlave() {
        if slave >= 0 { close(slave); slave = -1 }
    }
}
