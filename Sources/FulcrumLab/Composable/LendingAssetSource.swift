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
    /// Seized shares are redeemed at that price (no book impact).
    case insuranceShare

    /// A short name for reports and errors.
    public var label: String {
        switch self {
        case .traded: "traded"
        case .fixed(let p): "fixed(\(p))"
        case .insuranceShare: "insuranceShare"
        }
    }
}
