import FulcrumCore

/// `lend health`: evaluates a ``LendingPosition`` under a protocol's rules by building that protocol's state
/// (``AavePool``, ``CometMarket``, ``MorphoMarket``, ``MakerSystem``) and asking it, so the report uses exactly the
/// engine's rounding and liquidation rules.
///
/// Position amounts have 8 decimals; they enter each protocol as tokens with 8 decimals (Maker: scaled to wad).
public enum LendingHealth {
    static let borrower = "borrower"
    static let liquidator = "liquidator"

    /// The report for `position` under `kind`.
    ///
    /// - Throws: ``LendingError`` naming the leg and field for inconsistent input (e.g. Morpho with two collaterals).
    public static func evaluate(
        _ position: LendingPosition,
        protocol kind: LendingProtocolKind
    ) throws
        -> LendingHealthReport
    {
        for (i, c) in position.collateral.enumerated() {
            guard !c.amount.isNegative else {
                throw LendingError("InvalidInput", "collateral[\(i)].amount \(c.amount) < 0")
            }
            guard c.price.isPositive else {
                throw LendingError("InvalidInput", "collateral[\(i)].price \(c.price) must be > 0")
            }
        }
        for (i, d) in position.debt.enumerated() {
            guard !d.amount.isNegative else { throw LendingError("InvalidInput", "debt[\(i)].amount \(d.amount) < 0") }
            guard d.price.isPositive else {
                throw LendingError("InvalidInput", "debt[\(i)].price \(d.price) must be > 0")
            }
        }
        switch kind {
        case .aave(let version): return try aave(position, version: version)
        case .compoundV3: return try comet(position)
        case .morpho: return try morpho(position)
        case .maker: return try maker(position)
        }
    }

    /// A fraction as basis points; more than 4 decimals is an error naming `field`.
    static func bps(_ rate: Rate, field: String) throws -> UInt128 {
        guard !rate.isNegative, rate.raw % 10_000 == 0 else {
            throw LendingError("InvalidInput", "\(field) \(rate) must be a non-negative multiple of 0.0001")
        }
        return UInt128(rate.raw / 10_000)  // exact: checked above
    }

    /// A fraction as a wad (exact: 8 decimals × 10¹⁰).
    static func wad(_ rate: Rate, field: String) throws -> UInt128 {
        guard !rate.isNegative else { throw LendingError("InvalidInput", "\(field) \(rate) must be ≥ 0") }
        return UInt128(rate.raw) * 10_000_000_000
    }

    static func raw(_ value: some FixedPointNumber) -> UInt128 { UInt128(value.raw.magnitude) }

    static func money(_ raw: UInt128, field: String) throws -> Money {
        Money(raw: try FixedMath.narrow(Int128(raw), field: field))
    }

    static func money(signed raw: Int128, field: String) throws -> Money {
        Money(raw: try FixedMath.narrow(raw, field: field))
    }

    static func quantity(_ raw: UInt128, field: String) throws -> Quantity {
        Quantity(raw: try FixedMath.narrow(Int128(raw), field: field))
    }

    /// A wad ratio as an 8-decimal rate, floored (`nil` for `UInt128.max`, the protocols' "no debt").
    static func rate(fromWad value: UInt128) throws -> Rate? {
        guard value != UInt128.max else { return nil }
        return Rate(raw: try FixedMath.narrow(Int128(value / 10_000_000_000), field: "healthFactor"))  // floor
    }

    /// `ceil(numerator / denominator)` as an 8-decimal price; `nil` when the numerator is not positive.
    static func priceUp(_ numerator: Int128, _ denominator: UInt128) throws -> Price? {
        guard numerator > 0, denominator > 0 else { return nil }
        let p = try WideMath.mulDiv(UInt128(numerator), 1, denominator, rounding: .ceil)
        return Price(raw: try FixedMath.narrow(Int128(p), field: "liquidationPrice"))
    }
}
