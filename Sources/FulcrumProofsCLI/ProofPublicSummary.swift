public import FulcrumCore
public import FulcrumProofs

/// The public summary of one epoch: what a venue publishes next to the root hash.
///
/// Everything here is either committed in the root hash (epoch, leaf count, totals, counts) or a statement the
/// venue makes (reserves) that the summary compares with the committed liabilities.
public struct ProofPublicSummary: Codable, Sendable, Hashable {
    /// Summary format version.
    public var formatVersion: Int
    /// The epoch.
    public var epoch: UInt64
    /// The published root hash (64 lowercase hex characters).
    public var root: String
    /// The tree's top-node hash.
    public var treeHash: String
    /// Leaves in the tree (a power of two, padding included).
    public var leafCount: UInt64
    /// Σ max(equity, 0): total liabilities to users.
    public var totalLiabilities: String
    /// Σ maintenance margin.
    public var totalMaintenanceMargin: String
    /// Σ max(−equity, 0): what underwater accounts owe (not netted against liabilities).
    public var totalDeficit: String
    /// Accounts with equity below maintenance margin at the committed mark prices.
    public var underMaintenanceCount: UInt64
    /// Accounts with negative equity.
    public var negativeEquityCount: UInt64
    /// The venue's stated reserves, when given.
    public var reserves: String?
    /// `totalLiabilities ≤ reserves`, when reserves are given.
    public var reservesCoverLiabilities: Bool?

    /// The summary of a commitment, with optional stated reserves.
    public init(_ commitment: RootCommitment, reserves: Money?) {
        formatVersion = 1
        epoch = commitment.epoch
        root = commitment.rootHash.description
        treeHash = commitment.treeHash.description
        leafCount = commitment.leafCount
        totalLiabilities = commitment.sums.equity.description
        totalMaintenanceMargin = commitment.sums.maintenance.description
        totalDeficit = commitment.sums.deficit.description
        underMaintenanceCount = commitment.sums.underMaintenance
        negativeEquityCount = commitment.sums.negativeEquity
        self.reserves = reserves?.description
        reservesCoverLiabilities = reserves.map { commitment.isCovered(by: MoneySum($0)) }
    }
}
