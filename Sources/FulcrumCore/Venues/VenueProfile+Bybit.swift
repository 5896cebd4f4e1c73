extension VenueProfile {
    /// Bybit USDT perpetuals (classic isolated formula) and inverse contracts.
    ///
    /// - Margin: risk-limit tiers, `MM = value·MMR − deduction`; the published isolated liquidation formula
    ///   evaluates maintenance at the **entry** value: `LP = Entry ∓ (IM − MM)/Size`
    ///   (https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract; freqtrade
    ///   `freqtrade/exchange/bybit.py` dry_run_liquidation_price).
    /// - Liquidation: mark price; risk-limit reduction then full close at bankruptcy; the excess over bankruptcy
    ///   goes to the insurance fund. No separate fee rate (0).
    /// - ADL: PnL% × effective leverage ranking at the bankruptcy price
    ///   (https://help.bybit.com/hc/en-us/articles/900000031623-What-is-Auto-Deleveraging-ADL-).
    /// - Funding: `P̄ + clamp(0.01% − P̄, ±0.05%)` per 8 h (https://bybit.com/fil-PH/help-center/s/article/What-is-funding-rate-and-predicted-rate);
    ///   the per-symbol cap is **unverified** (0.375 % placeholder): Bybit announces caps per symbol (e.g. STXUSDT
    ///   ±0.38 % raised to ±2 % on 2023-02-20, announcements.bybit.com), but BTCUSDT's and ETHUSDT's were not found.
    ///   Insurance-fund scope **unverified** (shared placeholder): Bybit's page describes one reserve pool
    ///   (https://bybit.nl/nl-NL/help-center/article/Insurance-Fund, 2024-08-18); its December 2025 pools (new-listing
    ///   pool, portfolio pools of up to nine correlated contracts) were reported by news sites only.
    public static let bybit = VenueProfile(
        id: .bybit,
        marginModel: .tiered,
        liquidationTrigger: .markPrice,
        liquidationProcedure: .tierStepDown,
        liquidationFee: LiquidationFee(rate: .zero, recipient: .insuranceFund, cappedAtRemainingMargin: true),
        closingFeeRate: .zero,
        maintenanceBasis: .entryValue,
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
            "https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract",
            "https://help.bybit.com/hc/en-us/articles/900000031623-What-is-Auto-Deleveraging-ADL-",
            "https://bybit.com/fil-PH/help-center/s/article/What-is-funding-rate-and-predicted-rate",
            "freqtrade/freqtrade freqtrade/exchange/bybit.py dry_run_liquidation_price",
            "insurance-fund scope and funding cap 0.375 %: UNVERIFIED placeholders (perps.md §1.2: per-symbol caps; "
                + "searched Bybit announcements and help pages 2026-11-21: caps found for other symbols only, e.g. "
                + "STXUSDT +/-0.38 % before 2023-02-20)",
        ]
    )
}
