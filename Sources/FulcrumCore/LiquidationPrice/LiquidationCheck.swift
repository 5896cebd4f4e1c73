/// A position's equity against its maintenance requirement at one price: the venue trigger inequality.
public struct LiquidationCheck: Sendable, Hashable {
    /// Margin + unrealized PnL at the price (+ the other cross positions' PnL), rounded down (favours the venue).
    public var equity: Money
    /// Maintenance margin at the price plus the closing fee the venue includes, rounded up (favours the venue).
    public var requirement: Money

    /// Creates a check.
    public init(equity: Money, requirement: Money) {
        self.equity = equity
        self.requirement = requirement
    }

    /// `equity < requirement`: the position is liquidatable.
    public var isLiquidatable: Bool { equity < requirement }
}
