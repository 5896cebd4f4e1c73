/// The shock a lending market's bad debt is attributed to.
///
/// Attribution is proportional: when bad debt appears, the adverse move of the traded asset since the start is
/// split into the exogenous path's move and the rest (the price impact of the cascade: perpetual and lending
/// liquidations on the shared liquidity). Bad debt on derived collateral (an insurance-fund share, an AMM LP
/// share, a yield-bearing token) is attributed to the derived-price loss.
public enum ContagionCause: String, Sendable, Hashable, CaseIterable {
    /// The exogenous price move alone.
    case exogenous
    /// The price impact of liquidations on the shared book (perpetual and lending).
    case cascadeImpact
    /// A derived asset's price loss (the underlying protocol lost: insurance fund paid, AMM moved, rate depegged).
    case derivedPrice
}
