/// A backstop-liquidation rule: when a margin pool's equity falls below `numerator / denominator` of its maintenance
/// margin (and is not negative), the venue's backstop vault takes over the pool's positions at the trigger price
/// together with the remaining margin; the maintenance margin is not returned to the user.
///
/// Hyperliquid (https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations): "If the account equity drops
/// below 2/3 of the maintenance margin without successful liquidation through the order book, the backstop liquidation
/// vault takes over the position … the maintenance margin is not returned to the user".
public struct BackstopTakeover: Sendable, Hashable {
    /// Numerator of the equity fraction (2 for Hyperliquid).
    public var numerator: Int64
    /// Denominator of the equity fraction (3 for Hyperliquid); positive.
    public var denominator: Int64

    /// Creates a rule with threshold `numerator / denominator` of maintenance.
    public init(numerator: Int64, denominator: Int64) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Hyperliquid's 2/3 of maintenance margin.
    public static let hyperliquid = BackstopTakeover(numerator: 2, denominator: 3)

    /// Whether `equity` (raw) is in the takeover band `0 ≤ equity < maintenance · numerator / denominator`, compared
    /// exactly (`equity · denominator < maintenance · numerator`, 128-bit products; an overflow counts as outside).
    public func applies(equity: Int128, maintenance: Int128) -> Bool {
        guard equity >= 0, denominator > 0 else { return false }
        let (left, o1) = equity.multipliedReportingOverflow(by: Int128(denominator))
        let (right, o2) = maintenance.multipliedReportingOverflow(by: Int128(numerator))
        return !o1 && !o2 && left < right
    }
}
