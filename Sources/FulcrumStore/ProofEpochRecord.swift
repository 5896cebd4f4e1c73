/// A stored proof-of-liabilities epoch in full: its public summary, the private epoch secret and the liabilities it
/// was built from, which together rebuild the exact tree (and so every account's proof) after a restart.
///
/// The secret is private: whoever holds it can brute-force leaf openings from sibling hashes. It lives in the
/// venue's own database, which already holds every position.
public struct ProofEpochRecord: Sendable, Hashable {
    /// The public part.
    public var summary: ProofEpochSummary
    /// The 32-byte epoch secret.
    public var secret: [UInt8]
    /// One record per account, sorted by strictly increasing account id.
    public var liabilities: [EpochLiability]

    /// Creates a record.
    public init(summary: ProofEpochSummary, secret: [UInt8], liabilities: [EpochLiability]) {
        self.summary = summary
        self.secret = secret
        self.liabilities = liabilities
    }

    /// The epoch number.
    public var epoch: Int64 { summary.epoch }
}
