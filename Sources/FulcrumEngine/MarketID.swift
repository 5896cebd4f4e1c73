/// A dense market identifier: the market's index in the engine's storage (listing order).
@frozen
public struct MarketID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The index in the engine's market arrays.
    public var raw: UInt32

    /// Creates an identifier from its index.
    @inlinable public init(_ raw: UInt32) { self.raw = raw }

    /// The index as an `Int`.
    @inlinable public var index: Int { Int(raw) }

    @inlinable public static func < (lhs: MarketID, rhs: MarketID) -> Bool { lhs.raw < rhs.raw }

    public var description: String { String(raw) }
}
