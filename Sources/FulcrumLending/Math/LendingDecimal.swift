public import FulcrumCore

/// Exact decimal text ↔ integer token units with a given number of decimals (no floating point).
public enum LendingDecimal {
    /// Parses `"1.5"`, `"1e-3"`, `"42"` into units of `10^-decimals`.
    ///
    /// - Throws: ``ArithmeticError`` naming `field` when the text is not a non-negative decimal, has more decimals than
    ///   `decimals` (non-zero digits are never dropped), or overflows 128 bits.
    public static func parse(_ text: String, decimals: Int, field: String) throws(ArithmeticError) -> UInt128 {
        var chars = Substring(text.trimmingSpaces)
        guard !chars.isEmpty else { throw ArithmeticError(.invalidDecimal, "\(field) \"\(text)\" is empty") }
        if chars.first == "+" { chars = chars.dropFirst() }
        var exponent = 0
        if let e = chars.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let exp = Int(chars[chars.index(after: e)...]), abs(exp) < 80 else {
                throw ArithmeticError(.invalidDecimal, "\(field) \"\(text)\" is not a decimal number")
            }
            exponent = exp
            chars = chars[..<e]
        }
        var digits: [UInt8] = []
        var fraction = 0
        var seenPoint = false
        for c in chars {
            if c == "." && !seenPoint {
                seenPoint = true
            } else if let d = c.wholeNumberValue, c.isASCII {
                digits.append(UInt8(d))
                if seenPoint { fraction += 1 }
            } else {
                throw ArithmeticError(.invalidDecimal, "\(field) \"\(text)\" is not a non-negative decimal number")
            }
        }
        guard !digits.isEmpty else {
            throw ArithmeticError(.invalidDecimal, "\(field) \"\(text)\" is not a decimal number")
        }
        var shift = decimals + exponent - fraction
        while shift < 0, digits.last == 0 {
            digits.removeLast()
            shift += 1
        }
        if shift < 0 {
            guard digits.allSatisfy({ $0 == 0 }) else {
                throw ArithmeticError(.precisionExceeded, "\(field) \"\(text)\" has more than \(decimals) decimals")
            }
            return 0
        }
        var value: UInt128 = 0
        for d in digits + Array(repeating: 0, count: shift) {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt128(d))
            guard !o1, !o2 else { throw ArithmeticError(.overflow, "\(field) \"\(text)\" is out of range") }
            value = s
        }
        return value
    }

    /// Formats units of `10^-decimals` as the shortest exact decimal.
    public static func format(_ value: UInt128, decimals: Int) -> String {
        var text = String(value)
        guard decimals > 0 else { return text }
        if text.count <= decimals { text = String(repeating: "0", count: decimals - text.count + 1) + text }
        let cut = text.index(text.endIndex, offsetBy: -decimals)
        var whole = String(text[..<cut])
        var frac = String(text[cut...])
        while frac.last == "0" { frac.removeLast() }
        if whole.isEmpty { whole = "0" }
        return frac.isEmpty ? whole : whole + "." + frac
    }

    /// Formats a signed value.
    public static func format(signed value: Int128, decimals: Int) -> String {
        value < 0 ? "-" + format(value.magnitude, decimals: decimals) : format(UInt128(value), decimals: decimals)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
