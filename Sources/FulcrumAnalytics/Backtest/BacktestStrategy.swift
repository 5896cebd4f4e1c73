/// The strategies `fulcrum backtest` runs.
public enum BacktestStrategy: String, Sendable, Hashable, CaseIterable {
    /// Open one perpetual position at the first sample and hold it to the end (or to liquidation).
    case hold
    /// Delta-neutral funding harvest: a fully paid spot long plus an isolated perpetual short of the same size.
    /// The perp leg's margin is its own (spot gains do not support it), so a rally can liquidate it.
    case fundingHarvest = "funding-harvest"
    /// Basis (cash-and-carry) trade in one unified account: spot long and perp short share one equity, the spot
    /// leg counting as collateral for the perp leg's maintenance margin.
    case basis
    /// A perpetual position resized once a day so that its annualised volatility (EWMA of 1-minute log returns)
    /// matches a target, capped by the leverage.
    case volTarget = "vol-target"

    /// Whether the strategy needs a spot price series.
    public var needsSpot: Bool { self == .fundingHarvest || self == .basis }
}
