extension VenueProfile {
    /// Hyperliquid perpetuals.
    ///
    /// - Margin: margin tiers with `MMR = 1 / (2 · maxLeverage)` and a maintenance deduction
    ///   (https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers).
    /// - Liquidation: mark price; `liq = price − side·margin_available/size/(1 − l·side)`, `l = MMR`
    ///   (https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations; freqtrade
    ///   `freqtrade/exchange/hyperliquid.py` dry_run_liquidation_price). Book liquidation in 20 % steps above
    ///   100,000 USDC, backstop (HLP) below 2/3 of MM; no clearance fee on book liquidations.
    /// - ADL: ranked by unrealized PnL and leverage, at the previous oracle price
    ///   (https://hyperliquid.gitbook.io/hyperliquid-docs/trading/auto-deleveraging).
    /// - Funding: 8-h rate `P̄ + clamp(0.01% − P̄, ±0.05%)` paid hourly at 1/8 on oracle notional, capped at
    ///   4 %/hour (= 0.32 per 8-h rate unit) (perps.md §1.2).
    public static let hyperliquid = VenueProfile(
        id: .hyperliquid,
        marginModel: .hyperliquid,
        liquidationTrigger: .markPrice,
        liquidationProcedure: .partialSteps(
            fraction: literalRate("0.2"),
            thresholdNotional: Money(raw: 10_000_000_000_000)
        ),
        liquidationFee: LiquidationFee(rate: .zero, recipient: .liquidator, cappedAtRemainingMargin: true),
        closingFeeRate: .zero,
        maintenanceBasis: .liquidationPrice,
        insuranceFundScope: .shared,
        autoDeleveraging: AutoDeleveragingRule(ranking: .unrealizedPnlAndLeverage, price: .oracle),
        funding: FundingRule(
            formula: .premiumPlusClampedInterest(
                interest: literalRate("0.0001"),
                clamp: literalRate("0.0005"),
                cap: literalRate("0.32")
            ),
            intervalSeconds: 3_600,
            rateIntervalSeconds: 28_800,
            basis: .oracle
        ),
        sources: [
            "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers",
            "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations",
            "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/auto-deleveraging",
            "freqtrade/freqtrade freqtrade/exchange/hyperliquid.py dry_run_liquidation_price",
            "funding via https://docs.notional.xyz/protocol/funding (restates the Hyperliquid doc)",
        ]
    )
}
