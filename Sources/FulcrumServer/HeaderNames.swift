import HTTPTypes

/// Header names the API reads and writes.
enum HeaderNames {
    static let authorization = HTTPField.Name.authorization
    static let contentType = HTTPField.Name.contentType
    static let contentLength = HTTPField.Name.contentLength
    static let retryAfter = HTTPField.Name.retryAfter
    // Valid token characters, so the initializer cannot fail; the fallback is never used.
    static let idempotencyKey = HTTPField.Name("Idempotency-Key") ?? .contentType
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed") ?? .contentType
    static let cacheControl = HTTPField.Name.cacheControl
    static let upgrade = HTTPField.Name.upgrade
}
