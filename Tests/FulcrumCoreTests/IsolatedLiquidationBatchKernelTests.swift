import FulcrumCore
import PropertyBased
import Testing

/// The two-pass kernel (validation, then the division-free solve into the caller's buffer) against the scalar solver
/// on extreme inputs, and the buffer-reusing entry points.
@Suite("Isolated liquidation batch kernel")
struct IsolatedLiquidationBatchKernelTests {
    /// Linear catalog markets of the fast kernels, with fine, odd and coarse ticks.
    static let cases: [(VenueProfile, MarketSpec)] = {
        var cases: [(VenueProfile, MarketSpec)] = []
        for venue in [VenueProfile.binance, .okx, .bybit, .hyperliquid, .dydx] {
            for market in MarketCatalog.markets(venue: venue.id) where market.kind == .linear {
                cases.append((venue, market))
            }
            let first = MarketCatalog.markets(venue: venue.id)[0]
            for tickRaw: Int64 in [1, 3_000_000, 1_000_000_000_000] {
                var odd = first
                odd.tickSize = Price(raw: tickRaw)
                cases.append((venue, odd))
            }
        }
        return cases
    }()

    /// A raw value spread over every magnitude: `2^exponent` scaled by a random fraction (0 … 2⁶³ − 1).
    static func spread(_ exponent: Int64, _ mantissa: Int64) -> Int64 {
        mantissa >> (62 - exponent)
    }

    /// The scalar solver's answer for one element: the price (0 for none) or nil when it throws.
    static func scalar(
        _ venue: VenueProfile,
        _ market: MarketSpec,
        _ side: PositionSide,
        _ entry: Int64,
        _ size: Int64,
        _ margin: Int64
    ) -> Int64? {
        guard entry > 0, size > 0, margin >= 0 else { return nil }
        let input = LiquidationPriceInput(
            side: side,
            entryPrice: Price(raw: entry),
            size: Quantity(raw: size),
            margin: .wallet(Money(raw: margin))
        )
        guard let quote = try? venue.liquidationQuote(input, market: market) else { return nil }
        return quote.liquidationPrice?.raw ?? 0
    }

    /// Entries, sizes and margins over every magnitude (including values whose notional or price overflows): the
    /// batch equals the scalar solver element by element (rounding direction included), and a batch holding a bad
    /// element throws naming the first one and leaves the output unchanged.
    @Test func equalsScalarOnExtremeInputs() async {
        await propertyCheck(
            count: 40,
            input: Gen.int(in: 0...(Self.cases.count - 1)),
            Gen.int64(in: 0...62).array(of: 8),
            Gen.int64(in: 0...Int64.max).array(of: 8),
            Gen.int64(in: 0...62).array(of: 8),
            Gen.int64(in: 0...Int64.max).array(of: 8),
            Gen.int64(in: 0...62).array(of: 8),
            Gen.bool().array(of: 8)
        ) { caseIndex, entryExponents, entryMantissas, sizeExponents, sizeMantissas, marginExponents, longs in
            let (venue, market) = Self.cases[caseIndex]
            let count = longs.count
            let sides = longs.map { $0 ? PositionSide.long : .short }
            var entries: [Price] = []
            var sizes: [Quantity] = []
            var margins: [Money] = []
            for index in 0..<count {
                entries.append(Price(raw: max(1, Self.spread(entryExponents[index], entryMantissas[index]))))
                sizes.append(Quantity(raw: max(1, Self.spread(sizeExponents[index], sizeMantissas[index]))))
                margins.append(Money(raw: Self.spread(marginExponents[index], entryMantissas[count - 1 - index])))
            }
            let expected = (0..<count).map {
                Self.scalar(venue, market, sides[$0], entries[$0].raw, sizes[$0].raw, margins[$0].raw)
            }
            let batch = try IsolatedLiquidationBatch(venue: venue, market: market)
            // Element by element (one-element batches), then the whole batch.
            for index in 0..<count {
                var one = [Price(raw: -5)]
                do throws(ArithmeticError) {
                    try batch.liquidationPrices(
                        sides: [sides[index]],
                        entries: [entries[index]],
                        sizes: [sizes[index]],
                        margins: [margins[index]],
                        into: &one
                    )
                    #expect(
                        one[0].raw == expected[index],
                        "\(venue.id) \(market.symbol) tick \(market.tickSize.raw) \(sides[index]) \(entries[index].raw) × \(sizes[index].raw) margin \(margins[index].raw)"
                    )
                } catch {
                    #expect(expected[index] == nil, "\(venue.id) #\(index) threw \(error) where the scalar solves")
                    #expect(one == [Price(raw: -5)])
                }
            }
            var output = [Price](repeating: Price(raw: -7), count: 3)
            do throws(ArithmeticError) {
                try batch.liquidationPrices(
                    sides: sides,
                    entries: entries,
                    sizes: sizes,
                    margins: margins,
                    into: &output
                )
                #expect(output.map(\.raw) == expected.map { $0 ?? -1 })
            } catch {
                let firstBad = try #require(expected.firstIndex { $0 == nil })
                #expect(error.message.contains("[\(firstBad)]"), "\(error.message)")
                #expect(output == [Price](repeating: Price(raw: -7), count: 3))
            }
        }
    }

    /// Regression (found by a seeded sweep of 200,000 extreme elements: 19 mismatches, all of this kind): a short
    /// whose liquidation price fits but whose bankruptcy price `E + margin/q` overflows. The scalar solver computes
    /// both and throws; the batch returned 67,228,675,266.6 before it checked the bankruptcy price too. The neighbour
    /// with a bankruptcy price in range is solved by both.
    @Test func shortWithOverflowingBankruptcyPriceThrowsAsScalar() throws {
        let market = try MarketCatalog.market(venue: .binance, symbol: "BTCUSDT")
        let batch = try IsolatedLiquidationBatch(venue: .binance, market: market)
        let entry = try Price(units: 50_000)
        let size = Quantity(raw: 50_000_000)  // 0.5 BTC
        let overflowing = try Money(units: 50_000_000_000)  // bankruptcy 100,000,050,000 > Int64.max / 10⁸
        #expect(Self.scalar(.binance, market, .short, entry.raw, size.raw, overflowing.raw) == nil)
        var output = [Price(raw: 4)]
        #expect(throws: ArithmeticError.self) {
            try batch.liquidationPrices(
                sides: [.short],
                entries: [entry],
                sizes: [size],
                margins: [overflowing],
                into: &output
            )
        }
        #expect(output == [Price(raw: 4)])
        let fitting = try Money(units: 46_000_000_000)  // bankruptcy 92,000,050,000: in range
        let expected = try #require(Self.scalar(.binance, market, .short, entry.raw, size.raw, fitting.raw))
        try batch.liquidationPrices(sides: [.short], entries: [entry], sizes: [size], margins: [fitting], into: &output)
        #expect(output.map(\.raw) == [expected])
        #expect(expected == 6_189_534_193_330_000_000)
    }

    /// Every market's sizes at and just above each size-tier cap (OKX position tiers choose the tier by size, not
    /// by notional), both sides, several leverages: the batch equals the scalar solver (on a notional table the
    /// sizes are ordinary ones).
    @Test func sizeTierBoundariesEqualScalar() throws {
        for (venue, market) in Self.cases {
            let batch = try IsolatedLiquidationBatch(venue: venue, market: market)
            var sizes: [Int64] = [1, 100_000_000]
            for tier in market.tiers.sizeTiers {
                guard let cap = tier.sizeCap?.raw else { continue }
                sizes += [cap - 1, cap, cap + 1]
            }
            var sides: [PositionSide] = []
            var entries: [Price] = []
            var quantities: [Quantity] = []
            var margins: [Money] = []
            for size in sizes {
                for side in [PositionSide.long, .short] {
                    for leverage: Int64 in [1, 3, 20, 100] {
                        let entry: Int64 = 6_543_210_000_000  // 65,432.1
                        // size · entry / 10⁸ / leverage, floored: sizes up to 2·10¹² raw keep the product in range.
                        let notional = Int64(Int128(size) * Int128(entry) / 100_000_000)
                        sides.append(side)
                        entries.append(Price(raw: entry))
                        quantities.append(Quantity(raw: size))
                        margins.append(Money(raw: notional / leverage))
                    }
                }
            }
            let expected = (0..<sides.count).map {
                Self.scalar(venue, market, sides[$0], entries[$0].raw, quantities[$0].raw, margins[$0].raw) ?? -1
            }
            var output: [Price] = []
            try batch.liquidationPrices(
                sides: sides,
                entries: entries,
                sizes: quantities,
                margins: margins,
                into: &output
            )
            #expect(output.map(\.raw) == expected, "\(venue.id) \(market.symbol) tick \(market.tickSize.raw)")
        }
    }

    /// The extreme-input generator of ``equalsScalarOnExtremeInputs()`` without shrinking: 12,000 seeded elements in
    /// batches of 12 on every fast market (the property test runs few cases because a failure would be shrunk over
    /// seven arrays). Element by element and whole batches, as the property test checks.
    @Test func seededSweepEqualsScalar() throws {
        var state: UInt64 = 0x5EED_0007
        func next() -> UInt64 {  // splitmix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let batches = try Self.cases.map { try IsolatedLiquidationBatch(venue: $0.0, market: $0.1) }
        var mismatches: [String] = []
        for _ in 0..<1_000 {
            let caseIndex = Int(next() % UInt64(Self.cases.count))
            let (venue, market) = Self.cases[caseIndex]
            var sides: [PositionSide] = []
            var entries: [Price] = []
            var sizes: [Quantity] = []
            var margins: [Money] = []
            for _ in 0..<12 {
                sides.append(next() & 1 == 0 ? .long : .short)
                entries.append(Price(raw: max(1, Self.spread(Int64(next() % 63), Int64(next() >> 1)))))
                sizes.append(Quantity(raw: max(1, Self.spread(Int64(next() % 63), Int64(next() >> 1)))))
                margins.append(Money(raw: Self.spread(Int64(next() % 63), Int64(next() >> 1))))
            }
            let expected = (0..<12).map {
                Self.scalar(venue, market, sides[$0], entries[$0].raw, sizes[$0].raw, margins[$0].raw)
            }
            for index in 0..<12 {
                var one: [Price] = []
                let got: Int64?
                do throws(ArithmeticError) {
                    try batches[caseIndex].liquidationPrices(
                        sides: [sides[index]],
                        entries: [entries[index]],
                        sizes: [sizes[index]],
                        margins: [margins[index]],
                        into: &one
                    )
                    got = one[0].raw
                } catch {
                    got = nil
                }
                if got != expected[index] {
                    mismatches.append(
                        "\(venue.id) \(market.symbol) tick \(market.tickSize.raw) \(sides[index]) "
                            + "\(entries[index].raw) × \(sizes[index].raw) margin \(margins[index].raw): "
                            + "batch \(got.map(String.init) ?? "throws"), scalar \(expected[index].map(String.init) ?? "throws")"
                    )
                }
            }
            var output: [Price] = []
            do throws(ArithmeticError) {
                try batches[caseIndex].liquidationPrices(
                    sides: sides,
                    entries: entries,
                    sizes: sizes,
                    margins: margins,
                    into: &output
                )
                #expect(output.map(\.raw) == expected.map { $0 ?? -1 })
            } catch {
                let firstBad = expected.firstIndex { $0 == nil }
                #expect(firstBad.map { error.message.contains("[\($0)]") } == true, "\(error.message)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
    }

    /// Ordinary books (the bench's distribution) on every fast market: the buffer entry point, the reusing entry
    /// point and the optional one agree with the scalar solver.
    @Test func bufferAndReusedOutputEqualScalar() throws {
        for (venue, market) in Self.cases {
            let batch = try IsolatedLiquidationBatch(venue: venue, market: market)
            var state = UInt64(market.tickSize.raw) ^ 99
            func below(_ bound: Int) -> Int {  // splitmix64, as the bench's generator
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return Int((z ^ (z >> 31)) % UInt64(bound))
            }
            var sides: [PositionSide] = []
            var entries: [Price] = []
            var sizes: [Quantity] = []
            var margins: [Money] = []
            for _ in 0..<500 {
                let ticks = Int64(200_000 + below(1_000_000))
                let steps = Int64(1 + below(5_000))
                sides.append(below(2) == 0 ? .long : .short)
                entries.append(Price(raw: ticks * 10_000_000))
                sizes.append(Quantity(raw: steps * 100_000))
                margins.append(Money(raw: ticks * steps * 10_000 / Int64(1 + below(125))))
            }
            let expected = (0..<500).map {
                Self.scalar(venue, market, sides[$0], entries[$0].raw, sizes[$0].raw, margins[$0].raw) ?? -1
            }
            var buffer = [Price](repeating: .zero, count: 500)
            try buffer.withUnsafeMutableBufferPointer { pointer in
                try batch.liquidationPrices(
                    sides: sides,
                    entries: entries,
                    sizes: sizes,
                    margins: margins,
                    into: pointer
                )
            }
            #expect(buffer.map(\.raw) == expected, "\(venue.id) \(market.symbol) tick \(market.tickSize.raw)")
            // A longer output is trimmed, a shorter one grown: always one price per position.
            for start in [0, 10, 900] {
                var reused = [Price](repeating: Price(raw: 3), count: start)
                try batch.liquidationPrices(
                    sides: sides,
                    entries: entries,
                    sizes: sizes,
                    margins: margins,
                    into: &reused
                )
                #expect(reused.map(\.raw) == expected)
            }
        }
    }

    /// The buffer entry point refuses a buffer of the wrong size and a bad element, writing nothing.
    @Test func bufferRejectsWrongCountAndBadElements() throws {
        let market = try MarketCatalog.market(venue: .binance, symbol: "BTCUSDT")
        let batch = try IsolatedLiquidationBatch(venue: .binance, market: market)
        var storage = [Price](repeating: Price(raw: 9), count: 3)
        let entries = [try Price(units: 50_000), try Price(units: 50_000)]
        storage.withUnsafeMutableBufferPointer { pointer in
            do throws(ArithmeticError) {
                try batch.liquidationPrices(
                    sides: [.long, .short],
                    entries: entries,
                    sizes: [.one, .one],
                    margins: [.one, .one],
                    into: pointer
                )
                Issue.record("a buffer of 3 for 2 positions was accepted")
            } catch {
                #expect(error.message.contains("output buffer count 3"))
            }
            let two = UnsafeMutableBufferPointer(rebasing: pointer[0..<2])
            do throws(ArithmeticError) {
                try batch.liquidationPrices(
                    sides: [.long, .short],
                    entries: entries,
                    sizes: [.one, Quantity(raw: 0)],
                    margins: [.one, .one],
                    into: two
                )
                Issue.record("a zero size was accepted")
            } catch {
                #expect(error.message.contains("sizes[1]"))
            }
        }
        #expect(storage == [Price](repeating: Price(raw: 9), count: 3))
    }
}
