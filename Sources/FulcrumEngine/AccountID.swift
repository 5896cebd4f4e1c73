/// A dense account identifier: the account's index in the engine's storage (0, 1, 2, … in creation order).
@frozen
public struct AccountID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The index in the engine's account arrays.
    public var raw: UInt32

    /// Creates an identifier from its index.
    @inlinable public init(_ raw: UInt32) { self.raw = raw }

    /// The index as an `Int`.
    @inlinable public var index: Int { Int(raw) }

    @inlinable public static func < (lhs: AccountID, rhs: AccountID) -> Bool { lhs.raw < rhs.raw }

    public var description: String { String(raw) }
}
