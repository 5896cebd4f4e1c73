/// The fast linear-at-liquidation kernel: the side is arithmetic (no branch on it), the bracket is guessed by a
/// branch-free search on 64-bit keys and verified exactly, and the tick quotient is one 128-by-64-bit division.
extension IsolatedLiquidationBatch {
    /// Brackets per side in the search table: every catalog table has at most 16 notional brackets (a longer one
    /// is scanned instead).
    @inline(__always) static var searchWidth: Int { 16 }

    /// One side-resolved bracket of the search table (raw units; `low`, `high` and `offset` as in ``SideBracket``,
    /// for a side whose `w` needs no negation), with the constants of the quotient estimate.
    struct SearchBracket: Sendable {
        /// `[low, high)` of `w` (a padding entry has `low = Int128.max`, `high = Int128.min`: it never holds).
        let low: Int128
        let high: Int128
        /// `σ·deduction·10⁸`.
        let offset: Int128
        /// `|d|·T`, the bracket's factor of the quotient's divisor (`T` = 1 when the tick divides 10⁸, else the
        /// tick); below 2⁶³.
        let divisor: UInt64
    }

    /// The search table of the fast kernel, or `nil` when its preconditions do not hold (the kernel then scans).
    ///
    /// Preconditions: at most ``searchWidth`` brackets; every long bracket has `d > 0` (so `w = u` for a long and
    /// `w = −u` for a short, whose `d` is always negative); each side's intervals are sorted and disjoint
    /// (`high_i ≤ low_{i+1}`: at most one bracket holds `w`, so a verified guess is the first bracket that holds,
    /// the one the scalar solver takes); every `|d|·T` below 2⁶³. Long brackets sit at `[0, 16)`, short ones at
    /// `[16, 32)`, padded. `keys[i] = low_i >> 30` floored and clamped to `(−2⁶², 2⁶²)` (`−2⁶²` for the first
    /// bracket of a side, `2⁶²` for padding; `|w| < 2⁹²` keeps `w >> 30` strictly inside): `w ≥ low_i` implies
    /// `w >> 30 ≥ keys[i]`, so the largest `i` with `keys[i] ≤ w >> 30` is the bracket holding `w` or, when `w` lies
    /// within 2³⁰ raw units below the next floor, the one after it (whose exact check then fails: the element is
    /// scanned).
    static func searchTable(
        long: [SideBracket],
        short: [SideBracket],
        tickFactor: UInt64
    ) -> (brackets: [SearchBracket], keys: [Int64])? {
        let width = searchWidth
        guard !long.isEmpty, long.count == short.count, long.count <= width else { return nil }
        // The kernel reads a side as its one-byte tag (0 long, 1 short: declaration order).
        guard unsafeBitCast(PositionSide.long, to: UInt8.self) == 0,
            unsafeBitCast(PositionSide.short, to: UInt8.self) == 1
        else { return nil }
        let bound: Int64 = 1 << 62
        var brackets: [SearchBracket] = []
        var keys: [Int64] = []
        brackets.reserveCapacity(2 * width)
        keys.reserveCapacity(2 * width)
        for (side, isLong) in [(long, true), (short, false)] {
            for (index, bracket) in side.enumerated() {
                // A long bracket with d ≤ 0 negates or never holds; a short one always negates (d < 0).
                guard bracket.negate != isLong, bracket.magnitude > 0 else { return nil }
                if index > 0 {
                    let previous = side[index - 1]
                    guard previous.high <= bracket.low, previous.low <= bracket.low else { return nil }
                }
                let (divisor, overflow) = bracket.magnitude.multipliedReportingOverflow(by: tickFactor)
                guard !overflow, divisor <= UInt64(Int64.max) else { return nil }
                brackets.append(
                    SearchBracket(low: bracket.low, high: bracket.high, offset: bracket.offset, divisor: divisor)
                )
                let key = bracket.low >> 30
                keys.append(index == 0 ? -bound : Int64(min(max(key, Int128(-bound + 1)), Int128(bound - 1))))
            }
            for _ in side.count..<width {
                brackets.append(SearchBracket(low: .max, high: .min, offset: 0, divisor: 1))
                keys.append(bound)
            }
        }
        return (brackets, keys)
    }

    /// Solves validated elements with the search table: per element two 64×64-bit products for `w`, a four-step
    /// branch-free binary search on 64-bit keys, an exact check of the guessed bracket, and the tick quotient
    /// `⌊top·factor / (|d|·T·q)⌋` by one 128-by-64-bit division (``divide(_:by:)``). An element whose guess fails
    /// the check is scanned (``rootAtLiquidation(isLong:entry:size:margin:brackets:)``); one whose divisor does not
    /// fit in 64 bits takes ``tickedQuotient(_:dMagnitude:q:)``. Same results as the scan, bit for bit (the property
    /// and sweep tests compare both with the scalar solver).
    func solveSearched(
        _ range: Range<Int>,
        sides: UnsafeBufferPointer<PositionSide>,
        entries: UnsafeBufferPointer<Price>,
        sizes: UnsafeBufferPointer<Quantity>,
        margins: UnsafeBufferPointer<Money>,
        into out: UnsafeMutableBufferPointer<Price>
    ) {
        let base = range.lowerBound
        let factor = numeratorFactor
        let tick = self.tick
        let bySize = !sizeCaps.isEmpty
        let width = Self.searchWidth
        guard let sides = sides.baseAddress, let entries = entries.baseAddress, let sizes = sizes.baseAddress,
            let margins = margins.baseAddress, let out = out.baseAddress
        else { return }
        searchBrackets.withUnsafeBufferPointer { table in
            searchKeys.withUnsafeBufferPointer { keys in
                guard let table = table.baseAddress, let keys = keys.baseAddress else { return }
                for index in range {
                    // The side as 0 (long) or 1 (short), without a branch: sides are random in a book, and a
                    // mispredicted branch costs more than the arithmetic below.
                    let short = Int(unsafeBitCast(sides[index], to: UInt8.self) & 1)
                    let size = sizes[index].raw
                    let entry = entries[index].raw
                    let margin = margins[index].raw
                    // w = u = q·E − margin·10⁸ for a long, −u = q·E + margin·10⁸ for a short. Validated:
                    // q·E ≤ Int64.max·10⁸ < 2⁹⁰ and |margin·10⁸| < 2⁹⁰, so nothing wraps.
                    let qe = Int128(
                        truncatingIfNeeded: UInt128(UInt64(bitPattern: size)) &* UInt128(UInt64(bitPattern: entry))
                    )
                    let scale = Int64(truncatingIfNeeded: short &* 200_000_000 &- 100_000_000)  // −10⁸ long, 10⁸ short
                    let w = qe &+ Int128(margin) &* Int128(scale)
                    var slot = short &* width
                    if bySize {
                        slot &+= sizeTier(size)
                    } else {
                        // Branch-free: keys and w >> 30 lie in [−2⁶², 2⁶²], so the differences cannot wrap.
                        let key = Int64(truncatingIfNeeded: w &>> 30)
                        slot &+= 8 & ~Int(truncatingIfNeeded: (key &- keys[slot &+ 8]) &>> 63)
                        slot &+= 4 & ~Int(truncatingIfNeeded: (key &- keys[slot &+ 4]) &>> 63)
                        slot &+= 2 & ~Int(truncatingIfNeeded: (key &- keys[slot &+ 2]) &>> 63)
                        slot &+= 1 & ~Int(truncatingIfNeeded: (key &- keys[slot &+ 1]) &>> 63)
                    }
                    let bracket = table[slot]
                    var raw: Int64
                    if bracket.low <= w && w < bracket.high {
                        // low ≥ offset (floors are not negative): top ≥ 0 (top = 0 gives the quotient 0: "none").
                        let top = UInt128(truncatingIfNeeded: w &- bracket.offset)
                        let q = UInt64(bitPattern: size)
                        let divisor = bracket.divisor.multipliedFullWidth(by: q)
                        // top < 2⁹⁴ and factor ≤ 10⁸ < 2²⁷: the numerator is below 2¹²¹. One 128-by-64 division
                        // while |d|·T·q fits in 64 bits (``divide(_:by:)``), else the exact general path.
                        let (ticks, exact) =
                            divisor.high == 0
                            ? Self.divide(top &* UInt128(factor), by: divisor.low)
                            : tickedQuotient(top, dMagnitude: magnitude(slot), q: q)
                        // Up for a long, down for a short (the trader's conservative side), without a branch;
                        // validated: the tick count fits.
                        let up = UInt128(UInt64(truncatingIfNeeded: (short ^ 1) & (exact ? 0 : 1)))
                        raw = Int64(truncatingIfNeeded: ticks &+ up) &* tick
                    } else {
                        raw = scannedRoot(isLong: short == 0, entry: entry, size: size, margin: margin)
                    }
                    out[index &- base] = Price(raw: raw)
                }
            }
        }
    }

    /// The scan of ``rootAtLiquidation(isLong:entry:size:margin:brackets:)`` over the element's brackets (the
    /// fast kernel's rare fallback).
    @inline(never)
    func scannedRoot(isLong: Bool, entry: Int64, size: Int64, margin: Int64) -> Int64 {
        let side = isLong ? longBrackets : shortBrackets
        return side.withUnsafeBufferPointer { brackets in
            rootAtLiquidation(
                isLong: isLong,
                entry: entry,
                size: size,
                margin: margin,
                brackets: UnsafeBufferPointer(rebasing: brackets[bracketRange(size: size, count: brackets.count)])
            )
        }
    }

    /// The size tier of `size` on a size-bounded table (see ``bracketRange(size:count:)``).
    @inline(__always)
    func sizeTier(_ size: Int64) -> Int {
        bracketRange(size: size, count: 0).lowerBound
    }

    /// `|d|` of the search table's bracket `slot` (the exact fallback's divisor factor).
    @inline(never)
    func magnitude(_ slot: Int) -> UInt128 {
        let width = Self.searchWidth
        return UInt128(slot < width ? longBrackets[slot].magnitude : shortBrackets[slot - width].magnitude)
    }
}
