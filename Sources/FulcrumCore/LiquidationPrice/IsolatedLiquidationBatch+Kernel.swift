/// The two passes of the linear kernels: validation (throwing, writes nothing) and the non-throwing solve.
extension IsolatedLiquidationBatch {
    /// Elements checked per branch-free block of the first pass (a block with a doubtful element is re-checked one by
    /// one, in index order, so the error is the first bad element's).
    @inline(__always) static var validationBlock: Int { 256 }

    /// `Int64.max · 10⁸`: `q·E` above it makes the entry notional overflow 64-bit money (as in the scalar solver).
    @inline(__always) static var notionalLimit: Int128 { 922_337_203_685_477_580_700_000_000 }

    /// First pass over `range`: throws the first element's error in index order (the scalar solver's input rules,
    /// a notional or a price that overflows) and writes nothing.
    ///
    /// Per element a branch-free test proves the element valid and its price in range (``isProvablySafe``); a block
    /// holding an element the test cannot prove is re-checked element by element: the input rules, then the exact
    /// solver for each element the test could not prove (it throws for a truly bad element and succeeds for one the
    /// bound was merely too coarse for, e.g. a tiny short measured against the largest bracket deduction).
    func validate(
        _ range: Range<Int>,
        sides: [PositionSide],
        entries: [Price],
        sizes: [Quantity],
        margins: [Money]
    ) throws(ArithmeticError) {
        let atEntry = kernel == .linearAtEntry
        try brackets.withUnsafeBufferPointer { (brackets) throws(ArithmeticError) in
            try sides.withUnsafeBufferPointer { (sides) throws(ArithmeticError) in
                try entries.withUnsafeBufferPointer { (entries) throws(ArithmeticError) in
                    try sizes.withUnsafeBufferPointer { (sizes) throws(ArithmeticError) in
                        try margins.withUnsafeBufferPointer { (margins) throws(ArithmeticError) in
                            var start = range.lowerBound
                            while start < range.upperBound {
                                let end = min(start + Self.validationBlock, range.upperBound)
                                var safe = boxShift >= 0
                                if safe {
                                    let shift = UInt64(boxShift)
                                    let deduction = UInt64(bitPattern: deductionBound)
                                    var outside: UInt64 = 0
                                    for index in start..<end {  // no branch: the compiler may vectorize it
                                        outside |= Self.outsideBox(
                                            entry: entries[index].raw,
                                            size: sizes[index].raw,
                                            margin: margins[index].raw,
                                            deduction: deduction,
                                            shift: shift
                                        )
                                    }
                                    safe = outside == 0
                                }
                                if !safe {
                                    for index in start..<end {
                                        try validate(
                                            index: index,
                                            entry: entries[index],
                                            size: sizes[index],
                                            margin: margins[index]
                                        )
                                        let isLong = sides[index] == .long
                                        let entry = entries[index].raw
                                        let size = sizes[index].raw
                                        let margin = margins[index].raw
                                        guard !isProvablySafe(isLong: isLong, entry: entry, size: size, margin: margin)
                                        else { continue }
                                        _ = try solveOne(
                                            isLong: isLong,
                                            entry: entry,
                                            size: size,
                                            margin: margin,
                                            atEntry: atEntry,
                                            brackets: UnsafeBufferPointer(
                                                rebasing: brackets[bracketRange(size: size, count: brackets.count)]
                                            ),
                                            index: index
                                        )
                                    }
                                }
                                start = end
                            }
                        }
                    }
                }
            }
        }
    }

    /// Whether the element is valid (entry and size positive, margin not negative, `q·E` below `Int64.max·10⁸`)
    /// and its tick-rounded price (and bankruptcy price) provably fits in 64 bits, so the kernel may solve it
    /// without any check. Branch-free: 64-bit comparisons and one 64×64-bit product.
    ///
    /// A long is bounded through ``longEntryLimit``. A short's root is `P ≤ E + (margin + deduction)·10⁸ / q`
    /// (`|d| ≥ 10⁸`; at the entry value the maintenance is at least `−deduction`), rounded down, and its bankruptcy
    /// price `E + margin·10⁸/q` is below that: both fit when `(margin + deductionBound)·10⁸ ≤ q·(Int64.max − tick − E)`,
    /// which ``shortBound(tick:)`` reduces to `E ≤ shortEntryLimit` and a shift. `q·E` is compared through its high
    /// word only (`< ⌊Int64.max·10⁸ / 2⁶⁴⌋`, slightly conservative). An element this test cannot prove is solved
    /// exactly by the first pass.
    @inline(__always)
    func isProvablySafe(isLong: Bool, entry: Int64, size: Int64, margin: Int64) -> Bool {
        let e = UInt64(bitPattern: entry)
        let q = UInt64(bitPattern: size)
        let m = UInt64(bitPattern: margin)
        let entryLimit = UInt64(bitPattern: max(isLong ? longEntryLimit : shortEntryLimit, 0))  // 0: none passes
        // E in [1, limit]: `E − 1 < limit` unsigned (E ≤ 0 wraps to ≥ 2⁶³ > any limit below 2⁶³).
        let entryFits = e &- 1 < entryLimit
        let sizeFits = q &- 1 < UInt64(Int64.max)  // q ≥ 1
        let marginFits = m <= UInt64(Int64.max)  // margin ≥ 0
        let notionalFits = q.multipliedFullWidth(by: e).high < Self.notionalLimitHigh
        // margin + deductionBound < 2⁶⁴ (both below 2⁶³); the shift is below 63.
        let reserveFits = isLong || (m &+ UInt64(bitPattern: deductionBound)) &>> UInt64(shortReserveShift) < q
        return entryFits && sizeFits && marginFits && notionalFits && reserveFits
    }

    /// Nonzero unless the element lies in the first pass's box: `E` and `q` in `[1, 2⁴⁴]`, margin in `[0, 2⁶²)` and
    /// `(margin + deductionBound) >> shift < q` (additions, shifts and bitwise operations only, for any side).
    ///
    /// The box implies ``isProvablySafe(isLong:entry:size:margin:)`` when ``boxShift`` is not negative (the
    /// initializer checks `longEntryLimit ≥ 2⁴⁴`, `shortEntryLimit ≥ 2⁴⁴` and `deductionBound < 2⁶²`): `q·E ≤ 2⁸⁸`
    /// (high word below ``notionalLimitHigh``), both entry limits hold, and the shift is the short bound's. In the
    /// last test both `(margin + deductionBound) >> shift` and `q` are below 2⁶³ inside the box, so their wrapped
    /// difference has its top bit set exactly when the first is smaller.
    @inline(__always)
    static func outsideBox(entry: Int64, size: Int64, margin: Int64, deduction: UInt64, shift: UInt64) -> UInt64 {
        let e = UInt64(bitPattern: entry) &- 1  // E ≤ 0 wraps to ≥ 2⁶³
        let q = UInt64(bitPattern: size)
        let m = UInt64(bitPattern: margin)
        let ranges = ((e | (q &- 1)) &>> 44) | (m &>> 62)
        let reserve = ~(((m &+ deduction) &>> shift) &- q) &>> 63
        return ranges | reserve
    }

    /// `⌊Int64.max·10⁸ / 2⁶⁴⌋`: a `q·E` whose high word is below it is below `Int64.max·10⁸`.
    @inline(__always) static var notionalLimitHigh: UInt64 { UInt64(truncatingIfNeeded: notionalLimit >> 64) }

    /// Checks one element (the scalar solver's input rules, naming the array and index).
    @inline(__always)
    func validate(index: Int, entry: Price, size: Quantity, margin: Money) throws(ArithmeticError) {
        guard entry.raw > 0 else { throw ArithmeticError(.outOfRange, "entries[\(index)] \(entry) must be positive") }
        guard size.raw > 0 else { throw ArithmeticError(.outOfRange, "sizes[\(index)] \(size) must be positive") }
        guard margin.raw >= 0 else {
            throw ArithmeticError(.outOfRange, "margins[\(index)] \(margin) must not be negative")
        }
    }

    /// Second pass: solves the elements of `range` (already validated by ``validate(_:sides:entries:sizes:margins:)``)
    /// into `out[i − range.lowerBound]`. Cannot fail.
    func solveValidated(
        _ range: Range<Int>,
        sides: [PositionSide],
        entries: [Price],
        sizes: [Quantity],
        margins: [Money],
        into out: UnsafeMutableBufferPointer<Price>
    ) {
        let atEntry = kernel == .linearAtEntry
        brackets.withUnsafeBufferPointer { brackets in
            longBrackets.withUnsafeBufferPointer { longBrackets in
                shortBrackets.withUnsafeBufferPointer { shortBrackets in
                    sides.withUnsafeBufferPointer { sides in
                        entries.withUnsafeBufferPointer { entries in
                            sizes.withUnsafeBufferPointer { sizes in
                                margins.withUnsafeBufferPointer { margins in
                                    let base = range.lowerBound
                                    if !atEntry && !searchBrackets.isEmpty {
                                        solveSearched(
                                            range,
                                            sides: sides,
                                            entries: entries,
                                            sizes: sizes,
                                            margins: margins,
                                            into: out
                                        )
                                        return
                                    }
                                    if atEntry {
                                        for index in range {
                                            // Validated: the exact solver cannot throw here.
                                            let raw =
                                                (try? solveOne(
                                                    isLong: sides[index] == .long,
                                                    entry: entries[index].raw,
                                                    size: sizes[index].raw,
                                                    margin: margins[index].raw,
                                                    atEntry: true,
                                                    brackets: UnsafeBufferPointer(
                                                        rebasing: brackets[
                                                            bracketRange(size: sizes[index].raw, count: brackets.count)
                                                        ]
                                                    ),
                                                    index: index
                                                )) ?? 0
                                            out[index - base] = Price(raw: raw)
                                        }
                                        return
                                    }
                                    for index in range {
                                        let isLong = sides[index] == .long
                                        let side = isLong ? longBrackets : shortBrackets
                                        let size = sizes[index].raw
                                        let raw = rootAtLiquidation(
                                            isLong: isLong,
                                            entry: entries[index].raw,
                                            size: size,
                                            margin: margins[index].raw,
                                            brackets: UnsafeBufferPointer(
                                                rebasing: side[bracketRange(size: size, count: side.count)]
                                            )
                                        )
                                        out[index - base] = Price(raw: raw)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The tick-rounded liquidation price of one validated element at the liquidation price (0 for none).
    ///
    /// `u = s·q·E − margin·10⁸`; the first side bracket with `low ≤ ±u < high` holds the root, whose magnitude is
    /// `top = ±u − offset` over `|d|` (see ``SideBracket``). No division by a variable integer in the common case
    /// (``tickQuotient(_:magnitude:size:)``).
    @inline(__always)
    func rootAtLiquidation(
        isLong: Bool,
        entry: Int64,
        size: Int64,
        margin: Int64,
        brackets: UnsafeBufferPointer<SideBracket>
    ) -> Int64 {
        let q = UInt64(bitPattern: size)
        let qe = Int128(UInt128(UInt64(bitPattern: size)) &* UInt128(UInt64(bitPattern: entry)))  // validated: < 2⁹⁰
        let reserve = Int128(margin) &* 100_000_000  // < 2⁹⁰
        let u = (isLong ? qe : 0 &- qe) &- reserve  // |u| < 2⁹¹: nothing below wraps
        var top: Int128 = 0
        var magnitude: UInt64 = 0
        for bracket in brackets {
            let w = bracket.negate ? 0 &- u : u
            if bracket.low <= w && w < bracket.high {
                top = w &- bracket.offset
                magnitude = bracket.magnitude
                break
            }
        }
        guard top > 0 else { return 0 }  // no bracket, or a root at or below zero: "none" under either rounding
        let (ticks, exact) = tickQuotient(UInt128(top), magnitude: magnitude, size: q)
        // Rounded up for a long, down for a short (the trader's conservative side); validated: it fits.
        let rounded = isLong && !exact ? ticks &+ 1 : ticks
        return Int64(truncatingIfNeeded: rounded) &* tick
    }

    /// `⌊top·10⁸ / (|d|·q·tick)⌋` and whether it is exact, by the exact integer path
    /// (``tickedQuotient(_:dMagnitude:q:)``). A double-precision estimate corrected by the remainder was tried here
    /// (bit-identical, ~18 % fewer instructions) and measured no faster on the clock, so the core keeps integer
    /// arithmetic only.
    @inline(__always)
    func tickQuotient(_ top: UInt128, magnitude: UInt64, size q: UInt64) -> (UInt128, Bool) {
        tickedQuotient(top, dMagnitude: UInt128(magnitude), q: q)
    }

    /// One linear solve over validated scalars with every overflow check (the first pass's exact path and the
    /// entry-value kernel); returns the tick-rounded raw price, 0 for none.
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
        guard qe <= Self.notionalLimit else {
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
            guard found else {
                try checkBankruptcy(isLong: isLong, qe: UInt128(qe), size: size, margin: margin, index: index)
                return 0
            }
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
        // The scalar solver also solves the bankruptcy price and throws when it overflows: so does the batch.
        try checkBankruptcy(isLong: isLong, qe: UInt128(qe), size: size, margin: margin, index: index)
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

    /// Throws when the bankruptcy price that the scalar solver computes alongside
    /// (``VenueProfile/liquidationQuote(_:market:)``: `E − s·margin·10⁸/q`, rounded up for a long and down for a
    /// short, always up on dYdX, then to the tick the same way; "none" when not positive) overflows 64-bit storage.
    /// The provable bound of the first pass implies that it fits, so only the exact path checks it.
    @inline(__always)
    func checkBankruptcy(isLong: Bool, qe: UInt128, size: Int64, margin: Int64, index: Int) throws(ArithmeticError) {
        let reserve = UInt128(UInt64(bitPattern: margin)) &* 100_000_000  // < 2⁹⁰; q·E < 2⁹⁰ too
        let q = UInt64(bitPattern: size)
        let roundsUp = isLong || bankruptcyRoundsUp
        var raw: UInt128
        if isLong {
            guard qe > reserve else { return }  // not positive: "none"
            let (floor, exact) = Self.divide(qe &- reserve, by: q)
            raw = exact ? floor : floor &+ 1  // up (the long's side; dYdX's too)
        } else {
            let (floor, exact) = Self.divide(qe &+ reserve, by: q)
            raw = bankruptcyRoundsUp && !exact ? floor &+ 1 : floor  // down, or up on dYdX
        }
        guard raw <= UInt128(Int64.max) else { throw overflow(index) }
        guard roundsUp else { return }  // rounded down to the tick: stays in range
        let (ticks, onTick) = Self.divide(raw, by: UInt64(tick))
        guard (onTick ? ticks : ticks &+ 1) <= UInt128(maxTicks) else { throw overflow(index) }
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
