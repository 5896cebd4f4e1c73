import Hummingbird

/// Renders anything a route did not answer itself (unknown path 404, wrong method 405, framework errors) as the
/// API's JSON error, so no input produces a non-JSON error body.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return APIServer.response(APIServer.errorReply(error))
        } catch let error as HTTPError {
            if error.status == .notFound, let allowed = OpenAPIDocument.allowedMethods(forPath: request.uri.path) {
                // The path exists with other methods: 405 and `Allow`, as RFC 9110 §15.5.6 asks.
                var response = APIServer.response(
                    APIServer.errorReply(
                        APIError(
                            status: 405,
                            code: "method-not-allowed",
                            field: "method",
                            value: request.method.rawValue,
                            message: "\(request.method.rawValue) is not allowed on \(request.uri.path); allowed: "
                                + allowed.joined(separator: ", ")
                        )
                    )
                )
                response.headers[.allow] = allowed.joined(separator: ", ")
                return response
            }
            let status = Int(error.status.code)
            let code =
                switch status {
                case 404: "not-found"
                case 405: "method-not-allowed"
                case 413: "body-too-large"
                default: "http-error"
                }
            let message =
                status == 404 ? "no route \(request.method.rawValue) \(request.uri.path)" : error.status.reasonPhrase
            return APIServer.response(
                APIServer.errorReply(
                    APIError(status: status, code: code, field: "path", value: request.uri.path, message: message)
                )
            )
        } catch {
            return APIServer.response(
                APIServer.errorReply(APIError(status: 500, code: "internal", message: "internal error"))
            )
        }
    }
}
