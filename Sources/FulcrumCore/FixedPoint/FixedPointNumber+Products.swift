/// Unit-checked products and quotients. Each goes through a 128-bit intermediate and one named rounding.
///
/// The unit algebra: `Quantity × Price = Money`, `Money × Rate = Money`, `Money ÷ Quantity = Price`,
/// `Money ÷ Leverage = Money`, `Money ÷ Money = Rate`, `Price × Rate = Price`, `Money ÷ Price = Quantity`
/// (inverse contracts), `Rate × Rate = Rate`.

extension Quantity {
    /// The signed notional `self × price` in the settlement currency.
    @inlinable
    public func notional(at price: Price, rounding rule: RoundingRule) throws(ArithmeticError) -> Money {
        let raw = try FixedMath.scaledProduct(raw, price.raw, rounding: rule)
        return Money(raw: try FixedMath.narrow(raw, field: "notional"))
    }

    /// `self × rate` (a fraction of a quantity, e.g. a partial-liquidation step).
    @inlinable
    public func times(_ rate: Rate, rounding rule: RoundingRule) throws(ArithmeticError) -> Quantity {
        let raw = try FixedMath.scaledProduct(raw, rate.raw, rounding: rule)
        return Quantity(raw: try FixedMath.narrow(raw, field: "quantity"))
    }
}

extension Money {
    /// `self × rate` (a margin, a fee, a funding payment).
    @inlinable
    public func times(_ rate: Rate, rounding rule: RoundingRule) throws(ArithmeticError) -> Money {
        let raw = try FixedMath.scaledProduct(raw, rate.raw, rounding: rule)
        return Money(raw: try FixedMath.narrow(raw, field: "money"))
    }

    /// `self ÷ quantity`: a price per unit of base.
    @inlinable
    public func divided(by quantity: Quantity, rounding rule: RoundingRule) throws(ArithmeticError) -> Price {
        let raw = try FixedMath.multiplyDivide(wide, FixedPointScale.wideFactor, quantity.wide, rounding: rule)
        return Price(raw: try FixedMath.narrow(raw, field: "price"))
    }

    /// `self ÷ leverage` (initial margin = notional ÷ leverage).
    @inlinable
    public func divided(by leverage: Leverage, rounding rule: RoundingRule) throws(ArithmeticError) -> Money {
        let raw = try FixedMath.multiplyDivide(wide, FixedPointScale.wideFactor, leverage.wide, rounding: rule)
        return Money(raw: try FixedMath.narrow(raw, field: "money"))
    }

    /// `self ÷ other` as a dimensionless ratio (a margin ratio, a PnL percentage).
    @inlinable
    public func ratio(to other: Money, rounding rule: RoundingRule) throws(ArithmeticError) -> Rate {
        let raw = try FixedMath.multiplyDivide(wide, FixedPointScale.wideFactor, other.wide, rounding: rule)
        return Rate(raw: try FixedMath.narrow(raw, field: "ratio"))
    }

    /// `self ÷ price`: a quantity of base (coin value of a USD amount, for inverse contracts).
    @inlinable
    public func quantity(at price: Price, rounding rule: RoundingRule) throws(ArithmeticError) -> Quantity {
        let raw = try FixedMath.multiplyDivide(wide, FixedPointScale.wideFactor, price.wide, rounding: rule)
        return Quantity(raw: try FixedMath.narrow(raw, field: "quantity"))
    }
}

extension Price {
    /// `self × rate` (a price moved by a fraction, a premium).
    @inlinable
    public func times(_ rate: Rate, rounding rule: RoundingRule) throws(ArithmeticError) -> Price {
        let raw = try FixedMath.scaledProduct(raw, rate.raw, rounding: rule)
        return Price(raw: try FixedMath.narrow(raw, field: "price"))
    }

    /// `self ÷ rate` (e.g. an inverse-contract price from a ratio).
    @inlinable
    public func divided(by rate: Rate, rounding rule: RoundingRule) throws(ArithmeticError) -> Price {
        let raw = try FixedMath.multiplyDivide(wide, FixedPointScale.wideFactor, rate.wide, rounding: rule)
        return Price(raw: try FixedMath.narrow(raw, field: "price"))
    }

    /// `self ÷ other` as a ratio (a relative price move).
    @inlinable
    public func ratio(to other: Price, rounding rule: RoundingRule) throws(ArithmeticError) -> Rate {
        let raw = try FixedMath.multiplyDivide(wide, FixedPointScale.wideFactor, other.wide, rounding: rule)
        return Rate(raw: try FixedMath.narrow(raw, field: "ratio"))
    }
}

extension Rate {
    /// `self × other`.
    @inlinable
    public func times(_ other: Rate, rounding rule: RoundingRule) throws(ArithmeticError) -> Rate {
        let raw = try FixedMath.scaledProduct(raw, other.raw, rounding: rule)
        return Rate(raw: try FixedMath.narrow(raw, field: "rate"))
    }

    /// `1 ÷ leverage` (the initial margin rate of a leverage).
    @inlinable
    public static func reciprocal(of leverage: Leverage, rounding rule: RoundingRule) throws(ArithmeticError) -> Rate {
        let raw = try FixedMath.multiplyDivide(
            FixedPointScale.wideFactor,
            FixedPointScale.wideFactor,
            leverage.wide,
            rounding: rule
        )
        return Rate(raw: try FixedMath.narrow(raw, field: "rate"))
    }

    /// A rate in parts per million (dYdX's unit): `Rate(ppm: 20_000)` is 0.02.
    @inlinable
    public init(ppm: Int64) throws(ArithmeticError) {
        let (raw, overflow) = ppm.multipliedReportingOverflow(by: 100)
        guard !overflow else { throw ArithmeticError(.overflow, "rate \(ppm) ppm is out of range") }
        self.init(raw: raw)
    }

    /// A rate in basis points: `Rate(basisPoints: 5)` is 0.0005.
    @inlinable
    public init(basisPoints: Int64) throws(ArithmeticError) {
        let (raw, overflow) = basisPoints.multipliedReportingOverflow(by: 10_000)
        guard !overflow else { throw ArithmeticError(.overflow, "rate \(basisPoints) bp is out of range") }
        self.init(raw: raw)
    }
}

extension Leverage {
    /// `1 ÷ rate` as a leverage (the maximum leverage of an initial margin rate).
    @inlinable
    public static func reciprocal(of rate: Rate, rounding rule: RoundingRule) throws(ArithmeticError) -> Leverage {
        let raw = try FixedMath.multiplyDivide(
            FixedPointScale.wideFactor,
            FixedPointScale.wideFactor,
            rate.wide,
            rounding: rule
        )
        return Leverage(raw: try FixedMath.narrow(raw, field: "leverage"))
    }
}
