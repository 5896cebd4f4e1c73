public import FulcrumCore

/// Morpho Blue's `MathLib` and `SharesMathLib`: WAD math and share ↔ asset conversions with virtual shares.
///
/// `toSharesDown/Up(a) = a·(totalShares + 10⁶) / (totalAssets + 1)`, `toAssetsDown/Up(s) = s·(totalAssets + 1) /
/// (totalShares + 10⁶)`, floor/ceil; the contract rounds against the user in every path (source:
/// morpho-org/morpho-blue `src/libraries/SharesMathLib.sol`, `MathLib.sol`).
public enum MorphoMath {
    /// 10¹⁸.
    public static let wad: UInt128 = 1_000_000_000_000_000_000
    /// Oracle price scale 10³⁶.
    public static let oraclePriceScale: UInt128 = 1_000_000_000_000_000_000_000_000_000_000_000_000
    /// `VIRTUAL_SHARES = 10⁶`.
    public static let virtualShares: UInt128 = 1_000_000
    /// `VIRTUAL_ASSETS = 1`.
    public static let virtualAssets: UInt128 = 1
    /// `LIQUIDATION_CURSOR = 0.3`.
    public static let liquidationCursor: UInt128 = 300_000_000_000_000_000
    /// `MAX_LIQUIDATION_INCENTIVE_FACTOR = 1.15`.
    public static let maxLiquidationIncentiveFactor: UInt128 = 1_150_000_000_000_000_000

    /// Assets → shares, rounded as `rounding` says.
    public static func toShares(
        _ assets: UInt128,
        totalAssets: UInt128,
        totalShares: UInt128,
        _ rounding: ProtocolRounding
    ) throws(ArithmeticError) -> UInt128 {
        try WideMath.mulDiv(
            assets,
            try WideMath.add(totalShares, virtualShares),
            try WideMath.add(totalAssets, virtualAssets),
            rounding: rounding,
            field: "shares"
        )
    }

    /// Shares → assets, rounded as `rounding` says.
    public static func toAssets(
        _ shares: UInt128,
        totalAssets: UInt128,
        totalShares: UInt128,
        _ rounding: ProtocolRounding
    ) throws(ArithmeticError) -> UInt128 {
        try WideMath.mulDiv(
            shares,
            try WideMath.add(totalAssets, virtualAssets),
            try WideMath.add(totalShares, virtualShares),
            rounding: rounding,
            field: "assets"
        )
    }

    /// `LIF = min(1.15, wDivDown(1, 1 − wMulDown(0.3, 1 − LLTV)))`.
    public static func liquidationIncentiveFactor(lltv: UInt128) throws(ArithmeticError) -> UInt128 {
        guard lltv < wad else { throw ArithmeticError(.outOfRange, "lltv \(lltv) must be below 1e18") }
        let cursor = try WideMath.mulDiv(liquidationCursor, wad - lltv, wad, rounding: .floor)
        let inverse = try WideMath.mulDiv(wad, wad, wad - cursor, rounding: .floor)
        return min(maxLiquidationIncentiveFactor, inverse)
    }

    /// `wTaylorCompounded(x, n) = x·n + (x·n)²/(2·10¹⁸) + (x·n)³/(6·10³⁶)` (e^(xn) − 1, floors).
    public static func taylorCompounded(ratePerSecond: UInt128, seconds: UInt64) throws(ArithmeticError) -> UInt128 {
        let first = try WideMath.mulDiv(ratePerSecond, UInt128(seconds), 1, rounding: .floor, field: "interest")
        let second = try WideMath.mulDiv(first, first, 2 * wad, rounding: .floor, field: "interest")
        let third = try WideMath.mulDiv(second, first, 3 * wad, rounding: .floor, field: "interest")
        return try WideMath.add(try WideMath.add(first, second), third, field: "interest")
    }
}
