import FulcrumCore
import PropertyBased
import Testing

@testable import FulcrumLending

struct WadRayMathTests {
    let ray = WadRayMath.ray
    let wad = WadRayMath.wad

    // aave-dao/aave-v3-origin tests/protocol/libraries/math/WadRayMath.t.sol test_rayMul / test_rayDiv / test_wadDiv.
    @Test func aaveUpstreamExamples() throws {
        #expect(try WadRayMath.rayMul(25 * ray / 10, ray / 2) == 125 * ray / 100)
        #expect(try WadRayMath.rayMul(4122 * ray / 10, ray) == 4122 * ray / 10)
        #expect(try WadRayMath.rayMul(6 * ray, 2 * ray) == 12 * ray)
        #expect(try WadRayMath.rayDiv(25 * ray / 10, ray / 2) == 5 * ray)
        #expect(try WadRayMath.rayDiv(8745 * ray / 1000, 67 * ray / 100) == 13_052_238_805_970_149_253_731_343_284)
        #expect(try WadRayMath.wadDiv(8745 * wad / 1000, 67 * wad / 100) == 13_052_238_805_970_149_254)
        #expect(try WadRayMath.wadMul(25 * wad / 10, wad / 2) == 125 * wad / 100)
    }

    // Tiny-amount rounding: half-up rounds 0.5 wei up, floor/ceil straddle it (WadRayMath.sol HALF_RAY semantics).
    @Test func tinyAmountRounding() throws {
        #expect(try WadRayMath.rayMul(1, ray / 2, .halfUp) == 1)
        #expect(try WadRayMath.rayMul(1, ray / 2 - 1, .halfUp) == 0)
        #expect(try WadRayMath.rayMul(1, ray / 2, .floor) == 0)
        #expect(try WadRayMath.rayMul(1, 1, .ceil) == 1)
        #expect(try WadRayMath.percentMul(1, 5_000) == 1)
        #expect(try WadRayMath.percentMul(1, 4_999) == 0)
    }

    @Test func overflowIsAnError() {
        #expect(throws: ArithmeticError.self) { try WadRayMath.rayMul(UInt128.max, 2 * ray) }
        #expect(throws: ArithmeticError.self) { try WadRayMath.rayDiv(1, 0) }
    }

    // Property: the exact 256-bit mulDiv agrees with the definition on values whose product fits 128 bits, and
    // floor ≤ halfUp ≤ ceil ≤ floor + 1.
    @Test func mulDivMatchesDefinition() async {
        await propertyCheck(input: Gen.int(in: 0...Int.max), Gen.int(in: 0...Int.max), Gen.int(in: 1...Int.max)) {
            a,
            b,
            d in
            let (a, b, d) = (UInt128(a), UInt128(b), UInt128(d))
            let f = try WideMath.mulDiv(a, b, d, rounding: .floor)
            let h = try WideMath.mulDiv(a, b, d, rounding: .halfUp)
            let c = try WideMath.mulDiv(a, b, d, rounding: .ceil)
            #expect(f == a * b / d)
            #expect(f <= h && h <= c && c <= f + 1)
            #expect(h == (a * b + d / 2) / d)
        }
    }

    // makerdao/dss src/test/jug.t.sol uses rpow(x, n) = xⁿ in ray; exact for small integers and for 1.
    @Test func rpowExact() throws {
        #expect(try WadRayMath.rpow(2 * ray, 10) == 1024 * ray)
        #expect(try WadRayMath.rpow(ray, 1_000_000) == ray)
        #expect(try WadRayMath.rpow(0, 0) == ray)
        #expect(try WadRayMath.rpow(0, 5) == 0)
    }

    @Test func decimalParsing() throws {
        #expect(try LendingDecimal.parse("1.5", decimals: 18, field: "x") == 15 * wad / 10)
        #expect(try LendingDecimal.parse("1e-6", decimals: 6, field: "x") == 1)
        #expect(LendingDecimal.format(1_500_000, decimals: 6) == "1.5")
        #expect(throws: ArithmeticError.self) { try LendingDecimal.parse("0.0000001", decimals: 6, field: "x") }
        #expect(throws: ArithmeticError.self) { try LendingDecimal.parse("-1", decimals: 6, field: "x") }
        #expect(throws: ArithmeticError.self) { try LendingDecimal.parse("abc", decimals: 6, field: "x") }
    }

    @Test func uint256DivisionAndText() throws {
        let big = UInt256.product(UInt128.max, UInt128.max)
        let (q, r) = try big.quotientAndRemainder(dividingBy: UInt128.max)
        #expect(q == UInt256(UInt128.max))
        #expect(r == 0)
        #expect(
            UInt256.product(10_000_000_000_000_000_000, 10_000_000_000_000_000_000).description == "1"
                + String(repeating: "0", count: 38)
        )
    }
}
