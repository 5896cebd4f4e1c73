import FulcrumCore
import Testing

@testable import FulcrumLending

struct AaveInterestTests {
    let ray = WadRayMath.ray
    let halfYear: UInt64 = 365 * 86_400 / 2

    // aave-dao/aave-v3-origin tests/protocol/libraries/math/MathUtils.t.sol test_calculateLinearInterest:
    // 100.05%/yr for half a year → 1.50025.
    @Test func linearInterest() throws {
        #expect(try AaveInterest.linear(rate: 10_005 * ray / 10_000, seconds: halfYear) == 150_025 * ray / 100_000)
    }

    // aave-dao/aave-v3-origin tests/protocol/libraries/math/MathUtils.t.sol test_calculateCompoundInterest_1
    // (pre-3.4 binomial, identical to aave/aave-v3-core MathUtils.sol): 1.646239361880034706419516000e27.
    @Test func binomialCompounding() throws {
        let r = try AaveInterest.binomial(rate: 10_005 * ray / 10_000, seconds: halfYear)
        #expect(r == 1_646_239_361_880_034_706_419_516_000)
        // test_calculateCompoundInterest_edge
        #expect(try AaveInterest.binomial(rate: 10_005 * ray / 10_000, seconds: 0) == ray)
    }

    // v3.4+ Taylor eˣ (aave-v3-origin MathUtils.sol `RAY + x + x⊗(x/2 + x⊗(x/6))`): for x = 0.50025,
    // 1 + x + x²/2 + x³/6 = 1.6462396302109375 exactly in ray with half-up rayMul (hand-computed).
    @Test func taylorCompounding() throws {
        let r = try AaveInterest.taylor(rate: 10_005 * ray / 10_000, seconds: halfYear)
        #expect(r == 1_646_239_630_210_937_500_000_000_000)
        // Both approximations under-accrue versus e^0.50025 = 1.64914…, Taylor less so than binomial here.
        #expect(r > (try AaveInterest.binomial(rate: 10_005 * ray / 10_000, seconds: halfYear)))
        #expect(r < 1_649_145_000_000_000_000_000_000_000)
    }

    // lending.md §1.5: "the upstream compounding test tolerates 0.3% at 8%/7y" versus continuous compounding.
    @Test func compoundingWithinUpstreamTolerance() throws {
        let seven = UInt64(7 * 365 * 86_400)
        let exact = 1_750_672_494_000_000_000_000_000_000 as UInt128  // e^0.56 = 1.750672494…
        for version in [AaveVersion.v30, .v37] {
            let r = try AaveInterest.compounded(rate: 8 * ray / 100, seconds: seven, version: version)
            let diff = exact > r ? exact - r : r - exact
            #expect(diff * 1_000 <= exact * 3, "\(version) off by \(diff)")
        }
    }

    // DefaultReserveInterestRateStrategyV2: at U = Uopt the rate is base + slope1; above, slope2 applies linearly.
    @Test func rateStrategyKink() throws {
        let s = try AaveRateStrategy(optimalUsageBps: 8_000, baseBps: 0, slope1Bps: 400, slope2Bps: 6_000)
        let atKink = try s.rates(debt: 80, available: 20, deficit: 0, reserveFactorBps: 1_000)
        #expect(atKink.borrow == 4 * ray / 100)
        // supply = borrow · U · (1 − RF) = 0.04 · 0.8 · 0.9 = 0.0288
        #expect(atKink.supply == 288 * ray / 10_000)
        let full = try s.rates(debt: 100, available: 0, deficit: 0, reserveFactorBps: 1_000)
        #expect(full.borrow == 64 * ray / 100)
        #expect(try s.rates(debt: 0, available: 100, deficit: 0, reserveFactorBps: 1_000) == (0, 0))
        #expect(throws: LendingError.self) {
            try AaveRateStrategy(optimalUsageBps: 50, baseBps: 0, slope1Bps: 1, slope2Bps: 2)
        }
    }
}
