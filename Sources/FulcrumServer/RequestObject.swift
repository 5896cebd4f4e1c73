import FulcrumCore
import FulcrumEngine
import FulcrumIO

/// A request body parsed strictly: one JSON object, no duplicate or unknown members, decimals as strings.
///
/// Numbers keep their text (the v1 codec's parser), so decimal strings are parsed exactly into fixed point and
/// bare JSON numbers for money are rejected with an error naming the field.
struct RequestObject: Sendable {
    /// Members in body order.
    let members: [(String, EventJSONValue)]
    /// The parsed value.
    let value: EventJSONValue

    /// Parses `bytes`; an empty body is the empty object when `emptyIsObject`.
    ///
    /// - Throws: ``APIError`` 400 (`invalid-json`, `duplicate-field`).
    init(bytes: [UInt8], emptyIsObject: Bool = false) throws(APIError) {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            guard emptyIsObject else {
                throw .badRequest("invalid-json", field: "body", value: nil, "the request body must be a JSON object")
            }
            try self.init(value: .object([]))
            return
        }
        let parsed: Result<EventJSONValue, EventJSONSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(EventJSONSyntaxError) { return .success(try EventJSONValue.parse(buffer)) } catch {
                return .failure(error)
            }
        }
        switch parsed {
        case .failure(let error):
            throw .badRequest(
                "invalid-json",
                field: "body",
                value: nil,
                "the body is not valid JSON: \(error.message) at byte \(error.offset + 1)"
            )
        case .success(let parsedValue):
            try self.init(value: parsedValue)
        }
    }

    /// Wraps an already parsed object.
    ///
    /// - Throws: ``APIError`` 400 when `value` is not an object or repeats a member.
    init(value parsedValue: EventJSONValue) throws(APIError) {
        guard case .object(let list) = parsedValue else {
            throw .badRequest("invalid-json", field: "body", value: nil, "the request body must be a JSON object")
        }
        if list.count <= 16 {
            // The usual body has a handful of members: pairwise comparison allocates nothing.
            for index in list.indices.dropFirst() {
                let key = list[index].0
                for earlier in list[..<index] where earlier.0 == key {
                    throw .badRequest("duplicate-field", field: key, value: nil, "field \"\(key)\" appears twice")
                }
            }
        } else {
            var seen = Set<String>()
            for (key, _) in list where !seen.insert(key).inserted {
                throw .badRequest("duplicate-field", field: key, value: nil, "field \"\(key)\" appears twice")
            }
        }
        members = list
        value = parsedValue
    }

    /// The member `key`, if present (JSON `null` counts as absent).
    subscript(key: String) -> EventJSONValue? {
        for (name, member) in members where name == key { return member == .null ? nil : member }
        return nil
    }

    /// Rejects members outside `allowed`.
    func only(_ allowed: [String]) throws(APIError) {
        for (key, _) in members where !allowed.contains(key) {
            throw .badRequest(
                "unknown-field",
                field: key,
                value: nil,
                "unknown field \"\(key)\" (allowed: \(allowed.joined(separator: ", ")))"
            )
        }
    }

    /// A short text of a JSON value for error messages.
    static func shown(_ value: EventJSONValue) -> String {
        switch value {
        case .string(let s), .number(let s): s
        case .bool(let b): String(b)
        case .null: "null"
        case .array: "[…]"
        case .object: "{…}"
        }
    }

    /// A fixed-point member given as a decimal string, or `nil` when absent.
    func optionalDecimal<T: FixedPointNumber>(_ key: String, prefix: String = "") throws(APIError) -> T? {
        guard let member = self[key] else { return nil }
        return try Self.decimal(member, field: prefix + key)
    }

    /// A required fixed-point member given as a decimal string.
    func decimal<T: FixedPointNumber>(_ key: String, prefix: String = "") throws(APIError) -> T {
        guard let result: T = try optionalDecimal(key, prefix: prefix) else {
            throw .badRequest("missing-field", field: prefix + key, value: nil, "\(prefix + key) is required")
        }
        return result
    }

    /// Parses one JSON value as a decimal string.
    static func decimal<T: FixedPointNumber>(_ member: EventJSONValue, field: String) throws(APIError) -> T {
        guard case .string(let text) = member else {
            let hint =
                if case .number = member {
                    " (send decimals as JSON strings, e.g. \"123.45\": JSON numbers lose precision)"
                } else { "" }
            throw .badRequest(
                "invalid-type",
                field: field,
                value: shown(member),
                "\(field) must be a decimal string\(hint)"
            )
        }
        guard text.utf8.count <= 40 else {
            throw .badRequest("invalid-decimal", field: field, value: text, "\(field) is too long to be a decimal")
        }
        guard isPlainDecimal(text) else {
            throw .badRequest(
                "invalid-decimal",
                field: field,
                value: text,
                "\(field) must be a plain decimal like \"-123.45\" (optional minus, 1 to 10 digits, optional point and 1 to 8 digits)"
            )
        }
        do { return try T(parsing: text, field: field) } catch {
            let code = error.code == .overflow ? "out-of-range" : "invalid-decimal"
            throw .badRequest(code, field: field, value: text, error.message)
        }
    }

    /// A required non-negative integer account id.
    func account(_ key: String) throws(APIError) -> UInt32 {
        guard let member = self[key] else {
            throw .badRequest("missing-field", field: key, value: nil, "\(key) is required")
        }
        // JSON Schema counts `7.0` as an integer, so an integral number with a zero fraction is accepted as `7`.
        guard case .number(let text) = member, let id = UInt32(Self.integralPart(text)) else {
            throw .badRequest(
                "invalid-type",
                field: key,
                value: Self.shown(member),
                "\(key) must be a non-negative integer account id"
            )
        }
        return id
    }

    /// A string member, or `nil` when absent.
    func optionalString(_ key: String) throws(APIError) -> String? {
        guard let member = self[key] else { return nil }
        guard case .string(let text) = member else {
            throw .badRequest("invalid-type", field: key, value: Self.shown(member), "\(key) must be a string")
        }
        return text
    }

    /// A required string member.
    func string(_ key: String) throws(APIError) -> String {
        guard let text = try optionalString(key) else {
            throw .badRequest("missing-field", field: key, value: nil, "\(key) is required")
        }
        return text
    }

    /// A market symbol: 1–32 characters of `A–Z a–z 0–9 . _ - / :`.
    func symbol(_ key: String) throws(APIError) -> String {
        let text = try string(key)
        try Self.checkSymbol(text, field: key)
        return text
    }

    /// Validates a market symbol's characters (symbols reach HTML, JSON and the log).
    static func checkSymbol(_ text: String, field: String) throws(APIError) {
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ":")
        }
        guard allowed, !text.isEmpty, text.utf8.count <= 32 else {
            throw .badRequest(
                "invalid-symbol",
                field: field,
                value: text,
                "\(field) must be 1–32 characters of A–Z, a–z, 0–9, '.', '_', '-', '/', ':'"
            )
        }
    }

    /// Whether `text` has the API's decimal form, the OpenAPI `Decimal` pattern `^-?[0-9]{1,10}(\.[0-9]{1,8})?$`:
    /// no sign but minus, no exponent, no leading or trailing point. Range and precision are checked by the parser.
    static func isPlainDecimal(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let integer = bytes.prefix(while: isDigit)
        guard (1...10).contains(integer.count) else { return false }
        let rest = bytes.dropFirst(integer.count)
        if rest.isEmpty { return true }
        guard rest.first == UInt8(ascii: ".") else { return false }
        let fraction = rest.dropFirst()
        return (1...8).contains(fraction.count) && fraction.allSatisfy(isDigit)
    }

    /// `text` without a fraction made only of zeros (`"7.00"` → `"7"`); any other text unchanged.
    static func integralPart(_ text: String) -> Substring {
        guard let point = text.firstIndex(of: ".") else { return Substring(text) }
        let fraction = text[text.index(after: point)...]
        guard !fraction.isEmpty, fraction.allSatisfy({ $0 == "0" }) else { return Substring(text) }
        return text[..<point]
    }
}
