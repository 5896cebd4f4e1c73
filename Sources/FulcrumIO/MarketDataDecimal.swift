public import FulcrumCore

/// Byte-level number parsing for bulk market data: no `String` per field.
public enum MarketDataDecimal {
    /// Parses `[+-]digits[.digits][(e|E)[+-]digits]` into raw units of 10⁻⁸, rounding extra decimals **half-even**
    /// (the shared files carry float artefacts such as `103319.73000000001`; half-even is unbiased, favouring
    /// neither side). Returns `nil` when the bytes are not a number or the value does not fit.
    @inlinable
    public static func parseFixed(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int64? {
        var i = start
        guard i < end else { return nil }
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var fraction = 0
        var integerOverflowDigits = 0
        var sticky = false
        var seenPoint = false
        var seenDigit = false
        var exponent = 0
        while i < end {
            let c = bytes[i]
            if c >= 48 && c <= 57 {
                let d = UInt64(c - 48)
                seenDigit = true
                if significant < 18 {
                    if mantissa != 0 || d != 0 { significant += 1 }
                    mantissa = mantissa * 10 + d
                    if seenPoint { fraction += 1 }
                } else if seenPoint {
                    if d != 0 { sticky = true }
                } else {
                    integerOverflowDigits += 1
                }
            } else if c == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if (c == UInt8(ascii: "e") || c == UInt8(ascii: "E")) && seenDigit {
                i += 1
                var expNegative = false
                if i < end && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
                    expNegative = bytes[i] == UInt8(ascii: "-")
                    i += 1
                }
                guard i < end else { return nil }
                var e = 0
                while i < end {
                    let x = bytes[i]
                    guard x >= 48 && x <= 57, e < 10_000 else { return nil }
                    e = e * 10 + Int(x - 48)
                    i += 1
                }
                exponent = expNegative ? -e : e
                break
            } else {
                return nil
            }
            i += 1
        }
        guard seenDigit else { return nil }
        // raw = mantissa · 10^shift.
        var shift = FixedPointScale.decimals + exponent - fraction + integerOverflowDigits
        if shift >= 0 {
            guard shift <= 19 else { return mantissa == 0 ? 0 : nil }
            var value = Int128(mantissa)
            for _ in 0..<shift {
                value *= 10
                if value > Int128(Int64.max) { return nil }
            }
            return Int64(exactly: negative ? -value : value)
        }
        var numerator = Int128(mantissa)
        if sticky {
            numerator = numerator * 10 + 1  // a nonzero tail beyond 18 digits: strictly above, never a tie
            shift -= 1
        }
        guard -shift <= 36 else { return 0 }
        var divisor: Int128 = 1
        for _ in 0..<(-shift) { divisor *= 10 }
        guard let quotient = try? FixedMath.divide(negative ? -numerator : numerator, by: divisor, rounding: .halfEven)
        else { return nil }
        return Int64(exactly: quotient)
    }

    /// Parses a decimal integer (e.g. Unix milliseconds); `nil` when not an integer or out of range.
    @inlinable
    public static func parseInteger(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int64? {
        var i = start
        guard i < end else { return nil }
        var negative = false
        if bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard i < end else { return nil }
        var value: Int64 = 0
        while i < end {
            let c = bytes[i]
            guard c >= 48 && c <= 57 else {
                // Accept a float-formatted integer ("1746835200001.0").
                if c == UInt8(ascii: "."), (i + 1..<end).allSatisfy({ bytes[$0] == 48 }) { break }
                return nil
            }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(Int64(c - 48))
            guard !o1, !o2 else { return nil }
            value = next
            i += 1
        }
        return negative ? -value : value
    }
}
