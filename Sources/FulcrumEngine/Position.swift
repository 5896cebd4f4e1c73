public import FulcrumCore

/// One account's position in one market: 48 bytes, stored contiguously per account.
///
/// `cost` is the signed open notional (Σ of trade notionals, reduced pro rata on closes), so the unrealized PnL
/// at price `P` is `size · P − cost` and the entry price is `cost / size`. Keeping the cost instead of a rounded
/// entry price makes money conservation exact: every fill moves the same notional between two accounts.
@frozen
public struct Position: Sendable, Hashable {
    /// Signed size in base units: positive long, negative short.
    public var size: Quantity
    /// Signed open notional (quote); `size · entryPrice`.
    public var cost: Money
    /// Margin held by the position when isolated (zero for cross positions).
    public var isolatedMargin: Money
    /// The market's cumulative funding index when the position last settled funding.
    public var fundingIndex: Price
    /// The account's leverage setting for this market.
    public var leverage: Leverage
    /// Cross or isolated.
    public var mode: MarginMode

    /// Creates a position record.
    public init(
        size: Quantity = .zero,
        cost: Money = .zero,
        isolatedMargin: Money = .zero,
        fundingIndex: Price = .zero,
        leverage: Leverage,
        mode: MarginMode = .cross
    ) {
        self.size = size
        self.cost = cost
        self.isolatedMargin = isolatedMargin
        self.fundingIndex = fundingIndex
        self.leverage = leverage
        self.mode = mode
    }

    /// Whether the position is open.
    @inlinable public var isOpen: Bool { size.raw != 0 }

    /// The average entry price `|cost| / |size|`, rounded half-even (display only); `nil` when flat.
    public var entryPrice: Price? {
        guard size.raw != 0 else { return nil }
        return try? cost.magnitude.divided(by: size.magnitude, rounding: .halfEven)
    }
}
