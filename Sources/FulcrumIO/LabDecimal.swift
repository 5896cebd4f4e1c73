public import FulcrumCore

/// Decimal text from data files into fixed point, rounding excess decimals half-even (recorded observations:
/// the rounding favours no one).
public enum LabDecimal {
    /// Parses a decimal with any number of decimals into raw 10⁻⁸ units, half-even.
    ///
    /// - Throws: ``LabFileError`` naming the file, row, column and text.
    public static func raw(_ text: Substring, file: String, row: Int, column: String) throws(LabFileError) -> Int64 {
        let original = text.trimmingPrefix(" ")
        if case .value(let v) = FixedPointDecimal.parse(Substring(original)) { return v }
        guard let plainText = plain(Substring(original)) else {
            throw LabFileError("\(file): row \(row) \(column) \"\(text)\" is not a decimal number")
        }
        let trimmed = Substring(plainText)
        if case .value(let v) = FixedPointDecimal.parse(trimmed) { return v }
        // More than 8 decimals: keep 8, then round half-even by the 9th and whether anything follows.
        guard let dot = trimmed.firstIndex(of: ".") else {
            throw LabFileError("\(file): row \(row) \(column) \"\(text)\" is not a decimal number")
        }
        let fraction = trimmed[trimmed.index(after: dot)...]
        let kept = trimmed[..<dot] + "." + fraction.prefix(8)
        guard case .value(var v) = FixedPointDecimal.parse(Substring(kept)) else {
            throw LabFileError("\(file): row \(row) \(column) \"\(text)\" is not a decimal number")
        }
        let rest = fraction.dropFirst(8)
        guard let next = rest.first, let digit = next.wholeNumberValue, rest.allSatisfy(\.isNumber) else {
            throw LabFileError("\(file): row \(row) \(column) \"\(text)\" is not a decimal number")
        }
        let negative = trimmed.hasPrefix("-")
        let beyond = rest.dropFirst().contains { $0 != "0" }
        let roundAway = digit > 5 || (digit == 5 && (beyond || v % 2 != 0))
        if roundAway { v += negative ? -1 : 1 }
        return v
    }

    /// Scientific notation (`8.3e-17`, `1.5E3`) rewritten as a plain decimal string, exactly (digit shifting).
    static func plain(_ text: Substring) -> String? {
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return String(text) }
        guard let exponent = Int(text[text.index(after: e)...]), abs(exponent) < 400 else { return nil }
        var mantissa = text[..<e]
        var negative = false
        if mantissa.first == "-" || mantissa.first == "+" {
            negative = mantissa.first == "-"
            mantissa = mantissa.dropFirst()
        }
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts.first.map(String.init) ?? ""
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        guard !(whole + fraction).isEmpty, (whole + fraction).allSatisfy(\.isNumber) else { return nil }
        let digits = whole + fraction
        let point = whole.count + exponent  // position of the decimal point in `digits`
        var out: String
        if point <= 0 {
            out = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            out = digits + String(repeating: "0", count: point - digits.count)
        } else {
            let index = digits.index(digits.startIndex, offsetBy: point)
            out = digits[..<index] + "." + digits[index...]
        }
        if negative { out = "-" + out }
        return out
    }

    /// A price.
    public static func price(_ text: Substring, file: String, row: Int, column: String) throws(LabFileError) -> Price {
        Price(raw: try raw(text, file: file, row: row, column: column))
    }

    /// A quantity.
    public static func quantity(
        _ text: Substring,
        file: String,
        row: Int,
        column: String
    ) throws(LabFileError) -> Quantity {
        Quantity(raw: try raw(text, file: file, row: row, column: column))
    }
}
