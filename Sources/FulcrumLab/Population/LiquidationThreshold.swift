public import FulcrumCore

/// The liquidation test and the liquidation price of one linear position, both under the venue profile's own
/// maintenance-margin rule (``VenueProfile/maintenanceMargin(size:price:market:)`` in FulcrumCore).
///
/// The lab does not restate margin rules: the test is `equity(P) < maintenanceMargin(P)` with the core's
/// maintenance margin, and the liquidation price is found by searching that same test over integer prices, so
/// the frontier index and the per-account check can never disagree about which side of the line a price is on.
public enum LiquidationThreshold {
    /// Equity of a position at `price`: `margin + pnl`, with `pnl` rounded against the trader (value at `price`
    /// rounded down for a long / up for a short, value at entry the other way — favours the venue).
    @inlinable
    public static func equity(
        side: PositionSide,
        size: Quantity,
        entry: Price,
        margin: Money,
        price: Price
    ) throws(ArithmeticError) -> Money {
        switch side {
        case .long:
            let value = try size.notional(at: price, rounding: .down)
            let cost = try size.notional(at: entry, rounding: .up)
            return try margin.adding(try value.subtracting(cost))
        case .short:
            let value = try size.notional(at: price, rounding: .up)
            let proceeds = try size.notional(at: entry, rounding: .down)
            return try margin.adding(try proceeds.subtracting(value))
        }
    }

    /// Whether the position is liquidatable at `price`: `equity < maintenanceMargin` under `profile`.
    ///
    /// An arithmetic overflow (only at absurd prices) counts as liquidatable.
    @inlinable
    public static func isLiquidatable(
        side: PositionSide,
        size: Quantity,
        entry: Price,
        margin: Money,
        price: Price,
        profile: VenueProfile,
        market: MarketSpec
    ) -> Bool {
        do {
            let e = try equity(side: side, size: size, entry: entry, margin: margin, price: price)
            let mm = try profile.maintenanceMargin(size: size, price: price, market: market)
            return e < mm
        } catch {
            return true
        }
    }

    /// Equity of a position whose open notional is `cost` (what a long paid, what a short received: the magnitude
    /// of the clearing engine's `Position.cost`): long `margin + value(P)↓ − cost`, short `margin + cost − value(P)↑`
    /// — the engine's own valuation (value rounded down for the signed size), so the lab's index and the engine
    /// agree on which side of the line a price is.
    @inlinable
    public static func equity(
        side: PositionSide,
        size: Quantity,
        cost: Money,
        margin: Money,
        price: Price
    ) throws(ArithmeticError) -> Money {
        switch side {
        case .long:
            return try margin.adding(try size.notional(at: price, rounding: .down).subtracting(cost))
        case .short:
            return try margin.adding(try cost.subtracting(try size.notional(at: price, rounding: .up)))
        }
    }

    /// Whether a position with open notional `cost` is liquidatable at `price`: `equity < maintenanceMargin`
    /// under `profile`. An arithmetic overflow (only at absurd prices) counts as liquidatable.
    @inlinable
    public static func isLiquidatable(
        side: PositionSide,
        size: Quantity,
        cost: Money,
        margin: Money,
        price: Price,
        profile: VenueProfile,
        market: MarketSpec
    ) -> Bool {
        do {
            let e = try equity(side: side, size: size, cost: cost, margin: margin, price: price)
            let mm = try profile.maintenanceMargin(size: size, price: price, market: market)
            return e < mm
        } catch {
            return true
        }
    }

    /// The liquidation price of a position with open notional `cost` (see
    /// ``isLiquidatable(side:size:cost:margin:price:profile:market:)``), searched like
    /// ``price(side:size:entry:margin:profile:market:)``.
    public static func price(
        side: PositionSide,
        size: Quantity,
        cost: Money,
        margin: Money,
        profile: VenueProfile,
        market: MarketSpec
    ) -> Price? {
        let entry = Double(cost.raw) * 1e8 / Swift.max(1, Double(size.raw))
        return search(side: side, size: size, entry: entry, margin: margin, profile: profile, market: market) {
            isLiquidatable(
                side: side,
                size: size,
                cost: cost,
                margin: margin,
                price: Price(raw: $0),
                profile: profile,
                market: market
            )
        }
    }

    /// The liquidation price: for a long the highest price at which ``isLiquidatable`` holds, for a short the
    /// lowest. `nil` when a long is never liquidatable at a positive price (leverage at or below 1).
    ///
    /// A Double estimate from the maintenance rate at entry seeds a bracket that is widened geometrically and
    /// then bisected on the exact fixed-point test (about ten evaluations per account).
    public static func price(
        side: PositionSide,
        size: Quantity,
        entry: Price,
        margin: Money,
        profile: VenueProfile,
        market: MarketSpec
    ) -> Price? {
        search(side: side, size: size, entry: Double(entry.raw), margin: margin, profile: profile, market: market) {
            isLiquidatable(
                side: side,
                size: size,
                entry: entry,
                margin: margin,
                price: Price(raw: $0),
                profile: profile,
                market: market
            )
        }
    }

    /// The bracket-and-bisect search of a liquidation price on the exact test `liq` (raw price → liquidatable),
    /// seeded by a Double estimate from the (average) entry price `entry` (raw units).
    static func search(
        side: PositionSide,
        size: Quantity,
        entry e: Double,
        margin: Money,
        profile: VenueProfile,
        market: MarketSpec,
        liq: (Int64) -> Bool
    ) -> Price? {
        // Estimate: effective maintenance rate at entry, then E ∓ m/q over (1 ∓ rate).
        let q = Double(size.raw)
        let m = Double(margin.raw) * 1e8 / Swift.max(q, 1)
        var rate = 0.0
        var deduction = 0.0
        switch profile.marginModel {
        case .tiered, .hyperliquid:
            // Guess from the entry notional's tier: MM ≈ |N|·mmr − cum (the exact test below decides).
            let tier = market.tiers.tier(forSize: size, notional: Money(raw: Int64(Swift.min(9e18, q * e / 1e8))))
            rate = Double(tier.maintenanceMarginRate.raw) / 1e8
            deduction = Double(tier.maintenanceDeduction.raw) * 1e8 / Swift.max(q, 1)
        default:
            let entry = Price(raw: Int64(Swift.min(9e18, Swift.max(1, e.rounded()))))
            if let mm = try? profile.maintenanceMargin(size: size, price: entry, market: market),
                let notional = try? size.notional(at: entry, rounding: .up), notional.isPositive
            {
                rate = Double(mm.raw) / Double(notional.raw)
            }
        }
        let maxRaw = Int64.max / 4
        // First bracket step: the price move that changes the position's value by one raw money unit
        // (1e8 / size raw, at least 1). The exact test is a step function of the value rounded to money units, so
        // the estimate is typically off by a few such widths: starting there brackets in one or two evaluations
        // instead of climbing 1, 4, 16, … raw units. Any bracket gives the same frontier (the test is monotone).
        let firstStep = Int64(Swift.min(Double(maxRaw / 8), Swift.max(1, (1e8 / Swift.max(q, 1)).rounded(.up))))
        switch side {
        case .long:
            let guess = (e - m - deduction) / Swift.max(1e-9, 1 - rate)
            var low = Int64(Swift.min(Double(maxRaw), Swift.max(1, guess.rounded())))
            // Bracket: low liquidatable, high not.
            var step = firstStep
            var high: Int64
            if liq(low) {
                high = low
                var highLiquidatable: Bool
                repeat {
                    low = high
                    high = low > maxRaw - step ? maxRaw : low + step
                    step = step > maxRaw / 4 ? step : step * 4
                    highLiquidatable = liq(high)
                } while highLiquidatable && high < maxRaw
                if highLiquidatable { return Price(raw: high) }
            } else {
                high = low
                repeat {
                    high = low
                    low = Swift.max(1, high - step)
                    step = step > maxRaw / 4 ? step : step * 4
                    if low == 1 && !liq(1) { return nil }  // never liquidatable at a positive price
                } while !liq(low)
            }
            while high - low > 1 {
                let mid = low + (high - low) / 2
                if liq(mid) { low = mid } else { high = mid }
            }
            return Price(raw: low)
        case .short:
            let guess = (e + m + deduction) / (1 + rate)
            var high = Int64(Swift.min(Double(maxRaw), Swift.max(1, guess.rounded())))
            var step = firstStep
            var low: Int64
            if liq(high) {
                low = high
                var lowLiquidatable: Bool
                repeat {
                    high = low
                    low = Swift.max(0, high - step)
                    step = step > maxRaw / 4 ? step : step * 4
                    lowLiquidatable = liq(low)
                } while low > 0 && lowLiquidatable
                if low == 0 && lowLiquidatable { return Price(raw: 0) }
            } else {
                low = high
                var highLiquidatable: Bool
                repeat {
                    low = high
                    high = high > maxRaw - step ? maxRaw : high + step
                    step = step > maxRaw / 4 ? step : step * 4
                    highLiquidatable = liq(high)
                } while !highLiquidatable && high < maxRaw
                if !highLiquidatable { return Price(raw: maxRaw) }
            }
            while high - low > 1 {
                let mid = low + (high - low) / 2
                if liq(mid) { high = mid } else { low = mid }
            }
            return Price(raw: high)
        }
    }
}
