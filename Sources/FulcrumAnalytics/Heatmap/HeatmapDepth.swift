public import FulcrumCore
public import FulcrumLab

/// The liquidity that has to absorb a heatmap's forced flow, as cumulative notional from the reference price.
public enum HeatmapDepth: Sendable, Hashable {
    /// The same notional for every bucket of price move (a flat book: `--depth` per bucket).
    case perBucket(Money)
    /// The cascade lab's order book around the reference (its curves at depth multiplier 1, already scaled by the
    /// scenario's `depthScale`): the depth to a level is the book walk, the notional resting between the reference and
    /// that level — bids below for the longs' forced sells, asks above for the shorts' forced buys — each level valued
    /// at its own price `reference · (1 ∓ offset)`.
    case book(bids: BookLevels, asks: BookLevels)
}

extension HeatmapDepth {
    /// A walk outward from `reference` on one side that returns the cumulative depth up to successive far edges.
    struct Walk {
        let depth: HeatmapDepth
        let reference: Price
        let below: Bool
        var next = 0
        var total = MoneySum()
        var buckets = 0

        init(depth: HeatmapDepth, reference: Price, below: Bool) {
            self.depth = depth
            self.reference = reference
            self.below = below
        }

        /// The cumulative depth from the reference through the next bucket, whose far edge is `edge`.
        ///
        /// Book levels are priced like the lab's book (bids rounded down, asks up) and valued rounded **down**: less
        /// depth, so an exhaustion point is never reported later than the book supports (favours caution).
        mutating func through(edge: Price) throws(ArithmeticError) -> MoneySum {
            buckets += 1
            switch depth {
            case .perBucket(let perBucket):
                total += perBucket
            case .book(let bids, let asks):
                let levels = below ? bids : asks
                while next < levels.offsets.count {
                    let offset = Rate(raw: levels.offsets[next])
                    let move = try reference.times(offset, rounding: .up)  // the level no nearer than the lab places it
                    let price = below ? try reference.subtracting(move) : try reference.adding(move)
                    guard below ? price >= edge : price <= edge else { break }
                    if price.isPositive {
                        total += try Quantity(raw: levels.sizes[next]).notional(at: price, rounding: .down)
                    }
                    next += 1
                }
            }
            return total
        }
    }
}
