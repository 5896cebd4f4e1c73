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
    /// - Funding: `P + clamp(I − P, ±0.05%)`, 8 h (https://bitmex.com/app/perpetualContractsGuideExamples), the
    ///   absolute rate capped at `75 % × (Initial Margin − Maintenance Margin)`
    ///   (https://blog.bitmex.com/site_announcement/reduction-in-base-maintenance-margin-xbt-and-eth-series-17-april-2020-2/):
    ///   XBTUSD 75 % × (1 % − 0.5 %) = 0.375 % per 8 h, the "+/- 1.125 % per day" of
    ///   https://blog.bitmex.com/important-changes-to-bitcoin-usd-swap-funding.
    /// - Insurance fund shared by the contracts of one margin currency ("The insurance fund is allocated across margin
    ///   currencies", https://blog.bitmex.com/api_announcement/the-101-on-our-eth-margined-contracts/).
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
            "https://blog.bitmex.com/site_announcement/reduction-in-base-maintenance-margin-xbt-and-eth-series-17-april-2020-2/ "
                + "(funding cap = 75 % x (IM - MM): XBTUSD 0.375 %) (read 2026-11-21)",
            "https://blog.bitmex.com/important-changes-to-bitcoin-usd-swap-funding (8 h interval: at most +/- 1.125 % "
                + "per day) (read 2026-11-21)",
            "https://blog.bitmex.com/api_announcement/the-101-on-our-eth-margined-contracts/ (one insurance fund, "
                + "allocated across margin currencies) (read 2026-11-21)",
            "maintenance excludes BitMEX's taker-fee and funding add-ons (MM = 0.5 % · value + taker fee · value, per "
                + "BitMEX staff on r/BitMEX): liquidation prices are slightly later than BitMEX's",
        ]
    )
}
