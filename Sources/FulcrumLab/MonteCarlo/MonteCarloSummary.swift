import FulcrumCore

/// The Monte Carlo result: per-path metrics in path order and their distributions.
///
/// Built only from the per-path metrics, so a run merged from shards (``MonteCarloSummary/init(paths:accounts:seconds:)``
/// over the concatenated metrics) is identical to the unsharded run.
public struct MonteCarloSummary: Sendable, Hashable {
    /// Per-path metrics sorted by path index.
    public var paths: [PathMetrics]
    /// Accounts in the population.
    public var accounts: Int
    /// Wall-clock seconds (measured by the caller; not part of equality of results).
    public var seconds: Double
    /// Amplification distribution.
    public var amplification: Distribution
    /// Liquidated notional distribution (quote).
    public var liquidatedNotional: Distribution
    /// Liquidation order count distribution.
    public var liquidations: Distribution
    /// Bad debt distribution (quote).
    public var badDebt: Distribution
    /// Worst slippage distribution.
    public var worstSlippage: Distribution
    /// Minimum insurance fund distribution.
    public var insuranceMinimum: Distribution
    /// ADL notional distribution.
    public var adlNotional: Distribution
    /// Fraction of paths where the insurance fund ran out.
    public var insuranceDepletionProbability: Double
    /// Fraction of paths with any ADL.
    public var adlProbability: Double
    /// Per lending market (in `lending.markets` order): bad debt, liquidations, contagion probability.
    public var lending: [LendingDistribution]
    /// In a multi-venue run, each linked venue's summary (in `venues` order; the fields above are the main
    /// venue's); empty in a single-venue run.
    public var linkedVenues: [MonteCarloSummary]
    /// In a multi-venue run, the largest cross-venue basis per path (`max ÷ min − 1` of the traded prices).
    public var maxBasis: Distribution?
    /// In a multi-venue run, the cross-venue arbitrage volume per path (base units).
    public var arbitrageVolume: Distribution?

    /// Summarises per-path metrics (sorted by path index first).
    public init(paths: [PathMetrics], accounts: Int, seconds: Double) {
        let ordered = paths.sorted { $0.path < $1.path }
        self.paths = ordered
        self.accounts = accounts
        self.seconds = seconds
        amplification = Distribution(ordered.map(\.amplification))
        liquidatedNotional = Distribution(ordered.map { Double($0.liquidatedNotional.raw) / 1e8 })
        liquidations = Distribution(ordered.map { Double($0.liquidations) })
        badDebt = Distribution(ordered.map { Double($0.badDebt.raw) / 1e8 })
        worstSlippage = Distribution(ordered.map(\.worstSlippage))
        insuranceMinimum = Distribution(ordered.map { Double($0.insuranceMinimum.raw) / 1e8 })
        adlNotional = Distribution(ordered.map { Double($0.adlNotional.raw) / 1e8 })
        let n = Double(Swift.max(1, ordered.count))
        insuranceDepletionProbability = Double(ordered.filter(\.insuranceDepleted).count) / n
        adlProbability = Double(ordered.filter { $0.adlNotional.raw > 0 }.count) / n
        let markets = ordered.map(\.lending.count).max() ?? 0
        lending = (0..<markets).map { LendingDistribution(market: $0, paths: ordered.map(\.lending)) }
        let venues = ordered.map(\.linkedVenues.count).max() ?? 0
        linkedVenues = (0..<venues).map { k in
            MonteCarloSummary(
                paths: ordered.compactMap { k < $0.linkedVenues.count ? $0.linkedVenues[k] : nil },
                accounts: 0,
                seconds: 0
            )
        }
        let cross = ordered.compactMap(\.crossVenue)
        maxBasis = cross.isEmpty ? nil : Distribution(cross.map(\.maxBasis))
        arbitrageVolume = cross.isEmpty ? nil : Distribution(cross.map(\.arbitrageVolumeInBase))
    }
}
