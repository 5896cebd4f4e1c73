extension VenueProfile {
    /// OKX USDT-margined perpetual swaps.
    ///
    /// - Margin: position tiers; liquidation when `(margin + uPnL) / (N·(MMR + takerFee)) ≤ 100 %`, i.e. the taker
    ///   fee sits in the denominator of the liquidation price: `LP = (E ∓ W/q)/(1 ∓ (MMR + taker))`
    ///   (https://open-lib.com/11556.html restating OKX help; freqtrade `freqtrade/exchange/exchange.py`
    ///   Gate/OKX formula). Taker fee 0.05 % (OKX regular-user swap taker rate; **unverified** in the reference).
    /// - Liquidation: mark price; tiers ≥ 3 reduced to a lower tier, full close at bankruptcy in tiers ≤ 2
    ///   (https://supdljgzdhc.okx.com/hc/en-us/articles/360020411711-V-Forced-Partial-or-Full-Liquidation); the
    ///   liquidation fee (taker rate) goes to the risk reserve (insurance fund), per product.
    /// - ADL: leveraged PnL / margin ratio ranking, at the **mark** price
    ///   (https://www.okx.com/help/iv-introduction-to-auto-deleveraging-adl).
    /// - Funding: `clamp(MA(premium), ±cap)`, interest 0, 8 h; BTC cap ±0.375 %
    ///   (https://www.okx.com/help/360053909272).
    public static let okx = VenueProfile(
        id: .okx,
        marginModel: .tiered,
        liquidationTrigger: .markPrice,
        liquidationProcedure: .tierStepDown,
        liquidationFee: LiquidationFee(
            rate: literalRate("0.0005"),
            recipient: .insuranceFund,
            cappedAtRemainingMargin: true
        ),
        closingFeeRate: literalRate("0.0005"),
        maintenanceBasis: .liquidationPrice,
        insuranceFundScope: .perMarket,
        autoDeleveraging: AutoDeleveragingRule(ranking: .pnlTimesMarginRatio, price: .mark),
        funding: FundingRule(
            formula: .clampedPremium(cap: literalRate("0.00375")),
            intervalSeconds: 28_800,
            rateIntervalSeconds: 28_800,
            basis: .mark
        ),
        sources: [
            "https://open-lib.com/11556.html (OKX margin ratio with fee)",
            "freqtrade/freqtrade freqtrade/exchange/exchange.py (Gate/OKX isolated liquidation price)",
            "https://supdljgzdhc.okx.com/hc/en-us/articles/360020411711-V-Forced-Partial-or-Full-Liquidation",
            "https://www.okx.com/help/iv-introduction-to-auto-deleveraging-adl",
            "https://www.okx.com/help/360053909272 (funding)",
            "taker fee 0.05 %: UNVERIFIED (regular-user swap taker rate as commonly cited; not read from an OKX "
                + "fee page); freqtrade test_execute_entry uses 0.0006 for OKX, pass it as an override when known",
        ]
    )
}
