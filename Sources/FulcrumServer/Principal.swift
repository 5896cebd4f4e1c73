public import FulcrumStore

/// The authenticated caller: one API key's id, role and (for traders) account.
public struct Principal: Sendable, Hashable {
    /// The key id (`fk_<id>.…`); also the rate-limit and idempotency scope.
    public var keyID: String
    /// What the key may do.
    public var role: APIKeyRole
    /// The account a trader key is scoped to.
    public var account: Int64?

    /// Creates a principal.
    public init(keyID: String, role: APIKeyRole, account: Int64?) {
        self.keyID = keyID
        self.role = role
        self.account = account
    }

    /// The caller when the dashboard is public and no key was sent: read-only, no rate-limit scope of its own.
    static let anonymousReader = Principal(keyID: "anonymous", role: .readOnly, account: nil)

    /// Whether the caller may read `account` (traders: only their own; a denial is answered 404, like a miss).
    func mayRead(account id: UInt32) -> Bool {
        switch role {
        case .operator, .readOnly: true
        case .trader: account == Int64(id)
        case .oracle: false
        }
    }

    /// Whether the caller may read data about all accounts (effects log, overview, stream).
    var mayReadAllAccounts: Bool { role == .operator || role == .readOnly }

    /// Checks that the caller may apply `command`.
    ///
    /// - Throws: ``APIError`` 403 naming the role.
    func authorize(_ command: WriteCommand) throws(APIError) {
        switch role {
        case .operator:
            return
        case .readOnly:
            throw .forbidden("a read-only key cannot write")
        case .oracle:
            switch command {
            case .prices, .funding: return
            default: throw .forbidden("an oracle key may only publish prices and funding")
            }
        case .trader:
            guard let own = command.ownAccount else {
                throw .forbidden("a trader key may only move its own account")
            }
            guard account == Int64(own) else {
                throw .forbidden("a trader key may only move its own account (\(account.map(String.init) ?? "none"))")
            }
        }
    }
}
