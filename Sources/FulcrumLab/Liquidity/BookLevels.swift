public import FulcrumCore

/// One side of an L2 order book as a depth curve relative to the mid price: level `i` rests at
/// `mid · (1 ∓ offsets[i])` with `sizes[i]` of base.
///
/// Offsets are ``Rate`` raw values (fraction of the mid, 10⁻⁸ units), strictly increasing from the best level;
/// sizes are ``Quantity`` raw values (> 0). Storing the curve relative to the mid lets the book follow the
/// exogenous price while keeping its shape, and lets a snapshot taken at one price level be replayed at another.
public struct BookLevels: Sendable, Hashable {
    /// Distance of each level from the mid as a fraction (raw 10⁻⁸), increasing.
    public private(set) var offsets: [Int64]
    /// Base quantity resting at each level (raw 10⁻⁸), positive.
    public private(set) var sizes: [Int64]

    /// Validates and stores a curve.
    ///
    /// - Throws: ``LabError`` naming the level when offsets are negative or not increasing, a size is not positive,
    ///   or the arrays differ in length.
    public init(offsets: [Int64], sizes: [Int64]) throws(LabError) {
        guard offsets.count == sizes.count else {
            throw LabError("book offsets (\(offsets.count)) and sizes (\(sizes.count)) differ in length")
        }
        guard !offsets.isEmpty else { throw LabError("book side has no levels") }
        for i in offsets.indices {
            guard offsets[i] >= 0, offsets[i] < FixedPointScale.factor else {
                throw LabError("book level \(i) offset \(Rate(raw: offsets[i])) must be in [0, 1)")
            }
            guard sizes[i] > 0 else {
                throw LabError("book level \(i) size \(Quantity(raw: sizes[i])) must be positive")
            }
            if i > 0 && offsets[i] <= offsets[i - 1] {
                throw LabError("book level \(i) offset \(Rate(raw: offsets[i])) does not increase")
            }
        }
        self.offsets = offsets
        self.sizes = sizes
    }

    /// A parametric depth curve: `levels` levels spaced `spacing` apart starting at `spacing / 2`, the first holding
    /// `firstSize` and each further level `slope` times `firstSize` more (`size_i = firstSize · (1 + slope · i)`,
    /// rounded down: less depth is the conservative side).
    ///
    /// With `slope > 0` the cumulative depth grows quadratically with distance, so the impact of a market order of
    /// size `Q` grows like `√Q` for large orders (the empirical square-root law, `reference/cascades.md` §1.5).
    ///
    /// - Throws: ``LabError`` naming the parameter when it is out of range.
    public static func parametric(
        levels: Int,
        spacing: Rate,
        firstSize: Quantity,
        slope: Double
    ) throws(LabError)
        -> BookLevels
    {
        guard levels > 0, levels <= 1_000_000 else { throw LabError("book levels \(levels) must be in 1...1000000") }
        guard spacing.isPositive else { throw LabError("book spacing \(spacing) must be positive") }
        guard firstSize.isPositive else { throw LabError("book firstSize \(firstSize) must be positive") }
        guard slope >= 0, slope.isFinite else { throw LabError("book slope \(slope) must be ≥ 0") }
        var offsets = [Int64]()
        var sizes = [Int64]()
        offsets.reserveCapacity(levels)
        sizes.reserveCapacity(levels)
        let half = spacing.raw / 2
        for i in 0..<levels {
            let (step, overflow) = spacing.raw.multipliedReportingOverflow(by: Int64(i))
            guard !overflow, half + step < FixedPointScale.factor else { break }  // the curve stops before 100 %
            offsets.append(half + step)
            let size = (Double(firstSize.raw) * (1 + slope * Double(i))).rounded(.down)
            guard size < 9.0e18 else { throw LabError("book level \(i) size overflows") }
            sizes.append(Swift.max(1, Int64(size)))
        }
        return try BookLevels(offsets: offsets, sizes: sizes)
    }

    /// A curve from absolute snapshot levels (best first) relative to `mid`.
    ///
    /// Bid offsets are `(mid − price) / mid`, ask offsets `(price − mid) / mid`, both rounded **up** (a level is
    /// placed no closer to the mid than it was: the conservative side for a seller).
    ///
    /// - Throws: ``LabError`` naming the level when a price is on the wrong side of the mid or offsets repeat.
    public static func snapshot(
        prices: [Price],
        sizes: [Quantity],
        mid: Price,
        isBid: Bool
    ) throws(LabError)
        -> BookLevels
    {
        guard mid.isPositive else { throw LabError("snapshot mid \(mid) must be positive") }
        var offsets = [Int64]()
        var raws = [Int64]()
        for (i, price) in prices.enumerated() {
            let distance = isBid ? mid - price : price - mid
            guard !distance.isNegative else {
                throw LabError("snapshot \(isBid ? "bid" : "ask") level \(i) price \(price) is across the mid \(mid)")
            }
            let offset: Rate
            do {
                offset = try distance.ratio(to: mid, rounding: .up)
            } catch {
                throw LabError(field: "snapshot level \(i)", error)
            }
            guard sizes[i].isPositive else { continue }  // empty levels carry no depth
            if let last = offsets.last, offset.raw <= last {
                // Two levels closer than 10⁻⁸ of the mid: merge them.
                raws[raws.count - 1] += sizes[i].raw
                continue
            }
            offsets.append(offset.raw)
            raws.append(sizes[i].raw)
        }
        return try BookLevels(offsets: offsets, sizes: raws)
    }

    /// This curve followed by `tail`'s levels that lie beyond its last offset (a snapshot covers only a thin band
    /// around the mid; a crash walks far beyond it).
    public func extended(with tail: BookLevels) -> BookLevels {
        guard let last = offsets.last else { return tail }
        var copy = self
        for i in tail.offsets.indices where tail.offsets[i] > last {
            copy.offsets.append(tail.offsets[i])
            copy.sizes.append(tail.sizes[i])
        }
        return copy
    }

    /// Every size multiplied by `factor`, rounded down (less depth: conservative), at least 1 raw unit.
    public func scaled(by factor: Double) throws(LabError) -> BookLevels {
        try checkScale(by: factor)
        var copy = self
        for i in copy.sizes.indices { copy.sizes[i] = Self.scaledSize(sizes[i], by: factor) }
        return copy
    }

    /// Throws the error ``scaled(by:)`` would throw for `factor`, if any: a factor that is not positive and finite,
    /// or one that overflows a level.
    ///
    /// - Complexity: O(levels).
    public func checkScale(by factor: Double) throws(LabError) {
        guard factor > 0, factor.isFinite else { throw LabError("depth scale \(factor) must be positive") }
        for i in sizes.indices where (Double(sizes[i]) * factor).rounded(.down) >= Self.scaleLimit {
            throw LabError("depth scale \(factor) overflows level \(i)")
        }
    }

    /// The scaled size (as a binary64, rounded down) from which a level overflows: below `Int64.max`, with room.
    static let scaleLimit = 9.0e18

    /// One level's size scaled by `factor` (checked by ``checkScale(by:)``), rounded down (less depth:
    /// conservative), at least 1 raw unit.
    @inline(__always)
    static func scaledSize(_ size: Int64, by factor: Double) -> Int64 {
        Swift.max(1, Int64((Double(size) * factor).rounded(.down)))
    }

    /// Total base quantity on the side.
    public var totalSize: Quantity {
        var sum: Int64 = 0
        for s in sizes { sum = sum.addingReportingOverflow(s).overflow ? Int64.max : sum + s }
        return Quantity(raw: sum)
    }
}
