/// Minimal JSON text helpers shared by every report writer (the lab's, the CLI's, the analytics').
///
/// Pure string building, no Foundation: reports are assembled as text so key order and number formatting are
/// deterministic (fixed-point values print as exact decimal strings).
public enum JSONText {
    /// A JSON string literal for `text`, with the escapes RFC 8259 requires (quote, backslash, control characters).
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
