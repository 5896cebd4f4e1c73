import Foundation
import FulcrumCore

/// Small JSON helpers for the lending wire formats: exact decimal text from JSON values, and a deterministic writer.
///
/// Numbers may be given as JSON numbers or strings; both are read as their decimal text (a JSON number goes through
/// Foundation's shortest round-trip text, so use strings for more than 15 significant digits).
public enum LendJSON {
    /// A JSON value as exact decimal text, or `nil` when absent. Throws ``LendFileError`` naming `field` otherwise.
    public static func decimalText(_ value: Any?, field: String, context: String) throws -> String? {
        guard let value, !(value is NSNull) else { return nil }
        if let s = value as? String { return s }
        if String(describing: type(of: value)).contains("Bool") {
            throw LendFileError("\(context): \(field) must be a number, got a boolean")
        }
        if let n = value as? NSNumber { return n.stringValue }
        throw LendFileError("\(context): \(field) must be a decimal string or number, got \(value)")
    }

    /// A required decimal text.
    public static func requiredText(_ object: [String: Any], _ field: String, context: String) throws -> String {
        guard let t = try decimalText(object[field], field: field, context: context) else {
            throw LendFileError("\(context): missing \(field)")
        }
        return t
    }

    /// A required string field.
    public static func string(_ object: [String: Any], _ field: String, context: String) throws -> String {
        guard let s = object[field] as? String, !s.isEmpty else {
            throw LendFileError(
                "\(context): \(field) must be a non-empty string, got \(object[field].map { "\($0)" } ?? "nothing")"
            )
        }
        return s
    }

    /// An optional non-negative integer field.
    public static func integer(_ object: [String: Any], _ field: String, context: String) throws -> Int? {
        guard let v = object[field], !(v is NSNull) else { return nil }
        let text = try decimalText(v, field: field, context: context) ?? ""
        guard let i = Int(text), i >= 0 else {
            throw LendFileError("\(context): \(field) must be a non-negative integer, got \(text)")
        }
        return i
    }

    /// Encodes a string as a JSON string literal (``JSONText/quoted(_:)``: the escapes RFC 8259 requires).
    public static func quote(_ s: String) -> String { JSONText.quoted(s) }

    /// An object from already-encoded values, keys in the given order.
    public static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}
