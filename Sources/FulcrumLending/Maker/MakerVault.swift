/// A Maker vault (`urn`): locked collateral and normalized debt (both wad). Debt owed = `art · rate` (rad).
public struct MakerVault: Sendable, Hashable {
    /// Collateral (wad).
    public var ink: UInt128 = 0
    /// Normalized debt (wad).
    public var art: UInt128 = 0

    /// A vault with `ink` collateral and `art` normalized debt (wad).
    public init(ink: UInt128 = 0, art: UInt128 = 0) {
        self.ink = ink
        self.art = art
    }
}
