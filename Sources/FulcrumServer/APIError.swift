import FulcrumCore

/// An API failure: an HTTP status and a JSON body `{"error":{"code","field","value","message"}}` naming the field.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// HTTP status code (400, 401, 403, 404, 409, 413, 415, 422, 429, 503).
    public var status: Int
    /// Stable machine-readable code (`invalid-decimal`, `unknown-field`, `insufficient-margin`, …).
    public var code: String
    /// The request field (or header / path parameter) at fault, when one is.
    public var field: String?
    /// The offending value as sent (truncated to 80 characters), when there is one.
    public var value: String?
    /// What went wrong, for people.
    public var message: String
    /// Seconds to wait before retrying (429), sent as `Retry-After`.
    public var retryAfterSeconds: Int?

    /// Creates an error.
    public init(
        status: Int,
        code: String,
        field: String? = nil,
        value: String? = nil,
        message: String,
        retryAfterSeconds: Int? = nil
    ) {
        self.status = status
        self.code = code
        self.field = field
        self.value = value.map { $0.count > 80 ? String($0.prefix(80)) + "…" : $0 }
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The JSON body.
    public var json: String {
        var inner = JSONObjectText()
        inner.string("code", code)
        inner.string("field", field)
        inner.string("value", value)
        inner.string("message", message)
        var outer = JSONObjectText()
        outer.raw("error", inner.json)
        return outer.json
    }

    public var description: String { "\(status) \(code): \(message)" }

    /// 400: a malformed or out-of-range field.
    static func badRequest(_ code: String, field: String?, value: String?, _ message: String) -> APIError {
        APIError(status: 400, code: code, field: field, value: value, message: message)
    }

    /// 404: the resource does not exist (or is not visible to the caller).
    static func notFound(field: String, value: String, _ message: String) -> APIError {
        APIError(status: 404, code: "not-found", field: field, value: value, message: message)
    }

    /// 401: no or bad credentials.
    static func unauthorized(_ message: String) -> APIError {
        APIError(status: 401, code: "unauthorized", field: "Authorization", message: message)
    }

    /// 403: authenticated but not allowed.
    static func forbidden(_ message: String) -> APIError {
        APIError(status: 403, code: "forbidden", message: message)
    }

    /// 503: the service cannot accept writes (log failure or shutdown).
    static func unavailable(_ message: String) -> APIError {
        APIError(status: 503, code: "unavailable", message: message)
    }
}
