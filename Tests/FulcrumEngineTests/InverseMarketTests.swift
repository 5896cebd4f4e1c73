import FulcrumCore
import FulcrumEngine
import PropertyBased
import Testing

private typealias F = Fixture

/// Inverse (coin-margined) markets: sizes in USD contracts, amounts in coin,
/// PnL = contracts · contractValue · (1/entry − 1/exit) (BitMEX https://www.bitmex.com/app/pnlGuide, inverse
/// contracts; Bybit https://www.bybit.com/en/help-center/article/Profit-Loss-calculations-Inverse-Contract).
@Suite("Inverse markets")
struct InverseMarketTests {
    static let xbt = MarketID(0)

    /// BitMEX XBTUSD from the catalog with the BitMEX profile; accounts 0 (backstop, 100 XBT), 1 (0.011 XBT),
    /// 2 (10 XBT); account 1 buys 10,000 contracts from account 2 at 50,000.
    static func engine() throws -> ClearingEngine {
        var engine = ClearingEngine()
        try engine.apply(.listMarket(MarketListing(spec: MarketCatalog.bitmexXBTUSD, profile: .bitmex)))
        for (index, amount) in ["100", "0.011", "10"].enumerated() {
            try F.step(&engine, .deposit(account: F.a(UInt32(index)), amount: F.money(amount)))
        }
        try F.step(&engine, .indexPrice(market: xbt, price: F.price("50000")))
        try F.step(&engine, .markPrice(market: xbt, price: F.price("50000")))
        try F.step(&engine, trade(1, 2, "10000", "50000"))
        return engine
    }

    static func trade(_ buyer: UInt32, _ seller: UInt32, _ size: String, _ price: String) -> EngineEvent {
        .trade(
            TradeEvent(market: xbt, buyer: F.a(buyer), seller: F.a(seller), size: F.qty(size), price: F.price(price))
        )
    }

    static func move(_ engine: inout ClearingEngine, to price: String) throws {
        try F.step(&engine, .indexPrice(market: xbt, price: F.price(price)))
        try F.step(&engine, .markPrice(market: xbt, price: F.price(price)))
    }

    /// The open: 10,000 contracts at 50,000 are worth 10,000 / 50,000 = 0.2 XBT; the long's cost is −0.2, the
    /// short's +0.2 (they cancel). Initial margin 0.2 × max(1/20, 1/100) = 0.01 XBT ≤ 0.011 deposited.
    @Test func openBooksOppositeCoinCosts() throws {
        let engine = try Self.engine()
        #expect(engine.position(F.a(1), Self.xbt).cost == F.money("-0.2"))
        #expect(engine.position(F.a(2), Self.xbt).cost == F.money("0.2"))
        #expect(try engine.crossMargin(of: F.a(1)).equity == F.money("0.011").wide)
        // A price rise helps the long: at 55,000 uPnL = 10,000 · (1/50,000 − 1/55,000) = 0.2 − 0.18181818…
        // = 0.01818181… XBT; the value −10,000/55,000 is rounded down to −0.18181819, so uPnL = 0.01818181.
        var up = engine
        try Self.move(&up, to: "55000")
        #expect(try up.crossMargin(of: F.a(1)).equity == F.money("0.02918181").wide)
    }

    /// Hand-computed XBTUSD liquidation. At mark 47,600: value = −10,000/47,600 = −0.210084033… rounded down to
    /// −0.21008404, so uPnL = −0.01008404 and equity = 0.011 − 0.01008404 = 0.00091596 XBT; maintenance =
    /// ceil(0.21008404 · 0.5 %) = 0.00105043 > equity, so the sweep liquidates. The backstop fills at the mark:
    /// amount = 10,000/47,600 half-even = 0.21008403, realized = −0.21008403 + 0.2 = −0.01008403 (the venue formula
    /// 10,000 · (1/50,000 − 1/47,600) = −0.010084033…), leaving 0.011 − 0.01008403 = 0.00091597 XBT, which BitMEX's
    /// liquidation engine takes over with the position (the margin above bankruptcy goes to the insurance fund;
    /// https://testnet.bitmex.com/app/liquidationExamples): account 1 ends at 0, the fund at 0.00091597.
    @Test func xbtusdLiquidationByHand() throws {
        var engine = try Self.engine()
        try Self.move(&engine, to: "47600")
        let pool = try engine.crossMargin(of: F.a(1))
        #expect(pool.equity == F.money("0.00091596").wide)
        #expect(pool.maintenance == F.money("0.00105043").wide)
        let effects = try F.step(&engine, .liquidationSweep)
        let fills = effects.filter { $0.kind == .liquidationFill }
        #expect(fills.count == 1)
        #expect(fills.first?.amount == F.money("0.21008403"))
        #expect(fills.first?.price == F.price("47600"))
        #expect(fills.first?.counterparty == F.a(0))
        #expect(engine.position(F.a(1), Self.xbt).size == .zero)
        #expect(engine.balances[1] == .zero)
        #expect(effects.first { $0.kind == .liquidationFee }?.insuranceDelta == F.money("0.00091597"))
        #expect(engine.insuranceFunds[0] == F.money("0.00091597"))
        #expect(engine.position(F.a(0), Self.xbt).size == F.qty("10000"))
        #expect(engine.position(F.a(0), Self.xbt).cost == F.money("-0.21008403"))
        #expect(engine.badDebt.raw == 0)
    }

    /// A bankrupt inverse long goes to ADL at its bankruptcy price. At 46,000: value −10,000/46,000 rounded down =
    /// −0.21739131, equity = 0.011 + 0.2 − 0.21739131 = −0.00639131. Bankruptcy price
    /// bp = P · h · cv / (h · cv + E · P) = 46,000 · 10,000 / (10,000 − 0.00639131 · 46,000) = 47,393.36619847
    /// (rounded up for a long; the exact 0.211-XBT bankruptcy 10,000/0.211 = 47,393.3649… differs by the one-satoshi
    /// rounding of E). ADL closes account 2's short there: amount 10,000 / 47,393.36619847 half-even = 0.21099999,
    /// so account 1 keeps 0.011 + 0.2 − 0.21099999 = 0.00000001 XBT (never negative) and account 2 realizes
    /// 0.21099999 − 0.2 = 0.01099999.
    @Test func bankruptInverseLongIsDeleveragedAtBankruptcy() throws {
        var engine = try Self.engine()
        try Self.move(&engine, to: "46000")
        #expect(try engine.crossMargin(of: F.a(1)).equity == F.money("-0.00639131").wide)
        var executor = NoLiquidity()
        var effects: [Effect] = []
        try engine.liquidationSweep(executor: &executor, effects: &effects)
        try engine.checkInvariants()
        let adl = effects.filter { $0.kind == .autoDeleverage }
        #expect(adl.count == 1)
        #expect(adl.first?.price == F.price("47393.36619847"))
        #expect(adl.first?.amount == F.money("0.21099999"))
        #expect(adl.first?.counterparty == F.a(2))
        #expect(engine.balances[1] == F.money("0.00000001"))
        #expect(engine.balances[2] == F.money("10.01099999"))
        #expect(engine.position(F.a(2), Self.xbt).size == .zero)
        #expect(engine.badDebt.raw == 0)
    }

    /// Inverse funding is paid in coin on the position's coin value: rate 0.01 % at mark 50,000 (BitMEX rule, 8-h
    /// rate paid every 8 h) on 10,000 contracts = 0.2 XBT · 0.0001 = 0.00002 XBT from the long to the short
    /// (index delta Δ = 50,000 · 0.0001 = 5; payment = −size · cv · Δ / P² = −10,000 · 5 / 2.5·10⁹).
    @Test func inverseFundingIsPaidInCoin() throws {
        var engine = try Self.engine()
        try F.step(&engine, .funding(market: Self.xbt, inputs: FundingInputs(rateOverride: F.rate("0.0001"))))
        #expect(engine.balances[1] == F.money("0.01098"))
        #expect(engine.balances[2] == F.money("10.00002"))
    }

    /// Random event streams over an inverse market (BitMEX XBTUSD rules, a Bybit-style tier-step-down profile and a
    /// socializing profile on an inverse clone) keep every invariant after every event, and rejected events leave the
    /// state unchanged.
    @Test func invariantsHoldOnInverseMarkets() async throws {
        await propertyCheck(count: 3, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            do {
                let (accepted, liquidations) = try Self.run(seed: seed, count: 6_000)
                #expect(accepted > 3_000)
                _ = liquidations
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    /// The stream does liquidate (so the property above exercises the waterfall on inverse markets).
    @Test func inverseStreamsLiquidate() throws {
        let (_, liquidations) = try Self.run(seed: 7, count: 6_000)
        #expect(liquidations > 0)
    }

    static func run(seed: UInt64, count: Int) throws -> (Int, Int) {
        var socializing = MarketCatalog.bitmexXBTUSD
        socializing.symbol = "XBTUSD-S"
        var socialProfile = VenueProfile.bitmex
        socialProfile.autoDeleveraging = AutoDeleveragingRule(ranking: .socializeProRata, price: .bankruptcy)
        socialProfile.insuranceFundScope = .perMarket
        let listings = [
            MarketListing(spec: MarketCatalog.bitmexXBTUSD, profile: .bitmex),
            MarketListing(spec: MarketCatalog.bybitBTCUSD, profile: .bybit),
            MarketListing(spec: socializing, profile: socialProfile),
        ]
        var generator = EventGenerator(
            seed: seed,
            accounts: 60,
            listings: listings,
            initialPrices: [F.price("30000"), F.price("30000"), F.price("30000")],
            deposit: F.money("1000"),
            invalidPerMille: 20
        )
        var engine = ClearingEngine(configuration: EngineConfiguration(seed: seed))
        var accepted = 0
        var liquidations = 0
        var effects: [Effect] = []
        for _ in 0..<count {
            let event = generator.next()
            let before = engine.stateHash
            effects.removeAll(keepingCapacity: true)
            do {
                try engine.apply(event, effects: &effects)
                accepted += 1
                liquidations += effects.count { $0.kind == .liquidationFill || $0.kind == .autoDeleverage }
            } catch {
                #expect(engine.stateHash == before, "rejected \(event) changed the state")
                #expect(effects.isEmpty)
            }
            try engine.checkInvariants()
        }
        return (accepted, liquidations)
    }
}
