extension VenueProfile {
    /// A venue with every rule settable; the defaults are a plain tiered CEX: mark-price trigger, full close, no
    /// fees, maintenance at the liquidation price, one shared insurance fund, PnL×leverage ADL at bankruptcy, and
    /// 8-h premium + clamped interest funding (0.01 %, ±0.05 %, cap 0.75 %).
    public static func generic(
        id: VenueID = .generic,
        marginModel: MarginModel = .tiered,
        liquidationTrigger: LiquidationTrigger = .markPrice,
        liquidationProcedure: LiquidationProcedure = .full,
        liquidationFee: LiquidationFee = LiquidationFee(
            rate: .zero,
            recipient: .insuranceFund,
            cappedAtRemainingMargin: true
        ),
        closingFeeRate: Rate = .zero,
        maintenanceBasis: MaintenanceBasis = .liquidationPrice,
        insuranceFundScope: InsuranceFundScope = .shared,
        autoDeleveraging: AutoDeleveragingRule = AutoDeleveragingRule(ranking: .pnlTimesLeverage, price: .bankruptcy),
        funding: FundingRule = FundingRule(
            formula: .premiumPlusClampedInterest(
                interest: Rate(raw: 10_000),
                clamp: Rate(raw: 50_000),
                cap: Rate(raw: 750_000)
            ),
            intervalSeconds: 28_800,
            rateIntervalSeconds: 28_800,
            basis: .mark
        ),
        sources: [String] = ["user-defined"]
    ) -> VenueProfile {
        VenueProfile(
            id: id,
            marginModel: marginModel,
            liquidationTrigger: liquidationTrigger,
            liquidationProcedure: liquidationProcedure,
            liquidationFee: liquidationFee,
            closingFeeRate: closingFeeRate,
            maintenanceBasis: maintenanceBasis,
            insuranceFundScope: insuranceFundScope,
            autoDeleveraging: autoDeleveraging,
            funding: funding,
            sources: sources
        )
    }
}
