public import FulcrumCore
public import FulcrumIO

/// One write the API accepts, with markets still named by symbol (resolved against the engine when applied).
public enum WriteCommand: Sendable, Hashable {
    /// List a market: the v1 `market` object (without `"type"`), decoded by ``EventCodec``.
    case listMarket(EventJSONValue)
    /// Create the next account with an initial deposit.
    case createAccount(deposit: Money)
    /// Credit collateral.
    case deposit(account: UInt32, amount: Money)
    /// Debit free collateral.
    case withdraw(account: UInt32, amount: Money)
    /// Per-market leverage.
    case setLeverage(account: UInt32, market: String, leverage: Leverage)
    /// Cross or isolated (only while flat).
    case setMarginMode(account: UInt32, market: String, mode: MarginMode)
    /// Move margin into (+) or out of (−) an isolated position.
    case adjustIsolatedMargin(account: UInt32, market: String, amount: Money)
    /// A matched trade.
    case trade(
        market: String,
        buyer: UInt32,
        seller: UInt32,
        size: Quantity,
        price: Price,
        buyerFee: Rate,
        sellerFee: Rate
    )
    /// Oracle update: index and/or mark, followed by a liquidation sweep when one is needed.
    case prices(market: String, index: Price?, mark: Price?)
    /// One funding payment, followed by a liquidation sweep when one is needed.
    case funding(market: String, inputs: FundingInputs)
    /// An explicit liquidation sweep (always logged).
    case sweep
    /// Insurance fund deposit (per market or shared).
    case insuranceDeposit(market: String?, amount: Money)

    /// The account the command moves, when it is account-scoped (trader keys may only move their own).
    public var ownAccount: UInt32? {
        switch self {
        case .deposit(let account, _), .withdraw(let account, _), .setLeverage(let account, _, _),
            .setMarginMode(let account, _, _), .adjustIsolatedMargin(let account, _, _):
            account
        default: nil
        }
    }

    /// A short name for metrics (`deposit`, `prices`, …).
    public var name: String {
        switch self {
        case .listMarket: "market"
        case .createAccount: "account"
        case .deposit: "deposit"
        case .withdraw: "withdraw"
        case .setLeverage: "leverage"
        case .setMarginMode: "marginMode"
        case .adjustIsolatedMargin: "isolatedMargin"
        case .trade: "trade"
        case .prices: "prices"
        case .funding: "funding"
        case .sweep: "sweep"
        case .insuranceDeposit: "insurance"
        }
    }
}
