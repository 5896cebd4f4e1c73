public import FulcrumCore

/// A liquidation order the engine asks an executor to fill.
public struct LiquidationOrder: Sendable, Hashable {
    /// The account being liquidated.
    public var account: AccountID
    /// The market.
    public var market: MarketID
    /// Signed size to trade from the liquidated account's side (negative sells a long).
    public var size: Quantity
    /// The trigger price (mark or oracle per the profile) at which the account was found under maintenance.
    public var triggerPrice: Price
    /// The price at which closing `size` leaves the account's margin pool at exactly zero (the bound beyond
    /// which the insurance fund pays).
    public var bankruptcyPrice: Price
    /// The worst price the order may fill at, when the venue bounds it (dYdX v4's fillable price,
    /// ``DydxLiquidation/fillablePrice(side:size:oraclePrice:positionMaintenance:totalNetCollateral:totalMaintenance:bankruptcyAdjustmentPpm:spreadToMaintenanceMarginRatioPpm:)``):
    /// a sale must fill at or above it, a purchase at or below it. The engine treats a fill beyond it as no fill
    /// (immediate-or-cancel at the limit). `nil`: unbounded.
    public var limitPrice: Price?

    /// Creates an order.
    public init(
        account: AccountID,
        market: MarketID,
        size: Quantity,
        triggerPrice: Price,
        bankruptcyPrice: Price,
        limitPrice: Price? = nil
    ) {
        self.account = account
        self.market = market
        self.size = size
        self.triggerPrice = triggerPrice
        self.bankruptcyPrice = bankruptcyPrice
        self.limitPrice = limitPrice
    }
}

/// How a liquidation order was filled: one price, one counterparty account in the ledger.
public struct LiquidationFill: Sendable, Hashable {
    /// Average fill price (need not be on the tick grid: a book walk averages levels). Must be positive.
    public var price: Price
    /// The account that takes the other side (liquidator, backstop vault, or a book aggregate account).
    public var counterparty: AccountID

    /// Creates a fill.
    public init(price: Price, counterparty: AccountID) {
        self.price = price
        self.counterparty = counterparty
    }
}

/// Fills liquidation orders. Inject one to model an order book; the default is ``BackstopExecutor``.
///
/// Returning `nil` means no liquidity: the engine then auto-deleverages the position at its bankruptcy price
/// (or, for profiles without ADL, leaves it for the next sweep).
public protocol LiquidationExecutor {
    /// Fills `order` or returns `nil`.
    mutating func fill(_ order: LiquidationOrder) -> LiquidationFill?
}

/// The default executor: a Hyperliquid-HLP-style backstop vault account takes every liquidated position over at
/// the trigger price (mark or oracle). The vault is an ordinary ledger account (so open interest stays balanced
/// and money is conserved); it is never liquidated itself and its equity may go negative (vault loss).
public struct BackstopExecutor: LiquidationExecutor, Sendable {
    /// The backstop vault's account.
    public var account: AccountID

    /// Creates the executor for a backstop account.
    public init(account: AccountID) { self.account = account }

    /// Fills at the trigger price against the backstop account.
    public mutating func fill(_ order: LiquidationOrder) -> LiquidationFill? {
        guard order.account != account else { return nil }
        return LiquidationFill(price: order.triggerPrice, counterparty: account)
    }
}
