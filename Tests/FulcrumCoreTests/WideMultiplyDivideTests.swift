import PropertyBased
import Testing

@testable import FulcrumCore

/// `FixedMath.multiplyDivide` past a 128-bit product: the 256-bit path must give exactly what the 128-bit path gives
/// wherever both apply, and the correctly rounded quotient where only it does; `FixedMath.divide`'s 64-bit fast path
/// must equal the general division.
@Suite("Wide multiply-divide")
struct WideMultiplyDivideTests {
    static let rules: [RoundingRule] = [.towardZero, .down, .up, .awayFromZero, .halfEven]

    /// An Int128 from two draws (`high · 2⁶⁴ + low`), so both halves are exercised.
    static func wide(_ high: Int64, _ low: Int64) -> Int128 {
        Int128(high) << 64 | Int128(UInt64(bitPattern: low))
    }

    /// The division by the scale without a 128-bit division equals `dividingFullWidth` for every high half below
    /// 10⁸: random halves, the extremes (0, 10⁸ − 1, `UInt64.max`) and low halves on either side of the carry of
    /// `high·9,551,616 + low` past 2⁶⁴.
    @Test func divisionByTheScaleEqualsTheFullWidthDivision() async {
        await propertyCheck(
            input: Gen.uint64(in: 0...99_999_999),
            Gen.uint64(in: 0...UInt64.max),
            Gen.uint64(in: 0...2_000_000)
        ) { high, low, offset in
            let carryEdge = UInt64.max - high &* 9_551_616  // the largest low half that does not carry
            for h in [high, 0, 99_999_999] {
                for l in [low, 0, UInt64.max, carryEdge, carryEdge &+ 1, carryEdge &- offset, carryEdge &+ offset] {
                    let expected = UInt64(100_000_000).dividingFullWidth((high: h, low: l))
                    let actual = FixedMath.divideByScale(high: h, low: l)
                    #expect(actual == expected, "high \(h) low \(l)")
                }
            }
        }
    }

    /// The inlined scaled product `a · b / 10⁸` equals the general ``FixedMath/multiplyDivide(_:_:_:rounding:)`` for
    /// every rule: operands of every magnitude and sign (the extremes included, so products whose quotient needs
    /// more than 64 bits take the fallback), products just off a multiple of 10⁸ (every rounding decision), and exact
    /// halves (the half-even tie). The narrowing of the result to 64 bits agrees with `Int64(exactly:)`.
    @Test func scaledProductEqualsTheGeneralMultiplyDivide() async {
        await propertyCheck(
            input: Gen.int64(in: Int64.min...Int64.max),
            Gen.int64(in: Int64.min...Int64.max),
            Gen.int64(in: 0...63),
            Gen.int64(in: -3...3)
        ) { a, b, shift, nudge in
            let small = b >> shift  // products of every width
            let half: Int64 = 50_000_000
            for (x, y) in [
                (a, b), (a, small), (small, a), (a, 1), (Int64.min, b), (Int64.max, Int64.max), (Int64.min, Int64.min),
                (a >> shift, 100_000_000 + nudge), (half + nudge, 1), (-half + nudge, 1), (3 * half + nudge, 1),
            ] {
                for rule in Self.rules {
                    let fast = Result { () throws(ArithmeticError) in
                        try FixedMath.scaledProduct(x, y, rounding: rule)
                    }
                    let general = Result { () throws(ArithmeticError) in
                        try FixedMath.multiplyDivide(Int128(x), Int128(y), 100_000_000, rounding: rule)
                    }
                    #expect((try? fast.get()) == (try? general.get()), "\(x) × \(y) / 10⁸, \(rule)")
                    if let value = try? general.get() {
                        #expect((try? FixedMath.narrow(value, field: "x")) == Int64(exactly: value), "narrow \(value)")
                    }
                }
            }
        }
    }

    /// `divide`'s 128-by-64-bit fast path equals the general 128-bit division for every rule: numerators of
    /// every width and sign (including `Int128.min`), divisors below and above 2⁶⁴ and negative ones (which take the
    /// general path), quotients that fit in 64 bits and ones that do not.
    @Test func divisionFastPathEqualsTheGeneralPath() async {
        await propertyCheck(
            input: Gen.int64(in: Int64.min...Int64.max),
            Gen.int64(in: Int64.min...Int64.max),
            Gen.int64(in: 0...127),
            Gen.int64(in: Int64.min...Int64.max),
            Gen.int64(in: 0...70)
        ) { high, low, shift, divisorBits, divisorShift in
            let numerator = Self.wide(high, low) >> Int128(shift)
            var divisor = Int128(UInt64(bitPattern: divisorBits)) >> Int128(divisorShift)
            if divisorShift > 66 { divisor = -divisor - 1 }  // a negative divisor
            if divisorShift == 0 { divisor <<= 3 }  // above 2⁶⁴
            if divisorShift == 1 || divisorShift == 2 { divisor = 100_000_000 }  // the scale, the common divisor
            for value in [numerator, Int128.min, Int128.max, -numerator] {
                guard divisor != 0 else {
                    #expect(throws: ArithmeticError.self) { try FixedMath.divide(value, by: 0, rounding: .down) }
                    continue
                }
                for rule in Self.rules {
                    let fast = Result { () throws(ArithmeticError) in
                        try FixedMath.divide(value, by: divisor, rounding: rule)
                    }
                    let general = Result { () throws(ArithmeticError) in
                        try FixedMath.divideWide(value, by: divisor, rounding: rule)
                    }
                    #expect(
                        (try? fast.get()) == (try? general.get()),
                        "\(value) / \(divisor), \(rule)"
                    )
                }
            }
        }
    }

    /// Division by the scale (10⁸, the most common divisor) equals the general division at the edges of the fast
    /// path: the largest numerators whose quotient fits in 64 bits, the first that does not, and both signs.
    @Test func divisionByTheScaleAtItsEdges() throws {
        let scale: Int128 = 100_000_000
        let limit = Int128(100_000_000) << 64  // the first |n| whose quotient needs 65 bits
        let values: [Int128] = [
            0, 1, scale - 1, scale, scale + 1, Int128(UInt64.max), Int128(UInt64.max) + 1, limit - 1, limit, limit + 1,
            limit - scale, limit - scale / 2, limit - scale / 2 - 1, Int128.max, Int128.min,
        ]
        for value in values + values.map({ 0 &- $0 }) {
            for rule in Self.rules {
                let fast = try FixedMath.divide(value, by: scale, rounding: rule)
                #expect(fast == (try FixedMath.divideWide(value, by: scale, rounding: rule)), "\(value), \(rule)")
            }
        }
    }

    /// Where the product fits in 128 bits the wide path equals the 128-bit path, for every rounding rule.
    @Test func equalsTheNarrowPathWhereTheProductFits() async {
        await propertyCheck(
            input: Gen.int64(in: Int64.min...Int64.max),
            Gen.int64(in: -(1 << 62)...(1 << 62)),
            Gen.int64(in: Int64.min...Int64.max),
            Gen.int64(in: -(1 << 40)...(1 << 40))
        ) { a, b, dLow, dHigh in
            let n = Int128(a)
            let m = Int128(b)
            let d = Self.wide(dHigh, dLow)
            guard d != 0, n != 0, m != 0 else { return }
            for rule in Self.rules {
                let narrow = try FixedMath.divide(n * m, by: d, rounding: rule)
                #expect(try FixedMath.multiplyDivideWide(n, m, d, rounding: rule) == narrow, "\(rule)")
            }
        }
    }

    /// Past 128 bits: |q|·|d| and (|q| ± 1)·|d|, formed in 256 bits by the standard library, bracket |a·b| as the
    /// rule says, and the sign is the exact quotient's.
    @Test func roundsTheExactQuotientPast128Bits() async {
        await propertyCheck(
            input: Gen.int64(in: 1 << 40...Int64.max),
            Gen.int64(in: Int64.min...Int64.max),
            Gen.int64(in: 1 << 40...Int64.max),
            Gen.int64(in: Int64.min...Int64.max),
            Gen.int64(in: 1 << 20...Int64.max),
            Gen.int64(in: 0...7)
        ) { aHigh, aLow, bHigh, bLow, dHigh, signs in
            let a = Self.wide(aHigh >> 22, aLow) * (signs & 1 == 0 ? 1 : -1)
            let b = Self.wide(bHigh >> 22, bLow) * (signs & 2 == 0 ? 1 : -1)
            let d = Self.wide(dHigh, 0) * (signs & 4 == 0 ? 1 : -1)
            #expect(a.multipliedReportingOverflow(by: b).overflow, "the case must need the wide path")
            let product = a.magnitude.multipliedFullWidth(by: b.magnitude)
            let negative = ((a < 0) != (b < 0)) != (d < 0)
            for rule in Self.rules {
                let q = try FixedMath.multiplyDivide(a, b, d, rounding: rule)
                #expect(q == 0 || (q < 0) == negative)
                let below = q.magnitude.multipliedFullWidth(by: d.magnitude)
                let truncated = below <= product && (q.magnitude + 1).multipliedFullWidth(by: d.magnitude) > product
                let raised = below >= product && (q.magnitude - 1).multipliedFullWidth(by: d.magnitude) < product
                switch rule {
                case .towardZero: #expect(truncated)
                case .awayFromZero: #expect(raised)
                case .down: #expect(negative ? raised : truncated)
                case .up: #expect(negative ? truncated : raised)
                case .halfEven: #expect(truncated || raised)
                }
            }
        }
    }

    /// The case that made a liquidation sweep fail: an inverse (BitMEX XBTUSD) bankruptcy price at a very large
    /// size, `P · exposure / (exposure + E · P)` with `P · exposure` ≈ 2.3 · 10³⁸ > Int128.max.
    @Test func inverseBankruptcyPriceAtAnExtremeSize() throws {
        let price: Int128 = 6_000_000_000_000
        let exposure: Int128 = -38_207_754_000_000_000_000_000_000
        let denominator: Int128 = -40_968_537_212_820_000_000_000_000
        let up = try FixedMath.multiplyDivide(price, exposure, denominator, rounding: .up)
        let down = try FixedMath.multiplyDivide(price, exposure, denominator, rounding: .down)
        // 6·10¹² · 38,207,754 / 40,968,537.21282 = 5,595,672,669,715.52… (Python fractions): up and down.
        #expect(up == 5_595_672_669_716)
        #expect(down == 5_595_672_669_715)
        #expect(throws: ArithmeticError.self) {
            try FixedMath.multiplyDivide(Int128.max, Int128.max, 3, rounding: .down)
        }
        #expect(throws: ArithmeticError.self) { try FixedMath.multiplyDivide(Int128.max, 2, 0, rounding: .down) }
    }
}
