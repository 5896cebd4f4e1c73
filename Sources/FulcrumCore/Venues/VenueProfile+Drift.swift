extension VenueProfile {
    /// Drift v2 (drift-labs/protocol-v2).
    ///
    /// - Margin: per-market initial/maintenance ratios with the IMF size premium
    ///   (`programs/drift/src/math/margin.rs`); the venue default below is the unit-test market fixture
    ///   (`margin_ratio_initial: 1000`, `margin_ratio_maintenance: 500`, `imf_factor: 1000`), **not** mainnet
    ///   parameters (not retrieved). Markets carry their own ratios via ``MarketSpec/marginModel``.
    /// - Liquidation: oracle price; enter when total collateral < maintenance; liquidator takes over at oracle ±
    ///   fee (liquidator fee 1 % in the test fixtures), partial and time-ramped (`controller/liquidation.rs`).
    /// - Loss: per-market insurance, then fee pool, then socialized pro-rata through the cumulative funding rate.
    /// - Funding: `(markTWAP − oracleTWAP + oracleTWAP/5000)/24` per hour, clamped (tier A/B ±3 %: 1/33).
    public static let drift = VenueProfile(
        id: .drift,
        marginModel: .drift(initialRatioBps: 1_000, maintenanceRatioBps: 500, imfFactor: 1_000),
        liquidationTrigger: .oraclePrice,
        liquidationProcedure: .full,
        liquidationFee: LiquidationFee(
            rate: literalRate("0.01"),
            recipient: .liquidator,
            cappedAtRemainingMargin: true
        ),
        closingFeeRate: .zero,
        maintenanceBasis: .liquidationPrice,
        insuranceFundScope: .perMarket,
        autoDeleveraging: AutoDeleveragingRule(ranking: .socializeProRata, price: .oracle),
        funding: FundingRule(
            formula: .twapSpread(offsetDenominator: 5_000, cap: literalRate("0.0303")),
            intervalSeconds: 3_600,
            rateIntervalSeconds: 86_400,
            basis: .oracle
        ),
        sources: [
            "drift-labs/protocol-v2 programs/drift/src/math/margin.rs (size premium)",
            "drift-labs/protocol-v2 programs/drift/src/controller/liquidation.rs",
            "drift-labs/protocol-v2 programs/drift/src/math/funding.rs",
            "margin ratios: protocol-v2 unit-test market fixtures, not mainnet (mainnet parameters not retrieved)",
            "size premium divisor 10⁷ (100_000 · SPOT_IMF_PRECISION / MARGIN_PRECISION) and `w − w/5`: checked "
                + "against programs/drift/src/math/margin/tests.rs spot_market_asset_weight (11962, 40422, 31622)",
        ]
    )
}
