import FulcrumCore
public import FulcrumLending

/// One lending market during a cascade run: an ``AavePool`` (Aave v3 rules of the configured generation: health
/// factor, close factor, bonus, dust rule and deficit write-off are `FulcrumLending`'s) with the collateral reserve
/// `C` and the debt reserve `D` (8 decimals each, so token units are the lab's fixed-point raw units; zero interest
/// rates, the clock never moves), its borrowers, and what happened.
public struct LendingMarketState: Sendable {
    /// The market's configuration.
    public let config: LendingMarketConfig
    /// The protocol state.
    public internal(set) var pool: AavePool
    /// Borrower ids in generation order (`b0`, `b1`, …; `b0` is the whale when there is one).
    public internal(set) var borrowers: [String] = []
    /// Whether each borrower loops (and may unwind).
    var loops: [Bool] = []
    /// What happened.
    public internal(set) var metrics = LendingMarketMetrics()
    /// Collateral supplied by borrowers, loops included (raw units).
    public internal(set) var depositedUnits: Int128 = 0
    /// Debt borrowed, loops included (raw units).
    public internal(set) var borrowedUnits: Int128 = 0
    /// Collateral withdrawn by unwinds (raw units).
    public internal(set) var withdrawnUnits: Int128 = 0
    /// Debt repaid by unwinds (raw units).
    public internal(set) var unwindRepaidUnits: Int128 = 0
    /// Collateral the protocol kept as its liquidation fee (raw units, still in the pool as the treasury's).
    public internal(set) var protocolFeeUnits: Int128 = 0
    /// Debt the protocol wrote off into its deficit (v3.3+, raw units).
    public internal(set) var writtenOffUnits: Int128 = 0
    /// Traded-asset units keepers got from redeeming seized collateral and sold on the shared liquidity (raw units;
    /// equal to the seized units for traded collateral).
    public internal(set) var redeemedBaseUnits: Int128 = 0
    /// Insurance-fund vault shares redeemed by keepers since the layer last collected them (raw shares) and the
    /// quote they were paid (raw): the layer takes that quote out of the engine's insurance fund.
    var insuranceRedemption: (shares: Int64, quote: Int64) = (0, 0)
    /// Debt supplied by the market's lenders (raw units).
    public internal(set) var lenderSupplyUnits: Int128 = 0
    /// Last prices set in the pool (raw).
    var collateralPrice: Int64 = 0
    var debtPrice: Int64 = 0

    static let collateralAsset = "C"
    static let debtAsset = "D"
    static let lender = "lender"
    static let keeper = "keeper"

    /// Creates the pool and lists the two reserves at the starting prices.
    init(config: LendingMarketConfig, collateralPrice: Price, debtPrice: Price) throws(LabError) {
        self.config = config
        pool = AavePool(version: config.version)
        do {
            let zero = try AaveRateStrategy(optimalUsageBps: 9_000, baseBps: 0, slope1Bps: 0, slope2Bps: 0)
            // Rates to basis points, rounded down (a configuration value; Aave stores bps).
            let ltv = UInt128(config.loanToValue.raw / 10_000)
            let lt = UInt128(config.liquidationThreshold.raw / 10_000)
            let bonus = 10_000 + UInt128(config.liquidationBonus.raw / 10_000)
            try pool.listReserve(
                AaveReserveConfig(
                    symbol: Self.collateralAsset,
                    decimals: 8,
                    ltv: ltv,
                    liquidationThreshold: lt,
                    liquidationBonus: bonus,
                    reserveFactor: 0,
                    rateStrategy: zero
                ),
                price: UInt128(collateralPrice.raw)
            )
            try pool.listReserve(
                AaveReserveConfig(
                    symbol: Self.debtAsset,
                    decimals: 8,
                    ltv: 0,
                    liquidationThreshold: 0,
                    liquidationBonus: 0,
                    reserveFactor: 0,
                    rateStrategy: zero
                ),
                price: UInt128(debtPrice.raw)
            )
        } catch {
            throw LabError("lending market \(config.name): \(error)")
        }
        self.collateralPrice = collateralPrice.raw
        self.debtPrice = debtPrice.raw
    }

    /// Sets the pool's oracle prices when they changed.
    mutating func setPrices(collateral: Price, debt: Price) throws(LabError) {
        do {
            if collateral.raw != collateralPrice {
                try pool.setPrice(Self.collateralAsset, UInt128(Swift.max(1, collateral.raw)))
                collateralPrice = collateral.raw
            }
            if debt.raw != debtPrice {
                try pool.setPrice(Self.debtAsset, UInt128(Swift.max(1, debt.raw)))
                debtPrice = debt.raw
            }
        } catch {
            throw LabError("lending market \(config.name) prices: \(error)")
        }
    }

    /// The borrower's health factor (wad), or `nil` without debt.
    func healthFactor(_ id: String) throws(LabError) -> UInt128? {
        do {
            let data = try pool.accountData(id)
            return data.totalDebtBase == 0 ? nil : data.healthFactor
        } catch {
            throw LabError("lending market \(config.name) health of \(id): \(error)")
        }
    }

    /// A balance in raw units.
    func balance(_ id: String, debt: Bool) throws(LabError) -> Int128 {
        do {
            let value =
                debt
                ? try pool.debtBalance(id, Self.debtAsset) : try pool.supplyBalance(id, Self.collateralAsset)
            return Int128(value)
        } catch {
            throw LabError("lending market \(config.name) balance of \(id): \(error)")
        }
    }

    /// Collateral held in the pool by every account (borrowers and the treasury's fee), raw units.
    public func collateralInPool() throws(LabError) -> Int128 {
        var total: Int128 = 0
        for id in pool.users.keys.sorted() { total += try balance(id, debt: false) }
        return total
    }

    /// Debt owed by every borrower, raw units.
    public func debtOutstanding() throws(LabError) -> Int128 {
        var total: Int128 = 0
        for id in borrowers { total += try balance(id, debt: true) }
        return total
    }
}
