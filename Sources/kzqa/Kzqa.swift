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
        With no command, kzqa asks: kzqa "Qui …" is kzqa ask "Qui …".

        The index: --index FILE, else $KZQA_INDEX, else index/kzqa.sqlite inside a kzqa checkout (a folder with \
        seeds/ and index/), else $XDG_DATA_HOME/kzqa/kzqa.sqlite (~/.local/share/kzqa/kzqa.sqlite), built on first \
        use from the seed articles. Formats: docs/CONTRACTS.md.

        Examples:
          kzqa ask "Qui dirige le nouveau ministère de l'IA ?"
          kzqa "Qui dirige le nouveau ministère de l'IA ?"
          kzqa index seeds/
          kzqa bench --questions benchmarks/dev-questions.jsonl
        """,
        version: Kzqa.version,
        subcommands: [Ask.self, Repl.self, Index.self, Bench.self, Calibrate.self, Analyze.self, Serve.self, Config.self],
        defaultSubcommand: Ask.self
    )

    /// What `kzqa --version` prints: the program's version and the index formats it reads and writes.
    static let version = "kzqa \(KZQAVersion.string) (index schema \(IndexSchema.version), analyzer \(IndexSchema.analyzer))"

    /// Parses the command line and runs it; every failure becomes one `error:` line and a non-zero exit.
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        let code = runCommandLine(Array(CommandLine.arguments.dropFirst()))
        Foundation.exit(code)
    }

    static func runCommandLine(_ arguments: [String]) -> Int32 {
        do {
            try checkCommandName(arguments)
            // No arguments at all: the overview rather than an empty question.
            if arguments.isEmpty {
                print(helpMessage())
                return 0
            }
            // The common `kzqa ask …` line needs none of ArgumentParser's reflection (a third of a question's
            // start-up); anything else, help and every error included, goes through ArgumentParser.
            if let request = QuickAsk.parse(arguments, commandNames: commandNames) {
                try request.run()
                return 0
            }
            var command = try parseAsRoot(arguments)
            try command.run()
            return 0
        } catch {
            return report(error)
        }
    }

    /// The names of the subcommands (and `help`). Each subcommand names itself in its configuration: deriving a
    /// name from the type (`String(describing:)`) costs a scan of every protocol conformance in the process.
    static var commandNames: [String] {
        configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
    }

    /// Refuses what looks like a mistyped command rather than asking it as a question (`kzqa indx seeds` would
    /// otherwise ask « indx seeds »), and `kzqa help NAME` for a NAME that is no command.
    /// - throws: `KZQAError.invalidArgument` with a did-you-mean.
    static func checkCommandName(_ arguments: [String]) throws {
        guard let first = arguments.first, !first.hasPrefix("-") else { return }
        let names = commandNames
        if first == "help" {
            if arguments.count > 1, let name = arguments.dropFirst().first(where: { !$0.hasPrefix("-") }), !names.contains(name) {
                throw KZQAError.invalidArgument("no command \(name)\(suggestion(for: name, among: names)); the commands are \(names.joined(separator: ", "))")
            }
            return
        }
        guard !names.contains(first) else { return }
        // A question is words, usually several, with capitals, accents or punctuation; a lone lowercase ASCII word
        // within two edits of a command is a typo of it.
        let word = first.unicodeScalars.allSatisfy { ("a"..."z").contains($0) }
        if word, first.count >= 3, let near = nearest(first, among: names) {
            throw KZQAError.invalidArgument("no command \(first): did you mean `kzqa \(near)`? (to ask it as a question: kzqa ask \(first))")
        }
    }

    static func suggestion(for name: String, among names: [String]) -> String {
        nearest(name, among: names).map { " (did you mean \($0)?)" } ?? ""
    }

    /// The command within two edits of `word` (Levenshtein distance), nil when none is.
    static func nearest(_ word: String, among names: [String]) -> String? {
        names.map { ($0, editDistance(Array(word), Array($0))) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
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
    @Option(name: .long, help: ArgumentHelp("The index file (default: $KZQA_INDEX, else index/kzqa.sqlite in a kzqa checkout, else ~/.local/share/kzqa/kzqa.sqlite).", valueName: "FILE"))
    var index: String?

    /// The index path in force: --index, else $KZQA_INDEX, else the default (`Defaults.defaultIndexPath`).
    var path: String { Defaults.resolveIndexPath(index) }

    /// The index path in force, refused when it names a folder (SQLite would only report an I/O error).
    func checkedPath() throws -> String { try Self.checkedPath(index) }

    /// `checkedPath()` for an `--index` value given or not.
    static func checkedPath(_ index: String?) throws -> String {
        let path = Defaults.resolveIndexPath(index)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw KZQAError.invalidArgument(
                "the index \(path) is a folder, not an index file: give a file path, e.g. --index \((path as NSString).appendingPathComponent("kzqa.sqlite"))")
        }
        return path
    }
}

/// `--config FILE` and `--set KEY=VALUE`: the engine's knobs (see `EngineConfiguration`).
struct ConfigurationOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A JSON file overriding engine settings: any subset of what `kzqa config` prints.", valueName: "FILE"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Override one engine setting after --config, e.g. --set depth=200 or --set fusion=0.4,0.3,0.2,0.1 (repeatable; keys listed in `EngineConfiguration.set`).", valueName: "KEY=VALUE"))
    var set: [String] = []

    /// The defaults, overridden by the file, then by each assignment.
    func configuration() throws -> EngineConfiguration { try Self.configuration(config: config, set: set) }

    /// `configuration()` for the values of `--config` and `--set`.
    static func configuration(config: String?, set: [String]) throws -> EngineConfiguration {
        var c = try config.map(EngineConfiguration.load(path:)) ?? EngineConfiguration()
        for assignment in set { try c.set(assignment) }
        return c
    }
}
