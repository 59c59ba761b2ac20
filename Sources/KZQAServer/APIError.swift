import Foundation
import HTTPTypes
import Hummingbird
import KZQA
import Logging

/// A request kzqa refuses, answered as `{"error": "…"}` with its status: 400 (bad parameter), 404 (no such route or
/// passage), 413 (question or body over the limit), 500 (never with a stack trace or SQL text).
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var message: String

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    static func badParameter(_ message: String) -> APIError { APIError(.badRequest, message) }

    /// The reply for any error thrown while answering: a known refusal keeps its status and message; a failure of
    /// the index is a 500 whose details go to the log only.
    static func from(_ error: any Error, logger: Logger) -> APIError {
        switch error {
        case let e as APIError:
            return e
        case let e as KZQAError:
            switch e {
            case .emptyQuestion:
                return APIError(.badRequest, "the question is empty: give q, e.g. /api/ask?q=Qui+dirige+le+minist%C3%A8re+de+l%27IA+%3F")
            case .questionTooLong(let bytes, let limit):
                return APIError(.contentTooLarge, "the question is \(bytes) bytes long; ask it in at most \(limit) bytes")
            case .invalidArgument(let message):
                return APIError(.badRequest, message)
            default:
                logger.error("index failure: \(e.description)")
                return APIError(.internalServerError, "the index could not be read; the server's log says why")
            }
        case let e as HTTPError:
            switch e.status {
            case .notFound: return APIError(.notFound, "no such page or route")
            case .contentTooLarge: return APIError(.contentTooLarge, "the request body is over \(Routes.maxBodyBytes) bytes")
            case .methodNotAllowed: return APIError(.methodNotAllowed, "this method is not allowed here")
            default:
                return APIError(e.status, e.status.code < 500 ? "bad request" : "internal error")
            }
        default:
            logger.error("unexpected failure: \(String(describing: type(of: error)))")
            return APIError(.internalServerError, "internal error; the server's log says more")
        }
    }

    /// The JSON reply.
    func response(headers: HTTPFields = [:]) -> Response {
        var json = JSONText()
        json.object { $0.member("error", message) }
        return Routes.json(json.text, status: status, headers: headers)
    }
}

/// Turns every error into its JSON reply and puts the safety headers on every response: a Content-Security-Policy
/// that lets the page load only its own files, no MIME sniffing, no referrer.
struct SafetyMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = APIError.from(error, logger: logger).response()
        }
        response.headers[.contentSecurityPolicy] = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        if let referrerPolicy = HTTPField.Name("Referrer-Policy") { response.headers[referrerPolicy] = "no-referrer" }
        return response
    }
}
