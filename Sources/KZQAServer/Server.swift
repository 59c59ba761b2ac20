import Foundation
import Hummingbird
import HummingbirdCore
import KZQA
import Logging

/// How `kzqa serve` listens and what it allows.
public struct ServerOptions: Sendable {
    /// The address to bind: loopback unless told otherwise.
    public var host = "127.0.0.1"
    /// 0 asks the system for a free port (the URL printed says which).
    public var port = 8080
    /// The one origin allowed to call the API from a browser (`Access-Control-Allow-Origin`); nil: no CORS.
    public var corsOrigin: String?

    public init(host: String = "127.0.0.1", port: Int = 8080, corsOrigin: String? = nil) {
        self.host = host
        self.port = port
        self.corsOrigin = corsOrigin
    }
}

/// `kzqa serve`: the JSON API and the web page over a pool of read-only engines (CONTRACTS.md, `kzqa serve`).
public enum KZQAServer {
    /// The router with every route, the error and safety middleware, and CORS only when an origin is given.
    public static func router(pool: EnginePool, options: ServerOptions, logger: Logger) -> Router<BasicRequestContext> {
        let router = Router()
        if let origin = options.corsOrigin {
            router.middlewares.add(CORSMiddleware(allowOrigin: .custom(origin), allowHeaders: [.contentType],
                                                  allowMethods: [.get, .post, .options]))
        }
        router.middlewares.add(SafetyMiddleware(logger: logger))
        Routes.add(to: router, pool: pool, logger: logger)
        return router
    }

    /// The application, ready to run or to test; `onRunning` receives the URL it listens on.
    public static func application(pool: EnginePool, options: ServerOptions,
                                   onRunning: @escaping @Sendable (String) -> Void = { _ in }) -> some ApplicationProtocol {
        let logger = makeLogger()
        let host = options.host
        return Application(
            router: router(pool: pool, options: options, logger: logger),
            server: .http1(configuration: .init(httpDecoderConfiguration: .init(
                maxHeaderFieldSize: maxRequestLineBytes, maxHeaderListSize: maxRequestLineBytes))),
            configuration: .init(address: .hostname(host, port: options.port), serverName: "kzqa"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                onRunning("http://\(host.contains(":") ? "[\(host)]" : host):\(port)/")
            },
            logger: logger
        )
    }

    /// The longest request line and header list read: above NIO's 80 KiB default, so that a question too long for
    /// the engine (4 KiB) but within this bound gets the JSON 413 rather than the parser's bare 400.
    public static let maxRequestLineBytes = 512 * 1024

    /// Serves until SIGINT or SIGTERM, then stops cleanly (finishing the requests under way).
    public static func run(pool: EnginePool, options: ServerOptions, onRunning: @escaping @Sendable (String) -> Void) async throws {
        try await application(pool: pool, options: options, onRunning: onRunning).runService()
    }

    /// Warnings and errors only, on stderr: stdout carries the URL line alone.
    static func makeLogger() -> Logger {
        var logger = Logger(label: "kzqa") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        return logger
    }
}
