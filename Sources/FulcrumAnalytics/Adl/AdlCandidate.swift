public import FulcrumCore

/// A winning position that auto-deleveraging may haircut.
public struct AdlCandidate: Sendable, Hashable {
    /// The account or position identifier.
    public var id: String
    /// Positive PnL available to haircut (haircuts never touch collateral principal).
    public var pnl: Money
    /// Absolute position notional at the mark.
    public var notional: Money
    /// Collateral (margin) backing the position, excluding `pnl`.
    public var margin: Money
    /// Maintenance margin of the position (for Binance's margin-ratio ranking).
    public var maintenance: Money

    /// Creates a candidate.
    ///
    /// - Throws: ``AnalyticsError`` naming the id and field when `pnl` or `margin` is not positive or
    ///   `notional`/`maintenance` is negative.
    public init(id: String, pnl: Money, notional: Money, margin: Money, maintenance: Money) throws(AnalyticsError) {
        guard pnl.isPositive else { throw AnalyticsError("\(id): pnl \(pnl) must be positive for an ADL candidate") }
        guard margin.isPositive else { throw AnalyticsError("\(id): margin \(margin) must be positive") }
        guard !notional.isNegative else { throw AnalyticsError("\(id): notional \(notional) must not be negative") }
        guard !maintenance.isNegative else {
            throw AnalyticsError("\(id): maintenance \(maintenance) must not be negative")
        }
        self.id = id
        self.pnl = pnl
        self.notional = notional
        self.margin = margin
        self.maintenance = maintenance
    }

    /// Equity `margin + pnl`, reporting overflow.
    public func equity() throws(ArithmeticError) -> Money { try margin.adding(pnl) }

    /// PnL percentage `pnl ÷ margin`, rounded **down** (ranking input; rounding only breaks near-ties).
    public func pnlFraction() throws(ArithmeticError) -> Rate { try pnl.ratio(to: margin, rounding: .down) }

    /// Effective leverage `notional ÷ (margin + pnl)`, rounded **down**.
    public func effectiveLeverage() throws(ArithmeticError) -> Rate {
        try notional.ratio(to: try equity(), rounding: .down)
    }

    /// Margin ratio `maintenance ÷ (margin + pnl)`, rounded **down**.
    public func marginRatio() throws(ArithmeticError) -> Rate {
        try maintenance.ratio(to: try equity(), rounding: .down)
    }
}
