/// A running Clipper auction (`sales[id]`).
public struct MakerAuction: Sendable, Hashable {
    /// Auction id (1, 2, …).
    public var id: Int
    /// The ilk.
    public var ilk: String
    /// DAI to raise, penalty included (rad).
    public var tab: UInt256
    /// Collateral for sale (wad).
    public var lot: UInt128
    /// The liquidated vault's owner (receives leftover collateral).
    public var usr: String
    /// Start time (seconds).
    public var tic: UInt64
    /// Starting price (ray).
    public var top: UInt128
}
