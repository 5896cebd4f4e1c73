public import FulcrumCore

/// Where a lending market's asset gets its price inside the cascade lab.
public enum LendingAssetSource: Sendable, Hashable {
    /// The cascade's traded asset, priced by the scenario's (lagged) oracle; keepers trade it on the shared
    /// liquidity (the order book / AMM the perpetual liquidations hit).
    case traded
    /// An asset outside the cascade at a constant price (a stablecoin, an uncorrelated asset); never traded on the
    /// lab's liquidity.
    case fixed(Price)
    /// A vault share of the perpetual venue's insurance fund: price = fund / shares, one share worth 1 quote unit
    /// at the start, so the price falls when the engine's insurance fund pays a deficit (derived collateral).
    /// Seized shares are redeemed at that price out of the engine's fund (an `insuranceWithdrawal` event; the shares
    /// outstanding fall by the shares redeemed); no book impact.
    case insuranceShare
    /// An LP share of the lending layer's constant-product pool (``LendingLPPool``): price = (x · oracle + y) /
    /// supply, rounded down. Arbitrage moves the pool to the cascade's traded price every step (impermanent loss);
    /// seized shares are burned against the pool and the base leg is sold on the shared liquidity.
    case ammLP
    /// A yield-bearing token (stETH-like) whose exchange rate to its underlying accrues per step and can be marked
    /// down by a depeg/slashing event; price = rate × underlying price. Seized tokens are redeemed at the rate; a
    /// traded underlying is then sold on the shared liquidity.
    case yieldBearing(YieldBearingToken)

    /// A short name for reports and errors.
    public var label: String {
        switch self {
        case .traded: "traded"
        case .fixed(let p): "fixed(\(p))"
        case .insuranceShare: "insuranceShare"
        case .ammLP: "ammLP"
        case .yieldBearing(let token): "yieldBearing(\(token.underlyingIsTraded ? "traded" : "quote"))"
        }
    }

    /// Whether the price is derived from another protocol's state (insurance fund, AMM, staking rate).
    public var isDerived: Bool {
        switch self {
        case .traded, .fixed: false
        case .insuranceShare, .ammLP, .yieldBearing: true
        }
    }

    /// Whether the price depends on the traded asset's oracle (a stale oracle then blocks liquidations).
    public var usesOracle: Bool {
        switch self {
        case .traded, .ammLP: true
        case .fixed, .insuranceShare: false
        case .yieldBearing(let token): token.underlyingIsTraded
        }
    }
}
