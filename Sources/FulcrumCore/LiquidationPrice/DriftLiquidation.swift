/// Drift v2 liquidation arithmetic as pure functions (drift-labs/protocol-v2 `programs/drift/src/math/liquidation.rs`),
/// on Fulcrum's 10⁻⁸ fixed-point types.
public enum DriftLiquidation {
    /// The base amount a liquidator must take over to cover a margin shortage
    /// (`calculate_base_asset_amount_to_cover_margin_shortage`).
    ///
    /// Taking over `b` base at the oracle price frees `b·P·marginRatio` of requirement and costs the account
    /// `b·P·(liquidatorFee + insuranceFee)`, so `b = shortage / (P · (marginRatio − liquidatorFee − insuranceFee))`.
    ///
    /// Rounding: the exact quotient is rounded **down** to 10⁻⁸ base, as the program's integer division (no more is
    /// taken over than the shortage needs; Drift then rounds the order to the market step).
    ///
    /// - Parameters:
    ///   - shortage: the margin shortage (non-negative).
    ///   - marginRatio: the maintenance margin ratio with the liquidation buffer (`MMR + buffer`).
    ///   - liquidatorFee: the liquidator fee rate.
    ///   - insuranceFee: the insurance-fund liquidation fee rate.
    ///   - oraclePrice: the oracle price (positive).
    /// - Returns: the base amount, or `nil` when the freed margin per unit does not exceed the fees (the program
    ///   returns `u64::MAX`: no amount covers the shortage).
    /// - Throws: ``ArithmeticError`` naming the field for negative input or a non-positive price, or an overflow.
    public static func baseToCoverMarginShortage(
        shortage: Money,
        marginRatio: Rate,
        liquidatorFee: Rate,
        insuranceFee: Rate,
        oraclePrice: Price
    ) throws(ArithmeticError) -> Quantity? {
        guard !shortage.isNegative else {
            throw ArithmeticError(.outOfRange, "shortage \(shortage) must not be negative")
        }
        guard oraclePrice.isPositive else {
            throw ArithmeticError(.outOfRange, "oracle price \(oraclePrice) must be positive")
        }
        for (name, rate) in [
            ("margin ratio", marginRatio), ("liquidator fee", liquidatorFee), ("insurance fee", insuranceFee),
        ]
        where rate.isNegative {
            throw ArithmeticError(.outOfRange, "\(name) \(rate) must not be negative")
        }
        // Net freed rate, raw 10⁻⁸: Rate raws are below 2⁶³, so the sum and difference fit in 128 bits.
        let net = marginRatio.wide - liquidatorFee.wide - insuranceFee.wide
        guard net > 0 else { return nil }
        // b_raw = shortage_raw · 10⁸ · 10⁸ / (P_raw · net_raw).
        let numerator = try Wide.mul(
            try Wide.mul(shortage.wide, FixedPointScale.wideFactor, "shortage"),
            FixedPointScale.wideFactor,
            "shortage"
        )
        let denominator = try Wide.mul(oraclePrice.wide, net, "freed margin")
        let raw = try FixedMath.divide(numerator, by: denominator, rounding: .down)
        return Quantity(raw: try FixedMath.narrow(raw, field: "base to cover"))
    }

    /// The loss per unit of open interest that socializes a bankrupt account's remaining loss through the
    /// cumulative funding rates (`calculate_funding_rate_deltas_to_resolve_bankruptcy`): longs pay it, shorts receive
    /// its negative, pro rata to base size.
    ///
    /// Rounding: **up** (the program's `div_ceil`): the socialized amount never falls short of the loss.
    ///
    /// - Parameters:
    ///   - loss: the loss to socialize (its magnitude is used).
    ///   - longOpenInterest: total long base.
    ///   - shortOpenInterest: total short base (its magnitude is used).
    /// - Throws: ``ArithmeticError`` when there is no open interest (the program errors too), or an overflow.
    public static func socializedLossPerUnit(
        loss: Money,
        longOpenInterest: Quantity,
        shortOpenInterest: Quantity
    ) throws(ArithmeticError) -> Price {
        let total = longOpenInterest.magnitude.wide + shortOpenInterest.magnitude.wide  // two Int64 magnitudes
        guard total > 0 else {
            throw ArithmeticError(
                .outOfRange,
                "open interest long \(longOpenInterest) + short \(shortOpenInterest) is 0"
            )
        }
        let raw = try FixedMath.multiplyDivide(loss.magnitude.wide, FixedPointScale.wideFactor, total, rounding: .up)
        return Price(raw: try FixedMath.narrow(raw, field: "socialized loss per unit"))
    }
}
