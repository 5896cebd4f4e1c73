public import FulcrumCore
public import FulcrumEngine

/// One account near liquidation after an oracle update.
public struct ScanEntry: Sendable, Hashable {
    /// The account.
    public var account: AccountID
    /// The market whose price moved.
    public var market: MarketID
    /// Signed position size in that market.
    public var size: Quantity
    /// Cross or isolated.
    public var mode: MarginMode
    /// The market's trigger price now (mark or oracle, per the venue).
    public var price: Price
    /// The trigger price at which the account's pool first falls below maintenance (other markets unchanged).
    public var liquidationPrice: Price
    /// `|liquidationPrice − price| ÷ price` (statistic).
    public var distance: Double
}
