/// Equity and margin requirements of one margin pool (an account's cross positions, or one isolated position),
/// as 128-bit raw money so sums never overflow.
public struct PoolMetrics: Sendable, Hashable {
    /// Collateral plus unrealized PnL at the trigger price (PnL rounded down: favours the venue).
    public var equity: Int128
    /// Σ maintenance margin (rounded up by the profile's margin functions: favours the venue).
    public var maintenance: Int128
    /// Σ initial margin at the positions' leverage settings (zero when not requested).
    public var initial: Int128
    /// Number of open positions in the pool.
    public var openPositions: Int

    /// Creates metrics.
    public init(equity: Int128, maintenance: Int128 = 0, initial: Int128 = 0, openPositions: Int = 0) {
        self.equity = equity
        self.maintenance = maintenance
        self.initial = initial
        self.openPositions = openPositions
    }
}
