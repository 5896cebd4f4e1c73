public import FulcrumCore

/// How much of a liquidatable position one liquidation order closes, read from the profile's
/// ``LiquidationProcedure``.
public enum LiquidationSizing {
    /// The size to close (positive, ≤ `size`, a multiple of `market.stepSize` unless it is the whole position).
    ///
    /// - `.full`: everything.
    /// - `.partialSteps(f, T)`: `⌈size · f⌉` to the step while the notional at `price` exceeds `T`, else everything.
    /// - `.tierStepDown`: in the first tier everything; otherwise enough to bring the notional below the current
    ///   tier's floor (rounded up to the step).
    /// - `.perSweepLimit(max, min)`: at most `⌈max / price⌉` to the step; everything if the rest would be below `min`.
    ///
    /// Rounding up closes slightly more (favours the venue: the remainder is never under-reduced).
    public static func closeSize(
        size: Quantity,
        price: Price,
        profile: VenueProfile,
        market: MarketSpec
    ) throws(ArithmeticError) -> Quantity {
        let step = market.stepSize.isPositive ? market.stepSize : Quantity(raw: 1)
        func clamp(_ q: Quantity) -> Quantity {
            q >= size || q.isZero ? size : Quantity.maximum(q, step)
        }
        switch profile.liquidationProcedure {
        case .full:
            return size
        case .partialSteps(let fraction, let threshold):
            let notional = try size.notional(at: price, rounding: .up)
            guard notional > threshold else { return size }
            let part = try size.times(fraction, rounding: .up).rounded(toMultipleOf: step, rounding: .up)
            return clamp(part)
        case .tierStepDown:
            let notional = try size.notional(at: price, rounding: .up)
            let index = market.tiers.tierIndex(forNotional: notional)
            guard index > 0 else { return size }
            let floor = market.tiers.tiers[index].notionalFloor
            // Largest size whose notional is below the floor: floor / price rounded down, then one step less.
            let target = try floor.quantity(at: price, rounding: .down).rounded(toMultipleOf: step, rounding: .down)
            let keep = target > step ? target - step : .zero
            return clamp(size - keep)
        case .perSweepLimit(let maxNotional, let minNotional):
            let cap = try maxNotional.quantity(at: price, rounding: .up).rounded(toMultipleOf: step, rounding: .up)
            let part = clamp(cap)
            if part < size {
                let rest = try (size - part).notional(at: price, rounding: .down)
                if rest < minNotional { return size }
            }
            return part
        }
    }
}
