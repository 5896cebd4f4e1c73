import FulcrumCore
import FulcrumEngine

/// The agents: liquidation hunters and deleveraging accounts.
extension CascadeRun {
    /// Liquidation hunters: when the long liquidation notional within `hunterReach` below the traded price is at
    /// least `hunterTriggerMultiple × hunterCapital`, sell `hunterCapital` worth into the book and buy back later.
    mutating func hunt(traded: Price, fundamental: Price, step: Int) throws(LabError) {
        let agents = scenario.agents
        guard agents.hunterCapital > 0 else { return }
        let top = bucket(of: traded.raw)
        let low = bucket(of: try price(traded, times: 1 - agents.hunterReach).raw)
        var cluster = 0.0
        if top <= low { for b in top...low { cluster += histogram[b] } }
        guard cluster >= agents.hunterTriggerMultiple * agents.hunterCapital else { return }
        let quantity = Int64((agents.hunterCapital / (Double(traded.raw) / 1e8) * 1e8).rounded(.down))
        guard quantity > 0 else { return }
        let fill = try liquidity.trade(Quantity(raw: quantity), mid: fundamental, isSell: true, commit: true)
        hunterHolding = fill.quantity.raw
        hunterBuyStep = step + agents.hunterHoldSteps
        metrics.hunterAttacks += 1
    }

    /// Deleveraging agents cut `deleverageFraction` of their positions (once, when volatility first crosses the
    /// trigger); longs' sells and shorts' buys go to the liquidity as two aggregate orders, and each account trades
    /// its cut with the house in the engine at its side's average price on the tick grid (rounded against the
    /// account: down for a sale, up for a purchase). Accounts already under maintenance, queued for liquidation,
    /// or that the engine refuses (the cut would leave negative equity) do not cut.
    mutating func deleverage(oracle: Price, mark: Price, fundamental: Price) throws(LabError) {
        let fraction = scenario.agents.deleverageFraction
        let step = scenario.market.stepSize.isPositive ? scenario.market.stepSize.raw : 1
        var cuts: [(Int, Int64)] = []
        var sells: Int64 = 0
        var buys: Int64 = 0
        for i in 0..<accounts.count
        where accounts.flags[i] & AccountBook.flagDeleverager != 0 && accounts.sizes[i] > 0 && !queued[i]
            && !liquidatable(i, at: mark)
        {
            let size = accounts.sizes[i]
            var cut = Int64((Double(size) * fraction).rounded(.up))
            cut = Swift.min(size, ((cut + step - 1) / step) * step)  // rounded up to the step, at most the size
            guard cut > 0 else { continue }
            cuts.append((i, cut))
            if isLong(i) { sells += cut } else { buys += cut }
        }
        guard !cuts.isEmpty else { return }
        let feedback = scenario.feedback
        let sellFill = try liquidity.trade(Quantity(raw: sells), mid: fundamental, isSell: true, commit: feedback)
        let buyFill = try liquidity.trade(Quantity(raw: buys), mid: fundamental, isSell: false, commit: feedback)
        let tick = scenario.market.tickSize
        let sellPrice: Price
        let buyPrice: Price
        do {
            sellPrice = Price.maximum(
                tick,
                try (sellFill.averagePrice ?? fundamental).rounded(toMultipleOf: tick, rounding: .down)
            )
            buyPrice = try (buyFill.averagePrice ?? fundamental).rounded(toMultipleOf: tick, rounding: .up)
        } catch {
            throw LabError(field: "deleveraging price", error)
        }
        effects.removeAll(keepingCapacity: true)
        try clearing.setPrices(index: oracle, mark: mark, effects: &effects)
        for (i, cut) in cuts {
            let long = isLong(i)
            let id = EngineClearing.account(i)
            let trade = TradeEvent(
                market: clearing.market,
                buyer: long ? EngineClearing.house : id,
                seller: long ? id : EngineClearing.house,
                size: Quantity(raw: cut),
                price: long ? sellPrice : buyPrice
            )
            effects.removeAll(keepingCapacity: true)
            do throws(EngineError) {
                try clearing.engine.apply(.trade(trade), effects: &effects)
            } catch {
                // The cut would leave negative equity: the account is for the liquidation engine, not a cut.
                if error.code == .insufficientMargin { continue }
                throw LabError("deleveraging of account \(i): \(error)")
            }
            accounts.flags[i] |= AccountBook.flagHasCut
            resync(i, force: false)
            metrics.deleveragedAgents += 1
        }
    }
}
