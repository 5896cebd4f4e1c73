/// Liquidation prices of many isolated positions on one market under one venue's rules, solved in a tight loop.
///
/// The batch gives, element by element, exactly ``LiquidationQuote/liquidationPrice`` of
/// ``VenueProfile/liquidationQuote(_:market:)`` for an isolated position with `.wallet(margin)` (the property test
/// `IsolatedLiquidationBatchTests` checks this on every catalog market). It is built once per (venue, market,
/// overrides): the maintenance schedule is resolved and, per bracket and side, the constants of the linear root
/// are precomputed, so the per-position work is a handful of 128-bit multiplications and, in the common case, one
/// 128-by-64-bit hardware division (no allocation, no existential or generic dispatch in the loop). Elements are
/// independent: ``liquidationPrices(sides:entries:sizes:margins:taskCount:)`` splits the work over child tasks with
/// an identical result for any task count.
///
/// Linear markets whose schedule does not depend on the position (tier tables, Hyperliquid, dYdX, single-rate
/// overrides; maintenance at the liquidation price or at the entry value) take the fast kernel. Inverse markets,
/// Drift's size-premium ratio and a deduction-only override (which pins the bracket at entry) fall back to the
/// scalar solver per element: same results, scalar speed.
///
/// Root (linear, `s` = +1 long / −1 short, raw 10⁻⁸ units, `k` = margin + bracket deduction, `m` the bracket
/// rate, `f` the closing fee): `n = s·q·E − k·10⁸`, `d = s·10⁸ − m − f`, notional `N = n / d`, price
/// `P = n·10⁸ / (q·d)`; the bracket is the first whose `[floor, cap)` holds `N` (exact cross-multiplication).
/// Entry-value venues (Bybit classic) use `k = margin − MM(entry)` and `m = 0`.
///
/// Rounding: `P` is rounded to 10⁻⁸ **up** for a long and **down** for a short, then to the market tick the same
/// way (the trader sees liquidation no later than it happens); a price that is not positive is "none".
public struct IsolatedLiquidationBatch: Sendable {
    /// The venue whose rules are applied.
    public let venue: VenueProfile
    /// The market every position is on.
    public let market: MarketSpec
    /// Parameter overrides shared by every position.
    public let overrides: LiquidationOverrides

    /// Which solver the batch runs.
    enum Kernel: Sendable {
        /// Linear market, maintenance at the liquidation price: brackets scanned in order.
        case linearAtLiquidation
        /// Linear market, maintenance at the entry value (Bybit classic).
        case linearAtEntry
        /// Per-element scalar solve (inverse, Drift size premium, deduction-only override).
        case scalar
    }

    /// One bracket with its side-resolved constants (raw 10⁻⁸ units, 128-bit).
    struct Bracket: Sendable {
        /// Floor and cap of the bracket (cap `Int64.max` when unbounded).
        let floor: Int64
        let cap: Int64
        let unbounded: Bool
        /// Maintenance rate and deduction.
        let rate: Int128
        let deduction: Int128
        /// `d = s·10⁸ − m − f` for a long and a short.
        let dLong: Int128
        let dShort: Int128
    }

    let kernel: Kernel
    let brackets: [Bracket]
    let fee: Int128
    let tick: Int64
    /// `Int64.max / tick`: the largest tick count whose price fits.
    let maxTicks: Int64
    /// `10⁸ / tick` when the tick divides 10⁸ (then the tick folds into the numerator), else 0.
    let scaleOverTick: UInt64

    /// Resolves the venue's maintenance schedule for `market` and precomputes the per-bracket constants.
    ///
    /// - Throws: ``ArithmeticError`` naming the override that is out of range (as
    ///   ``VenueProfile/liquidationQuote(_:market:)`` does).
    public init(
        venue: VenueProfile,
        market: MarketSpec,
        overrides: LiquidationOverrides = .none
    ) throws(ArithmeticError) {
        if let rate = overrides.maintenanceMarginRate, rate.isNegative || rate >= .one {
            throw ArithmeticError(.outOfRange, "mmr \(rate) must be in [0, 1)")
        }
        if let fee = overrides.takerFee, fee.isNegative || fee >= .one {
            throw ArithmeticError(.outOfRange, "taker-fee \(fee) must be in [0, 1)")
        }
        if let maxLeverage = overrides.maxLeverage, !maxLeverage.isPositive {
            throw ArithmeticError(.outOfRange, "max-leverage \(maxLeverage) must be positive")
        }
        if let deduction = overrides.maintenanceDeduction, deduction.isNegative {
            throw ArithmeticError(.outOfRange, "mm-deduction \(deduction) must not be negative")
        }
        self.venue = venue
        self.market = market
        self.overrides = overrides
        let feeRate = overrides.takerFee ?? venue.closingFeeRate
        fee = feeRate.wide
        tick = market.tickSize.isPositive ? market.tickSize.raw : 1
        maxTicks = Int64.max / tick  // floor: the largest count whose multiple fits
        scaleOverTick = tick <= 100_000_000 && 100_000_000 % tick == 0 ? UInt64(100_000_000 / tick) : 0

        let singleRate = overrides.maintenanceMarginRate != nil || overrides.maxLeverage != nil
        let pinsAtEntry = !singleRate && overrides.maintenanceDeduction != nil
        let sizeDependent: Bool =
            switch venue.marginModel(for: market) {
            case .drift: !singleRate
            case .tiered, .hyperliquid, .dydx: false
            }
        guard market.kind == .linear, !pinsAtEntry, !sizeDependent else {
            kernel = .scalar
            brackets = []
            return
        }
        // The schedule does not depend on size or entry here: resolve it once.
        let steps = try venue.maintenanceSteps(size: .one, entryNotional: .zero, market: market, overrides: overrides)
        let scale = FixedPointScale.wideFactor
        brackets = steps.map { step in
            Bracket(
                floor: step.floor.raw,
                cap: step.cap?.raw ?? .max,
                unbounded: step.cap == nil,
                rate: step.rate.wide,
                deduction: step.deduction.wide,
                dLong: scale - step.rate.wide - feeRate.wide,
                dShort: -scale - step.rate.wide - feeRate.wide
            )
        }
        kernel = venue.maintenanceBasis == .entryValue ? .linearAtEntry : .linearAtLiquidation
    }

    /// Solves every position; `output[i]` is the liquidation price of position `i`, or ``Price/zero`` for "none"
    /// (a liquidation price is never 0, so zero is unambiguous).
    ///
    /// The four inputs are parallel arrays (structure of arrays) of equal length. The results are written to a fresh
    /// array that replaces `output` only when every element succeeded.
    ///
    /// - Throws: ``ArithmeticError`` naming the array, the index and the value for bad input (non-positive entry or
    ///   size, negative margin, a notional that overflows), a price that overflows 64-bit storage, or a count
    ///   mismatch. A rejected batch leaves `output` unchanged.
    public func liquidationPrices(
        sides: [PositionSide],
        entries: [Price],
        sizes: [Quantity],
        margins: [Money],
        into output: inout [Price]
    ) throws(ArithmeticError) {
        try checkLengths(sides: sides, entries: entries, sizes: sizes, margins: margins)
        output = try solve(0..<sides.count, sides: sides, entries: entries, sizes: sizes, margins: margins)
    }

    /// The same solve split into `taskCount` contiguous chunks run as concurrent child tasks; the result is
    /// identical to the sequential call for any `taskCount` (elements are independent; chunks are reassembled in
    /// order, and the reported error is the one of the lowest failing chunk).
    ///
    /// - Throws: as ``liquidationPrices(sides:entries:sizes:margins:into:)``, or for a non-positive `taskCount`.
    public func liquidationPrices(
        sides: [PositionSide],
        entries: [Price],
        sizes: [Quantity],
        margins: [Money],
        taskCount: Int
    ) async throws(ArithmeticError) -> [Price] {
        guard taskCount > 0 else { throw ArithmeticError(.outOfRange, "task count \(taskCount) must be positive") }
        try checkLengths(sides: sides, entries: entries, sizes: sizes, margins: margins)
        let count = sides.count
        let chunk = max(1, (count + taskCount - 1) / taskCount)  // ceiling: at most taskCount chunks
        let parts = await withTaskGroup(of: (Int, Result<[Price], ArithmeticError>).self) { group in
            for start in stride(from: 0, to: count, by: chunk) {
                let range = start..<min(start + chunk, count)
                group.addTask {
                    do throws(ArithmeticError) {
                        let part = try self.solve(range, sides: sides, entries: entries, sizes: sizes, margins: margins)
                        return (start, .success(part))
                    } catch {
                        return (start, .failure(error))
                    }
                }
            }
            var parts: [(Int, Result<[Price], ArithmeticError>)] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }  // completion order is not deterministic; chunk order is
        }
        var result: [Price] = []
        result.reserveCapacity(count)
        for (_, part) in parts {
            switch part {
            case .success(let prices): result.append(contentsOf: prices)
            case .failure(let error): throw error
            }
        }
        return result
    }

    /// Throws unless the four arrays have one length.
    func checkLengths(
        sides: [PositionSide],
        entries: [Price],
        sizes: [Quantity],
        margins: [Money]
    ) throws(ArithmeticError) {
        let count = sides.count
        guard entries.count == count, sizes.count == count, margins.count == count else {
            throw ArithmeticError(
                .outOfRange,
                "batch lengths differ: sides \(count), entries \(entries.count), sizes \(sizes.count), "
                    + "margins \(margins.count)"
            )
        }
    }

    /// Solves the elements in `range` into a fresh array (errors name the element's index in the whole batch).
    func solve(
        _ range: Range<Int>,
        sides: [PositionSide],
        entries: [Price],
        sizes: [Quantity],
        margins: [Money]
    ) throws(ArithmeticError) -> [Price] {
        var failure: ArithmeticError?
        let result = [Price](unsafeUninitializedCapacity: range.count) { buffer, initialized in
            do throws(ArithmeticError) {
                switch kernel {
                case .scalar:
                    try solveScalar(range, sides: sides, entries: entries, sizes: sizes, margins: margins, into: buffer)
                case .linearAtLiquidation, .linearAtEntry:
                    try solveLinear(range, sides: sides, entries: entries, sizes: sizes, margins: margins, into: buffer)
                }
                initialized = range.count
            } catch {
                failure = error
                initialized = 0  // Price is trivial: abandoning written elements leaks nothing
            }
        }
        if let failure { throw failure }
        return result
    }

    /// Convenience: the liquidation prices as optionals (`nil` = none).
    ///
    /// - Throws: as ``liquidationPrices(sides:entries:sizes:margins:into:)``.
    public func liquidationPrices(
        sides: [PositionSide],
        entries: [Price],
        sizes: [Quantity],
        margins: [Money]
    ) throws(ArithmeticError) -> [Price?] {
        var output: [Price] = []
        try liquidationPrices(sides: sides, entries: entries, sizes: sizes, margins: margins, into: &output)
        return output.map { $0.isZero ? nil : $0 }
    }

    /// Checks one element (the scalar solver's input rules, naming the array and index).
    @inline(__always)
    func validate(index: Int, entry: Price, size: Quantity, margin: Money) throws(ArithmeticError) {
        guard entry.raw > 0 else { throw ArithmeticError(.outOfRange, "entries[\(index)] \(entry) must be positive") }
        guard size.raw > 0 else { throw ArithmeticError(.outOfRange, "sizes[\(index)] \(size) must be positive") }
        guard margin.raw >= 0 else {
            throw ArithmeticError(.outOfRange, "margins[\(index)] \(margin) must not be negative")
        }
    }

    /// Per-element scalar solve (inverse markets, Drift size premium, deduction-only override).
    func solveScalar(
        _ range: Range<Int>,
        sides: [PositionSide],
        entries: [Price],
        sizes: [Quantity],
        margins: [Money],
        into out: UnsafeMutableBufferPointer<Price>
    ) throws(ArithmeticError) {
        for index in range {
            try validate(index: index, entry: entries[index], size: sizes[index], margin: margins[index])
            let input = LiquidationPriceInput(
                side: sides[index],
                entryPrice: entries[index],
                size: sizes[index],
                margin: .wallet(margins[index]),
                overrides: overrides
            )
            let quote = try venue.liquidationQuote(input, market: market)
            out.initializeElement(at: index - range.lowerBound, to: quote.liquidationPrice ?? .zero)
        }
    }

    /// The fast linear kernel.
    func solveLinear(
        _ range: Range<Int>,
        sides: [PositionSide],
        entries: [Price],
        sizes: [Quantity],
        margins: [Money],
        into out: UnsafeMutableBufferPointer<Price>
    ) throws(ArithmeticError) {
        let atEntry = kernel == .linearAtEntry
        try brackets.withUnsafeBufferPointer { (brackets) throws(ArithmeticError) in
            try sides.withUnsafeBufferPointer { (sides) throws(ArithmeticError) in
                try entries.withUnsafeBufferPointer { (entries) throws(ArithmeticError) in
                    try sizes.withUnsafeBufferPointer { (sizes) throws(ArithmeticError) in
                        try margins.withUnsafeBufferPointer { (margins) throws(ArithmeticError) in
                            for index in range {
                                let entry = entries[index]
                                let size = sizes[index]
                                let margin = margins[index]
                                try validate(index: index, entry: entry, size: size, margin: margin)
                                let raw = try solveOne(
                                    isLong: sides[index] == .long,
                                    entry: entry.raw,
                                    size: size.raw,
                                    margin: margin.raw,
                                    atEntry: atEntry,
                                    brackets: brackets,
                                    index: index
                                )
                                out.initializeElement(at: index - range.lowerBound, to: Price(raw: raw))
                            }
                        }
                    }
                }
            }
        }
    }

    /// One linear solve over validated scalars; returns the tick-rounded raw price, 0 for none.
    @inline(__always)
    func solveOne(
        isLong: Bool,
        entry: Int64,
        size: Int64,
        margin: Int64,
        atEntry: Bool,
        brackets: UnsafeBufferPointer<Bracket>,
        index: Int
    ) throws(ArithmeticError) -> Int64 {
        let scale: Int128 = 100_000_000
        let q = Int128(size)
        // entry, size > 0 and margin ≥ 0 (validated): q·E < 2¹²⁶.
        let qe = q &* Int128(entry)
        // q·E above Int64.max·10⁸ makes the entry notional overflow 64-bit money, as in the scalar solver.
        // Literals, not `static let`s: a global would cost a lazy-initialisation check per element.
        guard qe <= 922_337_203_685_477_580_700_000_000 else {  // Int64.max · 10⁸
            throw ArithmeticError(
                .overflow,
                "sizes[\(index)] × entries[\(index)]: notional overflows 64-bit fixed-point storage"
            )
        }
        // From here |n| ≤ q·E + (margin + deduction)·10⁸ < 2⁹⁰ + 2⁹², so n·10⁸ < 2¹²⁰ and q·|d| < 2⁹³: the wrapping
        // operators below cannot wrap.
        let signedQE = isLong ? qe : 0 &- qe
        var numerator: Int128 = 0
        var denominator: Int128 = 0
        if atEntry {
            // MM at the entry value, rounded up (favours the venue); entry notional rounded up as the scalar path.
            let entryNotional = Self.divideUp(UInt128(qe), by: 100_000_000)
            let bracket = brackets[Self.position(brackets, notional: Int64(entryNotional))]
            let gross = Self.divideUp(entryNotional &* UInt128(bracket.rate), by: 100_000_000)
            let maintenance = Int128(gross) &- bracket.deduction
            let k = Int128(margin) &- maintenance
            let d = (isLong ? scale : 0 &- scale) &- fee
            guard d != 0 else { return 0 }
            numerator = signedQE &- k &* scale
            denominator = d
        } else {
            var found = false
            for bracket in brackets {
                let d = isLong ? bracket.dLong : bracket.dShort
                guard d != 0 else { continue }
                let n = signedQE &- (Int128(margin) &+ bracket.deduction) &* scale
                // N = n / d within [floor, cap): compare with d made positive.
                let (nn, dd) = d < 0 ? (0 &- n, 0 &- d) : (n, d)
                guard Int128(bracket.floor) &* dd <= nn else { continue }
                guard bracket.unbounded || nn < Int128(bracket.cap) &* dd else { continue }
                numerator = n
                denominator = d
                found = true
                break
            }
            guard found else { return 0 }
        }
        // P = n·10⁸ / (q·d), rounded up for a long and down for a short (trader's conservative side), then to the
        // tick the same way. ⌈⌈x/a⌉/b⌉ = ⌈x/(ab)⌉ and ⌊⌊x/a⌋/b⌋ = ⌊x/(ab)⌋ for positive integers, so the tick
        // multiple is the single quotient n·10⁸ / (q·|d|·tick).
        var top = numerator
        var magnitude = denominator
        if magnitude < 0 {
            top = 0 &- top
            magnitude = 0 &- magnitude
        }
        guard top > 0 else { return 0 }  // a root at or below zero is "none" under either rounding
        let (ticks, exact) = tickedQuotient(UInt128(top), dMagnitude: UInt128(magnitude), q: UInt64(size))
        let rounded = isLong && !exact ? ticks &+ 1 : ticks
        guard rounded <= UInt128(maxTicks) else { throw overflow(index) }
        let price = Int64(rounded) &* tick
        if !isLong, price > Int64.max &- tick {
            // Within one tick of the range: the 10⁻⁸ root itself may not fit (the scalar solver throws there).
            let exactRoot = (UInt128(top) &* 100_000_000) / (UInt128(magnitude) &* UInt128(size))
            guard exactRoot <= UInt128(Int64.max) else { throw overflow(index) }
        }
        return price
    }

    /// `|n|·10⁸ / (|d| · tick · q)` floored, and whether it is exact.
    ///
    /// When the tick divides 10⁸ (every catalog market) this is `|n|·(10⁸/tick) / (q·|d|)`: one 128-by-64 hardware
    /// division while `q·|d|` fits in 64 bits. Otherwise two divisions (by `|d|·tick`, then by `q`), or one 128-bit
    /// division for very coarse ticks.
    @inline(__always)
    func tickedQuotient(_ n: UInt128, dMagnitude: UInt128, q: UInt64) -> (UInt128, Bool) {
        // |n| < 2⁹³ and 10⁸/tick ≤ 10⁸ < 2²⁷: the product fits in 128 bits.
        if scaleOverTick != 0 {
            let divisor = dMagnitude &* UInt128(q)  // |d| < 2³⁰, q < 2⁶³
            if divisor <= UInt128(UInt64.max) {
                return Self.divide(n &* UInt128(scaleOverTick), by: UInt64(divisor))
            }
        }
        let x = n &* 100_000_000  // < 2¹²⁰
        let dt = dMagnitude &* UInt128(tick)  // |d| < 2³⁰, tick < 2⁶³: fits in 128 bits
        if dt <= UInt128(UInt64.max) {
            let (first, firstExact) = Self.divide(x, by: UInt64(dt))
            let (second, secondExact) = Self.divide(first, by: q)
            return (second, firstExact && secondExact)
        }
        let divisor = dt &* UInt128(q)
        let quotient = x / divisor
        return (quotient, quotient &* divisor == x)
    }

    /// `a / v` floored for a 128-bit `a` and a 64-bit `v > 0`, and whether the division is exact (one or two
    /// hardware divisions).
    @inline(__always)
    static func divide(_ a: UInt128, by v: UInt64) -> (UInt128, Bool) {
        let high = UInt64(truncatingIfNeeded: a &>> 64)
        let low = UInt64(truncatingIfNeeded: a)
        if high == 0 {
            let (quotient, remainder) = low.quotientAndRemainder(dividingBy: v)
            return (UInt128(quotient), remainder == 0)
        }
        if high < v {
            // The quotient fits in 64 bits: one full-width division.
            let (quotient, remainder) = v.dividingFullWidth((high: high, low: low))
            return (UInt128(quotient), remainder == 0)
        }
        let (upper, carry) = high.quotientAndRemainder(dividingBy: v)
        let (lower, remainder) = v.dividingFullWidth((high: carry, low: low))  // carry < v: cannot overflow
        return (UInt128(upper) &<< 64 | UInt128(lower), remainder == 0)
    }

    /// `⌈a / v⌉` for a 128-bit `a` and a 64-bit `v > 0`.
    @inline(__always)
    static func divideUp(_ a: UInt128, by v: UInt64) -> UInt128 {
        let (quotient, exact) = divide(a, by: v)
        return exact ? quotient : quotient &+ 1
    }

    /// The overflow error for element `index`.
    func overflow(_ index: Int) -> ArithmeticError {
        ArithmeticError(.overflow, "positions[\(index)] liquidation price overflows 64-bit fixed-point storage")
    }

    /// Index of the bracket whose `[floor, cap)` holds `notional` (binary search on floors).
    @inline(__always)
    static func position(_ brackets: UnsafeBufferPointer<Bracket>, notional: Int64) -> Int {
        var low = 0
        var high = brackets.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if brackets[mid].floor <= notional { low = mid } else { high = mid - 1 }
        }
        return low
    }
}
