/// Liquidation prices of many isolated positions on one market under one venue's rules, solved in a tight loop.
///
/// The batch gives, element by element, exactly ``LiquidationQuote/liquidationPrice`` of
/// ``VenueProfile/liquidationQuote(_:market:)`` for an isolated position with `.wallet(margin)` (the property tests
/// in `IsolatedLiquidationBatchTests` check this on every catalog market and on extreme inputs). It is built once per
/// (venue, market, overrides): the maintenance schedule is resolved and, per bracket and side, the constants of the
/// linear root are precomputed, so the per-position work is a few 64×64-bit multiplications, a branch-free search
/// for the bracket on 64-bit keys verified by two 128-bit comparisons, and one 128-by-64-bit division (no
/// allocation, no existential or generic dispatch, no branch on the side).
///
/// A call runs in two passes: the first validates every element (and proves, with a cheap bound, that its price
/// cannot overflow: a branch-free box test of additions, shifts and bitwise operations per element, the exact
/// bound for a block that leaves the box, and the exact solver for the rare element that fails the bound), so a
/// bad batch throws before anything is written; the second is a non-throwing kernel that writes into the caller's
/// buffer.
/// ``liquidationPrices(sides:entries:sizes:margins:into:)-([Price])`` reuses the capacity of `output`;
/// ``liquidationPrices(sides:entries:sizes:margins:into:)-(UnsafeMutableBufferPointer<Price>)`` writes into a buffer
/// the caller owns (one per thread for a parallel split); ``liquidationPrices(sides:entries:sizes:margins:taskCount:)``
/// splits the work over child tasks. The result is identical for any split (elements are independent).
///
/// Linear markets whose schedule does not depend on the position (tier tables, Hyperliquid, dYdX, single-rate
/// overrides; maintenance at the liquidation price or at the entry value) take the fast kernels. Inverse markets,
/// Drift's size-premium ratio and a deduction-only override (which pins the bracket at entry) fall back to the
/// scalar solver per element: same results, scalar speed (and one temporary array per call).
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

    /// One bracket's test and root for one side, in terms of `u = s·q·E − margin·10⁸` (so `n = u − deduction·10⁸`).
    ///
    /// With `σ` the sign of the bracket's `d`, `w = σ·u` and `offset = σ·deduction·10⁸`: the bracket holds the root
    /// iff `low ≤ w < high` (`low = floor·|d| + offset`, `high = cap·|d| + offset`, the scalar solver's
    /// `floor ≤ n/d < cap` cross-multiplied), and then `|n| = w − offset` over `|d|`. Every figure is below 2⁹⁴.
    struct SideBracket: Sendable {
        /// Whether `w = −u` (the bracket's `d` is negative for this side).
        let negate: Bool
        /// `[low, high)` of `w` (`low = Int128.max` for a bracket that never holds: `d = 0`).
        let low: Int128
        let high: Int128
        /// `σ·deduction·10⁸`.
        let offset: Int128
        /// `|d|` (below 3·10⁸).
        let magnitude: UInt64
    }

    let kernel: Kernel
    let brackets: [Bracket]
    /// The linear-at-liquidation constants for a long and for a short (empty for the other kernels).
    let longBrackets: [SideBracket]
    let shortBrackets: [SideBracket]
    let fee: Int128
    let tick: Int64
    /// `Int64.max / tick`: the largest tick count whose price fits.
    let maxTicks: Int64
    /// `10⁸ / tick` when the tick divides 10⁸ (then the tick folds into the numerator), else 0.
    let scaleOverTick: UInt64
    /// The largest entry for which a long's price provably fits (−1: no long is proved; the first pass solves it).
    let longEntryLimit: Int64
    /// The deduction term of the short's overflow bound (raw): 0 when every bracket's deduction is at most
    /// `floor × rate` (true of deductions derived by the continuity recurrence with rates that do not decrease:
    /// then a short's root never exceeds its bankruptcy price `E + margin·10⁸/q`, see ``shortRootBound(_:)``), else
    /// the largest deduction.
    let deductionBound: Int64
    /// Size-bounded tables: the inclusive size cap of every tier but the last (raw); empty for a notional table
    /// (see ``sizeTierGroups(venue:market:overrides:)``).
    let sizeCaps: [Int64]
    /// Whether the bankruptcy price is rounded up for a short too (dYdX), as the scalar solver rounds it.
    let bankruptcyRoundsUp: Bool
    /// The fast kernel's table (``searchTable(long:short:tickFactor:numeratorFactor:)``): side brackets and their
    /// 64-bit keys (empty: the kernel scans every element instead).
    let searchBrackets: [SearchBracket]
    let searchKeys: [Int64]
    /// `10⁸ / tick` when the tick divides 10⁸, else 10⁸ (the quotient's numerator factor; the tick then goes into
    /// the divisor).
    let numeratorFactor: UInt64
    /// The first pass's cheap short bound: a short with `E ≤ shortEntryLimit` and
    /// `(margin + deductionBound) >> shortReserveShift < q` provably has a price (and a bankruptcy price) in range.
    let shortEntryLimit: Int64
    let shortReserveShift: Int64
    /// The shift of the first pass's box test (``outsideBox(entry:size:margin:deduction:shift:)``), or −1 when the
    /// box does not imply the bounds (every block is then checked element by element).
    let boxShift: Int64

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
        let tick = market.tickSize.isPositive ? market.tickSize.raw : 1
        self.tick = tick
        maxTicks = Int64.max / tick  // floor: the largest count whose multiple fits
        scaleOverTick = tick <= 100_000_000 && 100_000_000 % tick == 0 ? UInt64(100_000_000 / tick) : 0

        let singleRate = overrides.maintenanceMarginRate != nil || overrides.maxLeverage != nil
        let pinsAtEntry = !singleRate && overrides.maintenanceDeduction != nil
        let sizeDependent: Bool =
            switch venue.marginModel(for: market) {
            case .drift: !singleRate
            case .tiered, .hyperliquid, .dydx: false
            }
        bankruptcyRoundsUp = venue.id == .dydx
        let groups = try Self.sizeTierGroups(venue: venue, market: market, overrides: overrides)
        guard market.kind == .linear, !pinsAtEntry, !sizeDependent, let groups else {
            kernel = .scalar
            brackets = []
            longBrackets = []
            shortBrackets = []
            sizeCaps = []
            longEntryLimit = -1
            deductionBound = 0
            searchBrackets = []
            searchKeys = []
            numeratorFactor = 0
            shortEntryLimit = -1
            shortReserveShift = 0
            boxShift = -1
            return
        }
        sizeCaps = groups.caps
        let steps = groups.steps
        let scale = FixedPointScale.wideFactor
        let brackets = steps.map { step in
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
        self.brackets = brackets
        let atEntry = venue.maintenanceBasis == .entryValue
        kernel = atEntry ? .linearAtEntry : .linearAtLiquidation
        longBrackets = brackets.map { Self.sideBracket($0, d: $0.dLong) }
        shortBrackets = brackets.map { Self.sideBracket($0, d: $0.dShort) }
        deductionBound = Self.shortRootBound(brackets)
        longEntryLimit = Self.longEntryLimit(brackets: brackets, fee: feeRate.wide, tick: tick, atEntry: atEntry)
        (shortEntryLimit, shortReserveShift) = Self.shortBound(tick: tick)
        let box: Int64 = 1 << 44
        boxShift =
            longEntryLimit >= box && shortEntryLimit >= box && deductionBound < 1 << 62 ? shortReserveShift : -1
        numeratorFactor = scaleOverTick != 0 ? scaleOverTick : 100_000_000
        let search =
            atEntry
            ? nil
            : Self.searchTable(
                long: longBrackets,
                short: shortBrackets,
                tickFactor: scaleOverTick != 0 ? 1 : UInt64(tick)
            )
        searchBrackets = search?.brackets ?? []
        searchKeys = search?.keys ?? []
    }

    /// The deduction term of the short's bound (``deductionBound``).
    ///
    /// A short's root `P` in bracket `b` satisfies `P·(10⁸ + m + f) = (q·E + (margin + deduction)·10⁸)·10⁸ / q` and
    /// its notional `N = P·q / 10⁸ ≥ floor`. If `deduction·10⁸ ≤ floor·m` (raw), then `deduction·10⁸ ≤ N·m`, so
    /// `N·(10⁸ + f) ≤ q·E + margin·10⁸` and `P ≤ E + margin·10⁸ / q`. At the entry value the maintenance is then
    /// not negative (`N_entry·m − deduction ≥ 0` for the entry's bracket), so the same bound holds. Otherwise the
    /// bound keeps the largest deduction: `P ≤ E + (margin + deduction)·10⁸ / q` (`|d| ≥ 10⁸`).
    static func shortRootBound(_ brackets: [Bracket]) -> Int64 {
        let bounded = brackets.allSatisfy { bracket in
            bracket.deduction <= 0
                || (bracket.floor >= 0
                    && bracket.deduction * FixedPointScale.wideFactor <= Int128(bracket.floor) * bracket.rate)
        }
        return bounded ? 0 : Int64(brackets.map(\.deduction).max() ?? 0)
    }

    /// The cheap short bound of the first pass: `(limit, shift)` such that `E ≤ limit` and
    /// `(margin + deductionBound) >> shift < q` imply `(margin + deductionBound)·10⁸ < q·2^shift·10⁸ ≤
    /// q·(Int64.max − tick − E)`, the short's price bound of ``isProvablySafe(isLong:entry:size:margin:)``.
    /// `limit = 2⁶²` and the largest `shift` with `2^shift·10⁸ ≤ Int64.max − tick − 2⁶²`; `(−1, 0)` (no short is
    /// proved: the first pass solves each exactly) for a tick too coarse for that.
    static func shortBound(tick: Int64) -> (Int64, Int64) {
        let limit: Int64 = 1 << 62
        let room = Int64.max - tick - limit  // tick ≤ Int64.max: no overflow; may be negative
        var shift: Int64 = -1
        while shift < 62, (Int64(1) << (shift + 1)) <= room / 100_000_000 { shift += 1 }  // floor: conservative
        return shift < 0 ? (-1, 0) : (limit, shift)
    }

    /// The maintenance schedule the scalar solver uses, resolved once, and how a position's size selects its part.
    ///
    /// A notional table (and any single-rate model or override): the schedule does not depend on the size or the
    /// entry; `caps` is empty and every position scans all of `steps`. A size-bounded table (OKX position tiers,
    /// ``TierBound/baseQuantity``): the scalar solver's schedule is the single step of the position's size tier, so
    /// `steps[j]` is the step of size tier `j` (resolved through ``VenueProfile/maintenanceSteps(size:entryNotional:market:overrides:)``
    /// at a size inside tier `j`) and `caps` holds the inclusive size caps of every tier but the last (a size above
    /// `caps[j − 1]` and at most `caps[j]` is in tier `j`; above every cap, the last tier). `nil` when the resolved
    /// steps do not have that shape (the batch then solves per element with the scalar solver).
    static func sizeTierGroups(
        venue: VenueProfile,
        market: MarketSpec,
        overrides: LiquidationOverrides
    ) throws(ArithmeticError) -> (steps: [MaintenanceStep], caps: [Int64])? {
        let table = market.tiers
        let tiered: Bool =
            switch venue.marginModel(for: market) {
            case .tiered, .hyperliquid: true
            case .dydx, .drift: false
            }
        let singleRate = overrides.maintenanceMarginRate != nil || overrides.maxLeverage != nil
        guard tiered, !singleRate, table.bound == .baseQuantity, !table.sizeTiers.isEmpty else {
            // The schedule does not depend on size or entry here: resolve it once.
            let steps = try venue.maintenanceSteps(
                size: .one,
                entryNotional: .zero,
                market: market,
                overrides: overrides
            )
            return (steps, [])
        }
        var caps: [Int64] = []
        var steps: [MaintenanceStep] = []
        for (index, tier) in table.sizeTiers.enumerated() {
            let last = index == table.sizeTiers.count - 1
            // A size inside tier `index`: its inclusive cap, or just above the previous cap for the last tier.
            let inside: Int64
            if !last, let cap = tier.sizeCap {
                inside = cap.raw
                caps.append(cap.raw)
            } else if !last {
                return nil  // only the last tier may be unbounded
            } else {
                inside = (caps.last ?? 0) + 1  // caps are below Int64.max: the successor fits
            }
            let resolved = try venue.maintenanceSteps(
                size: Quantity(raw: inside),
                entryNotional: .zero,
                market: market,
                overrides: overrides
            )
            guard resolved.count == 1, resolved[0].index == index, resolved[0].cap == nil else { return nil }
            steps.append(resolved[0])
        }
        return (steps, caps)
    }

    /// The brackets of a position of `size` (raw, positive): `[0, count)` for a notional table, the single bracket
    /// of the size tier for a size-bounded one (the first tier whose inclusive cap is at least `size`, else the last,
    /// as ``MarginTierTable/tierIndex(forSize:notional:)``).
    @inline(__always)
    func bracketRange(size: Int64, count: Int) -> Range<Int> {
        guard !sizeCaps.isEmpty else { return 0..<count }
        var low = 0
        var high = sizeCaps.count  // tier `sizeCaps.count` is the last: every size above the caps
        while low < high {
            let mid = (low + high) / 2
            if sizeCaps[mid] < size { low = mid + 1 } else { high = mid }
        }
        return low..<(low + 1)
    }

    /// The side-resolved test and root of `bracket` for a side whose `d` is `d`.
    static func sideBracket(_ bracket: Bracket, d: Int128) -> SideBracket {
        guard d != 0 else {
            return SideBracket(negate: false, low: .max, high: .min, offset: 0, magnitude: 0)  // never holds
        }
        let negative = d < 0
        let magnitude = negative ? -d : d
        let deduction = bracket.deduction * FixedPointScale.wideFactor
        let offset = negative ? -deduction : deduction
        return SideBracket(
            negate: negative,
            low: Int128(bracket.floor) * magnitude + offset,
            high: bracket.unbounded ? .max : Int128(bracket.cap) * magnitude + offset,
            offset: offset,
            magnitude: UInt64(magnitude)
        )
    }

    /// The largest entry `E` for which a long's price provably fits in 64 bits after rounding up to the tick.
    ///
    /// At the liquidation price (every `d > 0`): `P ≤ q·E·10⁸ / (q·d) = E·10⁸ / d`. At the entry value
    /// (maintenance `≤` the entry notional `≤ q·E/10⁸ + 1`, `d = 10⁸ − f`): `P ≤ (2E + 10⁸)·10⁸ / d`. The rounded
    /// price is at most `P + tick`, so `E` is bounded by `(Int64.max − tick)·d_min / 10⁸` (floored: conservative).
    /// −1 when a bracket's `d` is not positive (rates and fee summing to 1 or more): the first pass then solves
    /// every long exactly.
    static func longEntryLimit(brackets: [Bracket], fee: Int128, tick: Int64, atEntry: Bool) -> Int64 {
        let scale = FixedPointScale.wideFactor
        let room = Int128(Int64.max - tick)
        if atEntry {
            let d = scale - fee
            guard d > 0 else { return -1 }
            let limit = (room * d / scale - scale) / 2  // floors: conservative
            return limit < 0 ? -1 : Int64(limit)
        }
        guard let dMin = brackets.map(\.dLong).min(), dMin > 0 else { return -1 }
        return Int64(min(room * dMin / scale, Int128(Int64.max)))  // floor: conservative
    }

    /// Solves every position into `output`, reusing its capacity: `output[i]` is the liquidation price of position
    /// `i`, or ``Price/zero`` for "none" (a liquidation price is never 0, so zero is unambiguous). `output` ends with
    /// exactly one element per position.
    ///
    /// The four inputs are parallel arrays (structure of arrays) of equal length. No allocation when `output` already
    /// has the capacity and is not shared (linear kernels).
    ///
    /// - Throws: ``ArithmeticError`` naming the array, the index and the value for bad input (non-positive entry or
    ///   size, negative margin, a notional that overflows), a price that overflows 64-bit storage, or a count
    ///   mismatch (the first bad element in index order). A rejected batch leaves `output` unchanged.
    public func liquidationPrices(
        sides: [PositionSide],
        entries: [Price],
        sizes: [Quantity],
        margins: [Money],
        into output: inout [Price]
    ) throws(ArithmeticError) {
        try checkLengths(sides: sides, entries: entries, sizes: sizes, margins: margins)
        let count = sides.count
        if kernel == .scalar {
            output = try solve(0..<count, sides: sides, entries: entries, sizes: sizes, margins: margins)
            return
        }
        try validate(0..<count, sides: sides, entries: entries, sizes: sizes, margins: margins)
        if output.count > count {
            output.removeLast(output.count - count)
        } else if output.count < count {
            output.append(contentsOf: repeatElement(Price.zero, count: count - output.count))
        }
        output.withUnsafeMutableBufferPointer { buffer in
            solveValidated(0..<count, sides: sides, entries: entries, sizes: sizes, margins: margins, into: buffer)
        }
    }

    /// Solves every position into `buffer`, which the caller owns (`buffer[i]` as in
    /// ``liquidationPrices(sides:entries:sizes:margins:into:)-([Price])``): no allocation for the linear kernels,
    /// and disjoint buffers may be filled from different threads.
    ///
    /// - Throws: as ``liquidationPrices(sides:entries:sizes:margins:into:)-([Price])``, or when `buffer.count`
    ///   differs from the number of positions. A rejected batch leaves `buffer` unchanged.
    public func liquidationPrices(
        sides: [PositionSide],
        entries: [Price],
        sizes: [Quantity],
        margins: [Money],
        into buffer: UnsafeMutableBufferPointer<Price>
    ) throws(ArithmeticError) {
        try checkLengths(sides: sides, entries: entries, sizes: sizes, margins: margins)
        let count = sides.count
        guard buffer.count == count else {
            throw ArithmeticError(.outOfRange, "output buffer count \(buffer.count) differs from positions \(count)")
        }
        if kernel == .scalar {
            let prices = try solve(0..<count, sides: sides, entries: entries, sizes: sizes, margins: margins)
            for index in 0..<count { buffer[index] = prices[index] }
            return
        }
        try validate(0..<count, sides: sides, entries: entries, sizes: sizes, margins: margins)
        solveValidated(0..<count, sides: sides, entries: entries, sizes: sizes, margins: margins, into: buffer)
    }

    /// The same solve split into `taskCount` contiguous chunks run as concurrent child tasks; the result is
    /// identical to the sequential call for any `taskCount` (elements are independent; chunks are reassembled in
    /// order, and the reported error is the one of the lowest failing chunk, i.e. the first bad element).
    ///
    /// - Throws: as ``liquidationPrices(sides:entries:sizes:margins:into:)-([Price])``, or for a non-positive
    ///   `taskCount`.
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

    /// Convenience: the liquidation prices as optionals (`nil` = none).
    ///
    /// - Throws: as ``liquidationPrices(sides:entries:sizes:margins:into:)-([Price])``.
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
        if kernel != .scalar {
            try validate(range, sides: sides, entries: entries, sizes: sizes, margins: margins)
        }
        var failure: ArithmeticError?
        let result = [Price](unsafeUninitializedCapacity: range.count) { buffer, initialized in
            do throws(ArithmeticError) {
                switch kernel {
                case .scalar:
                    try solveScalar(range, sides: sides, entries: entries, sizes: sizes, margins: margins, into: buffer)
                case .linearAtLiquidation, .linearAtEntry:
                    solveValidated(range, sides: sides, entries: entries, sizes: sizes, margins: margins, into: buffer)
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
}
