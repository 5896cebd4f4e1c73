public import FulcrumCore

/// One policy's allocation of a shortfall and the measures that compare policies.
public struct AdlAllocation: Sendable, Hashable {
    /// The policy.
    public var policy: AdlPolicy
    /// The shortfall asked for.
    public var shortfall: Money
    /// Haircut per candidate, index-aligned with the input (each `0 ≤ hᵢ ≤ pnlᵢ`).
    public var haircuts: [Money]
    /// `Σ hᵢ`.
    public var covered: Money
    /// `shortfall − covered` (positive only when the winners' total PnL is smaller than the shortfall).
    public var uncovered: Money
    /// Candidates with a positive haircut.
    public var accountsHit: Int
    /// Haircut-weighted mean effective leverage of those hit (statistic).
    public var meanLeverageHit: Double
    /// Median effective leverage of those hit (statistic).
    public var medianLeverageHit: Double
    /// Largest effective leverage among those hit.
    public var maxLeverageHit: Double
    /// Notional closed to realise the haircuts: `Σ notionalᵢ × hᵢ ÷ pnlᵢ`, each rounded **down**.
    public var deleveragedNotional: Money
    /// Notional closed per unit of shortfall covered (`deleveragedNotional ÷ covered`): over-deleveraging.
    public var notionalPerShortfall: Double
    /// Largest single haircut as a share of `covered`.
    public var largestShare: Double
    /// Highest effective leverage among all candidates after the haircuts (statistic): what leverage-first minimises.
    public var maxLeverageAfter: Double
}
