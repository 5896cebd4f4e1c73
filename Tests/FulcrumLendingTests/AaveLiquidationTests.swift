import FulcrumCore
import PropertyBased
import Testing

@testable import FulcrumLending

struct AaveLiquidationTests {
    let e6 = AaveFixtures.e6
    let e8 = AaveFixtures.e8
    let e18 = AaveFixtures.e18

    // Hand-computed from LiquidationLogic (lending.md §1.6) on the upstream test listing: 1 WETH, 1,400 USDX debt,
    // WETH $1,800 → $1,600: HF = 1600·0.86/1400 = 0.982857…; position < $2,000 ⇒ v3.3+ close factor 100%.
    @Test func smallPositionFullLiquidationV37() throws {
        var pool = try AaveFixtures.position(.v37, weth: e18, usdx: 1_400 * e6, price: 1_600 * e8)
        let before = try pool.accountData("alice")
        #expect(before.healthFactor == 982_857_142_857_142_857)
        let r = try pool.liquidate(
            liquidator: "bob",
            user: "alice",
            collateralAsset: "WETH",
            debtAsset: "USDX",
            debtToCover: AavePool.maxDebtToCover
        )
        #expect(r.closeFactor == 10_000)
        #expect(r.debtRepaid == 1_400 * e6)
        // 1400/1600 = 0.875 WETH, ×1.05 = 0.91875; bonus part 0.04375, fee 10% = 0.004375.
        #expect(r.protocolFee == 4_375_000_000_000_000)
        #expect(r.collateralToLiquidator == 914_375_000_000_000_000)
        #expect(r.liquidatorProfitBase == 63 * Int128(e8))  // 0.914375·1600 − 1400
        #expect(try pool.debtBalance("alice", "USDX") == 0)
        #expect(try pool.supplyBalance("alice", "WETH") == 81_250_000_000_000_000)
        #expect(try pool.supplyBalance(AavePool.treasury, "WETH") == 4_375_000_000_000_000)
    }

    // Same position under v3.0 (aave/aave-v3-core LiquidationLogic: 50% of this reserve's debt while HF > 0.95).
    @Test func smallPositionHalfLiquidationV30() throws {
        var pool = try AaveFixtures.position(.v30, weth: e18, usdx: 1_400 * e6, price: 1_600 * e8)
        let r = try pool.liquidate(
            liquidator: "bob",
            user: "alice",
            collateralAsset: "WETH",
            debtAsset: "USDX",
            debtToCover: AavePool.maxDebtToCover
        )
        #expect(r.closeFactor == 5_000)
        #expect(r.debtRepaid == 700 * e6)
        #expect(r.collateralToLiquidator == 457_187_500_000_000_000)  // 0.459375 − 0.0021875
        #expect(r.protocolFee == 2_187_500_000_000_000)
        #expect(try pool.debtBalance("alice", "USDX") == 700 * e6)
    }

    // v3.3+: both legs ≥ $2,000 and HF > 0.95 ⇒ at most 50% of the position's total debt (aave-v3-origin
    // docs/3.3/Aave-v3.3-features.md §2.1–2.2).
    @Test func largePositionHalfOfTotalDebt() throws {
        var pool = try AaveFixtures.position(.v37, weth: 10 * e18, usdx: 14_000 * e6, price: 1_600 * e8)
        let r = try pool.liquidate(
            liquidator: "bob",
            user: "alice",
            collateralAsset: "WETH",
            debtAsset: "USDX",
            debtToCover: AavePool.maxDebtToCover
        )
        #expect(r.closeFactor == 5_000)
        #expect(r.debtRepaid == 7_000 * e6)
        #expect(r.collateralToLiquidator + r.protocolFee == 4_593_750_000_000_000_000)  // 7000/1600·1.05
        #expect(r.healthFactorAfter > r.healthFactorBefore)
    }

    // v3.3+ MustNotLeaveDust: HF ≤ 0.95 allows 100%, but repaying 13,500 of 14,000 leaves $500 < $1,000 of debt.
    @Test func dustRuleRejectsAndLeavesStateUnchanged() throws {
        var pool = try AaveFixtures.position(.v37, weth: 10 * e18, usdx: 14_000 * e6, price: 1_500 * e8)
        let snapshot = pool
        #expect(throws: LendingError.self) {
            try pool.liquidate(
                liquidator: "bob",
                user: "alice",
                collateralAsset: "WETH",
                debtAsset: "USDX",
                debtToCover: 13_500 * e6
            )
        }
        #expect(pool == snapshot)
        // The same request is fine under v3.0 (no dust rule).
        var old = try AaveFixtures.position(.v30, weth: 10 * e18, usdx: 14_000 * e6, price: 1_500 * e8)
        let r = try old.liquidate(
            liquidator: "bob",
            user: "alice",
            collateralAsset: "WETH",
            debtAsset: "USDX",
            debtToCover: 13_500 * e6
        )
        #expect(r.debtRepaid == 13_500 * e6)
    }

    // v3.3+ deficit: WETH at $1,200 ⇒ 10 WETH cover only 12000/1.05 = 11,428.571429 USDX (percentDiv ceil from v3.5);
    // the remaining 2,571.428571 is burned into the USDX deficit. v3.0 leaves it as debt.
    @Test func badDebtGoesToDeficitFromV33() throws {
        var pool = try AaveFixtures.position(.v37, weth: 10 * e18, usdx: 14_000 * e6, price: 1_200 * e8)
        let r = try pool.liquidate(
            liquidator: "bob",
            user: "alice",
            collateralAsset: "WETH",
            debtAsset: "USDX",
            debtToCover: AavePool.maxDebtToCover
        )
        #expect(r.debtRepaid == 11_428_571_429)
        #expect(r.deficits.first?.asset == "USDX")
        #expect(r.deficits.first?.amount == 14_000 * e6 - 11_428_571_429)
        #expect(try pool.reserve("USDX").deficit == 2_571_428_571)
        #expect(try pool.debtBalance("alice", "USDX") == 0)
        // v3.7 fee split: bonus part = 10 − floor(10/1.05) WETH, fee = ceil(10% of it).
        #expect(r.protocolFee == 47_619_047_619_047_620)
        #expect(r.collateralToLiquidator == 10 * e18 - 47_619_047_619_047_620)

        var old = try AaveFixtures.position(.v30, weth: 10 * e18, usdx: 14_000 * e6, price: 1_200 * e8)
        let o = try old.liquidate(
            liquidator: "bob",
            user: "alice",
            collateralAsset: "WETH",
            debtAsset: "USDX",
            debtToCover: AavePool.maxDebtToCover
        )
        #expect(o.deficits.isEmpty)
        #expect(try old.debtBalance("alice", "USDX") == 14_000 * e6 - o.debtRepaid)
    }

    @Test func healthyPositionCannotBeLiquidated() throws {
        var pool = try AaveFixtures.position(.v37, weth: e18, usdx: 1_000 * e6, price: 1_800 * e8)
        let snapshot = pool
        #expect(throws: LendingError.self) {
            try pool.liquidate(
                liquidator: "bob",
                user: "alice",
                collateralAsset: "WETH",
                debtAsset: "USDX",
                debtToCover: 1
            )
        }
        #expect(pool == snapshot)
    }

    @Test func borrowBeyondLtvRejected() throws {
        var pool = try AaveFixtures.pool(.v37)
        try pool.supply(user: "alice", asset: "WETH", amount: AaveFixtures.e18)
        // 1 WETH · $1,800 · 82.5% = $1,485.
        #expect(throws: LendingError.self) { try pool.borrow(user: "alice", asset: "USDX", amount: 1_486 * e6) }
        try pool.borrow(user: "alice", asset: "USDX", amount: 1_485 * e6)
        #expect(try pool.accountData("alice").availableBorrowsBase == 0)
    }

    // Isolation mode (v3.0–v3.6): debt ceiling in cents; only borrowable-in-isolation assets.
    @Test func isolationModeDebtCeiling() throws {
        var pool = AavePool(version: .v33)
        let s = try AaveRateStrategy(optimalUsageBps: 8_000, baseBps: 0, slope1Bps: 400, slope2Bps: 6_000)
        try pool.listReserve(
            try AaveReserveConfig(
                symbol: "ISO",
                decimals: 18,
                ltv: 5_000,
                liquidationThreshold: 6_000,
                liquidationBonus: 11_000,
                debtCeiling: 100_000,
                rateStrategy: s
            ),
            price: 10 * e8
        )
        try pool.listReserve(
            try AaveReserveConfig(
                symbol: "USDX",
                decimals: 6,
                ltv: 8_000,
                liquidationThreshold: 8_500,
                liquidationBonus: 10_500,
                borrowableInIsolation: true,
                rateStrategy: s
            ),
            price: e8
        )
        try pool.listReserve(
            try AaveReserveConfig(
                symbol: "DAI",
                decimals: 18,
                ltv: 8_000,
                liquidationThreshold: 8_500,
                liquidationBonus: 10_500,
                rateStrategy: s
            ),
            price: e8
        )
        try pool.supply(user: "lender", asset: "USDX", amount: 1_000_000 * e6)
        try pool.supply(user: "lender", asset: "DAI", amount: 1_000_000 * e18)
        try pool.supply(user: "alice", asset: "ISO", amount: 1_000 * e18)  // $10,000, LTV 50% ⇒ $5,000
        #expect(try pool.accountData("alice").isolatedCollateral == "ISO")
        #expect(throws: LendingError.self) { try pool.borrow(user: "alice", asset: "DAI", amount: 10 * e18) }
        // Ceiling $1,000.00 = 100,000 cents.
        try pool.borrow(user: "alice", asset: "USDX", amount: 900 * e6)
        #expect(try pool.reserve("ISO").isolationModeTotalDebt == 90_000)
        #expect(throws: LendingError.self) { try pool.borrow(user: "alice", asset: "USDX", amount: 101 * e6) }
        try pool.repay(user: "alice", asset: "USDX", amount: 400 * e6)
        #expect(try pool.reserve("ISO").isolationModeTotalDebt == 50_000)
        // v3.7 has no isolation mode.
        var modern = pool
        modern.version = .v37
        #expect(try modern.accountData("alice").isolatedCollateral == nil)
    }

    // E-mode: category parameters replace the reserve's for member collateral (lending.md §1.3).
    @Test func eModeRaisesBorrowingPower() throws {
        var pool = try AaveFixtures.pool(.v37)
        try pool.addEModeCategory(
            try AaveEModeCategory(
                id: 1,
                ltv: 9_000,
                liquidationThreshold: 9_300,
                liquidationBonus: 10_100,
                assets: ["WETH", "USDX"]
            )
        )
        try pool.supply(user: "alice", asset: "WETH", amount: e18)
        #expect(try pool.accountData("alice").availableBorrowsBase == 1_485 * e8)
        try pool.setUserEMode(user: "alice", category: 1)
        #expect(try pool.accountData("alice").availableBorrowsBase == 1_620 * e8)
        #expect(throws: LendingError.self) { try pool.borrow(user: "alice", asset: "WBTC", amount: 1) }
    }

    // Interest accrues: the borrower owes more, the treasury accrues the reserve factor, the lender earns.
    @Test func interestAccrualConservesValue() throws {
        var pool = try AaveFixtures.position(.v37, weth: 10 * e18, usdx: 10_000 * e6, price: 1_800 * e8)
        try pool.accrue(to: 365 * 86_400)
        let debt = try pool.debtBalance("alice", "USDX")
        let lender = try pool.supplyBalance("lender", "USDX")
        #expect(debt > 10_000 * e6)
        #expect(lender > 1_000_000 * e6)
        let r = try pool.reserve("USDX")
        let treasury = try WadRayMath.rayMul(r.accruedToTreasury, r.liquidityIndex)
        // Interest paid ≥ interest earned + treasury share (the protocol never pays out more than it charges).
        #expect(debt - 10_000 * e6 + 2 >= lender - 1_000_000 * e6 + treasury)
        #expect(throws: LendingError.self) { try pool.accrue(to: 10) }
    }

    // Toxic-liquidation frontier (lending.md §1.7): with C collateral and D debt (base value), repaying Δ removes
    // Δ·bonus of collateral, so LTV' = (D − Δ)/(C − Δ·bonus) > D/C ⇔ D/C > 1/bonus. Parameterized over the LTV.
    @Test(arguments: [8_700, 9_000, 9_400, 9_600, 9_800])
    func toxicFrontier(ltvBps: Int) throws {
        let debtUsd = UInt128(ltvBps) * 1_800 / 10  // debt value for 10 WETH at $1,800 and LTV ltvBps
        var pool = try AaveFixtures.pool(.v30)
        try pool.supply(user: "alice", asset: "WETH", amount: 10 * e18)
        try pool.borrow(user: "alice", asset: "USDX", amount: 14_000 * e6)
        // Move the price so that LTV = ltvBps: price = debt / (10 · ltv).
        let price = 14_000 * e8 * 10_000 / (10 * UInt128(ltvBps))
        try pool.setPrice("WETH", price)
        _ = debtUsd
        let before = try pool.accountData("alice")
        let ltvBefore = Double(before.totalDebtBase) / Double(before.totalCollateralBase)
        try pool.liquidate(
            liquidator: "bob",
            user: "alice",
            collateralAsset: "WETH",
            debtAsset: "USDX",
            debtToCover: 1_000 * e6
        )
        let after = try pool.accountData("alice")
        let ltvAfter = Double(after.totalDebtBase) / Double(after.totalCollateralBase)
        let toxic = Double(ltvBps) / 10_000 > 1 / 1.05
        #expect(toxic ? ltvAfter > ltvBefore : ltvAfter < ltvBefore, "LTV \(ltvBefore) → \(ltvAfter)")
    }

    // Property: a liquidation never seizes more than the collateral, never repays more than the debt, and the
    // liquidator's collateral plus the fee equals what the borrower lost.
    @Test func liquidationBoundsProperty() async {
        await propertyCheck(input: Gen.int(in: 1_000...1_799), Gen.int(in: 1...20_000)) { priceUsd, coverUsd in
            var pool = try AaveFixtures.position(
                .v30,
                weth: 10 * e18,
                usdx: 14_000 * e6,
                price: UInt128(priceUsd) * e8
            )
            guard try pool.accountData("alice").healthFactor < WadRayMath.wad else { return }
            let collBefore = try pool.supplyBalance("alice", "WETH")
            let debtBefore = try pool.debtBalance("alice", "USDX")
            let r = try pool.liquidate(
                liquidator: "bob",
                user: "alice",
                collateralAsset: "WETH",
                debtAsset: "USDX",
                debtToCover: UInt128(coverUsd) * e6
            )
            let collAfter = try pool.supplyBalance("alice", "WETH")
            #expect(r.collateralToLiquidator + r.protocolFee <= collBefore)
            #expect(r.debtRepaid <= debtBefore)
            #expect(collBefore - collAfter == r.collateralToLiquidator + r.protocolFee)
        }
    }
}
