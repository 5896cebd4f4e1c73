import FulcrumCore

/// A small ordered JSON writer for analytics reports: keys keep their insertion order, numbers are written from
/// exact decimal text (fixed-point values) or from `Double` (statistics; non-finite values become `null`).
public struct AnalyticsJSON: Sendable {
    /// A JSON value.
    public indirect enum Value: Sendable {
        case string(String)
        /// A number written verbatim (exact decimal text such as `-4029.23224666`).
        case number(String)
        case double(Double)
        case int(Int)
        case bool(Bool)
        case array([Value])
        case object(AnalyticsJSON)
        case null
    }

    private var entries: [(String, Value)] = []

    /// An empty object.
    public init() {}

    /// Appends a key (insertion order is kept).
    public mutating func set(_ key: String, _ value: Value) { entries.append((key, value)) }

    /// The compact JSON text.
    public func render() -> String {
        "{" + entries.map { "\(Self.quote($0.0)):\(Self.render($0.1))" }.joined(separator: ",") + "}"
    }

    static func render(_ value: Value) -> String {
        switch value {
        case .string(let s): quote(s)
        case .number(let text): text
        case .double(let d): d.isFinite ? "\(d)" : "null"
        case .int(let i): "\(i)"
        case .bool(let b): b ? "true" : "false"
        case .array(let values): "[" + values.map(render).joined(separator: ",") + "]"
        case .object(let object): object.render()
        case .null: "null"
        }
    }

    /// A JSON string literal with the required escapes.
    public static func quote(_ text: String) -> String {
        JSONText.quoted(text)
    }
}
