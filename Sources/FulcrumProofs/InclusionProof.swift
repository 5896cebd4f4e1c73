public import FulcrumCore

/// One account's proof of inclusion: the root commitment and one ``PieceProof`` per piece of the account.
///
/// The account's totals are the sums of its pieces: liability `Σ equity`, maintenance `Σ maintenance`, deficit
/// `Σ deficit`, so its equity is `liability − deficit` (one of the two is zero).
public struct InclusionProof: Sendable, Hashable {
    /// The root the proof claims to belong to (checked against the published root hash).
    public var root: RootCommitment
    /// The account the proof is for.
    public var accountID: UInt64
    /// The account's pieces, in piece order.
    public var pieces: [PieceProof]

    /// Creates a proof.
    public init(root: RootCommitment, accountID: UInt64, pieces: [PieceProof]) {
        self.root = root
        self.accountID = accountID
        self.pieces = pieces
    }

    /// What the account learns once the proof verifies: its own committed values.
    public struct Opened: Sendable, Hashable {
        /// The account.
        public var accountID: UInt64
        /// The committed equity (`Σ liability pieces − Σ deficit pieces`).
        public var equity: Money
        /// The committed maintenance margin.
        public var maintenanceMargin: Money
        /// Whether the tree counts the account as under maintenance.
        public var underMaintenance: Bool
        /// Whether the tree counts the account as having negative equity.
        public var negativeEquity: Bool
        /// The epoch's root commitment (totals and counts).
        public var root: RootCommitment
    }
}
