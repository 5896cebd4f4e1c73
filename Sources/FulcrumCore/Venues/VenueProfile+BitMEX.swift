extension VenueProfile {
    /// BitMEX perpetual swaps (XBTUSD inverse).
    ///
    /// - Margin: risk limits; XBTUSD base maintenance 0.50 %, initial 1.00 %, +0.50 % per 150 XBT step above
    ///   200 XBT (https://bitmex.com/app/riskLimitsExamples). BitMEX applies the step's rate to the whole
    ///   position; Fulcrum's tier tables are continuous (deduction recurrence), so above 200 XBT the catalog's MM is
    ///   lower than BitMEX's by the derived deduction (documented deviation).
    /// - Liquidation: fair (mark) price; the liquidation engine takes the position over at the bankruptcy price, so
    ///   the margin left above bankruptcy goes to the insurance fund and the fund bears the difference between the
    ///   bankruptcy price and the close (``LiquidationFee/takesRemainingMargin``); unfilled (or beyond what the fund
    ///   can bear) → ADL at the bankruptcy price (https://bitmex.com/app/autoDeleveraging; perps.md §1.4).
    /// - ADL: PnL% × effective leverage ranking at the bankruptcy price
    ///   (https://support.bitmex.com/hc/en-gb/articles/18589621443357-What-is-Auto-Deleveraging).
    /// - Funding: `P + clamp(I − P, ±0.05%)`, 8 h (https://bitmex.com/app/perpetualContractsGuideExamples); the
    ///   per-contract cap is unverified: 0.375 % placeholder.
    public static let bitmex = VenueProfile(
        id: .bitmex,
        marginModel: .tiered,
        liquidationTrigger: .markPrice,
        liquidationProcedure: .full,
        liquidationFee: LiquidationFee(
            rate: .zero,
            recipient: .insuranceFund,
            cappedAtRemainingMargin: true,
            takesRemainingMargin: true
        ),
        closingFeeRate: .zero,
        maintenanceBasis: .liquidationPrice,
        insuranceFundScope: .shared,
        autoDeleveraging: AutoDeleveragingRule(ranking: .pnlTimesLeverage, price: .bankruptcy),
        funding: FundingRule(
            formula: .premiumPlusClampedInterest(
                interest: literalRate("0.0001"),
                clamp: literalRate("0.0005"),
                cap: literalRate("0.00375")
            ),
            intervalSeconds: 28_800,
            rateIntervalSeconds: 28_800,
            basis: .mark
        ),
        sources: [
            "https://bitmex.com/app/riskLimitsExamples",
            "https://bitmex.com/app/autoDeleveraging",
            "https://support.bitmex.com/hc/en-gb/articles/18589621443357-What-is-Auto-Deleveraging",
            "https://bitmex.com/app/perpetualContractsGuideExamples",
            "funding cap 0.375 % and insurance-fund scope: UNVERIFIED placeholders (perps.md §1.2: contract-specific caps)",
            "maintenance excludes BitMEX's taker-fee and funding add-ons (MM = 0.5 % · value + taker fee · value, per "
                + "BitMEX staff on r/BitMEX): liquidation prices are slightly later than BitMEX's",
        ]
    )
}
