import ArgumentParser
import Foundation
import KZQA
import KZQAServer

extension Kzqa {
    /// `kzqa serve`: the JSON API and the web page (KZQAServer).
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve the JSON API and the web page over HTTP.",
            discussion: """
            Prints the URL it listens on; Ctrl-C or SIGTERM stops it cleanly. Binds 127.0.0.1 unless --host says \
            otherwise. Routes: / (the page), /api/ask, /api/passages/ID, /api/health, /openapi.json (see CONTRACTS.md).

            Examples:
              kzqa serve
              kzqa serve --port 0 --index big.sqlite
              kzqa serve --host 0.0.0.0 --port 8080 --cors https://example.org
            """
        )

        @OptionGroup var indexOption: IndexOption
        @OptionGroup var configurationOptions: ConfigurationOptions

        @Option(name: .long, help: ArgumentHelp("The address to bind.", valueName: "ADDRESS"))
        var host = "127.0.0.1"

        @Option(name: .long, help: ArgumentHelp("The port to listen on (0: any free port).", valueName: "PORT"))
        var port = 8080

        @Option(name: .long, help: ArgumentHelp("Let pages of this origin call the API (CORS); none by default.", valueName: "ORIGIN"))
        var cors: String?

        @Option(name: .long, help: ArgumentHelp("How many answers to keep for repeated questions (0: none); emptied when the index changes.", valueName: "N"))
        var cache = 256

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port takes a number from 0 to 65535") }
            guard cache >= 0 else { throw ValidationError("--cache takes a number from 0 up") }
        }

        func run() throws {
            let path = try indexOption.checkedPath()
            // Builds the default index first when it is missing, as `ask` does.
            let configuration = try configurationOptions.configuration()
            _ = try openEngine(path, configuration: configuration)
            let pool = try EnginePool(path: path, cacheSize: cache, configuration: configuration)
            let options = ServerOptions(host: host, port: port, corsOrigin: cors)
            // The commands run synchronously; the server runs on Swift concurrency until a signal stops it.
            let outcome = Outcome()
            let done = DispatchSemaphore(value: 0)
            Task {
                do {
                    try await KZQAServer.run(pool: pool, options: options) { url in
                        FileHandle.standardOutput.write(Data((url + "\n").utf8))
                    }
                } catch {
                    outcome.set(error)
                }
                done.signal()
            }
            done.wait()
            if let error = outcome.error {
                throw KZQAError.invalidArgument("cannot serve on \(host):\(port): \(error); choose another --port or --host")
            }
        }
    }
}

/// The error that ended the server, handed from its task to the command.
private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var _error: Error?
    var error: Error? { lock.withLock { _error } }
    func set(_ error: Error) { lock.withLock { _error = error } }
}
