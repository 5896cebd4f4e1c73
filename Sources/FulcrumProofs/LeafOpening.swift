public import FulcrumCore

/// The opened contents of one leaf: one piece of one account (or a zero padding leaf).
///
/// An account is split into `pieceCount` leaves whose values add up to the account's totals; the two flags sit on
/// piece 0 only, so the tree's counts count accounts, not pieces.
public struct LeafOpening: Sendable, Hashable {
    /// HMAC-SHA256(epoch secret, "salt" ‖ epoch ‖ account ‖ piece): hides the values from anyone without the opening.
    public var salt: Digest32
    /// The owning account (``LiabilityTree/reservedAccountID`` for padding).
    public var accountID: UInt64
    /// Which piece of the account this is (0-based).
    public var pieceIndex: UInt8
    /// How many pieces the account was split into (0 for padding).
    public var pieceCount: UInt8
    /// This piece's share of `max(equity, 0)`.
    public var equity: Money
    /// This piece's share of the maintenance margin.
    public var maintenance: Money
    /// This piece's share of `max(−equity, 0)`.
    public var deficit: Money
    /// Set on piece 0 when the account's equity is below maintenance.
    public var underMaintenance: Bool
    /// Set on piece 0 when the account's equity is negative.
    public var negativeEquity: Bool

    /// Creates an opening.
    public init(
        salt: Digest32,
        accountID: UInt64,
        pieceIndex: UInt8,
        pieceCount: UInt8,
        equity: Money,
        maintenance: Money,
        deficit: Money,
        underMaintenance: Bool,
        negativeEquity: Bool
    ) {
        self.salt = salt
        self.accountID = accountID
        self.pieceIndex = pieceIndex
        self.pieceCount = pieceCount
        self.equity = equity
        self.maintenance = maintenance
        self.deficit = deficit
        self.underMaintenance = underMaintenance
        self.negativeEquity = negativeEquity
    }

    /// The leaf's sums as a node carries them.
    public var sums: NodeSums {
        NodeSums(
            equity: MoneySum(equity),
            maintenance: MoneySum(maintenance),
            deficit: MoneySum(deficit),
            underMaintenance: underMaintenance ? 1 : 0,
            negativeEquity: negativeEquity ? 1 : 0
        )
    }

    /// The leaf hash (see ``ProofHashing/leafHash(_:)``).
    public var hash: Digest32 { ProofHashing.leafHash(self) }
}
