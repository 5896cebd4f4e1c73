import FulcrumCore

/// Per-market constants of the batch maintenance check
/// (``ClearingEngine/maintenanceShortfalls(accounts:using:into:)``), hoisted out of the account loop: the trigger
/// price split at 10⁸, the margin model as plain integers and the tier tables flattened into parallel `Int64` arrays
/// (no profile or spec is copied in the inner loop).
///
/// Prepare it once per set of trigger prices with ``prepare(_:)``, which reuses its storage: the check itself then
/// allocates nothing. Preparing costs O(markets + tiers) (no per-account state is copied: the check reads the
/// engine's own arrays, so a batch stays valid across trades and deposits until a trigger price moves).
///
/// The check decides most accounts with an exact bound and no division (``boundedCrossShortfall``: tiered and
/// Hyperliquid markets, a few 128-bit multiplications per position); accounts within a few raw units of the
/// boundary, and dYdX markets, take the per-position fast path below. Every figure the fast path computes is the
/// engine's own figure, bit for bit; anything it cannot prove it computes exactly (inverse markets, Drift's
/// size-dependent ratio, size-bounded tier tables, rates outside `[0, 1]`, a 64-bit overflow) is left to the
/// engine's exact per-account functions.
public struct MaintenanceBatch: Sendable {
    /// How one market's maintenance margin is computed in the batch.
    enum Model: UInt8, Sendable {
        /// `ceil(N · rate / 10⁸) − deduction` of the tier holding `N` (tiered and Hyperliquid profiles).
        case tiered
        /// `ceil(ceil(N · imf / 10⁸) · mmf / 10⁸)` (dYdX).
        case dydx
        /// The engine's own per-position functions (inverse, Drift, unusual rates).
        case exact
    }

    /// One market's hoisted constants (raw 10⁻⁸ units).
    struct Market: Sendable {
        /// The trigger price (raw, 0 when not positive) and its split `triggerPrice / 10⁸`, `triggerPrice mod 10⁸`
        /// (the price is positive whenever a position is open).
        var price: Int64
        var priceHigh: UInt64
        var priceLow: UInt64
        /// `⌊(2⁸⁸ − 1) / price⌋`: the largest `|size|` the bound takes (``boundedCrossShortfall``).
        var sizeLimit: UInt64
        /// The computation used for this market.
        var model: Model
        /// The market's tiers in the flattened arrays: `tierStart..<tierEnd`.
        var tierStart: Int
        var tierEnd: Int
        /// dYdX: the IMF and the MMF fraction as raw rates.
        var rateA: UInt64
        var rateB: UInt64
    }

    /// Constants by market.
    var markets: [Market] = []
    /// The raw trigger prices the constants were prepared at (a stale batch is refused).
    var prices: [Int64] = []
    /// All tier floors, rates and deductions, market after market.
    var floors: [UInt64] = []
    var rates: [UInt64] = []
    var deductions: [Int64] = []
    /// The same tiers in the units of the exact bound (``BoundTier``), index for index.
    var boundTiers: [BoundTier] = []

    /// An empty batch; ``prepare(_:)`` it before use.
    public init() {}

    /// A batch prepared at `engine`'s current trigger prices.
    public init(engine: ClearingEngine) {
        prepare(engine)
    }

    /// Whether the batch was prepared at `engine`'s current markets and trigger prices.
    public func isPrepared(for engine: ClearingEngine) -> Bool {
        guard prices.count == engine.marketCount else { return false }
        for market in 0..<prices.count where prices[market] != engine.triggerPrice(MarketID(UInt32(market))).raw {
            return false
        }
        return true
    }

    /// Hoists the constants of every market of `engine` at its current trigger prices (storage is reused: no
    /// allocation once the capacity suffices).
    public mutating func prepare(_ engine: ClearingEngine) {
        markets.removeAll(keepingCapacity: true)
        prices.removeAll(keepingCapacity: true)
        floors.removeAll(keepingCapacity: true)
        rates.removeAll(keepingCapacity: true)
        deductions.removeAll(keepingCapacity: true)
        boundTiers.removeAll(keepingCapacity: true)
        let scale = UInt64(FixedPointScale.factor)
        for index in 0..<engine.marketCount {
            let price = engine.triggerPrice(MarketID(UInt32(index))).raw
            prices.append(price)
            let start = floors.count
            var model = Model.exact
            var rateA: UInt64 = 0
            var rateB: UInt64 = 0
            if engine.inverseContractValues[index] == 0, price > 0 {
                engine.specs.withUnsafeBufferPointer { specs in
                    engine.profiles.withUnsafeBufferPointer { profiles in
                        let spec = specs[index]
                        switch profiles[index].marginModel(for: spec) {
                        case .tiered, .hyperliquid:
                            // A size-bounded table (OKX position tiers) picks the tier by size, not by notional:
                            // the engine's exact functions handle it.
                            guard spec.tiers.bound == .notional else { return }
                            let tiers = spec.tiers.tiers
                            let valid = tiers.allSatisfy { tier in
                                tier.maintenanceMarginRate.raw >= 0
                                    && tier.maintenanceMarginRate.raw < FixedPointScale.factor
                                    && tier.notionalFloor.raw >= 0 && tier.maintenanceDeduction.raw >= 0
                            }
                            guard valid else { return }
                            model = .tiered
                            for tier in tiers {
                                floors.append(UInt64(tier.notionalFloor.raw))
                                rates.append(UInt64(tier.maintenanceMarginRate.raw))
                                deductions.append(tier.maintenanceDeduction.raw)
                                let rate = tier.maintenanceMarginRate.raw
                                // |size| · P > (floor − 1) · 10⁸ ⟺ |size| > ⌊(floor − 1) · 10⁸ / P⌋ (price > 0).
                                let threshold = (Int128(tier.notionalFloor.raw) - 1) * 100_000_000
                                let perSize = threshold < 0 ? 0 : threshold / Int128(price)  // floor: exact test
                                boundTiers.append(
                                    BoundTier(
                                        longPrice: Int128(price) * Int128(FixedPointScale.factor - rate),
                                        shortPrice: Int128(price) * Int128(FixedPointScale.factor + rate),
                                        sizeThreshold: perSize > Int128(UInt64.max) ? .max : UInt64(perSize),
                                        deduction: tier.maintenanceDeduction.raw
                                    )
                                )
                            }
                        case .dydx(let imfPpm, let mmfPpm, _, _):
                            // Rate(ppm:) is ppm · 100 raw; only rates in [0, 1] take the fast path.
                            guard imfPpm >= 0, imfPpm <= 1_000_000, mmfPpm >= 0, mmfPpm <= 1_000_000 else { return }
                            model = .dydx
                            rateA = UInt64(imfPpm) * 100
                            rateB = UInt64(mmfPpm) * 100
                        case .drift:
                            return
                        }
                    }
                }
            }
            let positive = UInt64(max(price, 0))
            // |size| ≤ ⌊(2⁸⁸ − 1) / P⌋ ⟺ |size · P| < 2⁸⁸ (the bound's limit); floor.
            let sizeLimit = positive == 0 ? 0 : min((Self.boundLimit - 1) / Int128(positive), Int128(UInt64.max))
            markets.append(
                Market(
                    price: Int64(positive),
                    priceHigh: positive / scale,
                    priceLow: positive % scale,
                    sizeLimit: UInt64(sizeLimit),
                    model: model,
                    tierStart: start,
                    tierEnd: floors.count,
                    rateA: rateA,
                    rateB: rateB
                )
            )
        }
    }

    /// `⌈x · rate / 10⁸⌉` for `rate ≤ 10⁸`, or `nil` when it does not fit in 63 bits (the engine's `Money.times`
    /// then throws or the caller falls back to the exact path).
    @inline(__always)
    static func timesRateUp(_ x: UInt64, _ rate: UInt64) -> UInt64? {
        let (high, low) = x.quotientAndRemainder(dividingBy: 100_000_000)
        let (part, overflow) = high.multipliedReportingOverflow(by: rate)
        guard !overflow else { return nil }
        let tail = low &* rate  // < 10⁸ · 10⁸: cannot wrap
        let (tailHigh, tailLow) = tail.quotientAndRemainder(dividingBy: 100_000_000)
        let (sum, carry) = part.addingReportingOverflow(tailHigh &+ (tailLow != 0 ? 1 : 0))
        guard !carry, sum <= UInt64(Int64.max) else { return nil }
        return sum
    }

    /// `(⌊m · P / 10⁸⌋, ⌈m · P / 10⁸⌉)` for the market's trigger price `P`, or `nil` beyond 63 bits.
    @inline(__always)
    static func notional(_ magnitude: UInt64, _ market: Market) -> (floor: UInt64, ceiling: UInt64)? {
        // m · P / 10⁸ = m · Ph + mh · Pl + ml · Pl / 10⁸ with m = mh · 10⁸ + ml and P = Ph · 10⁸ + Pl.
        let (first, overflow) = magnitude.multipliedReportingOverflow(by: market.priceHigh)
        guard !overflow else { return nil }
        let (mh, ml) = magnitude.quotientAndRemainder(dividingBy: 100_000_000)
        let second = mh &* market.priceLow  // < 2⁶³/10⁸ · 10⁸: cannot wrap
        let tail = ml &* market.priceLow  // < 10¹⁶
        let (tailHigh, tailLow) = tail.quotientAndRemainder(dividingBy: 100_000_000)
        let (partial, carry1) = first.addingReportingOverflow(second)
        let (floor, carry2) = partial.addingReportingOverflow(tailHigh)
        guard !carry1, !carry2, floor < UInt64(Int64.max) else { return nil }
        return (floor, tailLow != 0 ? floor &+ 1 : floor)
    }
}
