public import FulcrumCore

/// What one Monte Carlo path produced. Money totals are exact (``MoneySum``); ratios are Double statistics.
public struct PathMetrics: Sendable, Hashable {
    /// Path index (its random stream).
    public var path: Int
    /// Exogenous move: `(X₀ − min X) / X₀` of the exogenous price path (a drop is positive).
    public var exogenousMove: Double
    /// Total move: `(X₀ − min T) / X₀` of the traded price (with liquidation feedback).
    public var totalMove: Double
    /// `totalMove / exogenousMove` (1 when the exogenous path never falls).
    public var amplification: Double
    /// Liquidation orders executed (a partial liquidation counts once per order).
    public var liquidations: Int
    /// Distinct accounts liquidated at least once.
    public var liquidatedAccounts: Int
    /// Notional of liquidation fills (quote).
    public var liquidatedNotional: MoneySum
    /// Worst liquidation slippage: average fill vs the mark at execution, as a fraction.
    public var worstSlippage: Double
    /// Losses beyond the liquidated accounts' margin (deficits), before insurance.
    public var badDebt: MoneySum
    /// Deficits neither the insurance fund nor ADL covered (socialized).
    public var socializedLoss: MoneySum
    /// Insurance fund at the start.
    public var insuranceStart: Money
    /// Lowest insurance fund balance.
    public var insuranceMinimum: Money
    /// Insurance fund at the end.
    public var insuranceEnd: Money
    /// Whether the insurance fund ran out (a deficit exceeded it).
    public var insuranceDepleted: Bool
    /// Notional closed by ADL (quote, at bankruptcy prices).
    public var adlNotional: MoneySum
    /// Distinct accounts hit by ADL.
    public var adlAccounts: Int
    /// Steps from the first to the last step with a liquidation (0 without liquidations).
    public var quiescenceSteps: Int
    /// Steps on which the oracle was invalid (stale); no liquidation happened on those steps.
    public var invalidOracleSteps: Int
    /// Liquidatable accounts found but held back because the oracle was invalid (counted per step).
    public var heldOnInvalidOracle: Int
    /// Hunter attacks launched.
    public var hunterAttacks: Int
    /// Deleveraging agents that cut.
    public var deleveragedAgents: Int
    /// The lending layer's per-market outcome, in `lending.markets` order (empty without a lending layer).
    public var lending: [LendingPathMetrics]
    /// In a multi-venue run, the linked venues' metrics (in `venues` order; these fields describe the main venue);
    /// empty in a single-venue run.
    public var linkedVenues: [PathMetrics]
    /// In a multi-venue run, the cross-venue arbitrage and basis; `nil` in a single-venue run.
    public var crossVenue: CrossVenueMetrics?

    /// A zeroed record for path `path` with the given insurance fund.
    public init(path: Int, insurance: Money) {
        self.path = path
        exogenousMove = 0
        totalMove = 0
        amplification = 1
        liquidations = 0
        liquidatedAccounts = 0
        liquidatedNotional = MoneySum()
        worstSlippage = 0
        badDebt = MoneySum()
        socializedLoss = MoneySum()
        insuranceStart = insurance
        insuranceMinimum = insurance
        insuranceEnd = insurance
        insuranceDepleted = false
        adlNotional = MoneySum()
        adlAccounts = 0
        quiescenceSteps = 0
        invalidOracleSteps = 0
        heldOnInvalidOracle = 0
        hunterAttacks = 0
        deleveragedAgents = 0
        lending = []
        linkedVenues = []
        crossVenue = nil
    }
}
