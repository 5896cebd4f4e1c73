/// A funding rule applied: from observations to the rate and the cumulative-index delta of one payment.
extension FundingRule {
    /// The funding rate per `rateIntervalSeconds` for premium formulas (after clamp and cap); for the TWAP-spread
    /// formula, the period's index delta divided by the oracle TWAP (rounded **toward zero**, informational).
    ///
    /// - Throws: ``ArithmeticError`` naming the field on bad inputs or overflow.
    public func rate(_ inputs: FundingInputs) throws(ArithmeticError) -> Rate {
        switch formula {
        case .premiumPlusClampedInterest(let interest, let clamp, let cap):
            if let override = inputs.rateOverride { return try FundingMath.clampedPremium(premium: override, cap: cap) }
            return try FundingMath.premiumPlusClampedInterest(
                premium: inputs.premium,
                interest: interest,
                clamp: clamp,
                cap: cap
            )
        case .clampedPremium(let cap):
            return try FundingMath.clampedPremium(premium: inputs.rateOverride ?? inputs.premium, cap: cap)
        case .twapSpread(let denominator, let cap):
            if let override = inputs.rateOverride { return override }
            let delta = try FundingMath.twapSpreadIndexDelta(
                markTWAP: inputs.markTWAP,
                oracleTWAP: inputs.oracleTWAP,
                offsetDenominator: denominator,
                cap: cap,
                intervalSeconds: intervalSeconds
            )
            return try Money(raw: delta.raw).ratio(to: Money(raw: inputs.oracleTWAP.raw), rounding: .towardZero)
        }
    }

    /// The cumulative funding-index delta (quote per base) of one payment at `basisPrice` (the mark or oracle
    /// price, per ``basis``): `price · rate · intervalSeconds / rateIntervalSeconds` truncated toward zero
    /// (``FundingMath/indexDelta(rate:price:intervalSeconds:rateIntervalSeconds:)``); Drift's formula yields
    /// the delta directly (``FundingMath/twapSpreadIndexDelta(markTWAP:oracleTWAP:offsetDenominator:cap:intervalSeconds:)``).
    ///
    /// - Throws: ``ArithmeticError`` naming the field on bad inputs or overflow.
    public func indexDelta(_ inputs: FundingInputs, basisPrice: Price) throws(ArithmeticError) -> Price {
        if case .twapSpread(let denominator, let cap) = formula, inputs.rateOverride == nil {
            return try FundingMath.twapSpreadIndexDelta(
                markTWAP: inputs.markTWAP,
                oracleTWAP: inputs.oracleTWAP,
                offsetDenominator: denominator,
                cap: cap,
                intervalSeconds: intervalSeconds
            )
        }
        return try FundingMath.indexDelta(
            rate: try rate(inputs),
            price: basisPrice,
            intervalSeconds: intervalSeconds,
            rateIntervalSeconds: rateIntervalSeconds
        )
    }
}
