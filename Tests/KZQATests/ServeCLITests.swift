import Foundation
import XCTest
@testable import KZQA

/// `kzqa serve` as a user runs it: `--port 0` prints the URL it really listens on, the API answers there exactly as
/// `kzqa ask --json` does, and SIGTERM or SIGINT stops it with exit status 0.
final class ServeCLITests: XCTestCase {
    func testServeOnAFreePortAnswersAsAskJSONAndStopsOnSignals() throws {
        let binary = try CLITestSupport.requireBinary()
        let folder = try CLITestSupport.temporaryFolder(for: self)
        try CLITestSupport.buildIndex(in: folder)
        let question = "Combien coûtent les croissants au beurre ?"
        let ask = try CLITestSupport.run(["ask", "--index", "index.sqlite", "--json", question], in: folder)
        CLITestSupport.assertSuccess(ask)

        for signal in [SIGTERM, SIGINT] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["serve", "--index", "index.sqlite", "--port", "0"]
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            process.environment = CLITestSupport.environment(home: folder)
            let out = Pipe()
            process.standardOutput = out
            process.standardError = Pipe()
            try process.run()
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

            let line = try XCTUnwrap(Self.readLine(out.fileHandleForReading, timeout: 30), "serve printed no URL")
            XCTAssertTrue(line.hasPrefix("http://127.0.0.1:"), line)
            XCTAssertFalse(line.hasSuffix(":0/"), "the real port, not 0: \(line)")
            let url = try XCTUnwrap(URL(string: line + "api/ask?q=" + (question.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")))
            let body = try Self.get(url)
            XCTAssertEqual(body.status, 200)
            XCTAssertEqual(body.text + "\n", ask.stdout)
            // Through the real HTTP parser: a 100 KB question is a JSON 413, an unknown route a JSON 404.
            let huge = try Self.get(try XCTUnwrap(URL(string: line + "api/ask?q=" + String(repeating: "a", count: 100 * 1024))))
            XCTAssertEqual(huge.status, 413)
            XCTAssertTrue(huge.text.hasPrefix(#"{"error":"the question is 102400 bytes long"#), huge.text)
            let missing = try Self.get(try XCTUnwrap(URL(string: line + "nosuch")))
            XCTAssertEqual(missing.status, 404)
            XCTAssertTrue(missing.text.hasPrefix(#"{"error":"#), missing.text)

            kill(process.processIdentifier, signal)
            let deadline = Date().addingTimeInterval(15)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            XCTAssertFalse(process.isRunning, "serve did not stop on signal \(signal)")
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "signal \(signal)")
            XCTAssertEqual(process.terminationReason, .exit)
        }
    }

    /// A port already taken is one `error:` line, not a crash.
    func testTakenPortIsACleanError() throws {
        let folder = try CLITestSupport.temporaryFolder(for: self)
        try CLITestSupport.buildIndex(in: folder)
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        XCTAssertTrue(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let r = try CLITestSupport.run(["serve", "--index", "index.sqlite", "--port", String(port)], in: folder, timeout: 20)
        CLITestSupport.assertCleanError(r, mentions: [String(port)])
    }

    /// Reads one line from `handle` within `timeout` seconds.
    static func readLine(_ handle: FileHandle, timeout: TimeInterval) -> String? {
        var bytes: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var pfd = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
        while Date() < deadline {
            guard poll(&pfd, 1, 200) > 0 else { continue }
            var byte: UInt8 = 0
            guard read(handle.fileDescriptor, &byte, 1) == 1 else { return nil }
            if byte == 0x0A { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }

    /// A plain HTTP/1.1 GET over a loopback socket (no client library needed).
    static func get(_ url: URL) throws -> (status: Int, text: String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(url.port ?? 80).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { throw KZQAError.invalidArgument("cannot connect to \(url)") }
        let target = url.path + (url.query.map { "?" + $0 } ?? "")
        let request = Array("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return (0, text) }
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, String(text[split.upperBound...]))
    }
}
