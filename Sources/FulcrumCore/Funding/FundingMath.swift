/// Pure funding arithmetic: rates for each ``FundingRule/Formula``, cumulative-index deltas and payments.
///
/// One sign convention everywhere: a **positive rate means longs pay shorts**. The cumulative funding index
/// of a market is in quote per unit of base (a ``Price``); a position of signed size `s` that last settled at
/// index `i₀` is owed `−(i − i₀) · s` (dYdX `GetSettlementPpmWithPerpetual`, Drift `calculate_funding_payment`).
public enum FundingMath {
    /// Premium plus clamped interest, limited to ±`cap`:
    /// `F = clamp(P + clamp(I − P, −clamp, +clamp), −cap, +cap)` (Binance, Bybit, BitMEX, Hyperliquid, dYdX).
    ///
    /// Exact: only additions and comparisons. Negative `clamp` or `cap` are rejected.
    ///
    /// - Throws: ``ArithmeticError`` naming the field on a negative bound or an overflow.
    public static func premiumPlusClampedInterest(
        premium: Rate,
        interest: Rate,
        clamp: Rate,
        cap: Rate
    ) throws(ArithmeticError) -> Rate {
        guard !clamp.isNegative else { throw ArithmeticError(.outOfRange, "clamp \(clamp) must not be negative") }
        guard !cap.isNegative else { throw ArithmeticError(.outOfRange, "cap \(cap) must not be negative") }
        let gap = try interest.subtracting(premium)
        let clampedGap = Rate.minimum(Rate.maximum(gap, -clamp), clamp)
        let rate = try premium.adding(clampedGap)
        return Rate.minimum(Rate.maximum(rate, -cap), cap)
    }

    /// OKX: the premium clamped to ±`cap` (interest zero): `F = clamp(P̄, −cap, +cap)`.
    ///
    /// - Throws: ``ArithmeticError`` when `cap` is negative.
    public static func clampedPremium(premium: Rate, cap: Rate) throws(ArithmeticError) -> Rate {
        guard !cap.isNegative else { throw ArithmeticError(.outOfRange, "cap \(cap) must not be negative") }
        return Rate.minimum(Rate.maximum(premium, -cap), cap)
    }

    /// Drift v2 funding for one payment period as an index delta in quote per base
    /// (`programs/drift/src/math/funding.rs`, `calculate_funding_rate`):
    ///
    /// `spread = markTWAP − oracleTWAP + |oracleTWAP| / offsetDenominator` (integer division truncates, as the
    /// program's), clamped to `±|oracleTWAP| · cap` (cap rounded **down**, the program's integer division), then
    /// scaled to the period: `Δ = clamped · intervalSeconds / 86,400`, truncated **toward zero** (neither side
    /// is favoured beyond one unit; the payment rounding in ``payment(indexDelta:size:)`` decides the dust).
    ///
    /// - Throws: ``ArithmeticError`` on a non-positive oracle TWAP, offset denominator or interval, or overflow.
    public static func twapSpreadIndexDelta(
        markTWAP: Price,
        oracleTWAP: Price,
        offsetDenominator: Int64,
        cap: Rate,
        intervalSeconds: Int64
    ) throws(ArithmeticError) -> Price {
        guard oracleTWAP.isPositive else {
            throw ArithmeticError(.outOfRange, "oracleTWAP \(oracleTWAP) must be positive")
        }
        guard markTWAP.isPositive else { throw ArithmeticError(.outOfRange, "markTWAP \(markTWAP) must be positive") }
        guard offsetDenominator > 0 else {
            throw ArithmeticError(.outOfRange, "offsetDenominator \(offsetDenominator) must be positive")
        }
        guard intervalSeconds > 0 else {
            throw ArithmeticError(.outOfRange, "intervalSeconds \(intervalSeconds) must be positive")
        }
        guard !cap.isNegative else { throw ArithmeticError(.outOfRange, "cap \(cap) must not be negative") }
        let offset = try oracleTWAP.divided(by: offsetDenominator, rounding: .towardZero)
        let spread = try markTWAP.subtracting(oracleTWAP).adding(offset)
        let bound = try oracleTWAP.times(cap, rounding: .down)
        let clamped = Price.minimum(Price.maximum(spread, -bound), bound)
        let delta = try FixedMath.multiplyDivide(clamped.wide, Int128(intervalSeconds), 86_400, rounding: .towardZero)
        return Price(raw: try FixedMath.narrow(delta, field: "funding index delta"))
    }

    /// Index delta of a rate paid on `price` for one payment:
    /// `Δ = price · rate · intervalSeconds / rateIntervalSeconds`, one division, truncated **toward zero**
    /// (dYdX truncates its funding-index delta toward zero; Hyperliquid pays an 8-h rate hourly at 1/8).
    ///
    /// - Throws: ``ArithmeticError`` on non-positive intervals, a non-positive price, or overflow.
    public static func indexDelta(
        rate: Rate,
        price: Price,
        intervalSeconds: Int64,
        rateIntervalSeconds: Int64
    ) throws(ArithmeticError) -> Price {
        guard price.isPositive else { throw ArithmeticError(.outOfRange, "funding price \(price) must be positive") }
        guard intervalSeconds > 0 else {
            throw ArithmeticError(.outOfRange, "intervalSeconds \(intervalSeconds) must be positive")
        }
        guard rateIntervalSeconds > 0 else {
            throw ArithmeticError(.outOfRange, "rateIntervalSeconds \(rateIntervalSeconds) must be positive")
        }
        let (product, overflow) = price.wide.multipliedReportingOverflow(by: rate.wide)
        guard !overflow else { throw ArithmeticError(.overflow, "funding price × rate overflows") }
        let (scaled, overflow2) = product.multipliedReportingOverflow(by: Int128(intervalSeconds))
        guard !overflow2 else { throw ArithmeticError(.overflow, "funding price × rate × interval overflows") }
        let delta = try FixedMath.divide(
            scaled,
            by: FixedPointScale.wideFactor * Int128(rateIntervalSeconds),
            rounding: .towardZero
        )
        return Price(raw: try FixedMath.narrow(delta, field: "funding index delta"))
    }

    /// The funding payment owed to a position of signed `size` when the index moved by `indexDelta`:
    /// `payment = −indexDelta · size`, rounded **down** (toward −∞).
    ///
    /// Rounding down means a payer pays the ceiling of its exact amount and a receiver receives the floor, so
    /// the venue is favoured: across a balanced market (Σ size = 0) the payments sum to zero or less, and the
    /// non-negative remainder (dust) is the clearing house's to book (the engine books it in the fee pool).
    ///
    /// - Throws: ``ArithmeticError`` on overflow.
    public static func payment(indexDelta: Price, size: Quantity) throws(ArithmeticError) -> Money {
        let raw = try FixedMath.multiplyDivide(-indexDelta.wide, size.wide, FixedPointScale.wideFactor, rounding: .down)
        return Money(raw: try FixedMath.narrow(raw, field: "funding payment"))
    }
}
