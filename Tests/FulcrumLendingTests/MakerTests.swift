import FulcrumCore
import Testing

@testable import FulcrumLending

/// makerdao/dss `src/test/clip.t.sol` setUp: gold at $5 with mat 2 (spot 2.5), vault ink 40 / art 100, then the
/// price drops to $4 (spot 2, unsafe); dust 20 DAI, chop 1.1, hole = Hole = 1,000 DAI.
struct MakerTests {
    static let wad = WadRayMath.wad
    static let ray = WadRayMath.ray
    static func rad(_ wads: UInt128) -> UInt256 { UInt256.product(wads, ray) }

    static func system(
        buf: UInt128 = ray,
        calc: MakerAbacus = .stairstep(cut: ray - ray / 100, step: 1),
        cusp: UInt128 = 3 * ray / 10,
        tail: UInt64 = 3_600,
        hole: UInt256 = rad(1_000 * wad),
        chop: UInt128 = 11 * wad / 10,
        tip: UInt256 = .zero,
        chip: UInt128 = 0
    ) throws -> MakerSystem {
        var s = MakerSystem(globalHole: rad(1_000 * wad), time: 604_411_200)
        try s.addIlk(
            try MakerIlk(
                name: "gold",
                duty: ray,
                mat: 2 * ray,
                price: 5 * wad,
                chop: chop,
                hole: hole,
                dust: rad(20 * wad),
                buf: buf,
                tail: tail,
                cusp: cusp,
                chip: chip,
                tip: tip,
                calc: calc
            )
        )
        try s.lock(ilk: "gold", owner: "me", ink: 40 * wad)
        try s.draw(ilk: "gold", owner: "me", wad: 100 * wad)
        try s.setPrice(ilk: "gold", price: 4 * wad)
        return s
    }

    // clip.t.sol test_kick: tab = 110 RAD (100 · chop 1.1), lot = 40, top = $4 (buf 1), vault emptied, tip paid.
    @Test func barkKicksAuction() throws {
        var s = try Self.system(tip: Self.rad(100 * Self.wad))
        #expect(try s.isUnsafe(ilk: "gold", owner: "me"))
        let a = try s.bark(ilk: "gold", owner: "me", keeper: "ali")
        #expect(a.tab == Self.rad(110 * Self.wad))
        #expect(a.lot == 40 * Self.wad)
        #expect(a.top == 4 * Self.ray)
        #expect(s.vault(ilk: "gold", owner: "me") == MakerVault())
        #expect(s.keeperRewards == Self.rad(100 * Self.wad))
        #expect(s.globalDirt == a.tab)
    }

    // Keeper reward = tip + wmul(tab, chip) (dss src/clip.sol `kick`): 100 + 110 · 2% = 102.2 DAI.
    @Test func keeperRewardUsesTab() throws {
        var s = try Self.system(buf: 5 * Self.ray / 4, tip: Self.rad(100 * Self.wad), chip: Self.wad / 50)
        let a = try s.bark(ilk: "gold", owner: "me", keeper: "bob")
        #expect(a.top == 5 * Self.ray)
        #expect(s.keeperRewards == Self.rad(1_022 * Self.wad / 10))
    }

    // clip.t.sol test_bark_not_leaving_dust: hole 80, chop 1 ⇒ tab 80, lot 32, vault keeps ink 8 / art 20 (= dust).
    @Test func partialBarkAtDust() throws {
        var s = try Self.system(hole: Self.rad(80 * Self.wad), chop: Self.wad)
        let a = try s.bark(ilk: "gold", owner: "me", keeper: "k")
        #expect(a.tab == Self.rad(80 * Self.wad))
        #expect(a.lot == 32 * Self.wad)
        #expect(s.vault(ilk: "gold", owner: "me") == MakerVault(ink: 8 * Self.wad, art: 20 * Self.wad))
    }

    // clip.t.sol test_bark_not_leaving_dust_over_hole: room 80 DAI + 1 wei ⇒ the remainder would be dusty, so the
    // whole vault is taken (tab 100, lot 40).
    @Test func barkTakesWholeVaultRatherThanLeaveDust() throws {
        let hole = try Self.rad(80 * Self.wad).adding(UInt256(Self.ray))
        var s = try Self.system(hole: hole, chop: Self.wad)
        let a = try s.bark(ilk: "gold", owner: "me", keeper: "k")
        #expect(a.tab == Self.rad(100 * Self.wad))
        #expect(a.lot == 40 * Self.wad)
    }

    @Test func safeVaultCannotBeBarked() throws {
        var s = try Self.system()
        try s.setPrice(ilk: "gold", price: 5 * Self.wad)
        let snapshot = s
        #expect(throws: LendingError.self) { try s.bark(ilk: "gold", owner: "me", keeper: "k") }
        #expect(s == snapshot)
    }

    // clip.t.sol takeSetup (buf 1.25 ⇒ top $5) + test_take_over_tab: bid 25 at $5 ⇒ slice 22, owe 110, 18 returned.
    @Test func takeOverTab() throws {
        var s = try Self.system(buf: 5 * Self.ray / 4)
        try s.bark(ilk: "gold", owner: "me", keeper: "k")
        let t = try s.take(1, amount: 25 * Self.wad, maxPrice: 5 * Self.ray)
        #expect(t.slice == 22 * Self.wad)
        #expect(t.owe == Self.rad(110 * Self.wad))
        #expect(t.returnedToOwner == 18 * Self.wad)
        #expect(s.auctions[1] == nil)
        #expect(s.globalDirt == .zero)
    }

    // clip.t.sol test_take_under_tab: bid 11 at $5 ⇒ tab 55, lot 29, auction continues.
    @Test func takeUnderTab() throws {
        var s = try Self.system(buf: 5 * Self.ray / 4)
        try s.bark(ilk: "gold", owner: "me", keeper: "k")
        let t = try s.take(1, amount: 11 * Self.wad, maxPrice: 5 * Self.ray)
        #expect(t.tabLeft == Self.rad(55 * Self.wad))
        #expect(t.lotLeft == 29 * Self.wad)
        // testFail_take_bid_too_low: max $4 < price $5.
        #expect(throws: LendingError.self) { try s.take(1, amount: Self.wad, maxPrice: 4 * Self.ray) }
    }

    // clip.t.sol test_take_multiple_bids_different_prices: 10 at $5, then after 30 s (1%/s stairstep) the rest of the
    // tab (60) at price = 5·0.99³⁰; the buyer gets tab/price (floor), the owner the remainder.
    @Test func takeMultipleBidsDifferentPrices() throws {
        var s = try Self.system(buf: 5 * Self.ray / 4)
        try s.bark(ilk: "gold", owner: "me", keeper: "k")
        _ = try s.take(1, amount: 10 * Self.wad, maxPrice: 5 * Self.ray)
        try s.accrue(to: s.time + 30)
        let price = try MakerAbacus.stairstep(cut: Self.ray - Self.ray / 100, step: 1).price(
            top: 5 * Self.ray,
            elapsed: 30
        )
        let t = try s.take(1, amount: 30 * Self.wad, maxPrice: 4 * Self.ray)
        // (RAY · 60 ether) / price
        let expected = try WideMath.mulDiv(Self.ray, 60 * Self.wad, price, rounding: .floor)
        #expect(t.slice == expected)
        #expect(t.returnedToOwner == 30 * Self.wad - expected)
        #expect(t.tabLeft == .zero)
    }

    // clip.t.sol test_auction_reset_tail: linear tau 10 h, tail 1 h: no reset at 3,600 s, reset at 3,601 s; redo uses
    // the new price ($3 · 1.25 = $3.75).
    @Test func resetAfterTail() throws {
        var s = try Self.system(buf: 5 * Self.ray / 4, calc: .linear(tau: 36_000), cusp: Self.ray / 2)
        try s.bark(ilk: "gold", owner: "me", keeper: "k")
        try s.setPrice(ilk: "gold", price: 3 * Self.wad)
        let start = s.time
        try s.accrue(to: start + 3_600)
        #expect(try !s.status(1).needsRedo)
        #expect(throws: LendingError.self) { try s.redo(1, keeper: "k") }
        try s.accrue(to: start + 3_601)
        #expect(try s.status(1).needsRedo)
        #expect(throws: LendingError.self) { try s.take(1, amount: Self.wad, maxPrice: 5 * Self.ray) }
        try s.redo(1, keeper: "k")
        #expect(s.auctions[1]?.top == 375 * Self.ray / 100)
    }

    // clip.t.sol test_auction_reset_cusp: linear tau 1 h, cusp 50%: fine at 1,800 s (price exactly 50%), reset at 1,801 s.
    @Test func resetAtCusp() throws {
        var s = try Self.system(buf: 5 * Self.ray / 4, calc: .linear(tau: 3_600), cusp: Self.ray / 2)
        try s.bark(ilk: "gold", owner: "me", keeper: "k")
        let start = s.time
        try s.accrue(to: start + 1_800)
        #expect(try !s.status(1).needsRedo)
        try s.accrue(to: start + 1_801)
        #expect(try s.status(1).needsRedo)
    }

    // dss src/test/abaci.t.sol test_linear_decrease: tau 3600, top 1000 ⇒ 100 less every 360 s, 0 at 3600.
    @Test func linearDecrease() throws {
        let calc = MakerAbacus.linear(tau: 3_600)
        for k in 0...10 {
            let expected = k == 10 ? 0 : (1_000 - 100 * UInt128(k)) * Self.ray
            #expect(try calc.price(top: 1_000 * Self.ray, elapsed: UInt64(360 * k)) == expected)
        }
    }

    // abaci.t.sol test_stairstep_exp_decrease (checkExpDecrease): each step multiplies the last price by (1 − cut);
    // tolerance 10⁸ at top = 50M (precision loss at high prices) and 1 at top = 10⁻⁷.
    @Test(arguments: [(UInt64(1), UInt128(1_123_456_789)), (5, 2_123_456_789), (300, 1_123_456_789)])
    func stairstepMatchesIteration(step: UInt64, percentE9: UInt128) throws {
        let percent = percentE9 * 1_000_000_000_000_000 / 100  // 1.123456789% in ray
        let calc = MakerAbacus.stairstep(cut: Self.ray - percent, step: step)
        for (top, tolerance) in [(50_000_000 * Self.ray, UInt128(100_000_000)), (Self.ray / 10_000_000, 1)] {
            var last = try calc.price(top: top, elapsed: 0)
            #expect(last == top)
            for i in 1..<UInt64(600) {
                let price = try calc.price(top: top, elapsed: i)
                let test =
                    i % step == 0 ? try WideMath.mulDiv(last, Self.ray - percent, Self.ray, rounding: .floor) : last
                let diff = test > price ? test - price : price - test
                #expect(diff <= tolerance, "step \(step) t \(i): \(price) vs \(test)")
                last = price
            }
        }
    }

    // Jug stability fee: duty 1.000000001547125957863212448 (the well-known 5%/yr per-second rate) compounds to 1.05
    // after 365 days (rpow, dss src/jug.sol).
    @Test func stabilityFeeCompounds() throws {
        var s = try Self.system()
        s.ilks["gold"]?.duty = 1_000_000_001_547_125_957_863_212_448
        try s.accrue(to: s.time + 31_536_000)
        let rate = try #require(s.ilks["gold"]?.rate)
        #expect(rate > 1_049_999_999_000_000_000_000_000_000 && rate < 1_050_000_001_000_000_000_000_000_000)
        #expect(try s.debt(ilk: "gold", owner: "me") > Self.rad(104 * Self.wad))
    }
}
