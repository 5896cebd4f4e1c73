import Crypto
public import FulcrumStore

/// API keys: `fk_<id>.<secret>` (16 hex id, 64 hex secret from the system CSPRNG); only the SHA-256 of the whole
/// key is stored, and presented keys are compared to it in constant time.
public enum APIKeys {
    /// Issues a new key: returns the key string (shown once) and the record to store.
    ///
    /// - Throws: ``APIError`` 400 when a trader key has no account or another role has one.
    public static func issue(
        role: APIKeyRole,
        account: Int64?,
        createdAtMilliseconds: Int64
    ) throws(APIError) -> (key: String, record: APIKeyRecord) {
        if role == .trader {
            guard let account, account >= 0, account <= Int64(UInt32.max) else {
                throw .badRequest("missing-field", field: "account", value: nil, "a trader key needs --account ID")
            }
        } else if let account {
            throw .badRequest(
                "invalid-field",
                field: "account",
                value: String(account),
                "only trader keys are scoped to an account (role \(role.rawValue))"
            )
        }
        var generator = SystemRandomNumberGenerator()
        let id = hex((0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let secret = hex((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let key = "fk_\(id).\(secret)"
        let record = APIKeyRecord(
            id: id,
            secretHash: hash(key),
            role: role,
            account: account,
            createdAtMilliseconds: createdAtMilliseconds
        )
        return (key, record)
    }

    /// Lowercase hex SHA-256 of `text`.
    public static func hash(_ text: String) -> String { hex(Array(SHA256.hash(data: Array(text.utf8)))) }

    /// The key id of a presented key (`fk_<id>.<secret>`), or `nil` when the shape is wrong.
    static func keyID(of key: String) -> String? {
        guard key.hasPrefix("fk_"), key.utf8.count <= 200 else { return nil }
        let body = key.dropFirst(3)
        guard let dot = body.firstIndex(of: ".") else { return nil }
        let id = body[..<dot]
        guard !id.isEmpty, id.utf8.count <= 32, id.utf8.allSatisfy(isHexDigit) else { return nil }
        return String(id)
    }

    /// Constant-time comparison of two hex digests (time depends only on the lengths).
    static func digestsEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66)
    }
}
