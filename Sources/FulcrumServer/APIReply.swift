/// A response body with its status, content type and extra headers.
struct APIReply: Sendable {
    var status: Int
    var body: String
    var contentType = "application/json"
    var replayed = false
    var retryAfterSeconds: Int?

    static func json(_ body: String, status: Int = 200) -> APIReply { APIReply(status: status, body: body) }
}
