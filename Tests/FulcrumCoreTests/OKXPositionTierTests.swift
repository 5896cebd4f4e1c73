import FulcrumCore
import PropertyBased
import Testing

/// OKX BTC-USDT-SWAP position tiers: bounded by position **size**, not notional.
///
/// Source of every row: LeandroColombo111/okx-perp-backtest `src/okx_perp_backtest/friction/okx_tiers_snapshot.py` @
/// 57a7fa5ae692136e26ef445345472184277844ee — OKX `GET /api/v5/public/position-tiers` (SWAP, isolated, BTC-USDT)
/// fetched 2026-09-18, `maxSz` converted from contracts to BTC with ctVal 0.01. The same repository's
/// `tests/test_friction.py` pins the raw rows of the first three tiers: `minSz 0 / maxSz 1000 / mmr 0.004 / maxLever
/// 100`, `1000.01 / 5000 / 0.005 / 66.66`, `5000.01 / 20000 / 0.0075 / 50` (contracts), and that the boundary size
/// belongs to the lower tier.
@Suite("OKX position tiers (size-bounded)")
struct OKXPositionTierTests {
    static let market = MarketCatalog.okxBTC
    static func btc(_ text: String) -> Quantity { try! Quantity(parsing: text) }
    static func usdt(_ text: String) -> Money { try! Money(parsing: text) }

    /// The shipped rows against the snapshot: 99 tiers, first four and last two as published, caps in BTC.
    @Test func rowsMatchTheDatedSnapshot() throws {
        let table = Self.market.tiers
        #expect(table.bound == .baseQuantity)
        let tiers = table.sizeTiers
        try #require(tiers.count == 99)
        // maxSz 1000 / 5000 / 20000 / 40000 contracts × 0.01 BTC = 10 / 50 / 200 / 400 BTC.
        #expect(tiers.prefix(4).map { $0.sizeCap?.description } == ["10", "50", "200", "400"])
        #expect(tiers.prefix(4).map(\.maxLeverage.description) == ["100", "66.66", "50", "40"])
        #expect(tiers.prefix(4).map(\.maintenanceMarginRate.description) == ["0.004", "0.005", "0.0075", "0.0125"])
        #expect(tiers.suffix(2).map { $0.sizeCap?.description } == ["19200", "19400"])
        #expect(tiers.suffix(2).map(\.maxLeverage.description) == ["2.02", "2"])
        #expect(tiers.suffix(2).map(\.maintenanceMarginRate.description) == ["0.4825", "0.4875"])
        // From tier 3 on, every cap adds 200 BTC and every MMR 0.5 % (the snapshot's regular ladder).
        for index in 3..<tiers.count {
            let capStep = try #require(tiers[index].sizeCap) - (try #require(tiers[index - 1].sizeCap))
            #expect(capStep == Self.btc("200"), "tier \(index + 1)")
            let rateStep = tiers[index].maintenanceMarginRate - tiers[index - 1].maintenanceMarginRate
            #expect(rateStep == (try Rate(parsing: "0.005")), "tier \(index + 1)")
        }
        #expect(Self.market.tierSource.contains("57a7fa5ae692136e26ef445345472184277844ee"))
        #expect(Self.market.tierSource.contains("2026-09-18"))
        #expect(!Self.market.tierSource.contains("NOT RETRIEVED"))
    }

    /// Caps are inclusive: 10 BTC (1000 contracts) is tier 1, 10.0001 BTC (1000.01 contracts) tier 2; sizes above the
    /// last cap keep the last tier; the notional does not matter.
    @Test(arguments: [
        ("0.01", 0), ("10", 0), ("10.0001", 1), ("50", 1), ("50.0001", 2), ("200", 2), ("400.5", 4),
        ("19400", 98), ("25000", 98),
    ])
    func tierBySize(size: String, expected: Int) {
        let table = Self.market.tiers
        for notional in ["1", "600000", "90000000000"] {
            #expect(table.tierIndex(forSize: Self.btc(size), notional: Self.usdt(notional)) == expected)
            #expect(table.tierIndex(forSize: -Self.btc(size), notional: Self.usdt(notional)) == expected)
        }
    }

    /// Maintenance `N × mmr(size)` with no deduction, through the profile: 20 BTC at 60,000 is tier 2,
    /// 1,200,000 × 0.5 % = 6,000; at 30,000 the same size keeps tier 2: 600,000 × 0.5 % = 3,000 (a notional table
    /// would have moved it). OKX has no deduction, so maintenance steps up with the size at a cap: 10 BTC →
    /// 600,000 × 0.4 % = 2,400; 10.0001 BTC → 600,006 × 0.5 % = 3,000.03.
    @Test func maintenanceUsesTheSizeTier() throws {
        let okx = VenueProfile.okx
        let market = Self.market
        let mm = { (size: String, price: String) throws in
            try okx.maintenanceMargin(size: Self.btc(size), price: try Price(parsing: price), market: market)
        }
        #expect(try mm("20", "60000") == Self.usdt("6000"))
        #expect(try mm("-20", "30000") == Self.usdt("3000"))
        #expect(try mm("10", "60000") == Self.usdt("2400"))
        #expect(try mm("10.0001", "60000") == Self.usdt("3000.03"))
        #expect(try mm("500", "60000") == Self.usdt("525000"))  // 30,000,000 × 1.75 % (tier 5, 400-600 BTC)
        #expect(market.tiers.sizeTiers.allSatisfy { $0.maintenanceMarginRate.isPositive })
        #expect(market.tiers.tiers.allSatisfy { $0.maintenanceDeduction.isZero })
    }

    /// Initial margin floor `1 / maxLeverage` of the size tier: 20 BTC at 60,000 with 100x asks for tier 2's
    /// 1 / 66.66 = 0.01500150… rounded up to 0.01500151, × 1,200,000 = 18,001.812.
    @Test func initialMarginUsesTheSizeTierLeverage() throws {
        let margin = try VenueProfile.okx.initialMargin(
            size: Self.btc("20"),
            price: try Price(units: 60_000),
            leverage: try Leverage(units: 100),
            market: Self.market
        )
        #expect(margin == Self.usdt("18001.812"))
        let small = try VenueProfile.okx.initialMargin(
            size: Self.btc("1"),
            price: try Price(units: 60_000),
            leverage: try Leverage(units: 100),
            market: Self.market
        )
        #expect(small == Self.usdt("600"))  // tier 1: 60,000 / 100
    }

    /// Worked liquidation prices by hand from OKX's isolated rule `(margin + uPnL) / (N·(MMR + taker)) ≤ 100 %`, i.e.
    /// `LP = (E − s·W/q) / (1 − s·(mmr + taker))` (perps.md §7; freqtrade Gate/OKX formula), taker 0.05 % (profile):
    /// - long 20 BTC @ 60,000, 10x: W = 120,000; tier 2 (mmr 0.5 %): (60,000 − 6,000) / 0.9945 = 54,298.642… → tick
    ///   0.1 up: 54,298.7 (tier 1's 0.4 % would say 54,000 / 0.9955 = 54,244.098…);
    /// - short 20 BTC: (60,000 + 6,000) / 1.0055 = 65,638.975… → down: 65,638.9;
    /// - long 1 BTC, 10x: tier 1: 54,000 / 0.9955 = 54,244.098… → 54,244.1;
    /// - long 500 BTC, 10x: tier 5 (mmr 1.75 %): 54,000 / 0.982 = 54,989.816… → 54,989.9.
    @Test(arguments: [
        (PositionSide.long, "20", "54298.7", 1), (.short, "20", "65638.9", 1), (.long, "1", "54244.1", 0),
        (.long, "500", "54989.9", 4),
    ])
    func workedLiquidationPrice(side: PositionSide, size: String, expected: String, tier: Int) throws {
        let input = LiquidationPriceInput(
            side: side,
            entryPrice: try Price(units: 60_000),
            size: Self.btc(size),
            margin: .leverage(try Leverage(units: 10))
        )
        let quote = try VenueProfile.okx.liquidationQuote(input, market: Self.market)
        #expect(quote.liquidationPrice?.description == expected)
        #expect(quote.tierIndex == tier)
    }

    /// A leverage above the size tier's maximum is refused with the field and value: 20 BTC allows 66.66x.
    @Test func leverageAboveTheSizeTierIsRefused() throws {
        let input = LiquidationPriceInput(
            side: .long,
            entryPrice: try Price(units: 60_000),
            size: Self.btc("20"),
            margin: .leverage(try Leverage(units: 100))
        )
        #expect(throws: ArithmeticError.self) { try VenueProfile.okx.liquidationQuote(input, market: Self.market) }
        do {
            _ = try VenueProfile.okx.liquidationQuote(input, market: Self.market)
        } catch {
            #expect(error.description.contains("leverage 100 exceeds the maximum 66.66"))
        }
    }

    /// Property: for any size and price, maintenance is exactly `ceil(N × mmr(tier of size))` with the tier found by
    /// scanning the caps, and the tier is the same at every price (so maintenance is linear in the price).
    @Test func maintenanceIsNotionalTimesTheSizeTierRate() async {
        let table = Self.market.tiers
        await propertyCheck(
            count: 300,
            input: Gen.int64(in: 1...2_000_000_000_000),  // 10⁻⁸ .. 20,000 BTC
            Gen.int64(in: 1_000...200_000)
        ) { sizeRaw, priceUnits in
            let size = Quantity(raw: sizeRaw)
            let price = try Price(units: priceUnits)
            let notional = try size.notional(at: price, rounding: .up)
            let scanned = table.sizeTiers.firstIndex { $0.sizeCap.map { size <= $0 } ?? true } ?? 98
            #expect(table.tierIndex(forSize: size, notional: notional) == scanned)
            let rate = table.sizeTiers[scanned].maintenanceMarginRate
            let expected = try notional.times(rate, rounding: .up)
            #expect(try VenueProfile.okx.maintenanceMargin(size: size, price: price, market: Self.market) == expected)
            let other = try size.notional(at: try Price(units: priceUnits * 2), rounding: .up)
            #expect(table.tierIndex(forSize: size, notional: other) == scanned)
        }
    }

    /// A size table is validated like a notional one: names the tier and the broken rule.
    @Test func rejectsBrokenSizeTables() throws {
        let tier = { (cap: String?, leverage: Int64, rate: String) in
            PositionSizeTier(
                sizeCap: cap.map(Self.btc),
                maxLeverage: try! Leverage(units: leverage),
                maintenanceMarginRate: try! Rate(parsing: rate)
            )
        }
        let cases: [([PositionSizeTier], String)] = [
            ([], "empty"),
            ([tier("10", 100, "0.004"), tier("10", 50, "0.005")], "tier 2 size cap 10 is not above"),
            ([tier(nil, 100, "0.004"), tier("20", 50, "0.005")], "tier 1 is unbounded but not last"),
            ([tier("10", 100, "0.004"), tier("20", 50, "0.003")], "tier 2 maintenance rate decreases"),
            ([tier("10", 50, "0.004"), tier("20", 100, "0.005")], "tier 2 max leverage increases"),
            ([tier("0", 100, "0.004")], "tier 1 size cap 0 must be positive"),
            ([tier("10", 100, "1")], "tier 1 maintenance rate 1 is not in [0, 1)"),
        ]
        for (tiers, message) in cases {
            do {
                _ = try MarginTierTable(sizeTiers: tiers)
                Issue.record("accepted: \(message)")
            } catch {
                #expect(error.message.contains(message), "\(error.message)")
            }
        }
    }

    /// The size-unaware view (what notional-only callers see) is tier 1 as one unbounded bracket, no deduction.
    @Test func sizeUnawareViewIsTierOne() {
        let view = Self.market.tiers.tiers
        #expect(view.count == 1)
        #expect(view[0].notionalCap == nil)
        #expect(view[0].maintenanceMarginRate.description == "0.004")
        #expect(view[0].maxLeverage.description == "100")
        #expect(Self.market.tiers.steepestMaintenanceRate.description == "0.4875")
    }
}
