import FulcrumProofs

/// The latest liabilities epoch built by `POST /v1/proofs/epochs` (kept in memory; rebuilt after a restart).
struct ProofEpoch: Sendable {
    /// The Merkle-sum tree with its commitment.
    var tree: LiabilityTree
    /// The event sequence whose state it commits to.
    var eventSequence: Int64
}
