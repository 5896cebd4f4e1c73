import FulcrumCore
import FulcrumEngine
import Testing

/// Examples of the liquidation index: tight keys, the touched sets, rebuilding.
@Suite("Liquidation index")
struct LiquidationIndexTests {
    typealias F = Fixture

    /// The highest price (10⁻⁸ grid) at which account 1's long is under maintenance, by bisection on the engine.
    static func boundary(_ engine: ClearingEngine, low: Int64, high: Int64) throws -> Int64 {
        var low = low  // under maintenance
        var high = high  // not under maintenance
        while high - low > 1 {
            let mid = low + (high - low) / 2
            var probe = engine
            try probe.apply(.markPrice(market: F.btc, price: Price(raw: mid)))
            if try probe.isUnderMaintenance(F.a(1)) { low = mid } else { high = mid }
        }
        return low
    }

    /// An isolated 50× long on the two-tier fixture: its key is its exact liquidation price up to the proven slack
    /// (a few 10⁻⁸ of money, i.e. well under one tick here): the index reports it at the engine's boundary price and
    /// not one 10⁻⁶ of the price above.
    @Test func singlePositionKeyIsTheLiquidationPrice() throws {
        var engine = try F.engine(deposits: ["1000000", "1000"], mark: "100")
        try F.step(&engine, .setMarginMode(account: F.a(1), market: F.btc, mode: .isolated))
        try F.step(&engine, .setLeverage(account: F.a(1), market: F.btc, leverage: F.lev("40")))
        try F.step(&engine, F.trade(1, 0, "300", "100"))
        let index = LiquidationIndex(engine: engine)
        let boundary = try Self.boundary(engine, low: 1, high: F.price("100").raw)
        var crossed: [AccountID] = []
        index.liquidatable(market: F.btc, triggerPrice: Price(raw: boundary), into: &crossed)
        #expect(crossed == [F.a(1)])
        index.liquidatable(market: F.btc, triggerPrice: Price(raw: boundary + boundary / 1_000_000), into: &crossed)
        #expect(crossed.isEmpty)
    }

    /// A short is keyed above the price, and the candidates after a move are exactly the accounts under maintenance.
    @Test func candidatesAfterAMove() throws {
        var engine = try F.engine(deposits: ["1000000", "1000", "1000", "1000"], mark: "100")
        try F.step(&engine, F.trade(0, 1, "200", "100"))  // account 1 short 200 (20×)
        try F.step(&engine, F.trade(2, 0, "200", "100"))  // account 2 long 200
        try F.step(&engine, F.trade(3, 0, "50", "100"))  // account 3 long 50 (5×)
        var index = LiquidationIndex(engine: engine)
        var result: [AccountID] = []
        try engine.apply(.markPrice(market: F.btc, price: F.price("104")))
        index.candidates(afterPriceUpdate: F.btc, in: engine, into: &result)
        #expect(result == [F.a(1)])
        try engine.apply(.markPrice(market: F.btc, price: F.price("95")))
        index.candidates(afterPriceUpdate: F.btc, in: engine, into: &result)
        #expect(result == [F.a(2)])
        try engine.apply(.markPrice(market: F.btc, price: F.price("100")))
        index.candidates(afterPriceUpdate: F.btc, in: engine, into: &result)
        #expect(result.isEmpty)
        #expect(index.keyCounts(market: F.btc).falling == 2)
        #expect(index.keyCounts(market: F.btc).rising == 1)
    }

    /// An oracle update on a mark-triggered market changes no trigger price: nothing new is found.
    @Test func oracleMoveOnMarkTriggeredMarketFindsNothing() throws {
        var engine = try F.engine(deposits: ["1000000", "1000"], mark: "100")
        try F.step(&engine, F.trade(1, 0, "200", "100"))
        var index = LiquidationIndex(engine: engine)
        var result: [AccountID] = []
        try engine.apply(.indexPrice(market: F.btc, price: F.price("50")))
        index.candidates(afterPriceUpdate: F.btc, in: engine, into: &result)
        #expect(result.isEmpty)
        #expect(try !engine.isUnderMaintenance(F.a(1)))
    }

    /// The touched sets of each event kind.
    @Test func touchedSets() {
        typealias L = LiquidationIndex
        #expect(L.touchedAccounts(by: .deposit(account: F.a(3), amount: .one), effects: []) == .accounts([F.a(3)]))
        #expect(L.touchedAccounts(by: F.trade(4, 2, "1", "100"), effects: []) == .accounts([F.a(2), F.a(4)]))
        #expect(L.touchedAccounts(by: .markPrice(market: F.btc, price: .one), effects: []) == .price(F.btc))
        let funding = EngineEvent.funding(
            market: F.btc,
            inputs: FundingInputs(premium: .zero, markTWAP: .one, oracleTWAP: .one)
        )
        #expect(L.touchedAccounts(by: funding, effects: []) == .holders(F.btc))
        #expect(L.touchedAccounts(by: .insuranceDeposit(market: nil, amount: .one), effects: []) == .none)
        #expect(
            L.touchedAccounts(by: .listMarket(MarketListing(spec: F.spec(), profile: F.profile())), effects: []) == .all
        )
        let effects = [
            Effect(kind: .liquidationFill, account: F.a(7), counterparty: F.a(0)),
            Effect(kind: .insuranceCover, account: F.a(5)),
        ]
        #expect(L.touchedAccounts(by: .liquidationSweep, effects: effects) == .accounts([F.a(0), F.a(5), F.a(7)]))
        // A socialized loss charges every holder of its market.
        let socialized = effects + [Effect(kind: .socializedLoss, market: F.btc, counterparty: F.a(7))]
        #expect(
            L.touchedAccounts(by: .liquidationSweep, effects: socialized)
                == .accountsAndHolders([F.a(0), F.a(5), F.a(7)], markets: [F.btc])
        )
        #expect(L.touchedAccounts(by: .liquidationSweep, effects: []) == .none)
    }

    /// Incremental upkeep and a rebuild agree on the accounts under maintenance.
    @Test func incrementalEqualsRebuild() throws {
        var random = SplitMixRandom(seed: 21)
        var engine = try IndexPopulation.engine(seed: 21, accounts: 200)
        var index = LiquidationIndex(engine: engine)
        var incremental: [AccountID] = []
        var rebuilt: [AccountID] = []
        for _ in 0..<100 {
            let event = IndexPopulation.priceMove(engine, random: &random)
            let effects = try engine.apply(event)
            index.update(after: event, effects: effects, in: engine)
        }
        index.accountsUnderMaintenance(into: &incremental)
        LiquidationIndex(engine: engine).accountsUnderMaintenance(into: &rebuilt)
        #expect(incremental == rebuilt)
        #expect(index.underMaintenanceCount == incremental.count)
    }
}
