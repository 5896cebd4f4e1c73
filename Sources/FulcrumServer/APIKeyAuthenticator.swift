public import FulcrumStore
import Synchronization

/// Verifies `Authorization: Bearer fk_<id>.<secret>` against the stored SHA-256, caching records by id.
public final class APIKeyAuthenticator: Sendable {
    private let log: any EventLog
    private let cache = Mutex<[String: APIKeyRecord]>([:])
    /// Verified credentials (whole `Bearer …` headers and bare tokens) and their principals, so a key's SHA-256 is
    /// computed once, not on every request.
    /// Bounded: emptied when it would exceed ``verifiedLimit`` entries (a miss only costs one hash).
    private let verified = Mutex<[String: Principal]>([:])
    /// Most verified tokens remembered.
    static let verifiedLimit = 4_096

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
        // The usual request repeats a verified header: one lookup, no copy of the token out of it.
        if let principal = verified.withLock({ $0[authorization] }) { return principal }
        guard authorization.hasPrefix("Bearer ") else {
            throw .unauthorized("the Authorization scheme must be Bearer")
        }
        let principal = try await authenticate(token: String(authorization.dropFirst("Bearer ".count)))
        remember(authorization, principal)
        return principal
    }

    /// Remembers a verified credential (a bearer header or a bare token), bounded by ``verifiedLimit``.
    private func remember(_ credential: String, _ principal: Principal) {
        verified.withLock { cache in
            if cache.count >= Self.verifiedLimit { cache.removeAll(keepingCapacity: true) }
            cache[credential] = principal
        }
    }

    /// The principal of a key string.
    ///
    /// - Throws: ``APIError`` 401.
    func authenticate(token: String) async throws(APIError) -> Principal {
        if let principal = verified.withLock({ $0[token] }) { return principal }
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
        let principal = Principal(keyID: record.id, role: record.role, account: record.account)
        remember(token, principal)
        return principal
    }
}
