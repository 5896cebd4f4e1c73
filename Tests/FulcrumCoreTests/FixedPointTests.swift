import FulcrumCore
import Testing

@Suite("Fixed point")
struct FixedPointTests {
    @Test func decimalSumIsExact() throws {
        let a = try Money(parsing: "0.1")
        let b = try Money(parsing: "0.2")
        #expect((a + b).description == "0.3")
        #expect(a + b == (try Money(parsing: "0.3")))
    }

    @Test(
        arguments: [
            ("0", 0 as Int64, "0"),
            ("1", 100_000_000, "1"),
            ("-1.5", -150_000_000, "-1.5"),
            ("+7.50", 750_000_000, "7.5"),
            ("0.00000001", 1, "0.00000001"),
            ("-0.00000001", -1, "-0.00000001"),
            ("1e-3", 100_000, "0.001"),
            ("2.5E2", 25_000_000_000, "250"),
            ("0.123456780000", 12_345_678, "0.12345678"),
            ("92233720368.54775807", Int64.max, "92233720368.54775807"),
            ("-92233720368.54775808", Int64.min, "-92233720368.54775808"),
            ("007.0100", 701_000_000, "7.01"),
        ]
    )
    func parsesAndPrintsExactly(text: String, raw: Int64, printed: String) throws {
        let value = try Price(parsing: text)
        #expect(value.raw == raw)
        #expect(value.description == printed)
    }

    @Test(arguments: ["", "-", "abc", "1.2.3", "1e", "e5", "1,5", "--1", " 1", "0x10"])
    func rejectsNonDecimals(text: String) {
        #expect(throws: ArithmeticError.self) { try Money(parsing: text) }
        do {
            _ = try Money(parsing: text, field: "wallet")
        } catch {
            #expect(error.code == .invalidDecimal)
            #expect(error.message.contains("wallet"))
        }
    }

    @Test func rejectsTooManyDecimalsNamingTheField() {
        do {
            _ = try Quantity(parsing: "0.000000001", field: "size")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .precisionExceeded)
            #expect(error.message.contains("size"))
            #expect(error.message.contains("0.000000001"))
        }
    }

    @Test(arguments: ["92233720368.54775808", "-92233720368.54775809", "1e12", "99999999999999999999"])
    func rejectsOverflow(text: String) {
        do {
            _ = try Money(parsing: text, field: "wallet")
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.code == .overflow)
            #expect(error.message.contains("wallet"))
        }
    }

    /// Long exponents: a huge negative one is "too precise", a huge positive one overflows, zero stays zero.
    @Test func longExponents() throws {
        #expect(throws: ArithmeticError.self) { try Money(parsing: "1e-99999") }
        do {
            _ = try Money(parsing: "1e-99999")
        } catch {
            #expect(error.code == .precisionExceeded)
        }
        do {
            _ = try Money(parsing: "1e99999")
        } catch {
            #expect(error.code == .overflow)
        }
        #expect(try Money(parsing: "0e-99999") == .zero)
        #expect(throws: ArithmeticError.self) { try Money(parsing: "1e-9999x") }
    }

    @Test func additionAndMultiplicationReportOverflow() throws {
        let big = Money(raw: .max)
        #expect(throws: ArithmeticError.self) { try big.adding(.one) }
        #expect(throws: ArithmeticError.self) { try Money(raw: .min).subtracting(.one) }
        #expect(throws: ArithmeticError.self) { try big.times(2) }
        #expect(throws: ArithmeticError.self) { try Money(units: Int64.max / 10) }
        #expect(throws: ArithmeticError.self) { try Quantity(raw: .max).notional(at: Price(raw: .max), rounding: .up) }
        #expect(throws: ArithmeticError.self) { try Money.one.divided(by: 0, rounding: .up) }
    }

    /// Every rule on ±1.5, ±2.5, ±1.4 and ±1.6 (tenths of a unit divided by 10).
    @Test(
        arguments: [
            (RoundingRule.towardZero, [15, -15, 25, -25, 14, -16], [1, -1, 2, -2, 1, -1]),
            (.down, [15, -15, 25, -25, 14, -16], [1, -2, 2, -3, 1, -2]),
            (.up, [15, -15, 25, -25, 14, -16], [2, -1, 3, -2, 2, -1]),
            (.awayFromZero, [15, -15, 25, -25, 14, -16], [2, -2, 3, -3, 2, -2]),
            (.halfEven, [15, -15, 25, -25, 14, -16], [2, -2, 2, -2, 1, -2]),
        ] as [(RoundingRule, [Int128], [Int128])]
    )
    func everyRoundingRule(rule: RoundingRule, numerators: [Int128], expected: [Int128]) throws {
        for (numerator, want) in zip(numerators, expected) {
            #expect(try FixedMath.divide(numerator, by: 10, rounding: rule) == want, "\(numerator)/10 \(rule)")
            // Same with a negative divisor and negated numerator: the exact quotient is unchanged.
            #expect(try FixedMath.divide(-numerator, by: -10, rounding: rule) == want)
        }
        #expect(try FixedMath.divide(30, by: 10, rounding: rule) == 3)
        #expect(throws: ArithmeticError.self) { try FixedMath.divide(1, by: 0, rounding: rule) }
    }

    @Test func halfEvenTiesGoToEven() throws {
        #expect(try FixedMath.divide(5, by: 10, rounding: .halfEven) == 0)
        #expect(try FixedMath.divide(35, by: 10, rounding: .halfEven) == 4)
        #expect(try FixedMath.divide(-35, by: 10, rounding: .halfEven) == -4)
        #expect(try FixedMath.divide(-45, by: 10, rounding: .halfEven) == -4)
    }

    @Test func tickRoundingNamesDirection() throws {
        let price = try Price(parsing: "100.07")
        let tick = try Price(parsing: "0.05")
        #expect(try price.rounded(toMultipleOf: tick, rounding: .down).description == "100.05")
        #expect(try price.rounded(toMultipleOf: tick, rounding: .up).description == "100.1")
        #expect(throws: ArithmeticError.self) { try price.rounded(toMultipleOf: .zero, rounding: .up) }
        #expect(throws: ArithmeticError.self) { try price.validate(multipleOf: tick, field: "entry") }
    }

    @Test func productsRoundAsNamed() throws {
        // 0.00000003 × 0.5 = 0.000000015 → down 0.00000001, up 0.00000002, halfEven 0.00000002.
        let amount = Money(raw: 3)
        let half = try Rate(parsing: "0.5")
        #expect(try amount.times(half, rounding: .down).raw == 1)
        #expect(try amount.times(half, rounding: .up).raw == 2)
        #expect(try amount.times(half, rounding: .halfEven).raw == 2)
        #expect(try Money(raw: -3).times(half, rounding: .down).raw == -2)
        #expect(try Money(raw: -3).times(half, rounding: .towardZero).raw == -1)
    }
}
