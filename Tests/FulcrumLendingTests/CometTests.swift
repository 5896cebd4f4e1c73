import FulcrumCore
import Testing

@testable import FulcrumLending

struct CometTests {
    static let wad = WadRayMath.wad
    static let e6: UInt128 = 1_000_000
    static let e8: UInt128 = 100_000_000

    /// cUSDCv3 launch parameters (compound-finance/comet deployments/mainnet/usdc/configuration.json, lending.md
    /// §2.2–2.3): WETH BCF 0.825 / LCF 0.895 / LF 0.95, storefront 0.5, target reserves 5M, borrowMin 100 USDC.
    static func market(zeroRates: Bool = false) throws -> CometMarket {
        let supply = CometRateCurve(
            kink: 8 * wad / 10,
            basePerYear: 0,
            slopeLowPerYear: zeroRates ? 0 : 325 * wad / 10_000,
            slopeHighPerYear: zeroRates ? 0 : 4 * wad / 10
        )
        let borrow = CometRateCurve(
            kink: 8 * wad / 10,
            basePerYear: zeroRates ? 0 : 15 * wad / 1_000,
            slopeLowPerYear: zeroRates ? 0 : 35 * wad / 1_000,
            slopeHighPerYear: zeroRates ? 0 : 25 * wad / 100
        )
        var m = try CometMarket(
            baseSymbol: "USDC",
            baseDecimals: 6,
            basePrice: e8,
            supplyCurve: supply,
            borrowCurve: borrow,
            storeFrontPriceFactor: wad / 2,
            targetReserves: 5_000_000 * e6,
            baseBorrowMin: 100 * e6
        )
        try m.addAsset(
            try CometAsset(
                symbol: "WETH",
                decimals: 18,
                price: 3_000 * e8,
                borrowCollateralFactor: 825 * wad / 1_000,
                liquidateCollateralFactor: 895 * wad / 1_000,
                liquidationFactor: 95 * wad / 100
            )
        )
        try m.supply(user: "lender", asset: "USDC", amount: 1_000_000 * e6)
        return m
    }

    // compound-finance/comet test/absorb-test.ts "absorbs 1 account and pays out the absorber": principal −100 with
    // no collateral, zero rates ⇒ the account is reset to 0, totalBorrowBase drops by 100 and reserves pay 100.
    @Test func absorbDebtOnlyAccount() throws {
        var m = try Self.market(zeroRates: true)
        m.setPrincipal("underwater", -100)
        let r0 = try m.reserves()
        let a = try m.absorb(absorber: "absorber", account: "underwater")
        #expect(m.principals["underwater"] == 0)
        #expect(m.totalBorrowBase == 0)
        #expect(a.basePaidOut == 100)
        #expect(try m.reserves() == r0 - 100)
    }

    // Hand-computed from Comet.sol absorb (lending.md §2.4): 1 WETH at $2,600 against 2,400 USDC debt: liquidity under
    // LCF = 2600·0.895 − 2400 = −73 < 0; the account is credited 2600·0.95 = 2,470 ⇒ new balance +70 USDC.
    @Test func absorbWithCollateralThenBuy() throws {
        var m = try Self.market(zeroRates: true)
        try m.supply(user: "alice", asset: "WETH", amount: Self.wad)
        try m.withdraw(user: "alice", asset: "USDC", amount: 2_400 * Self.e6)
        // Borrow capacity is 3000 · 0.825 = 2,475.
        #expect(throws: LendingError.self) { try m.withdraw(user: "alice", asset: "USDC", amount: 100 * Self.e6) }
        try m.setPrice("WETH", 2_600 * Self.e8)
        #expect(try m.isLiquidatable("alice"))
        let a = try m.absorb(absorber: "bot", account: "alice")
        #expect(a.deltaValue == 2_470 * Self.e8)
        #expect(a.basePaidOut == 2_470 * Self.e6)
        #expect(try m.presentValue(m.principals["alice"] ?? 0) == 70 * Int128(Self.e6))
        #expect(m.collateralReserves("WETH") == Self.wad)
        // Storefront price = 2600 · (1 − 0.5·0.05) = 2535 ⇒ 2,535 USDC buys exactly 1 WETH.
        #expect(try m.quoteCollateral("WETH", baseAmount: 2_535 * Self.e6) == Self.wad)
        let bought = try m.buyCollateral(buyer: "arb", asset: "WETH", minAmount: 0, baseAmount: 2_535 * Self.e6)
        #expect(bought == Self.wad)
        #expect(m.collateralReserves("WETH") == 0)
    }

    @Test func notForSaleAtTargetAndBorrowMin() throws {
        var m = try Self.market(zeroRates: true)
        m.targetReserves = 0
        #expect(throws: LendingError.self) {
            try m.buyCollateral(buyer: "x", asset: "WETH", minAmount: 0, baseAmount: 1)
        }
        try m.supply(user: "bob", asset: "WETH", amount: Self.wad)
        // BorrowTooSmall: below baseBorrowMin.
        #expect(throws: LendingError.self) { try m.withdraw(user: "bob", asset: "USDC", amount: 99 * Self.e6) }
    }

    // Linear index accrual (Comet.sol accruedInterestIndices): index += index·rate·Δt/1e18, rate from the kinked curve.
    @Test func accrualIsLinearWithinOneStep() throws {
        var m = try Self.market()
        try m.supply(user: "alice", asset: "WETH", amount: 300 * Self.wad)
        try m.withdraw(user: "alice", asset: "USDC", amount: 500_000 * Self.e6)  // U = 50%
        let u = try m.utilization()
        #expect(u == Self.wad / 2)
        let rate = try m.borrowCurve.rate(utilization: u)
        try m.accrue(to: 86_400)
        let expected = CometMarket.baseIndexScale + CometMarket.baseIndexScale * rate * 86_400 / Self.wad
        #expect(m.baseBorrowIndex == expected)
        let supplyRate = try m.supplyCurve.rate(utilization: u)
        #expect(
            m.baseSupplyIndex == CometMarket.baseIndexScale + CometMarket.baseIndexScale * supplyRate * 86_400
                / Self.wad
        )
        // At U = 50% the launch curves pay suppliers 1.625%·1M = borrowers' 3.25%·500k: reserves stay ≈ 0.
        #expect(try m.reserves() <= 1 && m.reserves() >= -1_000)
    }
}
