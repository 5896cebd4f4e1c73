public import FulcrumCore

/// Everything that can happen to the clearing engine. Each case is validated in full before it changes state.
public enum EngineEvent: Sendable, Hashable {
    /// List a market (gets the next ``MarketID``).
    case listMarket(MarketListing)
    /// Credit collateral; `account` may be the next new id (creates the account).
    case deposit(account: AccountID, amount: Money)
    /// Debit collateral; only free collateral (cross equity above initial margin, and wallet balance) may leave.
    case withdraw(account: AccountID, amount: Money)
    /// A matched trade.
    case trade(TradeEvent)
    /// New index (oracle) price.
    case indexPrice(market: MarketID, price: Price)
    /// New mark price.
    case markPrice(market: MarketID, price: Price)
    /// One funding payment computed from `inputs` by the market profile's rule.
    case funding(market: MarketID, inputs: FundingInputs)
    /// Set the account's leverage for a market (≤ the first tier's max leverage; margin re-checked).
    case setLeverage(account: AccountID, market: MarketID, leverage: Leverage)
    /// Set cross or isolated for a market (only while flat there).
    case setMarginMode(account: AccountID, market: MarketID, mode: MarginMode)
    /// Move `amount` between the wallet and an isolated position (positive adds, negative removes).
    case adjustIsolatedMargin(account: AccountID, market: MarketID, amount: Money)
    /// Detect and liquidate every account under maintenance with the default (backstop) executor.
    case liquidationSweep
    /// Add to the insurance fund of `market` (per-market scope) or to the shared fund (`market == nil`).
    case insuranceDeposit(market: MarketID?, amount: Money)
    /// Take `amount` out of the insurance fund of `market` (per-market scope) or out of the shared fund
    /// (`market == nil`): a redemption of insurance-vault shares, or a venue moving surplus out. Counted as a
    /// withdrawal in the conservation identity; refused when the fund holds less.
    case insuranceWithdrawal(market: MarketID?, amount: Money)
}
