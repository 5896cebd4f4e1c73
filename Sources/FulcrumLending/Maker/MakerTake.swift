/// What one `Clipper.take` did.
public struct MakerTake: Sendable, Hashable {
    /// Collateral bought (wad).
    public var slice: UInt128
    /// DAI paid (rad).
    public var owe: UInt256
    /// The auction price paid (ray).
    public var price: UInt128
    /// Tab still owed afterwards (rad).
    public var tabLeft: UInt256
    /// Collateral still for sale afterwards (wad).
    public var lotLeft: UInt128
    /// Collateral returned to the vault owner when the tab was covered (wad).
    public var returnedToOwner: UInt128
    /// Tab left unpaid when the lot ran out: bad debt at the Vow (rad).
    public var badDebt: UInt256
}
