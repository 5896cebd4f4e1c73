public import FulcrumStore
import Synchronization

/// Verifies `Authorization: Bearer fk_<id>.<secret>` against the stored SHA-256, caching records by id.
public final class APIKeyAuthenticator: Sendable {
    private let log: any EventLog
    private let cache = Mutex<[String: APIKeyRecord]>([:])

    /// Creates an authenticator over the log's key table.
    public init(log: any EventLog) { self.log = log }

    /// The principal of a bearer token.
    ///
    /// - Throws: ``APIError`` 401 for a missing, malformed or unknown key (the message never says which part
    ///   was wrong beyond the shape).
    func authenticate(authorization: String?) async throws(APIError) -> Principal {
        guard let authorization else {
            throw .unauthorized("send Authorization: Bearer fk_<id>.<secret>")
        }
        guard authorization.hasPrefix("Bearer ") else {
            throw .unauthorized("the Authorization scheme must be Bearer")
        }
        return try await authenticate(token: String(authorization.dropFirst("Bearer ".count)))
    }

    /// The principal of a key string.
    ///
    /// - Throws: ``APIError`` 401.
    func authenticate(token: String) async throws(APIError) -> Principal {
        guard let id = APIKeys.keyID(of: token) else { throw .unauthorized("malformed API key") }
        var record = cache.withLock { $0[id] }
        if record == nil {
            do { record = try await log.apiKey(id: id) } catch {
                throw .unavailable("the key store is unavailable")
            }
            if let record { cache.withLock { $0[id] = record } }
        }
        guard let record, APIKeys.digestsEqual(record.secretHash, APIKeys.hash(token)) else {
            throw .unauthorized("unknown API key")
        }
        return Principal(keyID: record.id, role: record.role, account: record.account)
    }
}
