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
