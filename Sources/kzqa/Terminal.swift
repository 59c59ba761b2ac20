import Foundation
import KZQA

/// Terminal output: stderr lines, colour only on a TTY without NO_COLOR, and a progress bar.
enum Terminal {
    static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }

    /// Colour is used only on a terminal, and never when NO_COLOR is set (no-color.org).
    static var useColor: Bool {
        stdoutIsTTY && Environment.value("NO_COLOR") == nil
            && Environment.value("TERM") != "dumb"
    }

    /// One `error:` line on stderr (line breaks inside the message become spaces).
    static func error(_ message: String) {
        let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        FileHandle.standardError.write(Data("error: \(line)\n".utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    static func style(_ s: String, _ code: String) -> String {
        useColor ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
    static func bold(_ s: String) -> String { style(s, "1") }
    static func dim(_ s: String) -> String { style(s, "2") }
    static func cyan(_ s: String) -> String { style(s, "36") }
    static func yellow(_ s: String) -> String { style(s, "33") }
}

/// A one-line progress bar on stderr, shown only on a terminal and only once work has lasted a second.
final class ProgressBar {
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false
    private var lastPhase = ""
    private let enabled = Terminal.stderrIsTTY

    /// Redraws the bar: the share done is read from bytes when the indexer reports them (one big JSONL file
    /// then still shows progress and an ETA), from files otherwise.
    func update(done: Int, total: Int, passages: Int, phase: String, bytesDone: Int = 0, bytesTotal: Int = 0) {
        guard enabled else { return }
        let now = Date()
        let elapsed = now.timeIntervalSince(started)
        // A new phase is drawn at once: the phases after the last file may each last seconds without an update.
        guard elapsed >= 1, now.timeIntervalSince(lastDraw) >= 0.1 || phase != lastPhase else { return }
        lastDraw = now
        lastPhase = phase
        let width = 28
        let fraction = bytesTotal > 0 ? min(1, Double(bytesDone) / Double(bytesTotal))
                                      : (total > 0 ? Double(done) / Double(total) : 0)
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let rate = Double(passages) / max(elapsed, 0.001)
        var eta = ""
        if fraction > 0.01, fraction < 1 { eta = String(format: " ETA %.0fs", elapsed / fraction - elapsed) }
        let line = String(format: "\r%@ %@ %3.0f%% %d/%d files, %d passages, %.0f passages/s%@\u{1B}[K",
                          phase, bar, fraction * 100, done, total, passages, rate, eta)
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
