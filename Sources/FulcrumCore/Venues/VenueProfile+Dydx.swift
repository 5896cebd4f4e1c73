extension VenueProfile {
    /// dYdX v4 (dydxprotocol/v4-chain).
    ///
    /// - Margin: Large-Cap liquidity tier, IMF 2 %, maintenance fraction 60 % (MMF 1.2 %)
    ///   (`protocol/scripts/genesis/sample_pregenesis.json` per perps.md §1.3); OIMF caps 0/0 (no open-interest
    ///   scaling for Large-Cap in the genesis read). Markets may carry their own tier via ``MarketSpec/marginModel``.
    /// - Liquidation: oracle price, `MMR > 0 && MMR > TNC` (`protocol/lib/margin/risk.go`); per-block limits, one
    ///   sweep = one block (sample pregenesis: 10 % of a position per block but at least $1,000, $100,000 notional
    ///   and $1,000,000 of insurance-fund loss per subaccount per block); fee to the insurance fund
    ///   `min(|fill|·1.5 %, fill − bankruptcy)` (`liquidations.go`).
    /// - Bankruptcy price rounded toward +∞; isolated markets have their own insurance fund (per market).
    /// - Deleveraging: opposite-side holders from a pseudo-random start at the bankruptcy price (`deleveraging.go`).
    /// - Funding: premium samples + default funding 0.01 %/8 h, hourly; clamp ±6·(IMF − MMF) = ±4.8 % (Large-Cap).
    public static let dydx = VenueProfile(
        id: .dydx,
        marginModel: .dydx(
            initialMarginPpm: 20_000,
            maintenanceFractionPpm: 600_000,
            openInterestLowerCap: .zero,
            openInterestUpperCap: .zero
        ),
        liquidationTrigger: .oraclePrice,
        liquidationProcedure: .blockLimits(
            positionPortion: literalRate("0.1"),
            minPositionNotional: Money(raw: 100_000_000_000),
            maxNotionalPerAccount: Money(raw: 10_000_000_000_000),
            maxInsuranceLossPerAccount: Money(raw: 100_000_000_000_000)
        ),
        liquidationFee: LiquidationFee(
            rate: literalRate("0.015"),
            recipient: .insuranceFund,
            cappedAtRemainingMargin: true
        ),
        closingFeeRate: .zero,
        maintenanceBasis: .liquidationPrice,
        insuranceFundScope: .perMarket,
        autoDeleveraging: AutoDeleveragingRule(ranking: .pseudoRandom, price: .bankruptcy),
        funding: FundingRule(
            formula: .premiumPlusClampedInterest(
                interest: literalRate("0.0001"),
                clamp: literalRate("0.048"),
                cap: literalRate("0.048")
            ),
            intervalSeconds: 3_600,
            rateIntervalSeconds: 28_800,
            basis: .oracle
        ),
        sources: [
            "dydxprotocol/v4-chain protocol/scripts/genesis/sample_pregenesis.json (liquidity tiers, liquidations config)",
            "dydxprotocol/v4-chain protocol/x/clob/keeper/liquidations.go (bankruptcy, fillable price, IF delta)",
            "dydxprotocol/v4-chain protocol/lib/margin/risk.go (IsLiquidatable)",
            "dydxprotocol/v4-chain protocol/x/clob/keeper/deleveraging.go",
            "https://dydx-documentation-six.vercel.app/concepts/trading/liquidations (isolated liquidation price)",
        ]
    )
}
