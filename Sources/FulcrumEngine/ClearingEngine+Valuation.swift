public import FulcrumCore

/// Position valuation for linear and inverse (coin-margined) markets, in the settlement currency.
///
/// Linear: the signed value of `size` at `P` is `size · P` (quote). Inverse (BitMEX XBTUSD, Bybit BTCUSD): sizes are
/// contracts of `contractValue` quote each, amounts are in coin, and the signed value is `−size · cv / P` (BitMEX's
/// sign convention: a long's value is negative because it owes coin when the price falls). A position's `cost` is the
/// Σ of the values of its fills, so `uPnL = value(size, P) − cost` is `size · cv · (1/entry − 1/P)` for an inverse
/// long, exactly the venues' formula, and every fill moves the same amount with opposite signs into the two sides'
/// costs (conservation stays exact).
extension ClearingEngine {
    /// The signed value of `size` at `price` in `market`, raw 10⁻⁸ settlement units, rounded as `rule` says.
    ///
    /// Linear: `size · price / 10⁸`. Inverse: `−size · cv / price` (raw units: `coin = h · c / p`).
    @inlinable
    func value(_ size: Quantity, at price: Price, market: Int, rounding rule: RoundingRule) throws -> Int128 {
        try Self.value(size, at: price, contractValue: inverseContractValues[market], rounding: rule)
    }

    /// ``value(_:at:market:rounding:)`` for a market whose inverse contract value is `contractValue` (0: linear).
    @inlinable
    static func value(
        _ size: Quantity,
        at price: Price,
        contractValue: Int64,
        rounding rule: RoundingRule
    ) throws -> Int128 {
        if contractValue == 0 { return try FixedMath.scaledProduct(size.raw, price.raw, rounding: rule) }
        return try FixedMath.multiplyDivide(-size.wide, Int128(contractValue), price.wide, rounding: rule)
    }

    /// The absolute amount a fill of `quantity` (magnitude) at `price` moves between the two sides, rounded
    /// **half-even** (neutral: both sides receive the same amount with opposite signs, so conservation does not
    /// depend on the rounding): `|q| · P` (linear) or `|q| · cv / P` (inverse, coin).
    func fillAmount(_ quantity: Quantity, at price: Price, market: Int) throws -> Money {
        let contractValue = inverseContractValues[market]
        if contractValue == 0 { return try quantity.magnitude.notional(at: price, rounding: .halfEven) }
        let raw = try FixedMath.multiplyDivide(
            quantity.magnitude.wide,
            Int128(contractValue),
            price.wide,
            rounding: .halfEven
        )
        return Money(raw: try FixedMath.narrow(raw, field: "fill amount"))
    }

    /// The `cash` argument of ``applyFill(account:market:delta:cash:)`` for a fill of `delta` whose amount is
    /// `amount`: minus the fill's signed value (a linear buy pays `−amount`; an inverse buy books `+amount` coin,
    /// since an inverse long's value is negative).
    func fillCash(delta: Quantity, amount: Money, market: Int) -> Money {
        let buying = delta.raw > 0
        if inverseContractValues[market] == 0 { return buying ? -amount : amount }
        return buying ? amount : -amount
    }

    /// The absolute notional of `quantity` at `price` in the settlement currency (quote for linear, coin for inverse),
    /// rounded as `rule` says: the unit of the profile's thresholds and the tier table.
    func notional(_ quantity: Quantity, at price: Price, market: Int, rounding rule: RoundingRule) throws -> Money {
        let contractValue = inverseContractValues[market]
        if contractValue == 0 { return try quantity.magnitude.notional(at: price, rounding: rule) }
        let raw = try FixedMath.multiplyDivide(
            quantity.magnitude.wide,
            Int128(contractValue),
            price.wide,
            rounding: rule
        )
        return Money(raw: try FixedMath.narrow(raw, field: "notional"))
    }

    /// The quantity whose notional at `price` is `amount` (inverse: `amount · P / cv` contracts), rounded as `rule`.
    func quantity(
        forNotional amount: Money,
        at price: Price,
        market: Int,
        rounding rule: RoundingRule
    ) throws
        -> Quantity
    {
        let contractValue = inverseContractValues[market]
        if contractValue == 0 { return try amount.quantity(at: price, rounding: rule) }
        let raw = try FixedMath.multiplyDivide(amount.wide, price.wide, Int128(contractValue), rounding: rule)
        return Quantity(raw: try FixedMath.narrow(raw, field: "quantity"))
    }

    /// Whether `market` is inverse (coin-margined).
    @inlinable func isInverse(_ market: Int) -> Bool { inverseContractValues[market] != 0 }
}

/// Per-position figures for reports, valid for linear and inverse markets.
extension ClearingEngine {
    /// The average entry price of `account`'s position in `market` (quote per base), rounded **half-even** (display
    /// only); `nil` when flat. Linear: `|cost| / |size|`; inverse: `|size| · cv / |cost|` (``Position/entryPrice`` is
    /// the linear form only).
    public func entryPrice(of account: AccountID, in market: MarketID) -> Price? {
        guard account.index < balances.count, market.index < markets.count else { return nil }
        let position = positions[slot(account.index, market.index)]
        guard position.size.raw != 0, position.cost.raw != 0 else { return nil }
        let contractValue = inverseContractValues[market.index]
        if contractValue == 0 { return position.entryPrice }
        guard
            let raw = try? FixedMath.multiplyDivide(
                position.size.magnitude.wide,
                Int128(contractValue),
                position.cost.magnitude.wide,
                rounding: .halfEven
            ), let narrow = try? FixedMath.narrow(raw, field: "entry price")
        else { return nil }
        return Price(raw: narrow)
    }

    /// The unrealized PnL of `account`'s position in `market` at the trigger price, in the settlement currency
    /// (`value(size, P) − cost`, the value rounded **down**: favours the venue).
    ///
    /// - Throws: ``EngineError`` for unknown ids or an overflow.
    public func unrealizedPnl(of account: AccountID, in market: MarketID) throws(EngineError) -> Money {
        do {
            try requireAccount(account)
            try requireMarket(market)
            let position = positions[slot(account.index, market.index)]
            let raw = try unrealized(position, market: market.index, price: triggerPrice(market))
            return Money(raw: try FixedMath.narrow(raw, field: "unrealized PnL"))
        } catch { throw Self.engineError(error, context: "unrealized PnL of account \(account)") }
    }
}
