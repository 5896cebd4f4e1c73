/// Exact decimal text: parsing and printing without binary floating point.
extension FixedPointNumber {
    /// Parses a decimal string exactly: `"0.1"`, `"-42"`, `"1e-3"`, `"+7.50"`.
    ///
    /// Digits beyond the 8th decimal are an error unless they are zeros: nothing is silently truncated.
    ///
    /// - Parameter field: the field name for error messages (e.g. `"entry"`).
    /// - Throws: ``ArithmeticError`` naming the field and the text.
    public init(parsing text: some StringProtocol, field: String? = nil) throws(ArithmeticError) {
        let name = field ?? Self.unitName
        guard let raw = FixedPointDecimal.parse(Substring(text)) else {
            throw ArithmeticError(.invalidDecimal, "\(name) \"\(text)\" is not a decimal number")
        }
        switch raw {
        case .value(let v): self.init(raw: v)
        case .tooPrecise:
            throw ArithmeticError(
                .precisionExceeded,
                "\(name) \"\(text)\" has more than \(FixedPointScale.decimals) decimals"
            )
        case .overflow:
            throw ArithmeticError(.overflow, "\(name) \"\(text)\" is out of range")
        }
    }

    /// The shortest exact decimal text: `"0.3"`, `"-1.5"`, `"100"`.
    public var description: String { FixedPointDecimal.format(raw) }
}

/// The parser and printer shared by all fixed-point types.
public enum FixedPointDecimal {
    /// The outcome of parsing a decimal into raw units.
    public enum ParseResult: Equatable, Sendable {
        case value(Int64)
        case tooPrecise
        case overflow
    }

    /// Parses `[+-]digits[.digits][(e|E)[+-]digits]` into raw units of 10⁻⁸; `nil` when it is not a number.
    public static func parse(_ text: Substring) -> ParseResult? {
        var bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty else { return nil }
        var negative = false
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
            negative = bytes.first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        // Mantissa digits (without the point) and the position of the point.
        var digits: [UInt8] = []
        var fractionDigits = 0
        var seenPoint = false
        var seenDigit = false
        var exponent = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let c = bytes[index]
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                digits.append(c - UInt8(ascii: "0"))
                if seenPoint { fractionDigits += 1 }
                seenDigit = true
            } else if c == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                guard seenDigit else { return nil }
                var rest = bytes[(index + 1)...]
                var expNegative = false
                if rest.first == UInt8(ascii: "-") || rest.first == UInt8(ascii: "+") {
                    expNegative = rest.first == UInt8(ascii: "-")
                    rest = rest.dropFirst()
                }
                guard !rest.isEmpty else { return nil }
                guard rest.count <= 4 else {
                    // A 5+-digit exponent: zero stays zero; otherwise far too small or far too large.
                    guard rest.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
                    if digits.allSatisfy({ $0 == 0 }) { return .value(0) }
                    return expNegative ? .tooPrecise : .overflow
                }
                var e = 0
                for d in rest {
                    guard d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") else { return nil }
                    e = e * 10 + Int(d - UInt8(ascii: "0"))
                }
                exponent = expNegative ? -e : e
                index = bytes.endIndex
                break
            } else {
                return nil
            }
            index += 1
        }
        guard seenDigit else { return nil }
        // value = digits · 10^(exponent − fractionDigits); raw = value · 10^8.
        var shift = exponent - fractionDigits + FixedPointScale.decimals
        // Drop trailing zeros that a negative shift would remove anyway.
        while shift < 0, let last = digits.last, last == 0 {
            digits.removeLast()
            shift += 1
        }
        if shift < 0 { return digits.allSatisfy({ $0 == 0 }) ? .value(0) : .tooPrecise }
        var magnitude: Int128 = 0
        let limit = Int128(Int64.max) + 1
        for d in digits {
            magnitude = magnitude * 10 + Int128(d)
            if magnitude > limit { return .overflow }
        }
        for _ in 0..<shift {
            if magnitude == 0 { break }
            magnitude *= 10
            if magnitude > limit { return .overflow }
        }
        let signed = negative ? -magnitude : magnitude
        guard let raw = Int64(exactly: signed) else { return .overflow }
        return .value(raw)
    }

    /// Formats raw units of 10⁻⁸ as the shortest exact decimal.
    public static func format(_ raw: Int64) -> String {
        let negative = raw < 0
        let magnitude = raw.magnitude
        let factor = UInt64(FixedPointScale.factor)
        let whole = magnitude / factor
        var fraction = magnitude % factor
        var text = negative ? "-" : ""
        text += String(whole)
        if fraction != 0 {
            var width = FixedPointScale.decimals
            while fraction % 10 == 0 {
                fraction /= 10
                width -= 1
            }
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: width - digits.count) + digits
        }
        return text
    }
}
