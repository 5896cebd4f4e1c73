public import FulcrumCore

/// A two-sided L2 order book around a moving mid, with depletion, resilience and stress withdrawal.
///
/// The book's shape is two ``BookLevels`` curves relative to the mid. Market orders consume depth: a sell of `q`
/// walks the bids from the already-consumed depth `bidDepletion` to `bidDepletion + q`, filling each level at its
/// price `mid · (1 − offset)`. The consumed depth is the book's memory: the next sell starts deeper (price impact
/// persists), and ``refill(fraction:)`` restores it (resilience). A buy first re-fills consumed bid depth
/// (it trades against the sellers' displacement), then walks the asks symmetrically.
///
/// Stress withdrawal: ``setDepthMultiplier(_:)`` scales every level (market makers pull quotes when volatility
/// rises); consumed depth is kept in base units, so a thinner book shows a deeper displacement for the same flow.
///
/// Rounding: bid prices round down and ask prices up; sell proceeds round down and buy costs up — the taker
/// (a liquidated account) always gets the worse side of a sub-unit, which never understates bad debt.
public struct OrderBook: Sendable, Hashable {
    /// The bid curve at multiplier 1.
    public private(set) var bids: BookLevels
    /// The ask curve at multiplier 1.
    public private(set) var asks: BookLevels
    /// The current depth multiplier (depth scale × withdrawal), applied to every level.
    public private(set) var depthMultiplier: Double = 1
    /// Base quantity consumed from the bids and not yet refilled (raw 10⁻⁸).
    public private(set) var bidDepletion: Int64 = 0
    /// Base quantity consumed from the asks and not yet refilled (raw 10⁻⁸).
    public private(set) var askDepletion: Int64 = 0
    /// Effective bid sizes at the current multiplier, levels `0..<bidCached` (the rest is stale).
    private var bidSizes: [Int64]
    /// Effective ask sizes at the current multiplier, levels `0..<askCached`.
    private var askSizes: [Int64]
    /// Cumulative effective bid depth before each level (`bidStart[i] = Σ_{j<i} size_j`), entries `0...bidCached`.
    private var bidStart: [Int64]
    /// Cumulative effective ask depth before each level, entries `0...askCached`.
    private var askStart: [Int64]
    /// How many bid levels of `bidSizes`/`bidStart` are scaled to the current multiplier: a rescale only resets it,
    /// and levels are scaled when a trade first reaches them (a quiet step reads the touch only, not 1,000 levels).
    private var bidCached: Int
    /// How many ask levels are scaled to the current multiplier.
    private var askCached: Int
    /// The largest level of each curve at multiplier 1: a multiplier that does not overflow it overflows no level
    /// (scaling is monotone in the size), so the per-step check is O(1).
    private let largestBidLevel: Int64
    private let largestAskLevel: Int64

    /// Creates a book from its two curves.
    public init(bids: BookLevels, asks: BookLevels) {
        self.bids = bids
        self.asks = asks
        bidSizes = bids.sizes
        askSizes = asks.sizes
        bidStart = Self.cumulative(bids.sizes)
        askStart = Self.cumulative(asks.sizes)
        bidCached = bids.sizes.count
        askCached = asks.sizes.count
        largestBidLevel = bids.sizes.max() ?? 0
        largestAskLevel = asks.sizes.max() ?? 0
    }

    /// Equal books: the same curves, multiplier and consumed depth (the scaled levels follow from them).
    public static func == (a: OrderBook, b: OrderBook) -> Bool {
        a.bids == b.bids && a.asks == b.asks && a.depthMultiplier == b.depthMultiplier
            && a.bidDepletion == b.bidDepletion && a.askDepletion == b.askDepletion
    }

    /// Hashes what ``==`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(bids)
        hasher.combine(asks)
        hasher.combine(depthMultiplier)
        hasher.combine(bidDepletion)
        hasher.combine(askDepletion)
    }

    private static func cumulative(_ sizes: [Int64]) -> [Int64] {
        var starts = [Int64](repeating: 0, count: sizes.count + 1)
        for i in sizes.indices { starts[i + 1] = adding(starts[i], sizes[i]) }
        return starts
    }

    /// `total + size`, saturating: a book deeper than 9·10¹⁰ base is unbounded.
    @inline(__always)
    private static func adding(_ total: Int64, _ size: Int64) -> Int64 {
        let (sum, overflow) = total.addingReportingOverflow(size)
        return overflow ? Int64.max : sum
    }

    /// Sets the depth multiplier (e.g. `depthScale × withdrawal(σ)`); sizes round down, at least one raw unit.
    ///
    /// O(1): the levels are scaled when first read (``BookLevels/scaledSize(_:by:)``, the same sizes a full rescale
    /// gives).
    ///
    /// - Throws: ``LabError`` when the multiplier is not positive and finite.
    public mutating func setDepthMultiplier(_ multiplier: Double) throws(LabError) {
        guard multiplier > 0, multiplier.isFinite else {
            throw LabError("depth multiplier \(multiplier) must be positive")
        }
        if multiplier == depthMultiplier { return }
        // Checked before anything changes, so a failure leaves the book as it was. The full scans (which name the
        // first level that overflows) run only when the largest level would.
        if (Double(largestBidLevel) * multiplier).rounded(.down) >= BookLevels.scaleLimit {
            try bids.checkScale(by: multiplier)
        }
        if (Double(largestAskLevel) * multiplier).rounded(.down) >= BookLevels.scaleLimit {
            try asks.checkScale(by: multiplier)
        }
        depthMultiplier = multiplier
        bidCached = 0
        askCached = 0
    }

    /// Scales bid levels into the cache until it reaches past cumulative depth `depth` (or holds every level).
    mutating func cacheBids(through depth: Int64) {
        Self.cache(
            bids.sizes,
            by: depthMultiplier,
            through: depth,
            sizes: &bidSizes,
            starts: &bidStart,
            count: &bidCached
        )
    }

    /// Scales ask levels into the cache until it reaches past cumulative depth `depth`.
    mutating func cacheAsks(through depth: Int64) {
        Self.cache(
            asks.sizes,
            by: depthMultiplier,
            through: depth,
            sizes: &askSizes,
            starts: &askStart,
            count: &askCached
        )
    }

    /// Extends the cached levels `0..<count` of `curve` scaled by `factor` until `starts[count] > depth` or every
    /// level is cached. O(levels added).
    private static func cache(
        _ curve: [Int64],
        by factor: Double,
        through depth: Int64,
        sizes: inout [Int64],
        starts: inout [Int64],
        count: inout Int
    ) {
        while count < curve.count && starts[count] <= depth {
            let size = BookLevels.scaledSize(curve[count], by: factor)
            sizes[count] = size
            starts[count + 1] = adding(starts[count], size)
            count += 1
        }
    }

    /// One side's levels at the current multiplier: the cached prefix, and the curve scaled on the fly past it.
    private struct Side {
        let curve: [Int64]
        let factor: Double
        let sizes: [Int64]
        let starts: [Int64]
        let cached: Int

        /// The size of level `i` at the current multiplier.
        @inline(__always)
        func size(_ i: Int) -> Int64 { i < cached ? sizes[i] : BookLevels.scaledSize(curve[i], by: factor) }

        /// The level holding cumulative depth `depth` (the first level with `start[i+1] > depth`; the level count
        /// when the book is shallower) and the depth before it: a binary search in the cached prefix, a scan past it.
        func level(at depth: Int64) -> (index: Int, start: Int64) {
            if starts[cached] > depth {
                var low = 0
                var high = cached
                while low < high {
                    let mid = (low + high) / 2
                    if starts[mid + 1] > depth { high = mid } else { low = mid + 1 }
                }
                return (low, starts[low])
            }
            var total = starts[cached]
            var index = cached
            while index < curve.count {
                let end = OrderBook.adding(total, size(index))
                if end > depth { break }
                total = end
                index += 1
            }
            return (index, total)
        }

        /// Total depth of the side.
        var depth: Int64 {
            var total = starts[cached]
            for index in cached..<curve.count { total = OrderBook.adding(total, size(index)) }
            return total
        }
    }

    private var bidSide: Side {
        Side(curve: bids.sizes, factor: depthMultiplier, sizes: bidSizes, starts: bidStart, cached: bidCached)
    }

    private var askSide: Side {
        Side(curve: asks.sizes, factor: depthMultiplier, sizes: askSizes, starts: askStart, cached: askCached)
    }

    /// Total bid depth at the current multiplier.
    public var bidDepth: Quantity { Quantity(raw: bidSide.depth) }
    /// Total ask depth at the current multiplier.
    public var askDepth: Quantity { Quantity(raw: askSide.depth) }

    /// The displacement of the touch from the mid: the offset of the level the next sell (bids) or buy (asks)
    /// would hit first, minus that of the untouched best level. Zero for an undepleted book.
    public var displacement: (bid: Rate, ask: Rate) {
        let bi = Swift.min(bidSide.level(at: bidDepletion).index, bids.offsets.count - 1)
        let ai = Swift.min(askSide.level(at: askDepletion).index, asks.offsets.count - 1)
        return (Rate(raw: bids.offsets[bi] - bids.offsets[0]), Rate(raw: asks.offsets[ai] - asks.offsets[0]))
    }

    /// Walks `quantity` through one side starting at `depletion`.
    private static func walk(
        quantity: Int64,
        from depletion: Int64,
        offsets: [Int64],
        side: Side,
        mid: Price,
        isBid: Bool
    ) throws(LabError) -> BookFill {
        var remaining = quantity
        var position = depletion
        var (index, start) = side.level(at: position)
        var notional: Int128 = 0
        var worst = mid
        var touched = 0
        while remaining > 0 && index < offsets.count {
            let end = adding(start, side.size(index))
            let available = end - position
            let take = Swift.min(available, remaining)
            // Level price: bids mid·(1 − off) rounded down, asks mid·(1 + off) rounded up (the taker's worse side).
            let factor = isBid ? FixedPointScale.factor - offsets[index] : FixedPointScale.factor + offsets[index]
            let price: Int128
            let value: Int128
            do {
                price = try FixedMath.scaledProduct(mid.raw, factor, rounding: isBid ? .down : .up)
                // Proceeds of a sell round down, cost of a buy rounds up: the taker's worse side.
                if let narrow = Int64(exactly: price) {
                    value = try FixedMath.scaledProduct(take, narrow, rounding: isBid ? .down : .up)
                } else {
                    value = try FixedMath.multiplyDivide(
                        Int128(take),
                        price,
                        FixedPointScale.wideFactor,
                        rounding: isBid ? .down : .up
                    )
                }
            } catch {
                throw LabError(field: "book walk level \(index)", error)
            }
            notional += value
            worst = Price(raw: Int64(price))
            touched += 1
            remaining -= take
            position += take
            start = end
            index += 1
        }
        guard let narrowed = Int64(exactly: notional) else {
            throw LabError("book walk notional \(notional) overflows money")
        }
        return BookFill(
            quantity: Quantity(raw: quantity - remaining),
            notional: Money(raw: narrowed),
            worstPrice: worst,
            levelsTouched: touched
        )
    }

    /// Quotes a market sell of `quantity` at `mid` without changing the book.
    ///
    /// - Throws: ``LabError`` when the quantity is negative or a price overflows.
    public func quoteSell(_ quantity: Quantity, mid: Price) throws(LabError) -> BookFill {
        guard !quantity.isNegative else { throw LabError("sell quantity \(quantity) must not be negative") }
        // A sell first absorbs the buyers' displacement of the asks (those buyers provide liquidity back down).
        let fromAsks = Swift.min(quantity.raw, askDepletion)
        var fill = try Self.walk(
            quantity: quantity.raw - fromAsks,
            from: bidDepletion,
            offsets: bids.offsets,
            side: bidSide,
            mid: mid,
            isBid: true
        )
        if fromAsks > 0 {
            // Undoing ask depletion trades at the mid (the netting of opposite flow), rounded down for the seller.
            let value: Money
            do {
                value = try Quantity(raw: fromAsks).notional(at: mid, rounding: .down)
            } catch {
                throw LabError(field: "book netting", error)
            }
            fill.quantity += Quantity(raw: fromAsks)
            fill.notional += value
            if fill.levelsTouched == 0 { fill.worstPrice = mid }
        }
        return fill
    }

    /// Executes a market sell of `quantity` at `mid`: quotes it, then consumes the depth.
    ///
    /// - Throws: ``LabError`` as ``quoteSell(_:mid:)``; the book is unchanged on error.
    public mutating func sell(_ quantity: Quantity, mid: Price) throws(LabError) -> BookFill {
        if quantity.raw > 0 { cacheBids(through: Self.adding(bidDepletion, quantity.raw)) }  // scaled once, kept
        let fill = try quoteSell(quantity, mid: mid)
        let fromAsks = Swift.min(fill.quantity.raw, askDepletion)
        askDepletion -= fromAsks
        bidDepletion += fill.quantity.raw - fromAsks
        return fill
    }

    /// Quotes a market buy of `quantity` at `mid` without changing the book (mirror of ``quoteSell(_:mid:)``).
    public func quoteBuy(_ quantity: Quantity, mid: Price) throws(LabError) -> BookFill {
        guard !quantity.isNegative else { throw LabError("buy quantity \(quantity) must not be negative") }
        let fromBids = Swift.min(quantity.raw, bidDepletion)
        var fill = try Self.walk(
            quantity: quantity.raw - fromBids,
            from: askDepletion,
            offsets: asks.offsets,
            side: askSide,
            mid: mid,
            isBid: false
        )
        if fromBids > 0 {
            let value: Money
            do {
                value = try Quantity(raw: fromBids).notional(at: mid, rounding: .up)  // buyer pays the sub-unit
            } catch {
                throw LabError(field: "book netting", error)
            }
            fill.quantity += Quantity(raw: fromBids)
            fill.notional += value
            if fill.levelsTouched == 0 { fill.worstPrice = mid }
        }
        return fill
    }

    /// Executes a market buy of `quantity` at `mid`.
    public mutating func buy(_ quantity: Quantity, mid: Price) throws(LabError) -> BookFill {
        if quantity.raw > 0 { cacheAsks(through: Self.adding(askDepletion, quantity.raw)) }
        let fill = try quoteBuy(quantity, mid: mid)
        let fromBids = Swift.min(fill.quantity.raw, bidDepletion)
        bidDepletion -= fromBids
        askDepletion += fill.quantity.raw - fromBids
        return fill
    }

    /// Resilience: restores `fraction` of the consumed depth on both sides (consumed depth shrinks by
    /// `⌊depletion · fraction⌋`; rounding down keeps the book no deeper than the model says).
    public mutating func refill(fraction: Double) {
        guard fraction > 0 else { return }
        let f = Swift.min(1, fraction)
        bidDepletion -= Int64((Double(bidDepletion) * f).rounded(.down))
        askDepletion -= Int64((Double(askDepletion) * f).rounded(.down))
    }
}
