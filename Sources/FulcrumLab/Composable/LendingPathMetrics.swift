public import FulcrumCore

/// One lending market's outcome on one Monte Carlo path (the contagion report's row reduced to what the
/// distributions need). Markets are identified by their index in the scenario's `lending.markets`.
public struct LendingPathMetrics: Sendable, Hashable {
    /// Bad debt, end-of-run shortfall included (quote).
    public var badDebt: MoneySum
    /// Liquidation transactions.
    public var liquidations: Int
    /// Shared-mode lenders' loss beyond the market's own bad debt (quote); positive = contagion reached it.
    public var contagionShared: MoneySum

    /// Creates a record.
    public init(badDebt: MoneySum = MoneySum(), liquidations: Int = 0, contagionShared: MoneySum = MoneySum()) {
        self.badDebt = badDebt
        self.liquidations = liquidations
        self.contagionShared = contagionShared
    }
}

extension ContagionReport {
    /// The per-market path metrics, in configuration order.
    public var pathMetrics: [LendingPathMetrics] {
        rows.map {
            LendingPathMetrics(
                badDebt: $0.metrics.badDebt,
                liquidations: $0.metrics.liquidations,
                contagionShared: $0.contagionShared
            )
        }
    }
}
