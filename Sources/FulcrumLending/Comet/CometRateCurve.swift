/// A Compound III kinked rate curve, per second (wad): `base + slopeLow·min(U, kink) + slopeHigh·max(U − kink, 0)`.
public struct CometRateCurve: Sendable, Hashable {
    /// Kink utilization (wad).
    public var kink: UInt128
    /// Rate at zero utilization, per second (wad).
    public var base: UInt128
    /// Slope below the kink, per second (wad).
    public var slopeLow: UInt128
    /// Slope above the kink, per second (wad).
    public var slopeHigh: UInt128

    /// A curve from annual wad parameters, divided by `SECONDS_PER_YEAR` with floor as the Comet constructor does.
    public init(kink: UInt128, basePerYear: UInt128, slopeLowPerYear: UInt128, slopeHighPerYear: UInt128) {
        self.kink = kink
        base = basePerYear / WadRayMath.secondsPerYear  // floor, as upstream
        slopeLow = slopeLowPerYear / WadRayMath.secondsPerYear
        slopeHigh = slopeHighPerYear / WadRayMath.secondsPerYear
    }

    /// The per-second rate at utilization `u` (wad); each `mulFactor` floors.
    public func rate(utilization u: UInt128) throws -> UInt128 {
        if u <= kink {
            return try WideMath.add(base, try WideMath.mulDiv(slopeLow, u, WadRayMath.wad, rounding: .floor))
        }
        let low = try WideMath.mulDiv(slopeLow, kink, WadRayMath.wad, rounding: .floor)
        let high = try WideMath.mulDiv(slopeHigh, u - kink, WadRayMath.wad, rounding: .floor)
        return try WideMath.add(try WideMath.add(base, low), high)
    }
}
