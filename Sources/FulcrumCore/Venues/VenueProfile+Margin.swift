/// Margin requirements of one position under a venue's rules. Pure functions of size, price and market.
extension VenueProfile {
    /// The margin model that applies to `market`: the market's own (``MarketSpec/marginModel``) when set, else the
    /// venue's.
    public func marginModel(for market: MarketSpec) -> MarginModel { market.marginModel ?? marginModel }

    /// The position's absolute notional in the settlement currency at `price`, rounded **up** (favours the
    /// venue: requirements derived from it are never understated).
    ///
    /// Linear: `|size| × price`. Inverse: `|size| × contractValue ÷ price` (coin value of USD contracts).
    public func marginNotional(size: Quantity, price: Price, market: MarketSpec) throws(ArithmeticError) -> Money {
        switch market.kind {
        case .linear:
            return try size.magnitude.notional(at: price, rounding: .up)
        case .inverse:
            guard price.isPositive else { throw ArithmeticError(.outOfRange, "price \(price) must be positive") }
            let usd = try size.magnitude.notional(at: Price(raw: market.contractValue.raw), rounding: .up)
            return Money(raw: try usd.quantity(at: price, rounding: .up).raw)
        }
    }

    /// Maintenance margin of a position at `price`, rounded **up** (favours the venue).
    ///
    /// - Tiered / Hyperliquid: `|N| × mmr(tier) − deduction(tier)`, the tier chosen by `|N|` on a notional table and by
    ///   `|size|` on a size-bounded one (OKX position tiers, ``TierBound/baseQuantity``).
    /// - dYdX: `ceil(ceil(|N| × IMF) × MMF)` (`protocol/x/perpetuals/lib/lib.go`, GetMarginRequirementsInQuoteQuantums).
    /// - Drift: `|N| × maintenance ratio(size)` (`programs/drift/src/state/perp_market.rs`, get_margin_ratio).
    public func maintenanceMargin(size: Quantity, price: Price, market: MarketSpec) throws(ArithmeticError) -> Money {
        let notional = try marginNotional(size: size, price: price, market: market)
        switch marginModel(for: market) {
        case .tiered, .hyperliquid:
            return try market.tiers.maintenanceMargin(forSize: size, notional: notional)
        case .dydx(let imfPpm, let mmfPpm, _, _):
            let initial = try notional.times(try Rate(ppm: imfPpm), rounding: .up)
            return try initial.times(try Rate(ppm: mmfPpm), rounding: .up)
        case .drift(_, let maintenanceBps, let imfFactor):
            let ratio = try DriftMargin.marginRatio(baseBps: maintenanceBps, imfFactor: imfFactor, size: size)
            return try notional.times(ratio, rounding: .up)
        }
    }

    /// Initial margin of a position at `price` with the user's `leverage`, rounded **up** (favours the venue).
    ///
    /// The effective rate is the larger of `1 / leverage` and the venue's floor: the tier's `1 / maxLeverage`
    /// (tiered, Hyperliquid; the tier by notional, or by size on a size-bounded table), the open-interest-scaled IMF (dYdX OIMF), or the size-premium ratio (Drift).
    ///
    /// - Parameter openInterestNotional: the market's open interest notional (dYdX OIMF only).
    public func initialMargin(
        size: Quantity,
        price: Price,
        leverage: Leverage,
        market: MarketSpec,
        openInterestNotional: Money = .zero
    ) throws(ArithmeticError) -> Money {
        guard leverage.isPositive else { throw ArithmeticError(.outOfRange, "leverage \(leverage) must be positive") }
        let notional = try marginNotional(size: size, price: price, market: market)
        let userRate = try Rate.reciprocal(of: leverage, rounding: .up)
        let floorRate: Rate
        switch marginModel(for: market) {
        case .tiered, .hyperliquid:
            let tier = market.tiers.tier(forSize: size, notional: notional)
            floorRate = try Rate.reciprocal(of: tier.maxLeverage, rounding: .up)
        case .dydx(let imfPpm, _, let lower, let upper):
            floorRate = try DydxMargin.openInterestScaledInitialRate(
                initialMarginPpm: imfPpm,
                openInterestNotional: openInterestNotional,
                lowerCap: lower,
                upperCap: upper
            )
        case .drift(let initialBps, _, let imfFactor):
            floorRate = try DriftMargin.marginRatio(baseBps: initialBps, imfFactor: imfFactor, size: size)
        }
        return try notional.times(Rate.maximum(userRate, floorRate), rounding: .up)
    }
}

/// dYdX v4 margin arithmetic (`protocol/x/perpetuals/types/liquidity_tier.go`).
public enum DydxMargin {
    /// The open-interest-scaled initial margin fraction (OIMF):
    /// `IMF` below `lowerCap`, 100 % above `upperCap`, linear in between; computed in ppm and rounded **down**
    /// (as `GetAdjustedInitialMarginQuantums` floors the ppm).
    public static func openInterestScaledInitialRate(
        initialMarginPpm: Int64,
        openInterestNotional: Money,
        lowerCap: Money,
        upperCap: Money
    ) throws(ArithmeticError) -> Rate {
        let oi = openInterestNotional.magnitude
        if upperCap <= lowerCap || oi <= lowerCap { return try Rate(ppm: initialMarginPpm) }
        if oi >= upperCap { return .one }
        let span = Int128(1_000_000 - initialMarginPpm)
        let extraPpm = try FixedMath.multiplyDivide(
            span,
            (oi - lowerCap).wide,
            (upperCap - lowerCap).wide,
            rounding: .down
        )
        return try Rate(ppm: initialMarginPpm + Int64(extraPpm))
    }
}

/// Drift v2 size-premium margin (`programs/drift/src/math/margin.rs`, calculate_size_premium_liability_weight).
public enum DriftMargin {
    /// `max(base, 0.8·base + sqrt(|size|·10 + 1)·imfFactor / 10⁷)` with ratios in bps (1e-4) as a ``Rate``;
    /// `|size|` in Drift's base precision (1e-9). The integer square root floors; the weight is floored like the
    /// program's integer division.
    public static func marginRatio(baseBps: Int64, imfFactor: Int64, size: Quantity) throws(ArithmeticError) -> Rate {
        let base = try Rate(basisPoints: baseBps)
        guard imfFactor > 0 else { return base }
        // Drift base precision is 1e-9; ours is 1e-8: size_1e9 = raw·10.
        let size1e9 = UInt128(size.magnitude.raw) * 10
        let root = integerSquareRoot(size1e9 * 10 + 1)
        // Program: size_sqrt · imf_factor / (100_000 · SPOT_IMF_PRECISION / MARGIN_PRECISION) = / 10⁷, in 1e-4
        // units. In our rate units (1e8): ratio_bps·10⁴ where ratio_bps = base − base/5 + root·imf/10⁷.
        let premiumBps = Int128(root) * Int128(imfFactor) / 10_000_000  // floors, as the program's integer division
        let scaledBase = Int128(baseBps) - Int128(baseBps) / 5  // the program's `w − w/5` (floors w/5)
        let sized = scaledBase + premiumBps
        let ratioBps = max(Int128(baseBps), sized)
        return Rate(raw: try FixedMath.narrow(ratioBps * 10_000, field: "margin ratio"))
    }

    /// Floor of the square root of `value` (Newton's method on integers).
    public static func integerSquareRoot(_ value: UInt128) -> UInt128 {
        if value < 2 { return value }
        var x = value
        var y = (x + 1) / 2
        while y < x {
            x = y
            y = (x + value / x) / 2
        }
        return x
    }
}
