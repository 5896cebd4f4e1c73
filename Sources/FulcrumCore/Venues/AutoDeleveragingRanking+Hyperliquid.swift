/// Hyperliquid's ADL sorting index.
extension AutoDeleveragingRanking {
    /// Hyperliquid's ADL sorting index of one position (higher is deleveraged first):
    /// `(mark_price / entry_price) · (notional_position / account_value)`
    /// (https://hyperliquid.gitbook.io/hyperliquid-docs/trading/auto-deleveraging: "The specific sorting index to
    /// determine the affected users in profit is `(mark_price / entry_price) * (notional_position / account_value)`").
    ///
    /// The docs state the index for longs; for a short Fulcrum uses the mirrored price ratio `entry_price / mark_price`
    /// (above 1 exactly when the short is in profit), an interpretation, not a published formula.
    ///
    /// Rounding: the price ratio and the leverage `notional / account value` are each rounded **toward zero** to
    /// 10⁻⁸, then their product toward zero (a score is never inflated by rounding; ties go to the queue order).
    ///
    /// - Parameters:
    ///   - side: the position's side.
    ///   - markPrice: the mark price (positive).
    ///   - entryPrice: the average entry price (positive).
    ///   - notional: the position's absolute notional at the mark price (non-negative).
    ///   - accountValue: the account value (or isolated position value) backing it; must be positive.
    /// - Throws: ``ArithmeticError`` naming the field for a non-positive price or account value, a negative notional,
    ///   or an overflow.
    public static func hyperliquidIndex(
        side: PositionSide,
        markPrice: Price,
        entryPrice: Price,
        notional: Money,
        accountValue: Money
    ) throws(ArithmeticError) -> Rate {
        guard markPrice.isPositive else {
            throw ArithmeticError(.outOfRange, "mark price \(markPrice) must be positive")
        }
        guard entryPrice.isPositive else {
            throw ArithmeticError(.outOfRange, "entry price \(entryPrice) must be positive")
        }
        guard !notional.isNegative else {
            throw ArithmeticError(.outOfRange, "notional \(notional) must not be negative")
        }
        guard accountValue.isPositive else {
            throw ArithmeticError(.outOfRange, "account value \(accountValue) must be positive")
        }
        let (numerator, denominator) = side == .long ? (markPrice, entryPrice) : (entryPrice, markPrice)
        let priceRatio = try FixedMath.multiplyDivide(
            numerator.wide,
            FixedPointScale.wideFactor,
            denominator.wide,
            rounding: .towardZero
        )
        let leverage = try FixedMath.multiplyDivide(
            notional.wide,
            FixedPointScale.wideFactor,
            accountValue.wide,
            rounding: .towardZero
        )
        let raw = try FixedMath.multiplyDivide(priceRatio, leverage, FixedPointScale.wideFactor, rounding: .towardZero)
        return Rate(raw: try FixedMath.narrow(raw, field: "ADL index"))
    }
}
