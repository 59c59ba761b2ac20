import ArgumentParser
import CEditLine
import Foundation
import KZQA

extension Kzqa {
    /// `kzqa repl`: an interactive loop of questions, with libedit line editing and a history file.
    struct Repl: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "repl",
            abstract: "Ask questions one after another, with line editing and history.",
            discussion: """
            Commands inside the loop: :help, :mode hybrid|bm25|tfidf, :top N, :sources, :quit.
            Ctrl-D leaves; Ctrl-C abandons the current line. History: ~/.kzqa_history.

            Examples:
              kzqa repl
              kzqa repl --lang en
              printf 'Quand s’est tenu le forum Digital Bridge ?\\n:sources\\n' | kzqa repl
            """
        )

        @OptionGroup var indexOption: IndexOption
        @OptionGroup var configurationOptions: ConfigurationOptions
        @OptionGroup var answerOptions: AnswerOptions

        func run() throws {
            let engine = try openEngine(try indexOption.checkedPath(), configuration: try configurationOptions.configuration())
            var session = ReplSession(engine: engine, mode: answerOptions.mode, top: answerOptions.top, language: answerOptions.lang.language)
            let input: LineInput = isatty(STDIN_FILENO) == 1 ? EditLineInput() : PipeInput()
            if input.interactive {
                print("kzqa — ask a question in French (:help for help, Ctrl-D to leave).")
            }
            while let line = input.read(prompt: "kzqa> ") {
                let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.isEmpty { continue }
                input.remember(trimmed)
                if !session.handle(trimmed) { break }
            }
            input.close()
            // Read from a pipe, a session that met errors says so in its exit status, as a script would.
            if !input.interactive, session.failures > 0 { throw ExitCode.failure }
        }
    }
}

/// The state of a REPL session and what each line does; separated from line input so pipes and
/// terminals share it.
struct ReplSession {
    let engine: QAEngine
    var mode: RetrievalMode
    var top: Int
    /// The language questions are read in; nil: detected.
    var language: Language?
    var lastAnswer: Answer?
    /// Lines refused with an `error:` so far.
    var failures = 0

    static let help = """
    Type a question in French, or a command:
      :help              this list
      :mode [MODE]       show or set the ranking mode (hybrid, bm25, tfidf)
      :top [N]           show or set how many passages are listed (1–100)
      :sources           the passages behind the last answer
      :quit              leave (Ctrl-D too)
    """

    /// Handles one line; false when the session should end.
    mutating func handle(_ line: String) -> Bool {
        if line.hasPrefix(":") {
            let words = line.dropFirst().split(separator: " ").map(String.init)
            switch words.first ?? "" {
            case "q", "quit", "exit": return false
            case "h", "help", "?": print(Self.help)
            case "mode":
                if words.count < 2 { print("mode: \(mode.rawValue)") }
                else if let m = RetrievalMode(rawValue: words[1]) { mode = m; print("mode: \(m.rawValue)") }
                else { fail("unknown mode \(words[1]): use hybrid, bm25 or tfidf") }
            case "top":
                if words.count < 2 { print("top: \(top)") }
                else if let n = Int(words[1]), (1...100).contains(n) { top = n; print("top: \(n)") }
                else { fail(":top takes a number from 1 to 100") }
            case "sources":
                guard let a = lastAnswer else { print("no answer yet: ask a question first"); break }
                for p in a.passages.prefix(top) {
                    print(Terminal.cyan("\(p.rank).") + " \(p.source) (\(p.passageID)) " + Terminal.dim(String(format: "score %.3f", p.score)))
                    print("   \(p.text)")
                }
            default:
                fail("unknown command \(line): :help lists the commands")
            }
            return true
        }
        do {
            let answer = try engine.ask(line, mode: mode, top: top, language: language).answer
            lastAnswer = answer
            print(AnswerRendering.text(answer, top: top))
            print("")
        } catch let e as KZQAError {
            fail(e.description)
        } catch {
            fail("\(error)")
        }
        return true
    }

    mutating func fail(_ message: String) {
        failures += 1
        Terminal.error(message)
    }
}

/// Where REPL lines come from.
protocol LineInput {
    var interactive: Bool { get }
    func read(prompt: String) -> String?
    func remember(_ line: String)
    func close()
}

/// Lines from a pipe or file: no prompt, no history.
struct PipeInput: LineInput {
    var interactive: Bool { false }
    func read(prompt: String) -> String? { readLine(strippingNewline: true) }
    func remember(_ line: String) {}
    func close() {}
}

/// Lines from a terminal through libedit's readline interface, with a history file in the user's home.
/// Ctrl-C abandons the current line (libedit returns an empty line after the signal); Ctrl-D ends.
final class EditLineInput: LineInput {
    let historyPath: String
    var interactive: Bool { true }

    init() {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        historyPath = (home as NSString).appendingPathComponent(".kzqa_history")
        kzqa_use_utf8_locale()
        using_history()
        _ = read_history(historyPath)
        kzqa_install_sigint()
    }

    func read(prompt: String) -> String? {
        while true {
            guard let raw = readline(prompt) else {
                print("")
                // Ctrl-C abandons the line being typed and shows a fresh prompt; Ctrl-D (EOF) ends the session.
                if kzqa_take_interrupt() != 0 { continue }
                return nil
            }
            defer { free(raw) }
            if kzqa_take_interrupt() != 0 { print(""); continue }
            return String(cString: raw)
        }
    }

    func remember(_ line: String) {
        add_history(line)
        _ = write_history(historyPath)
    }

    func close() {
        _ = write_history(historyPath)
    }
}
