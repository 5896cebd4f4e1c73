import FulcrumCore

/// The hooks a multi-venue driver (``MultiVenueRun``) uses between the two halves of a step.
extension CascadeRun {
    /// The venue's touch: the fundamental price moved by the book's current displacement (the price the next
    /// small trade would see; the traded price of the step when nothing trades before it).
    func touch(fundamental: Price) throws(LabError) -> Price {
        guard scenario.feedback else { return fundamental }
        let d = liquidity.displacement
        return try price(fundamental, times: 1 - d.bid + d.ask)
    }

    /// The touch the venue would show after a trade of `quantity` (a buy when `isBuy`), without trading: the trade
    /// is committed on a copy of the liquidity (copy-on-write: only the depletion counters change).
    func touch(after quantity: Quantity, isBuy: Bool, at opened: OpenedStep) throws(LabError) -> Price {
        var copy = liquidity
        _ = try copy.trade(quantity, mid: opened.fundamental, isSell: !isBuy, commit: true)
        let d = copy.displacement
        return try price(opened.fundamental, times: 1 - d.bid + d.ask)
    }

    /// A cross-venue arbitrage trade on this venue's liquidity: a market buy (or sell) of `quantity` around the
    /// step's fundamental price, committed (the book walk is the price impact). Without feedback nothing trades.
    ///
    /// - Returns: the fill (quantity and notional, rounded against the taker by the book walk).
    mutating func crossVenueTrade(_ quantity: Quantity, isBuy: Bool, at opened: OpenedStep) throws(LabError) -> BookFill
    {
        guard scenario.feedback else {
            return try liquidity.trade(quantity, mid: opened.fundamental, isSell: !isBuy, commit: false)
        }
        return try liquidity.trade(quantity, mid: opened.fundamental, isSell: !isBuy, commit: true)
    }
}
