public import FulcrumCore

/// The public part of a stored proof-of-liabilities epoch: the root hash and everything it commits to.
///
/// Hashes are 64 lowercase hex characters (the form the API publishes and `fulcrum verify --root` reads). Totals
/// are 128-bit fixed point; counts count accounts.
public struct ProofEpochSummary: Sendable, Hashable {
    /// The epoch number: 1, 2, 3, … gap-free, never reused.
    public var epoch: Int64
    /// The last event of the log included in the committed state.
    public var eventSequence: Int64
    /// Milliseconds since the Unix epoch at which the epoch was built (injected clock).
    public var createdAtMilliseconds: Int64
    /// The published root hash.
    public var rootHash: String
    /// The hash of the tree's top node (bound into the root hash).
    public var treeHash: String
    /// Number of leaves (a power of two, at least 2).
    public var leafCount: Int64
    /// Leaves per account (the tree configuration; needed to rebuild it).
    public var piecesPerAccount: Int
    /// Σ max(equity, 0).
    public var totalLiabilities: MoneySum
    /// Σ maintenance margin.
    public var totalMaintenanceMargin: MoneySum
    /// Σ max(−equity, 0).
    public var totalDeficit: MoneySum
    /// Accounts whose equity is below their maintenance margin.
    public var underMaintenanceCount: Int64
    /// Accounts whose equity is negative.
    public var negativeEquityCount: Int64

    /// Creates a summary.
    public init(
        epoch: Int64,
        eventSequence: Int64,
        createdAtMilliseconds: Int64,
        rootHash: String,
        treeHash: String,
        leafCount: Int64,
        piecesPerAccount: Int,
        totalLiabilities: MoneySum,
        totalMaintenanceMargin: MoneySum,
        totalDeficit: MoneySum,
        underMaintenanceCount: Int64,
        negativeEquityCount: Int64
    ) {
        self.epoch = epoch
        self.eventSequence = eventSequence
        self.createdAtMilliseconds = createdAtMilliseconds
        self.rootHash = rootHash
        self.treeHash = treeHash
        self.leafCount = leafCount
        self.piecesPerAccount = piecesPerAccount
        self.totalLiabilities = totalLiabilities
        self.totalMaintenanceMargin = totalMaintenanceMargin
        self.totalDeficit = totalDeficit
        self.underMaintenanceCount = underMaintenanceCount
        self.negativeEquityCount = negativeEquityCount
    }
}
