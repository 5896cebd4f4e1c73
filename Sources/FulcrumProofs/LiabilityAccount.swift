public import FulcrumCore

/// One account's committed values: its equity (signed) and its maintenance margin at the epoch's mark prices.
public struct LiabilityAccount: Sendable, Hashable {
    /// The account's identifier (``LiabilityTree/reservedAccountID`` is reserved for padding).
    public var id: UInt64
    /// Equity: wallet plus unrealised PnL at the committed mark prices. May be negative (underwater).
    public var equity: Money
    /// Maintenance margin at the committed mark prices; never negative.
    public var maintenanceMargin: Money

    /// Creates an account record.
    public init(id: UInt64, equity: Money, maintenanceMargin: Money) {
        self.id = id
        self.equity = equity
        self.maintenanceMargin = maintenanceMargin
    }

    /// The liability the venue owes this account: `max(equity, 0)`.
    public var liability: Money { Money.maximum(equity, .zero) }
    /// What the account owes the venue: `max(−equity, 0)`.
    public var deficit: Money { equity.isNegative ? Money(raw: 0 &- equity.raw) : .zero }
    /// Whether equity is below maintenance margin (so the account is liquidatable).
    public var isUnderMaintenance: Bool { equity < maintenanceMargin }
}
