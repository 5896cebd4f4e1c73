import Hummingbird

/// The proof routes' parameters: an epoch number (path or query) and the epoch list's page.
extension APIServer {
    /// An epoch number as sent: a decimal integer in `0...Int64.max` (epochs start at 1, so 0 is a 404 later).
    ///
    /// - Throws: ``APIError`` 400 naming `epoch` and the value otherwise.
    static func epochNumber(_ text: String, code: String, field: String = "epoch") throws(APIError) -> Int64 {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let value = Int64(text)
        else {
            throw .badRequest(code, field: field, value: text, "\(field) must be a non-negative integer")
        }
        return value
    }

    /// `before` (an epoch number; default: from the latest) and `limit` (default 100, 1...1000) of
    /// `GET /v1/proofs/epochs`.
    static func epochPage(_ request: Request) throws(APIError) -> (before: Int64?, limit: Int) {
        let query = request.uri.queryParameters
        var before: Int64?
        if let text = query["before"] { before = try epochNumber(String(text), code: "invalid-query", field: "before") }
        var limit = 100
        if let text = query["limit"] {
            guard let value = Int(text), value >= 1, value <= 1_000 else {
                throw .badRequest(
                    "invalid-query",
                    field: "limit",
                    value: String(text),
                    "limit must be in 1...1000"
                )
            }
            limit = value
        }
        return (before, limit)
    }
}
