import FulcrumCore

/// The lending layer of one cascade path: every market's state, priced each step from the lab (the traded asset
/// at the scenario's lagged oracle, insurance-fund shares from the engine's fund, LP shares from the layer's
/// constant-product pool, yield-bearing tokens from their exchange rate) and liquidated by gas-paying keepers who
/// trade on the same liquidity as the perpetual liquidations.
public struct LendingLayer: Sendable {
    /// The configuration.
    public let config: LendingLayerConfig
    /// The markets, in configuration order.
    public internal(set) var markets: [LendingMarketState]
    /// The pool ``LendingAssetSource/ammLP`` collateral claims (`nil` when no market uses it).
    public internal(set) var lpPool: LendingLPPool?
    /// Each market's yield-bearing exchange rate (raw; 0 for other collateral).
    public internal(set) var yieldRates: [Int64]
    /// Borrowers written off or left without collateral, per market (never liquidated again).
    var bankrupt: [Set<String>]
    /// The traded asset's price at the start (raw), for attribution.
    let startPrice: Int64
    /// The insurance fund at the start (raw): one vault share is worth `fund / start` quote units.
    let insuranceStart: Int64
    /// Vault shares outstanding (raw): `insuranceStart` less the shares keepers redeemed; a share is worth
    /// `fund / outstanding`.
    public internal(set) var insuranceSharesOutstanding: Int64
    /// Quote to take out of the engine's insurance fund for this step's redemptions (raw), collected by
    /// ``takeInsuranceRedemptions()``.
    var pendingInsuranceWithdrawal: Int64 = 0
    /// Last prices seen (raw): exogenous, traded oracle, insurance fund.
    var lastExogenous: Int64
    var lastOracle: Int64
    var lastInsurance: Int64
    /// Steps run so far.
    var stepsRun = 0

    /// Creates the markets at the starting prices and generates their borrowers (loops trade on `liquidity`).
    /// `liquidityModel` sizes the LP pool when ``LendingLayerConfig/lpPoolBaseReserve`` is not given.
    init(
        config: LendingLayerConfig,
        startPrice: Price,
        insurance: Money,
        liquidityModel: LiquidityConfig,
        random: inout LabRandom,
        liquidity: inout LiquidityState,
        commit: Bool
    ) throws(LabError) {
        self.config = config
        self.startPrice = startPrice.raw
        insuranceStart = insurance.raw
        insuranceSharesOutstanding = insurance.raw
        lastExogenous = startPrice.raw
        lastOracle = startPrice.raw
        lastInsurance = insurance.raw
        markets = []
        bankrupt = []
        yieldRates = config.markets.map {
            if case .yieldBearing(let token) = $0.collateral { return token.startRate.raw }
            return 0
        }
        lpPool = try Self.makePool(config: config, startPrice: startPrice, liquidityModel: liquidityModel)
        for (k, m) in config.markets.enumerated() {
            var market = try LendingMarketState(
                config: m,
                collateralPrice: try price(m.collateral, market: k),
                debtPrice: try price(m.debt, market: k)
            )
            try market.populate(random: &random, liquidity: &liquidity, mid: startPrice, commit: commit)
            markets.append(market)
            bankrupt.append([])
        }
    }

    /// The LP pool when a market has ``LendingAssetSource/ammLP`` collateral, checking that the markets' LP
    /// collateral fits in its supply.
    private static func makePool(
        config: LendingLayerConfig,
        startPrice: Price,
        liquidityModel: LiquidityConfig
    ) throws(LabError) -> LendingLPPool? {
        let lpMarkets = config.markets.enumerated().filter { $0.element.collateral == .ammLP }
        guard !lpMarkets.isEmpty else { return nil }
        var base = config.lpPoolBaseReserve
        if base == nil, case .constantProduct(let depth) = liquidityModel.model {
            // The scenario's AMM size: depth × depth scale, rounded down (a smaller pool: conservative).
            base = Quantity(raw: Int64((Double(depth.raw) * liquidityModel.depthScale).rounded(.down)))
        }
        guard let base else {
            throw LabError(
                "lending.lpPoolBaseReserve is required: ammLP collateral (lending.markets[\(lpMarkets[0].offset)]) "
                    + "on a liquidity model without a constant-product AMM"
            )
        }
        let pool = try LendingLPPool(baseReserve: base, price: startPrice)
        let total = lpMarkets.reduce(Int128(0)) { $0 + Int128($1.element.totalCollateral.raw) }
        guard total < Int128(pool.supply) else {
            throw LabError(
                "lending.markets[\(lpMarkets[0].offset)].totalCollateral: ammLP markets hold \(Quantity(raw: Int64(total))) "
                    + "LP shares, not below the pool's supply \(Quantity(raw: pool.supply)) (lending.lpPoolBaseReserve)"
            )
        }
        return pool
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
        case .ammLP, .yieldBearing:
            throw LabError("lending \(source.label) is priced from the layer's state, not statically")
        }
    }

    /// The price of market `k`'s `source` at the layer's last prices.
    func price(_ source: LendingAssetSource, market k: Int) throws(LabError) -> Price {
        switch source {
        case .traded, .fixed, .insuranceShare:
            return try Self.price(
                source,
                traded: lastOracle,
                insurance: lastInsurance,
                start: insuranceSharesOutstanding
            )
        case .ammLP:
            guard let lpPool else { throw LabError("lending ammLP collateral without an LP pool") }
            return lpPool.sharePrice(oracle: Price(raw: lastOracle))
        case .yieldBearing(let token):
            let underlying = token.underlyingIsTraded ? Int128(lastOracle) : 100_000_000
            // rate × underlying, rounded down (values the collateral low: favours the protocol); at least 1 raw.
            let raw = Int128(yieldRates[k]) * underlying / 100_000_000
            return Price(raw: Int64(Swift.max(1, Swift.min(raw, Int128(Int64.max)))))
        }
    }

    /// Attribution shares of a market's bad debt at the current prices (see ``ContagionCause``).
    func shares(for market: LendingMarketConfig) -> [ContagionCause: Double] {
        if market.collateral.isDerived { return [.derivedPrice: 1] }
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

    /// One step: the LP pool is arbitraged to `traded`, yield rates advance, prices in (`oracle` `nil` = stale:
    /// nothing priced off the oracle is liquidated, liquidatable borrowers are counted as held), then every
    /// market's unwinds and keepers, within the layer's per-step liquidation budget.
    mutating func step(
        exogenous: Price,
        oracle: Price?,
        traded: Price,
        insurance: Int64,
        liquidity: inout LiquidityState,
        mid: Price,
        commit: Bool
    ) throws(LabError) {
        lastExogenous = exogenous.raw
        lastInsurance = insurance
        if let oracle { lastOracle = oracle.raw }
        try lpPool?.arbitrage(to: traded)
        for k in markets.indices {
            if case .yieldBearing(let token) = markets[k].config.collateral {
                yieldRates[k] = token.advance(yieldRates[k], toStep: stepsRun)
            }
        }
        stepsRun += 1
        var budget = config.maxLiquidationsPerStep
        for k in markets.indices {
            let m = markets[k].config
            try markets[k].setPrices(collateral: try price(m.collateral, market: k), debt: try price(m.debt, market: k))
            guard oracle != nil || (!m.collateral.usesOracle && !m.debt.usesOracle) else {
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
                lpPool: &lpPool,
                yieldRate: yieldRates[k],
                mid: mid,
                commit: commit,
                shares: shares(for: m),
                bankrupt: &bankrupt[k]
            )
            let redeemed = markets[k].insuranceRedemption
            markets[k].insuranceRedemption = (0, 0)
            insuranceSharesOutstanding -= Swift.min(redeemed.shares, insuranceSharesOutstanding)
            pendingInsuranceWithdrawal += redeemed.quote
        }
    }

    /// The quote this step's vault-share redemptions take out of the insurance fund (raw), reset to zero.
    mutating func takeInsuranceRedemptions() -> Int64 {
        defer { pendingInsuranceWithdrawal = 0 }
        return pendingInsuranceWithdrawal
    }
}
