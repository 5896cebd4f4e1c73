import FulcrumCore

/// One lending market's Monte Carlo distributions: bad debt, liquidations, and how often contagion reached it.
public struct LendingDistribution: Sendable, Hashable {
    /// Market index in the scenario's `lending.markets`.
    public var market: Int
    /// Bad debt (quote), end-of-run shortfall included.
    public var badDebt: Distribution
    /// Liquidation transactions.
    public var liquidations: Distribution
    /// Fraction of paths on which shared-mode contagion reached the market.
    public var contagionProbability: Double

    /// Summarises market `market` over per-path records (in path order; paths without it count as zero).
    public init(market: Int, paths: [[LendingPathMetrics]]) {
        self.market = market
        let rows = paths.map { market < $0.count ? $0[market] : LendingPathMetrics() }
        badDebt = Distribution(rows.map { Double($0.badDebt.raw) / 1e8 })
        liquidations = Distribution(rows.map { Double($0.liquidations) })
        let reached = rows.filter { $0.contagionShared.raw > 0 }.count
        contagionProbability = rows.isEmpty ? 0 : Double(reached) / Double(rows.count)
    }
}
