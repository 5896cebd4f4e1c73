public import FulcrumCore

/// One account's committed values in a proof-of-liabilities epoch, as the store keeps them to rebuild the tree.
public struct EpochLiability: Sendable, Hashable {
    /// The account identifier.
    public var account: UInt64
    /// Equity at the epoch's mark prices (may be negative).
    public var equity: Money
    /// Maintenance margin at the epoch's mark prices (never negative).
    public var maintenanceMargin: Money

    /// Creates a record.
    public init(account: UInt64, equity: Money, maintenanceMargin: Money) {
        self.account = account
        self.equity = equity
        self.maintenanceMargin = maintenanceMargin
    }
}
