/// dYdX v4 liquidation arithmetic as pure functions (`dydxprotocol/v4-chain protocol/x/clob/keeper/liquidations.go`,
/// `GetFillablePrice` and `GetLiquidationInsuranceFundDelta`), on Fulcrum's fixed-point types.
///
/// dYdX computes in big rationals and integer quote quantums (10⁻⁶ USDC); here every amount is a 10⁻⁸ fixed-point
/// value and each function rounds once, naming whom the rounding favours.
public enum DydxLiquidation {
    /// dYdX's default `BankruptcyAdjustmentPpm` (1,000,000 = 1×).
    public static let defaultBankruptcyAdjustmentPpm: Int64 = 1_000_000
    /// dYdX's default `SpreadToMaintenanceMarginRatioPpm` (100,000 = 10 %).
    public static let defaultSpreadToMaintenanceMarginRatioPpm: Int64 = 100_000
    /// dYdX's default `MaxLiquidationFeePpm` (5,000 = 0.5 %).
    public static let defaultMaxLiquidationFeePpm: Int64 = 5_000

    /// The worst price at which a liquidation order for the position may fill ("fillable price").
    ///
    /// `fillable = (PNNV − ABR · SMMR · PMMR) / PS` with `ABR = clamp(BA · (1 − TNC / TMMR), 0, 1)`, i.e.
    /// `oracle − s · ABR · SMMR · PMMR / |size|`: a long is sold below the oracle, a short bought above it, by up to
    /// `SMMR` of the position's maintenance margin, scaled by how far the account is below maintenance.
    ///
    /// Rounding: the exact rational is rounded once to 10⁻⁸, **down** for a long and **up** for a short (the limit is
    /// never better for the liquidated account than dYdX's exact value, as `ConvertFillablePriceToSubticks` rounds
    /// toward the more aggressive side).
    ///
    /// - Parameters:
    ///   - side: the liquidated position's side.
    ///   - size: its absolute size (positive).
    ///   - oraclePrice: the oracle price (positive); PNNV = ±size × oracle.
    ///   - positionMaintenance: the position's maintenance margin requirement PMMR (non-negative).
    ///   - totalNetCollateral: the account's total net collateral TNC (may be negative).
    ///   - totalMaintenance: the account's total maintenance requirement TMMR (positive).
    ///   - bankruptcyAdjustmentPpm: BA in ppm (non-negative).
    ///   - spreadToMaintenanceMarginRatioPpm: SMMR in ppm (non-negative).
    /// - Throws: ``ArithmeticError`` naming the field for out-of-range input, or a 128-bit overflow.
    public static func fillablePrice(
        side: PositionSide,
        size: Quantity,
        oraclePrice: Price,
        positionMaintenance: Money,
        totalNetCollateral: Money,
        totalMaintenance: Money,
        bankruptcyAdjustmentPpm: Int64 = defaultBankruptcyAdjustmentPpm,
        spreadToMaintenanceMarginRatioPpm: Int64 = defaultSpreadToMaintenanceMarginRatioPpm
    ) throws(ArithmeticError) -> Price {
        guard size.isPositive else { throw ArithmeticError(.outOfRange, "size \(size) must be positive") }
        guard oraclePrice.isPositive else {
            throw ArithmeticError(.outOfRange, "oracle price \(oraclePrice) must be positive")
        }
        guard !positionMaintenance.isNegative else {
            throw ArithmeticError(.outOfRange, "position maintenance \(positionMaintenance) must not be negative")
        }
        guard totalMaintenance.isPositive else {
            throw ArithmeticError(.outOfRange, "total maintenance \(totalMaintenance) must be positive")
        }
        guard bankruptcyAdjustmentPpm >= 0 else {
            throw ArithmeticError(
                .outOfRange,
                "bankruptcy adjustment ppm \(bankruptcyAdjustmentPpm) must not be negative"
            )
        }
        guard spreadToMaintenanceMarginRatioPpm >= 0 else {
            throw ArithmeticError(
                .outOfRange,
                "spread-to-maintenance ppm \(spreadToMaintenanceMarginRatioPpm) must not be negative"
            )
        }
        // ABR = BA·(TMMR − TNC) / (10⁶·TMMR), clamped to [0, 1], kept as an exact fraction.
        let shortfall = totalMaintenance.wide - totalNetCollateral.wide
        var abrNumerator = try Wide.mul(Int128(bankruptcyAdjustmentPpm), shortfall, "bankruptcy adjustment")
        var abrDenominator = try Wide.mul(1_000_000, totalMaintenance.wide, "total maintenance")
        if abrNumerator <= 0 {
            abrNumerator = 0
            abrDenominator = 1
        } else if abrNumerator >= abrDenominator {
            abrNumerator = 1
            abrDenominator = 1
        } else {
            let divisor = gcd(abrNumerator, abrDenominator)
            abrNumerator /= divisor  // exact: divisor divides both
            abrDenominator /= divisor
        }
        // Price move = ABR · SMMR/10⁶ · PMMR / size, raw: ABR_n · SMMR · PMMR_raw · 10⁸ / (ABR_d · 10⁶ · size_raw)
        // = ABR_n · SMMR · PMMR_raw · 100 / (ABR_d · size_raw).
        let spread = try Wide.mul(Int128(spreadToMaintenanceMarginRatioPpm), positionMaintenance.wide, "spread")
        let moveNumerator = try Wide.mul(try Wide.mul(abrNumerator, spread, "price move"), 100, "price move")
        let moveDenominator = try Wide.mul(abrDenominator, size.wide, "price move")
        // price = (oracle·D − s·M) / D, one division.
        let scaledOracle = try Wide.mul(oraclePrice.wide, moveDenominator, "oracle")
        let numerator = try Wide.add(scaledOracle, side == .long ? -moveNumerator : moveNumerator, "fillable price")
        let raw = try FixedMath.divide(numerator, by: moveDenominator, rounding: side == .long ? .down : .up)
        return Price(raw: try FixedMath.narrow(raw, field: "fillable price"))
    }

    /// The net payment between the liquidated account and the insurance fund for one liquidation fill: positive when
    /// the account pays a fee into the fund, negative when the fund covers a loss.
    ///
    /// `delta = s · (fillValue − bankruptcyValue)` (`fillValue = closed size × fill price`, `s` = +1 when a long is
    /// sold, −1 when a short is bought back); a positive delta is capped at `|fillValue| × maxLiquidationFeePpm / 10⁶`.
    ///
    /// Rounding: the fill value is rounded against the liquidated account (a sale **down**, a purchase **up**), as
    /// dYdX's integer quote quantums floor the proceeds; the fee cap is rounded **down** (as `BigIntMulPpm`, favours
    /// the account).
    ///
    /// - Parameters:
    ///   - side: the liquidated position's side (a long is closed by selling).
    ///   - closedSize: the filled size (positive).
    ///   - fillPrice: the fill price (positive).
    ///   - bankruptcyValue: the value at which closing `closedSize` leaves the account at zero equity
    ///     (`GetBankruptcyPriceInQuoteQuantums`, as an absolute amount).
    ///   - maxLiquidationFeePpm: the fee cap in ppm (0…1,000,000).
    /// - Throws: ``ArithmeticError`` naming the field for out-of-range input, or an overflow.
    public static func insuranceFundDelta(
        side: PositionSide,
        closedSize: Quantity,
        fillPrice: Price,
        bankruptcyValue: Money,
        maxLiquidationFeePpm: Int64 = defaultMaxLiquidationFeePpm
    ) throws(ArithmeticError) -> Money {
        guard closedSize.isPositive else {
            throw ArithmeticError(.outOfRange, "closed size \(closedSize) must be positive")
        }
        guard fillPrice.isPositive else {
            throw ArithmeticError(.outOfRange, "fill price \(fillPrice) must be positive")
        }
        guard !bankruptcyValue.isNegative else {
            throw ArithmeticError(.outOfRange, "bankruptcy value \(bankruptcyValue) must not be negative")
        }
        guard (0...1_000_000).contains(maxLiquidationFeePpm) else {
            throw ArithmeticError(
                .outOfRange,
                "max liquidation fee ppm \(maxLiquidationFeePpm) must be in [0, 1000000]"
            )
        }
        let fillValue = try closedSize.notional(at: fillPrice, rounding: side == .long ? .down : .up)
        let delta =
            side == .long
            ? try fillValue.subtracting(bankruptcyValue)
            : try bankruptcyValue.subtracting(fillValue)
        guard delta.isPositive else { return delta }
        let cap = try fillValue.times(try Rate(ppm: maxLiquidationFeePpm), rounding: .down)
        return Money.minimum(delta, cap)
    }

    /// Greatest common divisor of two positive 128-bit integers (Euclid).
    static func gcd(_ a: Int128, _ b: Int128) -> Int128 {
        var x = a
        var y = b
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}
