import FulcrumCore

/// Backstop takeover (Hyperliquid): below a fraction of maintenance, the backstop vault takes the pool's positions
/// at the trigger price and keeps the remaining margin (``BackstopTakeover``, ``VenueProfile/backstopTakeover``).
extension ClearingEngine {
    /// The takeover rule that applies to `account`'s cross pool: the rule shared by every market where it holds an
    /// open cross position, or `nil` when any of them has none (mixed pools follow the ordinary procedure).
    func crossBackstopRule(_ account: Int) throws -> BackstopTakeover? {
        let count = markets.count
        var rule: BackstopTakeover?
        for market in 0..<count {
            let position = positions[account * count + market]
            guard position.size.raw != 0, position.mode == .cross else { continue }
            guard let own = backstopRules[market], rule == nil || rule == own else { return nil }
            rule = own
        }
        return rule
    }

    /// Transfers `account`'s cross pool (`isolatedMarket == nil`) or its isolated position in `isolatedMarket` to the
    /// backstop account: each position is filled at the trigger price against the backstop (a ``Effect/Kind/liquidationFill``
    /// with the backstop as counterparty), then the pool's remaining margin (wallet or isolated margin) moves to the
    /// backstop's wallet (a ``Effect/Kind/liquidationFee`` of that amount, counterparty the backstop, no insurance
    /// change): the maintenance margin is not returned. A pool left negative by the fill rounding goes through the
    /// usual deficit path (insurance fund, then bad debt).
    mutating func backstopTakeover(_ account: Int, isolatedMarket: Int?, effects: inout [Effect]) throws {
        let backstopID = configuration.backstopAccount
        try requireAccount(backstopID, field: "backstop account")
        let backstop = backstopID.index
        guard backstop != account else { return }
        let count = markets.count
        let accountID = AccountID(UInt32(account))
        var lastMarket = isolatedMarket ?? 0
        for market in 0..<count {
            if let isolatedMarket, market != isolatedMarket { continue }
            let position = positions[account * count + market]
            guard position.size.raw != 0 else { continue }
            if isolatedMarket == nil && position.mode != .cross { continue }
            let marketID = MarketID(UInt32(market))
            let price = triggerPrice(marketID)
            let delta = -position.size
            let amount = try fillAmount(position.size, at: price, market: market)
            let cash = fillCash(delta: delta, amount: amount, market: market)
            try applyFill(account: account, market: market, delta: delta, cash: cash)
            try applyFill(account: backstop, market: market, delta: position.size, cash: -cash)
            try releaseIsolatedIfFlat(account: backstop, market: market)
            lastMarket = market
            effects.append(
                Effect(
                    kind: .liquidationFill,
                    account: accountID,
                    market: marketID,
                    counterparty: backstopID,
                    size: delta,
                    price: price,
                    amount: amount
                )
            )
        }
        let index = slot(account, lastMarket)
        let margin = isolatedMarket == nil ? balances[account] : positions[index].isolatedMargin
        if margin.isPositive {
            if isolatedMarket == nil {
                willWrite(balance: account)
                balances[account] = .zero
            } else {
                willWrite(position: index)
                positions[index].isolatedMargin = .zero
            }
            willWrite(balance: backstop)
            balances[backstop] = try balances[backstop].adding(margin)
            effects.append(
                Effect(
                    kind: .liquidationFee,
                    account: accountID,
                    market: MarketID(UInt32(lastMarket)),
                    counterparty: backstopID,
                    amount: margin
                )
            )
        } else if margin.isNegative {
            try settleDeficit(account, market: lastMarket, isolated: isolatedMarket != nil, effects: &effects)
        }
    }
}
