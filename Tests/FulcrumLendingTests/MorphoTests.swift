import FulcrumCore
import PropertyBased
import Testing

@testable import FulcrumLending

struct MorphoTests {
    static let wad = MorphoMath.wad
    static let scale = MorphoMath.oraclePriceScale

    // lending.md §5.5 (DERIVED from morpho-org/morpho-blue src/Morpho.sol `liquidate`): LIF for common LLTVs,
    // to the 5 decimals published there.
    @Test(arguments: [
        ("0.385", "1.15"), ("0.625", "1.12676"), ("0.77", "1.07411"), ("0.86", "1.04384"), ("0.915", "1.02617"),
        ("0.945", "1.01678"), ("0.965", "1.01061"), ("0.98", "1.00604"),
    ])
    func incentiveFactor(lltv: String, expected: String) throws {
        let l = try LendingDecimal.parse(lltv, decimals: 18, field: "lltv")
        let lif = try MorphoMath.liquidationIncentiveFactor(lltv: l)
        let want = try LendingDecimal.parse(expected, decimals: 18, field: "lif")
        let diff = lif > want ? lif - want : want - lif
        #expect(diff <= 5_000_000_000_000, "\(lif)")
    }

    // morpho-blue test/forge/integration/SupplyIntegrationTest.sol: the first supply mints assets · VIRTUAL_SHARES.
    @Test func firstSupplyShares() throws {
        var m = try MorphoMarket(lltv: 8 * Self.wad / 10, price: Self.scale)
        let shares = try m.supply(user: "s", assets: 1_000)
        #expect(shares == 1_000 * MorphoMath.virtualShares)
    }

    // Tiny amounts: borrowing 1 wei mints ceil shares, repaying 1 wei burns floor shares — never in the user's favour.
    @Test func tinyAmountRoundsAgainstUser() throws {
        var m = try MorphoMarket(lltv: 8 * Self.wad / 10, price: Self.scale)
        try m.supply(user: "s", assets: 3)
        try m.supplyCollateral(user: "b", assets: 100)
        try m.borrow(user: "b", assets: 1)
        try m.borrow(user: "b", assets: 1)
        let debt = try m.debt("b")
        #expect(debt >= 2)
        let repaidShares = try MorphoMath.toShares(
            1,
            totalAssets: m.totalBorrowAssets,
            totalShares: m.totalBorrowShares,
            .floor
        )
        let borrowShares = try MorphoMath.toShares(
            1,
            totalAssets: m.totalBorrowAssets,
            totalShares: m.totalBorrowShares,
            .ceil
        )
        #expect(repaidShares <= borrowShares)
    }

    // Liquidation worked by hand from Morpho.sol: LLTV 0.8, 100 collateral at 1:1, 80 borrowed, price → 0.9 ⇒
    // maxBorrow 72 < 80. Seizing 50 collateral quotes 45 loan units, repaid = ceil(45 / LIF(0.8)) in shares.
    @Test func liquidateSeizedGiven() throws {
        var m = try MorphoMarket(lltv: 8 * Self.wad / 10, price: Self.scale)
        try m.supply(user: "s", assets: 1_000 * Self.wad)
        try m.supplyCollateral(user: "b", assets: 100 * Self.wad)
        try m.borrow(user: "b", assets: 80 * Self.wad)
        #expect(try m.isHealthy("b"))
        m.price = 9 * Self.scale / 10
        #expect(try !m.isHealthy("b"))
        let lif = m.liquidationIncentiveFactor
        #expect(lif == 1_063_829_787_234_042_553)  // 1/(1 − 0.3·0.2) = 1/0.94
        let r = try m.liquidate(borrower: "b", seizedAssets: 50 * Self.wad, repaidShares: 0)
        #expect(r.seizedAssets == 50 * Self.wad)
        let expectedRepaid = try WideMath.mulDiv(45 * Self.wad, Self.wad, lif, rounding: .ceil)
        #expect(r.repaidAssets >= expectedRepaid && r.repaidAssets <= expectedRepaid + 1)
        #expect(r.badDebtAssets == 0)
    }

    // Bad debt: seizing all collateral leaves debt with no collateral ⇒ socialized (both totals fall by it).
    @Test func badDebtSocialized() throws {
        var m = try MorphoMarket(lltv: 8 * Self.wad / 10, price: Self.scale)
        try m.supply(user: "s", assets: 1_000 * Self.wad)
        try m.supplyCollateral(user: "b", assets: 100 * Self.wad)
        try m.borrow(user: "b", assets: 80 * Self.wad)
        m.price = Self.scale / 2
        let supplyBefore = m.totalSupplyAssets
        let r = try m.liquidate(borrower: "b", seizedAssets: 100 * Self.wad, repaidShares: 0)
        #expect(r.badDebtAssets > 0)
        #expect(m.totalSupplyAssets == supplyBefore - r.badDebtAssets)
        #expect(m.borrowShares["b"] == 0)
        #expect(m.totalBorrowAssets == 0 && m.totalBorrowShares == 0)
        // Repaid (≈ 50/1.0638 = 47) + bad debt = the 80 owed (± rounding).
        let total = r.repaidAssets + r.badDebtAssets
        #expect(total >= 80 * Self.wad - 1 && total <= 80 * Self.wad + 1)
    }

    @Test func healthyCannotBeLiquidatedAndInputsExclusive() throws {
        var m = try MorphoMarket(lltv: 8 * Self.wad / 10, price: Self.scale)
        try m.supply(user: "s", assets: 1_000)
        try m.supplyCollateral(user: "b", assets: 100)
        try m.borrow(user: "b", assets: 80)  // exactly at LLTV: healthy (maxBorrow ≥ borrowed)
        let snapshot = m
        #expect(throws: LendingError.self) { try m.liquidate(borrower: "b", seizedAssets: 1, repaidShares: 0) }
        #expect(throws: LendingError.self) { try m.borrow(user: "b", assets: 1) }
        #expect(m == snapshot)
        m.price = Self.scale / 2
        #expect(throws: LendingError.self) { try m.liquidate(borrower: "b", seizedAssets: 1, repaidShares: 1) }
    }

    // Property (conservation): after interest, liquidations and bad debt, Σ of every supplier's assets (rounded
    // down) never exceeds totalSupplyAssets, borrowed never exceeds supplied, and seized ≤ collateral.
    @Test func sharesConservation() async {
        await propertyCheck(input: Gen.int(in: 1...1_000_000), Gen.int(in: 1...99), Gen.int(in: 1...100)) {
            amount,
            pct,
            drop in
            let a = UInt128(amount) * 1_000_000_000_000
            var m = try MorphoMarket(
                lltv: 86 * Self.wad / 100,
                price: Self.scale,
                borrowRatePerSecond: 3_000_000_000,
                fee: Self.wad / 10
            )
            try m.supply(user: "s1", assets: a)
            try m.supply(user: "s2", assets: a / 3 + 1)
            try m.supplyCollateral(user: "b", assets: a)
            let borrow = a * UInt128(pct) * 86 / 10_000
            guard borrow > 0 else { return }
            try m.borrow(user: "b", assets: borrow)
            try m.accrue(to: 86_400 * 30)
            m.price = Self.scale * UInt128(101 - drop) / 100
            if try !m.isHealthy("b") {
                let collateral = m.collateral["b"] ?? 0
                let r = try? m.liquidate(borrower: "b", seizedAssets: 0, repaidShares: m.borrowShares["b"] ?? 0)
                if let r {
                    #expect(r.seizedAssets <= collateral)
                } else {
                    let r2 = try m.liquidate(borrower: "b", seizedAssets: collateral, repaidShares: 0)
                    #expect(r2.seizedAssets == collateral)
                }
            }
            var claims: UInt128 = 0
            for user in ["s1", "s2", MorphoMarket.feeRecipient] {
                claims += try MorphoMath.toAssets(
                    m.supplyShares[user] ?? 0,
                    totalAssets: m.totalSupplyAssets,
                    totalShares: m.totalSupplyShares,
                    .floor
                )
            }
            #expect(claims <= m.totalSupplyAssets)
            #expect(m.totalBorrowAssets <= m.totalSupplyAssets)
        }
    }
}
