/// The acknowledgement of a write: status and JSON body, and whether it is a stored reply replayed for a retry.
public struct WriteReply: Sendable, Hashable {
    /// HTTP status (200 or 201).
    public var status: Int
    /// JSON body.
    public var body: String
    /// Whether this reply was replayed for a retried idempotency key (sent as `Idempotent-Replayed: true`).
    public var replayed: Bool

    /// Creates a reply.
    public init(status: Int, body: String, replayed: Bool = false) {
        self.status = status
        self.body = body
        self.replayed = replayed
    }

    /// The stored form: `{"status":201,"request":"<sha256 of the request>","body":<body>}`.
    func envelope(fingerprint: String) -> String {
        "{\"status\":\(status),\"request\":\"\(fingerprint)\",\"body\":\(body)}"
    }

    /// Parses a stored envelope into (reply, request fingerprint).
    static func parse(envelope text: String) -> (reply: WriteReply, fingerprint: String)? {
        let head = "{\"status\":"
        guard text.hasPrefix(head), text.hasSuffix("}") else { return nil }
        let rest = text.dropFirst(head.count)
        guard let comma = rest.firstIndex(of: ","), let status = Int(rest[..<comma]) else { return nil }
        let afterStatus = rest[comma...]
        let requestHead = ",\"request\":\""
        guard afterStatus.hasPrefix(requestHead) else { return nil }
        let fingerprintStart = afterStatus.dropFirst(requestHead.count)
        guard let quote = fingerprintStart.firstIndex(of: "\"") else { return nil }
        let fingerprint = String(fingerprintStart[..<quote])
        let bodyHead = "\",\"body\":"
        let afterFingerprint = fingerprintStart[quote...]
        guard afterFingerprint.hasPrefix(bodyHead) else { return nil }
        let body = afterFingerprint.dropFirst(bodyHead.count).dropLast()
        return (WriteReply(status: status, body: String(body), replayed: true), fingerprint)
    }
}
