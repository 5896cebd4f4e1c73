import FulcrumProofs
import FulcrumStore

/// One proof-of-liabilities epoch held in memory: its Merkle-sum tree and the summary stored with it.
///
/// Built by `POST /v1/proofs/epochs` (and saved before the request is answered), or rebuilt from the stored
/// liabilities and secret after a restart or on demand for an older epoch.
struct ProofEpoch: Sendable {
    /// The Merkle-sum tree with its commitment.
    var tree: LiabilityTree
    /// What the store holds about it (root, totals, event sequence, creation time).
    var summary: ProofEpochSummary

    /// The epoch number.
    var epoch: Int64 { summary.epoch }
}
