import FulcrumCore
import PropertyBased
import Testing

@Suite("Fixed point properties")
struct FixedPointPropertyTests {
    @Test func printThenParseRoundTrips() async {
        await propertyCheck(input: Gen.int64(in: Int64.min...Int64.max)) { raw in
            let value = Money(raw: raw)
            let parsed = try Money(parsing: value.description)
            #expect(parsed == value)
        }
    }

    @Test func addThenSubtractIsIdentity() async {
        let range: ClosedRange<Int64> = -1_000_000_000_000_000_000...1_000_000_000_000_000_000
        await propertyCheck(input: Gen.int64(in: range), Gen.int64(in: range)) { a, b in
            let x = Money(raw: a)
            let y = Money(raw: b)
            let there = try x.adding(y).subtracting(y)
            let back = try x.subtracting(y).adding(y)
            #expect(there == x)
            #expect(back == x)
        }
    }

    /// floor ≤ exact ≤ ceil, checked by cross-multiplication: floor·d ≤ n ≤ ceil·d and ceil − floor ≤ 1.
    @Test func divisionRoundingBrackets() async {
        await propertyCheck(
            input: Gen.int64(in: Int64.min / 2...Int64.max / 2),
            Gen.int64(in: -1_000_000_000_000...1_000_000_000_000)
        ) { numerator, divisor in
            guard divisor != 0 else { return }
            let n = Int128(numerator)
            let d = Int128(divisor)
            let floor = try FixedMath.divide(n, by: d, rounding: .down)
            let ceil = try FixedMath.divide(n, by: d, rounding: .up)
            let toward = try FixedMath.divide(n, by: d, rounding: .towardZero)
            let away = try FixedMath.divide(n, by: d, rounding: .awayFromZero)
            let even = try FixedMath.divide(n, by: d, rounding: .halfEven)
            let sign: Int128 = d > 0 ? 1 : -1
            #expect(floor * d * sign <= n * sign)
            #expect(ceil * d * sign >= n * sign)
            #expect(ceil - floor <= 1)
            #expect(toward == floor || toward == ceil)
            #expect(away == floor || away == ceil)
            #expect(even == floor || even == ceil)
            // Half-even is the nearest: 2·|n − q·d| ≤ |d|.
            let error = n - even * d
            #expect(2 * error.magnitude <= d.magnitude)
        }
    }

    @Test func productRoundingBrackets() async {
        await propertyCheck(
            input: Gen.int64(in: -1_000_000_000_000_000...1_000_000_000_000_000),
            Gen.int64(in: -200_000_000...200_000_000)
        ) { amount, rate in
            let money = Money(raw: amount)
            let r = Rate(raw: rate)
            let down = try money.times(r, rounding: .down)
            let up = try money.times(r, rounding: .up)
            let exact = Int128(amount) * Int128(rate)
            #expect(Int128(down.raw) * 100_000_000 <= exact)
            #expect(Int128(up.raw) * 100_000_000 >= exact)
            #expect(up.raw - down.raw <= 1)
        }
    }
}
