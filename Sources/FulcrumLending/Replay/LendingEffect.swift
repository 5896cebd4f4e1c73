/// What an applied event did, as ordered key/value text (exact decimals), ready for printing or JSON.
public struct LendingEffect: Sendable, Hashable {
    /// The effect kind (`"supplied"`, `"liquidated"`, …).
    public var kind: String
    /// Ordered fields.
    public var fields: [Field]

    /// One named value.
    public struct Field: Sendable, Hashable {
        /// Name.
        public var key: String
        /// Exact text.
        public var value: String

        /// Creates a field.
        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    /// Creates an effect.
    public init(_ kind: String, _ fields: [Field] = []) {
        self.kind = kind
        self.fields = fields
    }
}
