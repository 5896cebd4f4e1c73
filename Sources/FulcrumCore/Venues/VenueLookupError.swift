/// A venue or market name that Fulcrum does not know; the message names the field, the value and the valid names.
public struct VenueLookupError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field that was looked up ("venue", "market").
    public var field: String
    /// The value given.
    public var value: String
    /// The names that would have been accepted, sorted.
    public var validNames: [String]

    /// Creates an error.
    public init(field: String, value: String, validNames: [String]) {
        self.field = field
        self.value = value
        self.validNames = validNames
    }

    public var description: String {
        "\(field) \"\(value)\" is not known; valid: \(validNames.joined(separator: ", "))"
    }
}
