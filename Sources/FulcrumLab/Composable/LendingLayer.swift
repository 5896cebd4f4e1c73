import FulcrumCore

/// The lending layer of one cascade path: every market's state, priced each step from the lab (the traded asset
/// at the scenario's lagged oracle, insurance-fund shares from the engine's fund) and liquidated by gas-paying
/// keepers who trade on the same liquidity as the perpetual liquidations.
public struct LendingLayer: Sendable {
    /// The configuration.
    public let config: LendingLayerConfig
    /// The markets, in configuration order.
    public internal(set) var markets: [LendingMarketState]
    /// Borrowers written off or left without collateral, per market (never liquidated again).
    var bankrupt: [Set<String>]
    /// The traded asset's price at the start (raw), for attribution.
    let startPrice: Int64
    /// The insurance fund at the start (raw): one vault share is worth `fund / start` quote units.
    let insuranceStart: Int64
    /// Last prices seen (raw): exogenous, traded oracle, insurance fund.
    var lastExogenous: Int64
    var lastOracle: Int64
    var lastInsurance: Int64

    /// Creates the markets at the starting prices and generates their borrowers (loops trade on `liquidity`).
    init(
        config: LendingLayerConfig,
        startPrice: Price,
        insurance: Money,
        random: inout LabRandom,
        liquidity: inout LiquidityState,
        commit: Bool
    ) throws(LabError) {
        self.config = config
        self.startPrice = startPrice.raw
        insuranceStart = insurance.raw
        lastExogenous = startPrice.raw
        lastOracle = startPrice.raw
        lastInsurance = insurance.raw
        markets = []
        bankrupt = []
        for m in config.markets {
            var market = try LendingMarketState(
                config: m,
                collateralPrice: try Self.price(
                    m.collateral,
                    traded: startPrice.raw,
                    insurance: insurance.raw,
                    start: insurance.raw
                ),
                debtPrice: try Self.price(
                    m.debt,
                    traded: startPrice.raw,
                    insurance: insurance.raw,
                    start: insurance.raw
                )
            )
            try market.populate(random: &random, liquidity: &liquidity, mid: startPrice, commit: commit)
            markets.append(market)
            bankrupt.append([])
        }
    }

    /// The price of `source` given the traded oracle price and the insurance fund (raw).
    static func price(
        _ source: LendingAssetSource,
        traded: Int64,
        insurance: Int64,
        start: Int64
    ) throws(LabError)
        -> Price
    {
        switch source {
        case .traded: return Price(raw: traded)
        case .fixed(let p): return p
        case .insuranceShare:
            guard start > 0 else { throw LabError("lending insuranceShare collateral needs insuranceFund > 0") }
            // fund / shares, rounded down (values the collateral low: favours the lending protocol); at least 1 raw.
            let raw = Int128(Swift.max(0, insurance)) * 100_000_000 / Int128(start)
            return Price(raw: Swift.max(1, Int64(raw)))
        }
    }

    /// Attribution shares of a market's bad debt at the current prices (see ``ContagionCause``).
    func shares(for market: LendingMarketConfig) -> [ContagionCause: Double] {
        if market.collateral == .insuranceShare { return [.derivedPrice: 1] }
        let start = Double(startPrice)
        var adverse = 0.0
        var exogenous = 0.0
        if market.collateral == .traded {
            adverse = start - Double(lastOracle)
            exogenous = start - Double(lastExogenous)
        } else if market.debt == .traded {
            adverse = Double(lastOracle) - start
            exogenous = Double(lastExogenous) - start
        }
        guard adverse > 0 else { return [.exogenous: 1] }
        let share = Swift.min(1, Swift.max(0, exogenous / adverse))
        return share >= 1 ? [.exogenous: 1] : [.exogenous: share, .cascadeImpact: 1 - share]
    }

    /// One step: prices in (`oracle` `nil` = stale: nothing is liquidated, liquidatable borrowers are counted as
    /// held), then every market's unwinds and keepers, within the layer's per-step liquidation budget.
    mutating func step(
        exogenous: Price,
        oracle: Price?,
        insurance: Int64,
        liquidity: inout LiquidityState,
        mid: Price,
        commit: Bool
    ) throws(LabError) {
        lastExogenous = exogenous.raw
        lastInsurance = insurance
        if let oracle { lastOracle = oracle.raw }
        var budget = config.maxLiquidationsPerStep
        for k in markets.indices {
            let m = markets[k].config
            let collateral = try Self.price(
                m.collateral,
                traded: lastOracle,
                insurance: insurance,
                start: insuranceStart
            )
            let debt = try Self.price(m.debt, traded: lastOracle, insurance: insurance, start: insuranceStart)
            try markets[k].setPrices(collateral: collateral, debt: debt)
            guard oracle != nil || (m.collateral != .traded && m.debt != .traded) else {
                for id in markets[k].borrowers where !bankrupt[k].contains(id) {
                    if let hf = try markets[k].healthFactor(id), hf < 1_000_000_000_000_000_000 {
                        markets[k].metrics.heldOnStaleOracle += 1
                    }
                }
                continue
            }
            try markets[k].step(
                budget: &budget,
                layer: config,
                liquidity: &liquidity,
                mid: mid,
                commit: commit,
                shares: shares(for: m),
                bankrupt: &bankrupt[k]
            )
        }
    }
}
