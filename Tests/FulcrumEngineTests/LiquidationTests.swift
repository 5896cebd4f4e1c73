import FulcrumCore
import FulcrumEngine
import Testing

/// The liquidation waterfall on hand-computed numbers. Fixture market: tier 1 mmr 1 %, default 20×;
/// account 0 is the backstop vault; liquidation fee 1 % of the liquidated notional.
@Suite("Liquidation waterfall")
struct LiquidationTests {
    typealias F = Fixture

    /// A (1) long 10 @ 100 with 100 of collateral; B (2) short.
    func longSetup(
        _ profile: VenueProfile,
        shorts: [(UInt32, String)] = [(2, "10")],
        aDeposit: String = "100"
    )
        throws -> ClearingEngine
    {
        var engine = try F.engine(profile: profile, deposits: ["100000", aDeposit, "10000", "100"])
        for (account, size) in shorts { try F.step(&engine, F.trade(1, account, size, "100")) }
        return engine
    }

    @Test func maintenanceTriggerIsStrict() throws {
        var engine = try longSetup(F.profile())
        // Mark 91: equity 100 − 90 = 10 ≥ MM 9.1 ⇒ nothing happens.
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("91")))
        let effects = try F.step(&engine, .liquidationSweep)
        #expect(effects.isEmpty)
        #expect(engine.position(F.a(1), F.btc).size == F.qty("10"))
    }

    @Test func feeToInsuranceFundThenCover() throws {
        var engine = try longSetup(F.profile())
        // Mark 90.9: equity 9 < MM 9.09. Fill at 90.9 against the backstop: realized −91 ⇒ wallet 9; fee 1 % of
        // 909 = 9.09 (uncapped) ⇒ wallet −0.09; the fund (9.09 from the fee) covers 0.09 ⇒ fund 9.
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("90.9")))
        let effects = try F.step(&engine, .liquidationSweep)
        try #require(effects.map(\.kind) == [.liquidationFill, .liquidationFee, .insuranceCover])
        #expect(effects[0].counterparty == F.a(0))
        #expect(effects[0].size == F.qty("-10"))
        #expect(effects[0].price == F.price("90.9"))
        #expect(effects[1].amount == F.money("9.09"))
        #expect(effects[2].amount == F.money("0.09"))
        #expect(engine.insuranceFunds[0] == F.money("9"))
        #expect(engine.balances[1] == .zero)
        #expect(engine.position(F.a(0), F.btc).size == F.qty("10"))  // the vault took the position over
        #expect(engine.position(F.a(0), F.btc).cost == F.money("909"))
    }

    @Test func cappedFeeAndOtherRecipients() throws {
        // Capped at the remaining margin: fee = min(9.09, 9) = 9 to the fee pool; no cover needed.
        var engine = try longSetup(F.profile(recipient: .feePool, capped: true))
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("90.9")))
        try F.step(&engine, .liquidationSweep)
        #expect(engine.feePool == F.money("9"))
        #expect(engine.insuranceFunds[0] == .zero)
        #expect(engine.balances[1] == .zero)
        // Liquidator recipient: the backstop receives the fee.
        var other = try longSetup(F.profile(recipient: .liquidator, capped: true))
        try F.step(&other, .markPrice(market: F.btc, price: F.price("90.9")))
        try F.step(&other, .liquidationSweep)
        #expect(other.balances[0] == F.money("100009"))
    }

    @Test func perMarketInsuranceFund() throws {
        var engine = try longSetup(F.profile(scope: .perMarket))
        try F.step(&engine, .insuranceDeposit(market: F.btc, amount: F.money("5")))
        #expect(engine.insuranceFunds == [.zero, F.money("5")])
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("90.9")))
        try F.step(&engine, .liquidationSweep)
        #expect(engine.insuranceFunds == [.zero, F.money("14")])  // 5 + 9.09 − 0.09
    }

    /// Gap to 80 with an empty fund: A's equity is −100, the bankruptcy price is 80 + 100/10 = 90; the fill at 80
    /// would leave 108 uncovered, so A is deleveraged at 90 against the shorts in ranking order.
    @Test func adlAtBankruptcyPriceInRankingOrder() throws {
        var engine = try longSetup(F.profile(ranking: .pnlTimesLeverage), shorts: [(2, "6"), (3, "4")])
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("80")))
        // At 80, both shorts earn 20 % on cost; C (3) has equity 180 on notional 320 (1.78×), B (2) 10,120 on
        // 480 (0.047×) ⇒ C first.
        #expect(try engine.autoDeleveragingQueue(market: F.btc, side: .short, excluding: F.a(1)) == [F.a(3), F.a(2)])
        let effects = try F.step(&engine, .liquidationSweep)
        let adl = effects.filter { $0.kind == .autoDeleverage }
        #expect(adl.map(\.counterparty) == [F.a(3), F.a(2)])
        #expect(adl.map(\.size) == [F.qty("-4"), F.qty("-6")])
        #expect(adl.allSatisfy { $0.price == F.price("90") })
        // C closes 4 @ 90: +40; B closes 6 @ 90: +60; A loses 100 ⇒ wallet 0; nothing for the fund or bad debt.
        #expect(engine.balances[3] == F.money("140"))
        #expect(engine.balances[2] == F.money("10060"))
        #expect(engine.balances[1] == .zero)
        #expect(engine.insuranceFunds[0] == .zero)
        #expect(engine.badDebt == MoneySum())
        #expect(engine.markets[0].longOpenInterest == .zero)
    }

    /// ADL at the oracle price (Hyperliquid documents "previous oracle price"): index and mark both at 80, so
    /// A closes at 80 instead of its bankruptcy price 90: C +80, B +120, A −200 ⇒ wallet −100; the empty fund
    /// covers nothing ⇒ 100 of bad debt.
    @Test func adlAtOraclePriceLeavesResidualAsBadDebt() throws {
        var engine = try longSetup(F.profile(adlPrice: .oracle), shorts: [(2, "6"), (3, "4")])
        try F.step(&engine, .indexPrice(market: F.btc, price: F.price("80")))
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("80")))
        let effects = try F.step(&engine, .liquidationSweep)
        #expect(effects.filter { $0.kind == .autoDeleverage }.allSatisfy { $0.price == F.price("80") })
        #expect(engine.balances[3] == F.money("180"))
        #expect(engine.balances[2] == F.money("10120"))
        #expect(engine.balances[1] == .zero)
        #expect(engine.badDebt == MoneySum(F.money("100")))
        #expect(effects.last?.kind == .badDebt)
    }

    @Test func adlRankingsOrderHolders() throws {
        for ranking in [AutoDeleveragingRule.Ranking.unrealizedPnlAndLeverage, .pnlTimesMarginRatio] {
            var engine = try longSetup(F.profile(ranking: ranking), shorts: [(2, "6"), (3, "4")])
            try F.step(&engine, .markPrice(market: F.btc, price: F.price("80")))
            // Same PnL % (20 %); C has the higher leverage (1.78× vs 0.047×) and margin ratio
            // (3.2/180 vs 4.8/10,120) ⇒ C first under both.
            #expect(
                try engine.autoDeleveragingQueue(market: F.btc, side: .short, excluding: F.a(1)) == [F.a(3), F.a(2)]
            )
            let c = try engine.autoDeleveragingScore(of: F.a(3), in: F.btc, ranking: ranking)
            let b = try engine.autoDeleveragingScore(of: F.a(2), in: F.btc, ranking: ranking)
            #expect(c > b)
        }
        // BitMEX ranking divides by leverage when losing: at 101 both shorts lose 1 %; B (0.061×) scores
        // −0.01 / 0.061 ≈ −0.165, C (4.21×) −0.01 / 4.21 ≈ −0.0024 ⇒ the more leveraged C still ranks first.
        var engine = try longSetup(F.profile(ranking: .pnlTimesLeverage), shorts: [(2, "6"), (3, "4")])
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("101")))
        let b = try engine.autoDeleveragingScore(of: F.a(2), in: F.btc, ranking: .pnlTimesLeverage)
        let c = try engine.autoDeleveragingScore(of: F.a(3), in: F.btc, ranking: .pnlTimesLeverage)
        #expect(c > b)
        #expect(b < 0 && c < 0)
        #expect(b == -16_491_749)  // −0.01 ÷ (606 ÷ 9,994 → 0.06063638), toward zero, in 10⁻⁸
    }

    @Test func pseudoRandomAdlIsSeededAndComplete() throws {
        let profile = F.profile(ranking: .pseudoRandom)
        var first = try longSetup(profile, shorts: [(2, "6"), (3, "4")])
        var second = try longSetup(profile, shorts: [(2, "6"), (3, "4")])
        try F.step(&first, .markPrice(market: F.btc, price: F.price("80")))
        try F.step(&second, .markPrice(market: F.btc, price: F.price("80")))
        let q1 = try first.autoDeleveragingQueue(market: F.btc, side: .short, excluding: F.a(1))
        let q2 = try second.autoDeleveragingQueue(market: F.btc, side: .short, excluding: F.a(1))
        #expect(q1 == q2)
        #expect(Set(q1) == [F.a(2), F.a(3)])
        try F.step(&first, .liquidationSweep)
        try F.step(&second, .liquidationSweep)
        #expect(first.stateHash == second.stateHash)
        #expect(first.balances[1] == .zero)
    }

    /// Drift-style: no ADL; the fill executes, the (empty) fund covers nothing, and the 100 deficit is charged
    /// to the remaining holders pro rata to |size|: B 6, C 4, the vault 10 ⇒ 30, 20, 50.
    @Test func socializationProRata() throws {
        var engine = try longSetup(F.profile(ranking: .socializeProRata, feeRate: "0"), shorts: [(2, "6"), (3, "4")])
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("80")))
        let effects = try F.step(&engine, .liquidationSweep)
        // One market-wide effect: 100 over 20 units of open interest (A excluded) = 5 per unit.
        let charged = effects.filter { $0.kind == .socializedLoss }
        #expect(charged.map(\.account) == [nil])
        #expect(charged.map(\.counterparty) == [F.a(1)])
        #expect(charged.map(\.price) == [F.price("5")])
        #expect(charged.map(\.amount) == [F.money("100")])
        #expect(engine.socializedLoss == MoneySum(F.money("100")))
        #expect(engine.balances[1] == .zero)
        #expect(engine.balances[2] == F.money("9970"))
        #expect(engine.balances[3] == F.money("80"))
        #expect(engine.badDebt == MoneySum())
    }

    /// Partial steps (Hyperliquid-style): above the threshold, 20 % per sweep, rounded up to the step.
    @Test func partialStepsCloseAFractionPerSweep() throws {
        let profile = F.profile(procedure: .partialSteps(fraction: F.rate("0.2"), thresholdNotional: F.money("500")))
        var engine = try longSetup(profile)
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("90.9")))
        try F.step(&engine, .liquidationSweep)
        // 909 > 500 ⇒ close 2 of 10.
        #expect(engine.position(F.a(1), F.btc).size == F.qty("8"))
        #expect(engine.position(F.a(0), F.btc).size == F.qty("2"))
    }

    /// Tier step-down: a 60,000 notional in tier 2 is reduced to just under the 50,000 floor.
    @Test func tierStepDown() throws {
        var engine = try F.engine(
            profile: F.profile(procedure: .tierStepDown),
            deposits: ["1000000", "6000", "100000"]
        )
        try F.step(&engine, .setLeverage(account: F.a(1), market: F.btc, leverage: F.lev("10")))
        try F.step(&engine, F.trade(1, 2, "600", "100"))
        // MM at 95: 57,000 × 5 % − 2,000 = 850; equity 6,000 − 3,000 = 3,000 — fine. At 91: 54,600 × 5 % −
        // 2,000 = 730 vs equity 600 ⇒ liquidate: keep < 50,000 / 91 = 549.45… ⇒ 549.450 on the grid ⇒ close 50.55.
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("91")))
        try F.step(&engine, .liquidationSweep)
        #expect(engine.position(F.a(1), F.btc).size == F.qty("549.45"))
    }

    /// An injected executor: fills at a price 1 % worse than the trigger against a market-maker account.
    struct SlippageExecutor: LiquidationExecutor {
        var maker: AccountID
        var orders: [LiquidationOrder] = []
        mutating func fill(_ order: LiquidationOrder) -> LiquidationFill? {
            orders.append(order)
            let slip = order.size.raw < 0 ? Rate(raw: 99_000_000) : Rate(raw: 101_000_000)
            return LiquidationFill(price: try! order.triggerPrice.times(slip, rounding: .down), counterparty: maker)
        }
    }

    @Test func injectedExecutorGetsBankruptcyBound() throws {
        var engine = try longSetup(F.profile())
        try F.step(&engine, .insuranceDeposit(market: nil, amount: F.money("100")))
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("90.9")))
        var executor = SlippageExecutor(maker: F.a(2))
        var effects: [Effect] = []
        try engine.liquidationSweep(executor: &executor, effects: &effects)
        try engine.checkInvariants()
        #expect(executor.orders.count == 1)
        #expect(executor.orders[0].bankruptcyPrice == F.price("90"))  // 90.9 − 9/10
        // Fill at 89.991: realized −100.09, fee 8.9991 ⇒ deficit 9.0891 covered by the fund (100 + 8.9991).
        #expect(effects.first?.price == F.price("89.991"))
        #expect(engine.insuranceFunds[0] == F.money("99.91"))
        #expect(engine.position(F.a(2), F.btc).size == .zero)
    }
}
