import FulcrumCore
import FulcrumEngine

/// A `FulcrumEngine.LiquidationExecutor` that fills the engine's liquidation orders by walking the lab's
/// liquidity (order book, AMM or vAMM) around the current mid: the price impact of a liquidation is the walk.
///
/// The engine takes one price per order: the volume-weighted average of the walk, rounded against the liquidated
/// account (down for a sell, up for a buy). When the liquidity runs out, the unfilled rest is priced at the worst
/// level reached (the deepest resting order backstops it). An order that finds no liquidity at all returns `nil`,
/// and the engine auto-deleverages the position at its bankruptcy price.
struct BookExecutor: LiquidationExecutor {
    var liquidity: LiquidityState
    let mid: Price
    let commit: Bool
    let counterparty: AccountID
    /// Worst slippage seen (fraction of the order's trigger price).
    var worstSlippage = 0.0
    /// First error met while walking (arithmetic overflow); the fill is then refused.
    var failure: LabError?

    mutating func fill(_ order: LiquidationOrder) -> LiquidationFill? {
        let isSell = order.size.isNegative
        let quantity = order.size.magnitude
        guard quantity.isPositive else { return nil }
        do {
            let fill = try liquidity.trade(quantity, mid: mid, isSell: isSell, commit: commit)
            guard fill.quantity.isPositive else { return nil }
            var notional = fill.notional.wide
            let rest = quantity.raw - fill.quantity.raw
            if rest > 0 {
                notional += try FixedMath.multiplyDivide(
                    Int128(rest),
                    fill.worstPrice.wide,
                    FixedPointScale.wideFactor,
                    rounding: isSell ? .down : .up
                )
            }
            // Average price over the whole order, rounded against the liquidated account.
            let average = try FixedMath.divide(
                notional * FixedPointScale.wideFactor,
                by: quantity.wide,
                rounding: isSell ? .down : .up
            )
            let price = Price(raw: Swift.max(1, try FixedMath.narrow(average, field: "liquidation fill price")))
            if order.triggerPrice.isPositive {
                let t = Double(order.triggerPrice.raw)
                let slip = isSell ? (t - Double(price.raw)) / t : (Double(price.raw) - t) / t
                worstSlippage = Swift.max(worstSlippage, slip)
            }
            return LiquidationFill(price: price, counterparty: counterparty)
        } catch let error as LabError {
            failure = error
            return nil
        } catch {
            failure = LabError("liquidation fill: \(error)")
            return nil
        }
    }
}
