import FulcrumCore
import PropertyBased
import Testing

@testable import FulcrumLab

@Suite("Order book walk, resilience, AMM")
struct BookTests {
    /// Bids 1 @ −0.1 %, 2 @ −0.2 %, 3 @ −0.5 % around a 100,000 mid: 99,900 / 99,800 / 99,500.
    func smallBook() throws -> OrderBook {
        let bids = try BookLevels(
            offsets: [100_000, 200_000, 500_000],
            sizes: [100_000_000, 200_000_000, 300_000_000]
        )
        return OrderBook(bids: bids, asks: bids)
    }

    let mid = Price(raw: 100_000 * 100_000_000)

    @Test func walkFillsLevelByLevel() throws {
        var book = try smallBook()
        // Sell 2.5: 1 @ 99,900 + 1.5 @ 99,800 = 99,900 + 149,700 = 249,600 (hand-computed).
        let first = try book.sell(Quantity(raw: 250_000_000), mid: mid)
        #expect(first.quantity == Quantity(raw: 250_000_000))
        #expect(first.notional == Money(raw: 249_600 * 100_000_000))
        #expect(first.worstPrice == Price(raw: 99_800 * 100_000_000))
        #expect(first.levelsTouched == 2)
        // The next sell starts where the first stopped: 0.5 @ 99,800 + 1.5 @ 99,500 = 49,900 + 149,250 = 199,150.
        let second = try book.sell(Quantity(raw: 200_000_000), mid: mid)
        #expect(second.notional == Money(raw: 199_150 * 100_000_000))
        #expect(second.worstPrice == Price(raw: 99_500 * 100_000_000))
        // 1.5 left on the book; selling 2 fills only 1.5 (book exhausted).
        let third = try book.sell(Quantity(raw: 200_000_000), mid: mid)
        #expect(third.quantity == Quantity(raw: 150_000_000))
        #expect(third.notional == Money(raw: 149_250 * 100_000_000))
    }

    @Test func resilienceRefillsConsumedDepth() throws {
        var book = try smallBook()
        _ = try book.sell(Quantity(raw: 400_000_000), mid: mid)
        #expect(book.bidDepletion == 400_000_000)
        book.refill(fraction: 0.5)
        #expect(book.bidDepletion == 200_000_000)
        // After the refill the touch is the second level again: 1 @ 99,800.
        let fill = try book.quoteSell(Quantity(raw: 100_000_000), mid: mid)
        #expect(fill.notional == Money(raw: 99_800 * 100_000_000))
    }

    @Test func withdrawalThinsTheBook() throws {
        var book = try smallBook()
        try book.setDepthMultiplier(0.5)
        #expect(book.bidDepth == Quantity(raw: 300_000_000))
        // 1 BTC now needs levels 1 (0.5) and 2 (0.5): 0.5 @ 99,900 + 0.5 @ 99,800 = 99,850.
        let fill = try book.quoteSell(Quantity(raw: 100_000_000), mid: mid)
        #expect(fill.notional == Money(raw: 99_850 * 100_000_000))
    }

    /// Rescaling in place step after step gives the book a fresh one built from the scaled curves would have; a
    /// multiplier that overflows a level is refused and leaves the book as it was.
    @Test func depthMultiplierRescalesInPlaceLikeAFreshBook() throws {
        let curve = try BookLevels(
            offsets: [100_000, 200_000, 500_000, 900_000],
            sizes: [100_000_000, 250_000_003, 300_000_000, 7]
        )
        var book = OrderBook(bids: curve, asks: curve)
        for multiplier in [0.5, 2.0, 0.3, 1e-9, 1.7] {
            try book.setDepthMultiplier(multiplier)
            let fresh = OrderBook(bids: try curve.scaled(by: multiplier), asks: try curve.scaled(by: multiplier))
            #expect(book.bidDepth == fresh.bidDepth && book.askDepth == fresh.askDepth)
            for raw in [1, 50_000_000, 120_000_000, 400_000_000] as [Int64] {
                let quantity = Quantity(raw: raw)
                #expect(try book.quoteSell(quantity, mid: mid) == fresh.quoteSell(quantity, mid: mid))
                #expect(try book.quoteBuy(quantity, mid: mid) == fresh.quoteBuy(quantity, mid: mid))
            }
        }
        let before = book
        #expect(throws: LabError.self) { try book.setDepthMultiplier(1e11) }
        #expect(book == before)
    }

    /// Levels are scaled lazily (a rescale resets the cache; trades extend it; reads scale past it on the fly):
    /// along random sequences of rescales, sells, buys and refills, the book answers every read (displacement,
    /// depth, quotes of several sizes) and every trade exactly as the same book with every level scaled does.
    @Test func lazilyScaledLevelsEqualFullyScaledOnes() async throws {
        let curve = try BookLevels.parametric(
            levels: 60,
            spacing: Rate(raw: 50_000),
            firstSize: Quantity(raw: 30_000_000),
            slope: 0.04
        )
        await propertyCheck(
            input: Gen.int64(in: 0...Int64.max),
            Gen.int(in: 1...40)
        ) { seed, count in
            var random = LabRandom(seed: UInt64(bitPattern: seed), stream: 3)
            var lazy = OrderBook(bids: curve, asks: curve)
            for _ in 0..<count {
                var full = lazy
                full.cacheBids(through: Int64.max)
                full.cacheAsks(through: Int64.max)
                #expect(lazy.displacement == full.displacement)
                #expect(lazy.bidDepth == full.bidDepth && lazy.askDepth == full.askDepth)
                for raw in [1, 20_000_000, 700_000_000, 9_000_000_000] as [Int64] {
                    let quantity = Quantity(raw: raw)
                    #expect(try lazy.quoteSell(quantity, mid: mid) == full.quoteSell(quantity, mid: mid))
                    #expect(try lazy.quoteBuy(quantity, mid: mid) == full.quoteBuy(quantity, mid: mid))
                }
                let quantity = Quantity(raw: Int64(random.nextIndex(below: 1_500_000_000)))
                switch random.nextIndex(below: 5) {
                case 4:
                    // Leave the bid depletion exactly on a level boundary of the next multiplier's levels, then switch
                    // to it: the next reads start at a boundary, past the (reset) cache.
                    let multiplier = 0.05 + 3 * random.nextUnit()
                    let levels = 1 + random.nextIndex(below: 30)
                    let boundary = curve.sizes.prefix(levels).reduce(Int64(0)) {
                        $0 + BookLevels.scaledSize($1, by: multiplier)
                    }
                    let rest = boundary - lazy.bidDepletion
                    if lazy.askDepletion == 0 && rest > 0 {
                        #expect(
                            try lazy.sell(Quantity(raw: rest), mid: mid) == full.sell(Quantity(raw: rest), mid: mid)
                        )
                    }
                    try lazy.setDepthMultiplier(multiplier)
                    try full.setDepthMultiplier(multiplier)
                case 0:
                    let multiplier = 0.05 + 3 * random.nextUnit()
                    try lazy.setDepthMultiplier(multiplier)
                    try full.setDepthMultiplier(multiplier)
                case 1: #expect(try lazy.sell(quantity, mid: mid) == full.sell(quantity, mid: mid))
                case 2: #expect(try lazy.buy(quantity, mid: mid) == full.buy(quantity, mid: mid))
                default:
                    let fraction = random.nextUnit()
                    lazy.refill(fraction: fraction)
                    full.refill(fraction: fraction)
                }
                #expect(lazy == full)
            }
        }
    }

    @Test func aBuyFirstUndoesSellDisplacement() throws {
        var book = try smallBook()
        _ = try book.sell(Quantity(raw: 150_000_000), mid: mid)
        let buy = try book.buy(Quantity(raw: 100_000_000), mid: mid)
        #expect(buy.notional == Money(raw: 100_000 * 100_000_000))  // netting at the mid
        #expect(book.bidDepletion == 50_000_000)
        #expect(book.askDepletion == 0)
    }

    @Test func sellingMoreNeverRaisesTheAveragePrice() async throws {
        let levels = try BookLevels.parametric(
            levels: 200,
            spacing: Rate(raw: 50_000),
            firstSize: Quantity(raw: 50_000_000),
            slope: 0.05
        )
        let book = OrderBook(bids: levels, asks: levels)
        await propertyCheck(input: Gen.int64(in: 1...5_000_000_000), Gen.int64(in: 1...5_000_000_000)) { a, b in
            let small = try book.quoteSell(Quantity(raw: min(a, b)), mid: mid)
            let large = try book.quoteSell(Quantity(raw: max(a, b)), mid: mid)
            // avg(small) ≥ avg(large) ⇔ notional_s · q_l ≥ notional_l · q_s (cross-multiplied, exact).
            #expect(small.notional.wide * large.quantity.wide >= large.notional.wide * small.quantity.wide)
            #expect(large.worstPrice <= small.worstPrice)
            // Every fill lies between the worst and the best level price.
            let best = try large.quantity.notional(at: Price(raw: mid.raw - mid.raw / 4_000), rounding: .up)
            #expect(large.notional <= best)
        }
    }

    @Test func snapshotOffsetsAreRelativeToTheMid() throws {
        let levels = try BookLevels.snapshot(
            prices: [Price(raw: 99_990 * 100_000_000), Price(raw: 99_900 * 100_000_000)],
            sizes: [Quantity(raw: 100_000_000), Quantity(raw: 200_000_000)],
            mid: Price(raw: 100_000 * 100_000_000),
            isBid: true
        )
        #expect(levels.offsets == [10_000, 100_000])  // 0.01 % and 0.1 % of the mid
        #expect(throws: LabError.self) {
            try BookLevels.snapshot(prices: [Price(raw: 100_001 * 100_000_000)], sizes: [.one], mid: mid, isBid: true)
        }
    }

    @Test func constantProductInvariantNeverDecreases() async throws {
        await propertyCheck(input: Gen.int64(in: 1...1_000_000_000_000), Gen.int64(in: 1...1_000_000_000)) {
            sell,
            buy in
            var pool = try ConstantProductPool(
                baseReserve: Quantity(raw: 100_000_000_000),
                quoteReserve: Money(raw: 10_000_000 * 100_000_000)
            )
            let k0 = pool.invariant
            let out = try pool.sellBase(Quantity(raw: sell))
            #expect(pool.invariant >= k0)
            #expect(out.isPositive || sell < 1_000)
            let k1 = pool.invariant
            if buy < pool.baseReserve.raw {
                let paid = try pool.buyBase(Quantity(raw: buy))
                #expect(pool.invariant >= k1)
                #expect(!paid.isNegative)
            }
        }
    }

    @Test func constantProductMatchesRiskDAOSlippage() throws {
        // Risk DAO stability_report.py get_slippage_for_volume: selling v into x moves the price by x² / (x + v)².
        // x = 1,000 base at price 100 (quote 100,000); selling 1,000 → price factor 1/4 → price 25.
        var pool = try ConstantProductPool(
            baseReserve: Quantity(raw: 100_000_000_000),
            quoteReserve: Money(raw: 10_000_000_000_000)
        )
        let out = try pool.sellBase(Quantity(raw: 100_000_000_000))
        #expect(out == Money(raw: 5_000_000_000_000))  // 100,000 − 100,000,000 / 2,000 = 50,000
        #expect(pool.price == Price(raw: 2_500_000_000))
    }

    @Test func virtualAMMPricesLikeAPeggedCurve() throws {
        var amm = try VirtualAMM(depth: Quantity(raw: 100_000_000_000), price: Price(raw: 10_000_000_000))
        #expect(amm.price == Price(raw: 10_000_000_000))
        // Selling 1,000 into virtual reserves 1,000/1,000 at peg 100: quote out = 100 · (1,000 − 500) = 50,000.
        let out = try amm.sellBase(Quantity(raw: 100_000_000_000))
        #expect(out == Money(raw: 5_000_000_000_000))
        #expect(amm.price == Price(raw: 2_500_000_000))
        try amm.repeg(to: Price(raw: 10_000_000_000))
        #expect(amm.price == Price(raw: 10_000_000_000))
    }
}
