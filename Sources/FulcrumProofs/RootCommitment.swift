public import FulcrumCore

/// What a venue publishes per epoch: the tree's top hash and totals, bound together by one root hash.
public struct RootCommitment: Sendable, Hashable {
    /// The epoch number.
    public var epoch: UInt64
    /// Number of leaves (a power of two: account pieces plus zero padding).
    public var leafCount: UInt64
    /// The root's totals: liabilities, maintenance, deficits and the two counts.
    public var sums: NodeSums
    /// The hash of the tree's top node.
    public var treeHash: Digest32

    /// Creates a commitment.
    public init(epoch: UInt64, leafCount: UInt64, sums: NodeSums, treeHash: Digest32) {
        self.epoch = epoch
        self.leafCount = leafCount
        self.sums = sums
        self.treeHash = treeHash
    }

    /// The published root hash: `SHA256("fulcrum-pol-v1/R" ‖ epoch ‖ leafCount ‖ sums ‖ treeHash)`.
    public var rootHash: Digest32 {
        ProofHashing.rootHash(epoch: epoch, leafCount: leafCount, sums: sums, treeHash: treeHash)
    }

    /// Total liabilities: Σ max(equity, 0).
    public var totalLiabilities: MoneySum { sums.equity }

    /// Whether the stated reserves cover total liabilities (`Σ max(equity, 0) ≤ reserves`).
    public func isCovered(by reserves: MoneySum) -> Bool { sums.equity <= reserves }
}
