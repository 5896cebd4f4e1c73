extension VenueProfile {
    /// Binance USDⓈ-M perpetuals.
    ///
    /// - Margin: tiered brackets, `MM = N·MMR − cum` (perps.md §1.3; Binance FAQ
    ///   https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93).
    /// - Liquidation: mark price; cancel orders, reduce to a lower bracket ("smart liquidation"), then close at
    ///   bankruptcy with the insurance fund taking over (https://www.binance.com/pt-BR/support/faq/360033525271).
    /// - Clearance fee to the insurance fund; its rate is per symbol and not in the reference: 0 here (set it in a
    ///   ``generic(id:marginModel:liquidationTrigger:liquidationProcedure:liquidationFee:closingFeeRate:maintenanceBasis:insuranceFundScope:autoDeleveraging:funding:sources:)``
    ///   profile when known).
    /// - ADL: LeveragePnL = PnL% × margin ratio, at the bankruptcy price
    ///   (https://www.binance.com/zh-CN/support/announcement/360033525471).
    /// - Funding: `P̄ + clamp(0.01% − P̄, ±0.05%)` per 8 h on mark notional
    ///   (https://www.binance.com/en/support/articles/360033525031); the per-symbol cap is **unverified** in the
    ///   reference (±75 %·(IMR − MMR) is widely cited): 0.3 % is used as a placeholder.
    public static let binance = VenueProfile(
        id: .binance,
        marginModel: .tiered,
        liquidationTrigger: .markPrice,
        liquidationProcedure: .tierStepDown,
        liquidationFee: LiquidationFee(rate: .zero, recipient: .insuranceFund, cappedAtRemainingMargin: true),
        closingFeeRate: .zero,
        maintenanceBasis: .liquidationPrice,
        insuranceFundScope: .perMarket,
        autoDeleveraging: AutoDeleveragingRule(ranking: .pnlTimesMarginRatio, price: .bankruptcy),
        funding: FundingRule(
            formula: .premiumPlusClampedInterest(
                interest: literalRate("0.0001"),
                clamp: literalRate("0.0005"),
                cap: literalRate("0.003")
            ),
            intervalSeconds: 28_800,
            rateIntervalSeconds: 28_800,
            basis: .mark
        ),
        sources: [
            "https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93 (liquidation price, cross/isolated)",
            "https://www.binance.com/pt-BR/support/faq/360033525271 (liquidation protocol)",
            "https://www.binance.com/en/support/articles/360033525031 (funding)",
            "freqtrade/freqtrade freqtrade/exchange/binance.py dry_run_liquidation_price",
            "insurance-fund scope per market and funding cap 0.3 %: UNVERIFIED placeholders (perps.md §11; the cited "
                + "±75 %·(IMR − MMR) rule is not confirmed); clearance fee 0: UNVERIFIED (per-symbol, not published in "
                + "the reference)",
        ]
    )
}
