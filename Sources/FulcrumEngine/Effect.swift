public import FulcrumCore

/// One auditable action the engine took. A cascade can be read line by line from its effects.
public struct Effect: Sendable, Hashable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case listing, deposit, withdrawal, trade, tradeFee, indexPrice, markPrice, funding, fundingDust
        case leverage, marginMode, isolatedMarginTransfer, insuranceDeposit, insuranceWithdrawal
        /// A liquidation order filled by the executor (`counterparty` took the other side).
        case liquidationFill
        /// The liquidation (clearance) fee, `amount`, routed to `insuranceDelta` (IF) or the counterparty/fee pool.
        case liquidationFee
        /// The insurance fund covered a shortfall (`insuranceDelta` negative).
        case insuranceCover
        /// A position of `counterparty` was auto-deleveraged at `price` against the bankrupt `account`.
        case autoDeleverage
        /// The loss of the bankrupt `counterparty` was socialized over every other open position of `market`
        /// (Drift-style, one effect for the market like ``funding``): each position paid `⌈price·|size|⌉` (`price`
        /// is the charge per unit of size), `amount` is the sum of the payments (`account` is nil).
        case socializedLoss
        /// A deficit of `amount` no one covered (recorded as bad debt).
        case badDebt
    }

    /// What happened.
    public var kind: Kind
    /// The account acted on, when any.
    public var account: AccountID?
    /// The market, when any.
    public var market: MarketID?
    /// The other account (trade counterparty, liquidator/backstop, ADL'd holder), when any.
    public var counterparty: AccountID?
    /// Size involved (signed from `account`'s point of view for fills: positive = bought).
    public var size: Quantity
    /// Price involved (fill, ADL, funding basis or new price).
    public var price: Price
    /// Money involved (fee, deposit, payment, covered or socialized amount); for funding, Σ paid by payers.
    public var amount: Money
    /// Change of the insurance fund caused by this action.
    public var insuranceDelta: Money

    /// Creates an effect.
    public init(
        kind: Kind,
        account: AccountID? = nil,
        market: MarketID? = nil,
        counterparty: AccountID? = nil,
        size: Quantity = .zero,
        price: Price = .zero,
        amount: Money = .zero,
        insuranceDelta: Money = .zero
    ) {
        self.kind = kind
        self.account = account
        self.market = market
        self.counterparty = counterparty
        self.size = size
        self.price = price
        self.amount = amount
        self.insuranceDelta = insuranceDelta
    }
}
