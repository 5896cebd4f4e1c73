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
    ///   (https://www.binance.com/en/support/articles/360033525031), capped per symbol at
    ///   `clamp(F, −m·MMR, +m·MMR)` with the default multiplier `m = 0.75` on the highest-leverage bracket's MMR (a
    ///   Binance announcement of 2021-11-11 raising OMGUSDT's multiplier "from 0.75 to 1", restated at
    ///   https://mobie.io/?p=8304): BTCUSDT and ETHUSDT (125x, MMR 0.4 %) give ±0.3 %, which the other cited reading
    ///   ±75 %·(IMR − MMR) = 75 %·(0.8 % − 0.4 %) also gives. **Partial**: a third-party restatement; Binance's current
    ///   per-symbol caps (`GET /fapi/v1/fundingInfo`) were not retrieved.
    /// - Insurance fund per market: "All perpetual futures contracts on Binance Futures share a common insurance fund,
    ///   with the exception of BTCUSDT and ETHUSDT, that have their own insurance fund"
    ///   (https://www.binance.com/en/support/articles/360033525371-Insurance-Fund); the 2024 page says Binance keeps
    ///   several funds by contract category (https://binance.com/en-NZ/support/faq/introduction-to-futures-insurance-funds-360033525371).
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
            "https://www.binance.com/en/support/articles/360033525371-Insurance-Fund (BTCUSDT and ETHUSDT have their "
                + "own insurance fund; others share one) (read 2026-11-21)",
            "funding cap 0.3 % = 0.75 x MMR of the 125x bracket (0.4 %): PARTIAL, default multiplier 0.75 per a "
                + "2021-11-11 Binance OMGUSDT announcement restated at https://mobie.io/?p=8304; equals 75 % x (IMR - MMR) "
                + "for BTCUSDT/ETHUSDT; current per-symbol caps (GET /fapi/v1/fundingInfo) not retrieved (read 2026-11-21)",
            "clearance fee 0: UNVERIFIED (per-symbol, not published in the reference)",
        ]
    )
}
