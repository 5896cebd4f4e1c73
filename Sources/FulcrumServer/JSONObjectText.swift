import FulcrumCore

/// Builds one JSON object as text, members in insertion order (deterministic output, exact decimal strings).
struct JSONObjectText {
    private var text = "{"
    private var empty = true

    /// An empty object.
    init() {}

    /// An empty object whose text has room for `capacity` bytes (one allocation for a reply of known size).
    init(capacity: Int) { text.reserveCapacity(capacity) }

    /// Whether no member was added.
    var isEmpty: Bool { empty }

    /// Appends the members of `other` (already encoded) after this object's.
    mutating func members(of other: JSONObjectText) {
        guard !other.empty else { return }
        if !empty { text += "," }
        empty = false
        text += other.text.dropFirst()
    }

    /// Starts a member: the separator, the quoted key and the colon, appended in place.
    private mutating func key(_ key: String) {
        if !empty { text += "," }
        empty = false
        appendQuoted(key)
        text += ":"
    }

    /// Appends `value` as a JSON string in place: copied whole when nothing needs escaping (keys, symbols,
    /// decimals: the usual case on the write path), else escaped by ``JSONText/quoted(_:)``.
    private mutating func appendQuoted(_ value: String) {
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            text += JSONText.quoted(value)
            return
        }
        text += "\""
        text += value
        text += "\""
    }

    /// Appends a member whose value is already JSON text.
    mutating func raw(_ key: String, _ json: String) {
        self.key(key)
        text += json
    }

    /// Appends a string member.
    mutating func string(_ key: String, _ value: String) {
        self.key(key)
        appendQuoted(value)
    }

    /// Appends a string member or `null`.
    mutating func string(_ key: String, _ value: String?) {
        self.key(key)
        if let value { appendQuoted(value) } else { text += "null" }
    }

    /// Appends a fixed-point value as an exact decimal string.
    mutating func decimal(_ key: String, _ value: some FixedPointNumber) {
        self.key(key)
        text += "\""
        text += value.description
        text += "\""
    }

    /// Appends a fixed-point value as an exact decimal string, or `null`.
    mutating func decimal<T: FixedPointNumber>(_ key: String, _ value: T?) {
        guard let value else { return raw(key, "null") }
        decimal(key, value)
    }

    /// Appends a 128-bit raw money amount (8 decimals) as an exact decimal string.
    mutating func wideMoney(_ key: String, _ raw: Int128) { self.raw(key, "\"\(MoneySum(raw: raw).description)\"") }

    /// Appends an integer member.
    mutating func int(_ key: String, _ value: some BinaryInteger) { raw(key, "\(value)") }

    /// Appends an integer member or `null`.
    mutating func int<T: BinaryInteger>(_ key: String, _ value: T?) { raw(key, value.map { "\($0)" } ?? "null") }

    /// Appends a boolean member.
    mutating func bool(_ key: String, _ value: Bool) { raw(key, value ? "true" : "false") }

    /// The finished object.
    var json: String { text + "}" }

    /// A JSON array of already-encoded values.
    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }
}
