import FulcrumCore
import PropertyBased
import Testing

@testable import FulcrumLab

@Suite("Population generator and liquidation prices")
struct PopulationTests {
    @Test func populationRespectsItsInputs() throws {
        var scenario = try Scenario.builtIn()
        scenario.population = PopulationConfig(
            count: 20_000,
            longFraction: 0.8,
            isolatedFraction: 0.3,
            crossWalletMultiple: 2,
            leverage: .uniform(low: 2, high: 50),
            minimumNotional: 500,
            paretoAlpha: 1.5,
            maximumNotional: 1_000_000,
            entryWindowSteps: 600,
            deleveragerFraction: 0.25
        )
        let book = try MonteCarloRunner.population(scenario: scenario, seed: 5, threads: 2)
        #expect(book.count == 20_000)
        let n = Double(book.count)
        let longs = Double((0..<book.count).filter { book.side($0) == .long }.count)
        let isolated = Double((0..<book.count).filter { !book.isCross($0) }.count)
        let delev = Double(book.flags.filter { $0 & AccountBook.flagDeleverager != 0 }.count)
        // Binomial proportions within 5 standard errors (√(p(1−p)/n) ≤ 0.0036).
        #expect(abs(longs / n - 0.8) < 0.015)
        #expect(abs(isolated / n - 0.3) < 0.017)
        #expect(abs(delev / n - 0.25) < 0.016)
        let start = scenario.startPrice
        for i in 0..<book.count {
            let size = Quantity(raw: book.sizes[i])
            let entry = Price(raw: book.entries[i])
            #expect(book.sizes[i] % scenario.market.stepSize.raw == 0)
            let notional = try size.notional(at: entry, rounding: .up)
            // Pareto notionals ≥ 500 (less one step of rounding down) and ≤ 1,000,000.
            #expect(notional <= Money(raw: 1_000_000 * 100_000_000 + 200_000_000))
            // Leverage = notional / margin ≤ 50 (isolated: margin is the initial margin at ≤ 50×).
            if !book.isCross(i) {
                #expect(notional.wide <= Int128(book.margins[i]) * 50 + 100_000_000)
            }
            // Nobody is liquidatable at the start price.
            #expect(
                !LiquidationThreshold.isLiquidatable(
                    side: book.side(i),
                    size: size,
                    entry: entry,
                    margin: Money(raw: book.margins[i]),
                    price: start,
                    profile: scenario.profile,
                    market: scenario.market
                )
            )
        }
    }

    @Test func liquidationPriceIsTheExactFrontierOfTheProfileTest() async throws {
        let scenario = try Scenario.builtIn()
        await propertyCheck(
            input: Gen.int64(in: 1_000_000...500_000_000),
            Gen.int64(in: 2...125),
            Gen.bool,
            Gen.int64(in: 50_000...150_000)
        ) { sizeRaw, leverage, long, entryUnits in
            let size = Quantity(raw: sizeRaw)
            let entry = Price(raw: entryUnits * 100_000_000)
            let margin = try scenario.profile.initialMargin(
                size: size,
                price: entry,
                leverage: try Leverage(units: leverage),
                market: scenario.market
            )
            let side: PositionSide = long ? .long : .short
            guard
                let liq = LiquidationThreshold.price(
                    side: side,
                    size: size,
                    entry: entry,
                    margin: margin,
                    profile: scenario.profile,
                    market: scenario.market
                )
            else {
                #expect(long)  // only a long at ≤ 1× has no liquidation price
                return
            }
            func test(_ raw: Int64) -> Bool {
                LiquidationThreshold.isLiquidatable(
                    side: side,
                    size: size,
                    entry: entry,
                    margin: margin,
                    price: Price(raw: raw),
                    profile: scenario.profile,
                    market: scenario.market
                )
            }
            #expect(test(liq.raw))
            #expect(!test(long ? liq.raw + 1 : liq.raw - 1))
            #expect(long ? liq < entry : liq > entry)
        }
    }

    @Test func frontierPopsOnlyTheCrossedAccounts() throws {
        var book = AccountBook()
        let liqs: [Int64] = [90, 95, 80, 99, 70]
        for (k, l) in liqs.enumerated() {
            book.append(
                size: .one,
                entry: Price(raw: 100),
                margin: .one,
                liquidationPrice: Price(raw: l),
                flags: k == 4 ? 0 : AccountBook.flagLong
            )
        }
        var frontier = LiquidationFrontier(accounts: book)
        var out: [LiquidationFrontier.Entry] = []
        frontier.popCrossed(longsAtOrBelow: 92, into: &out)
        #expect(out.map(\.id) == [3, 1])  // 99 then 95
        out.removeAll()
        frontier.popCrossed(shortsAtOrAbove: 69, into: &out)
        #expect(out.isEmpty)
        frontier.popCrossed(shortsAtOrAbove: 70, into: &out)
        #expect(out.map(\.id) == [4])
    }

    /// The sorted arrays plus the heaps of pushed entries pop exactly what one ordered list of every live entry
    /// would (key order, ties on the smaller id), over random books (many equal keys) and random pushes and pops.
    @Test func frontierPopsInTheOrderOfOneSortedListOfAllEntries() async {
        await propertyCheck(count: 200, input: Gen.uint64(in: 1...UInt64.max)) { seed in
            var random = LabRandom(seed: seed, stream: 9)
            var book = AccountBook()
            let n = 1 + random.nextIndex(below: 60)
            for _ in 0..<n {
                let open = random.nextIndex(below: 8) != 0
                book.append(
                    size: open ? .one : .zero,
                    entry: Price(raw: 100),
                    margin: .one,
                    liquidationPrice: Price(raw: Int64(random.nextIndex(below: 20))),
                    flags: random.nextIndex(below: 2) == 0 ? AccountBook.flagLong : 0
                )
            }
            var frontier = LiquidationFrontier(accounts: book)
            // The reference: every live entry with its side, in a plain list.
            var live: [(entry: LiquidationFrontier.Entry, isLong: Bool)] = []
            for i in 0..<n where book.sizes[i] > 0 {
                let isLong = book.flags[i] & AccountBook.flagLong != 0
                let key = book.liquidationPrices[i]
                if !isLong || key > 0 { live.append((LiquidationFrontier.Entry(key: key, id: Int32(i)), isLong)) }
            }
            for _ in 0..<40 {
                if random.nextIndex(below: 3) == 0 {
                    let id = random.nextIndex(below: n)
                    let key = Int64(random.nextIndex(below: 20))
                    let isLong = random.nextIndex(below: 2) == 0
                    frontier.push(id: id, key: key, isLong: isLong)
                    if !isLong || key > 0 { live.append((LiquidationFrontier.Entry(key: key, id: Int32(id)), isLong)) }
                    continue
                }
                let price = Int64(random.nextIndex(below: 22)) - 1
                let popLongs = random.nextIndex(below: 2) == 0
                var out: [LiquidationFrontier.Entry] = []
                var expected = live.filter {
                    $0.isLong == popLongs && (popLongs ? $0.entry.key >= price : $0.entry.key <= price)
                }
                .map(\.entry)
                expected.sort {
                    $0.key != $1.key ? (popLongs ? $0.key > $1.key : $0.key < $1.key) : $0.id < $1.id
                }
                live.removeAll { $0.isLong == popLongs && (popLongs ? $0.entry.key >= price : $0.entry.key <= price) }
                if popLongs {
                    frontier.popCrossed(longsAtOrBelow: price, into: &out)
                } else {
                    frontier.popCrossed(shortsAtOrAbove: price, into: &out)
                }
                let nextLong = live.filter(\.isLong).map(\.entry.key).max()
                let nextShort = live.filter { !$0.isLong }.map(\.entry.key).min()
                let same =
                    out == expected && frontier.count == live.count && frontier.nextLong == nextLong
                    && frontier.nextShort == nextShort
                #expect(same, "seed \(seed): popped \(out), expected \(expected)")
                guard same else { return }
            }
        }
    }

    /// Chunks are generated in waves of `threads` and appended in chunk order, so the book is the same for any thread
    /// count, including a last wave that is not full and a last chunk that is not full (3 chunks of 16,384 here).
    @Test func populationIsTheSameForAnyThreadCount() throws {
        var scenario = try Scenario.builtIn()
        scenario.population.count = 2 * PopulationGenerator.chunkSize + 1_234
        let one = try MonteCarloRunner.population(scenario: scenario, seed: 17, threads: 1)
        #expect(one.count == scenario.population.count)
        for threads in [2, 3, 8] {
            #expect(try MonteCarloRunner.population(scenario: scenario, seed: 17, threads: threads) == one)
        }
        #expect(try MonteCarloRunner.population(scenario: scenario, seed: 18, threads: 2) != one)
    }

    @Test func badConfigurationNamesTheField() throws {
        var config = PopulationConfig()
        config.longFraction = 1.5
        #expect(throws: LabError("population.longFraction 1.5 must be in [0, 1]")) { try config.validate() }
        config = PopulationConfig()
        config.leverage = .empirical([])
        #expect(throws: LabError("population.leverage empirical list is empty")) { try config.validate() }
    }

    /// The layout in liquidation order is a stable permutation: the same accounts (every field together), longs
    /// first by descending liquidation price (unliquidatable longs, price 0, last among them), then shorts by
    /// ascending price, and equal keys in their previous order. Random books with many ties and zero prices.
    @Test func liquidationOrderIsAStablePermutationByPrice() async {
        await propertyCheck(
            input: Gen.int(in: 0...300),
            Gen.uint64(in: 0...UInt64.max)
        ) { count, seed in
            var random = LabRandom(seed: seed, stream: 0)
            var book = AccountBook()
            for i in 0..<count {
                let long = random.nextUnit() < 0.6
                // Few distinct prices, so ties are common; some longs cannot be liquidated (price 0).
                let price = long && random.nextUnit() < 0.1 ? 0 : Int64(random.nextIndex(below: 20)) * 1_000 + 1
                book.append(
                    size: Quantity(raw: Int64(i + 1)),  // a unique id, to follow each account
                    entry: Price(raw: Int64(i) * 7),
                    margin: Money(raw: Int64(i) * 3),
                    liquidationPrice: Price(raw: price),
                    flags: (long ? AccountBook.flagLong : 0) | UInt8(i % 2) * AccountBook.flagCross
                )
            }
            var arranged = book
            arranged.arrangeInLiquidationOrder()
            #expect(arranged.count == book.count)
            #expect(Set(arranged.sizes) == Set(book.sizes))
            for k in 0..<arranged.count {
                let old = Int(arranged.sizes[k]) - 1  // where the account was
                #expect(arranged.entries[k] == book.entries[old] && arranged.margins[k] == book.margins[old])
                #expect(
                    arranged.liquidationPrices[k] == book.liquidationPrices[old] && arranged.flags[k] == book.flags[old]
                )
                guard k > 0 else { continue }
                let (a, b) = (k - 1, k)
                let longA = arranged.flags[a] & AccountBook.flagLong != 0
                let longB = arranged.flags[b] & AccountBook.flagLong != 0
                let (pa, pb) = (arranged.liquidationPrices[a], arranged.liquidationPrices[b])
                #expect(longA || !longB, "a long after a short at \(k)")
                if longA == longB {
                    #expect(longA ? pa >= pb : pa <= pb, "out of order at \(k)")
                    if pa == pb { #expect(arranged.sizes[a] < arranged.sizes[b], "tie not stable at \(k)") }
                }
            }
        }
    }

    /// A generated population comes out in liquidation order (arranging it again changes nothing), and the paths'
    /// shared cluster histogram equals the one a run sums from the population itself.
    @Test func generatedPopulationIsInLiquidationOrder() throws {
        var scenario = try Scenario.builtIn()
        scenario.population.count = 5_000
        let book = try MonteCarloRunner.population(scenario: scenario, seed: 8, threads: 2)
        var again = book
        again.arrangeInLiquidationOrder()
        #expect(again == book)
        var clearing = try EngineClearing(scenario: scenario, population: book, seed: 8)
        let shared = clearing.clusters
        #expect(shared.contains { $0 > 0 })
        clearing.clusterStart = 0  // forces the run to sum its own
        let run = try CascadeRun(scenario: scenario, clearing: clearing, path: 0, seed: 8, recordTrace: false)
        #expect(run.histogram == shared)
    }
}
