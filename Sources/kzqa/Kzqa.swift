import ArgumentParser
import Foundation
import KZQA

/// The `kzqa` command: a thin layer of ArgumentParser commands over the KZQA engine.
@main
struct Kzqa: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kzqa",
        abstract: "Answers French questions about Kazakhstan's digital transformation, with citations.",
        discussion: """
        Examples:
          kzqa ask "Qui dirige le nouveau ministère de l'IA ?"
          kzqa index seeds/
          kzqa bench --questions benchmarks/dev-questions.jsonl
        """,
        subcommands: [Ask.self, Repl.self, Index.self, Bench.self, Analyze.self, Serve.self]
    )

    /// Parses the command line and runs it; every failure becomes one `error:` line and a non-zero exit.
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        let code = runCommandLine(Array(CommandLine.arguments.dropFirst()))
        Foundation.exit(code)
    }

    static func runCommandLine(_ arguments: [String]) -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return 0
        } catch {
            return report(error)
        }
    }

    /// Prints an error the way the contract asks and returns the exit code.
    static func report(_ error: Error) -> Int32 {
        if let e = error as? KZQAError {
            Terminal.error(e.description)
            return 1
        }
        if let code = error as? ExitCode { return code.rawValue }
        let code = exitCode(for: error)
        if code == .success {
            print(fullMessage(for: error))
            return 0
        }
        // One line only: ArgumentParser messages may span lines; the usage hint joins the same line.
        var message = self.message(for: error)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
        if message.isEmpty { message = "\(error)" }
        if code == .validationFailure { message += " (see `kzqa help`)" }
        Terminal.error(message)
        return code.rawValue
    }
}

/// The `--index FILE` option shared by every command that reads or writes an index.
struct IndexOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The index file (default: $KZQA_INDEX or index/kzqa.sqlite).", valueName: "FILE"))
    var index: String?

    /// The index path in force: --index, else $KZQA_INDEX, else the default.
    var path: String {
        if let index, !index.isEmpty { return index }
        if let env = ProcessInfo.processInfo.environment["KZQA_INDEX"], !env.isEmpty { return env }
        return Defaults.indexPath
    }

    /// The index path in force, refused when it names a folder (SQLite would only report an I/O error).
    func checkedPath() throws -> String {
        let path = self.path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw KZQAError.invalidArgument(
                "the index \(path) is a folder, not an index file: give a file path, e.g. --index \((path as NSString).appendingPathComponent("kzqa.sqlite"))")
        }
        return path
    }
}
