import FulcrumCore
import FulcrumEngine
import Testing

/// Hand-computed event tests on the fixture market (tick 0.1, step 0.001, tier 1: 50×, mmr 1 %; default
/// leverage 20×). Account 0 is the backstop.
@Suite("Engine events")
struct EngineEventTests {
    typealias F = Fixture

    @Test func tradeFeesAndRealizedPnl() throws {
        var engine = try F.engine(deposits: ["100000", "1000", "1000"])
        // A (1) buys 10 @ 100 from B (2), fee 0.05 % each: notional 1,000, fee 0.5 each.
        try F.step(&engine, F.trade(1, 2, "10", "100", fee: "0.0005"))
        #expect(engine.balances[1] == F.money("999.5"))
        #expect(engine.balances[2] == F.money("999.5"))
        #expect(engine.feePool == F.money("1"))
        #expect(engine.position(F.a(1), F.btc).cost == F.money("1000"))
        #expect(engine.position(F.a(2), F.btc).size == F.qty("-10"))
        #expect(engine.markets[0].longOpenInterest == F.qty("10"))
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("110")))
        let cross = try engine.crossMargin(of: F.a(1))
        #expect(cross.equity == F.money("1099.5").wide)  // 999.5 + 10 × (110 − 100)
        #expect(cross.maintenance == F.money("11").wide)  // 1,100 × 1 %
        #expect(cross.initial == F.money("55").wide)  // 1,100 / 20
        // A sells 4 @ 120: releases 400 of cost for 480 ⇒ realizes +80; B realizes −80.
        try F.step(&engine, F.trade(2, 1, "4", "120"))
        #expect(engine.balances[1] == F.money("1079.5"))
        #expect(engine.balances[2] == F.money("919.5"))
        #expect(engine.position(F.a(1), F.btc).cost == F.money("600"))
        #expect(engine.position(F.a(2), F.btc).cost == F.money("-600"))
        #expect(engine.position(F.a(1), F.btc).entryPrice == F.price("100"))
    }

    @Test func withdrawOnlyFreeCollateral() throws {
        var engine = try F.engine(deposits: ["100000", "1000", "1000"])
        try F.step(&engine, F.trade(1, 2, "6", "100"))
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("110")))
        // B: wallet 1,000, uPnL −60 ⇒ equity 940; IM 660/20 = 33 ⇒ free 907.
        F.expectRejected(
            &engine,
            .withdraw(account: F.a(2), amount: F.money("907.00000001")),
            .insufficientMargin,
            mentioning: "free collateral"
        )
        try F.step(&engine, .withdraw(account: F.a(2), amount: F.money("907")))
        // A: wallet 1,000, uPnL +60 ⇒ equity 1,060, but only the wallet can leave.
        F.expectRejected(
            &engine,
            .withdraw(account: F.a(1), amount: F.money("1000.1")),
            .insufficientMargin,
            mentioning: "wallet"
        )
        try F.step(&engine, .withdraw(account: F.a(1), amount: F.money("1000")))
        #expect(engine.totalWithdrawals == MoneySum(F.money("1907")))
    }

    @Test func initialMarginAndLeverage() throws {
        var engine = try F.engine(deposits: ["100000", "10", "1000"])
        // 10 @ 100 at 20× needs 50 of initial margin; A holds 10.
        F.expectRejected(&engine, F.trade(1, 2, "10", "100"), .insufficientMargin, mentioning: "buyer 1")
        F.expectRejected(
            &engine,
            .setLeverage(account: F.a(1), market: F.btc, leverage: F.lev("51")),
            .invalidField,
            mentioning: "leverage 51"
        )
        F.expectRejected(
            &engine,
            .setLeverage(account: F.a(1), market: F.btc, leverage: .zero),
            .invalidField,
            mentioning: "leverage 0"
        )
        try F.step(&engine, .setLeverage(account: F.a(1), market: F.btc, leverage: F.lev("50")))
        // At 50× the requirement is 20: still short; 5 units need 10: passes exactly.
        F.expectRejected(&engine, F.trade(1, 2, "10", "100"), .insufficientMargin, mentioning: "initial margin")
        try F.step(&engine, F.trade(1, 2, "5", "100"))
        // Lowering leverage to 20× would need 25 > 10.
        F.expectRejected(
            &engine,
            .setLeverage(account: F.a(1), market: F.btc, leverage: F.lev("20")),
            .insufficientMargin,
            mentioning: "leverage 20"
        )
    }

    @Test func isolatedMarginTransfersAndModeChanges() throws {
        var engine = try F.engine(deposits: ["100000", "1000", "1000"])
        try F.step(&engine, .setMarginMode(account: F.a(1), market: F.btc, mode: .isolated))
        try F.step(&engine, F.trade(1, 2, "10", "100"))
        // Opening draws exactly the initial margin 1,000 / 20 = 50 from the wallet.
        #expect(engine.position(F.a(1), F.btc).isolatedMargin == F.money("50"))
        #expect(engine.balances[1] == F.money("950"))
        F.expectRejected(
            &engine,
            .setMarginMode(account: F.a(1), market: F.btc, mode: .cross),
            .invalidState,
            mentioning: "open position"
        )
        try F.step(&engine, .adjustIsolatedMargin(account: F.a(1), market: F.btc, amount: F.money("25")))
        #expect(engine.position(F.a(1), F.btc).isolatedMargin == F.money("75"))
        F.expectRejected(
            &engine,
            .adjustIsolatedMargin(account: F.a(1), market: F.btc, amount: F.money("-25.00000001")),
            .insufficientMargin,
            mentioning: "below initial margin"
        )
        try F.step(&engine, .adjustIsolatedMargin(account: F.a(1), market: F.btc, amount: F.money("-25")))
        F.expectRejected(
            &engine,
            .adjustIsolatedMargin(account: F.a(2), market: F.btc, amount: F.money("5")),
            .invalidState,
            mentioning: "no open isolated"
        )
        // Closing at 101 realizes +10 into the isolated margin, which returns to the wallet: 950 + 50 + 10.
        try F.step(&engine, F.trade(2, 1, "10", "101"))
        #expect(engine.position(F.a(1), F.btc).isolatedMargin == .zero)
        #expect(engine.balances[1] == F.money("1010"))
        try F.step(&engine, .setMarginMode(account: F.a(1), market: F.btc, mode: .cross))
    }

    @Test func fundingSumsToZeroWithDustToFeePool() throws {
        var engine = try F.engine(deposits: ["100000", "1000", "1000"], mark: "12345.6")
        try F.step(&engine, F.trade(1, 2, "0.001", "12345.6"))
        // P̄ = 0.073 % ⇒ F = 0.023 %; Δ = 12,345.6 × 0.00023 = 2.839488 per BTC; 0.001 BTC ⇒ 0.002839488.
        let effects = try F.step(&engine, .funding(market: F.btc, inputs: FundingInputs(premium: F.rate("0.00073"))))
        #expect(engine.markets[0].fundingIndex == F.price("2.839488"))
        #expect(engine.balances[1] == F.money("1000") - Money(raw: 283_949))  // the long pays the ceiling
        #expect(engine.balances[2] == F.money("1000") + Money(raw: 283_948))  // the short receives the floor
        #expect(engine.feePool == Money(raw: 1))
        #expect(effects.contains { $0.kind == .fundingDust && $0.amount == Money(raw: 1) })
    }

    @Test func negativeFundingShortsPay() throws {
        var engine = try F.engine(deposits: ["100000", "1000", "1000"])
        try F.step(&engine, F.trade(1, 2, "10", "100"))
        // P̄ = −0.1 % ⇒ I − P̄ = 0.11 % clamps to 0.05 % ⇒ F = −0.05 %: Δ = −0.05, the short pays 0.5.
        try F.step(&engine, .funding(market: F.btc, inputs: FundingInputs(premium: F.rate("-0.001"))))
        #expect(engine.balances[1] == F.money("1000.5"))
        #expect(engine.balances[2] == F.money("999.5"))
    }

    @Test func badInputLeavesStateUnchanged() throws {
        var engine = try F.engine(deposits: ["100000", "1000", "1000"])
        try F.step(&engine, F.trade(1, 2, "1", "100"))
        let unknown = MarketID(7)
        F.expectRejected(&engine, F.trade(1, 2, "0.0015", "100"), .invalidField, mentioning: "size 0.0015")
        F.expectRejected(&engine, F.trade(1, 2, "1", "100.05"), .invalidField, mentioning: "price 100.05")
        F.expectRejected(&engine, F.trade(1, 2, "0", "100"), .invalidField, mentioning: "size 0")
        F.expectRejected(&engine, F.trade(1, 2, "1", "-100"), .invalidField, mentioning: "price -100")
        F.expectRejected(&engine, F.trade(1, 1, "1", "100"), .invalidField, mentioning: "seller 1")
        F.expectRejected(&engine, F.trade(1, 9, "1", "100"), .unknownAccount, mentioning: "seller 9")
        F.expectRejected(&engine, F.trade(9, 1, "1", "100"), .unknownAccount, mentioning: "buyer 9")
        F.expectRejected(&engine, F.trade(1, 2, "1", "100", fee: "1"), .invalidField, mentioning: "buyerFee 1")
        F.expectRejected(
            &engine,
            .trade(TradeEvent(market: unknown, buyer: F.a(1), seller: F.a(2), size: F.qty("1"), price: F.price("100"))),
            .unknownMarket,
            mentioning: "market 7"
        )
        F.expectRejected(
            &engine,
            .deposit(account: F.a(5), amount: F.money("1")),
            .unknownAccount,
            mentioning: "account 5"
        )
        F.expectRejected(&engine, .deposit(account: F.a(1), amount: .zero), .invalidField, mentioning: "amount 0")
        F.expectRejected(
            &engine,
            .deposit(account: F.a(1), amount: F.money("-1")),
            .invalidField,
            mentioning: "amount -1"
        )
        F.expectRejected(
            &engine,
            .deposit(account: F.a(1), amount: Money(raw: Int64.max)),
            .overflow,
            mentioning: "overflows"
        )
        F.expectRejected(&engine, .withdraw(account: F.a(1), amount: .zero), .invalidField, mentioning: "amount 0")
        F.expectRejected(
            &engine,
            .withdraw(account: F.a(8), amount: F.money("1")),
            .unknownAccount,
            mentioning: "account 8"
        )
        F.expectRejected(&engine, .markPrice(market: F.btc, price: .zero), .invalidField, mentioning: "price 0")
        F.expectRejected(
            &engine,
            .indexPrice(market: unknown, price: F.price("1")),
            .unknownMarket,
            mentioning: "market 7"
        )
        F.expectRejected(
            &engine,
            .funding(market: unknown, inputs: FundingInputs()),
            .unknownMarket,
            mentioning: "market 7"
        )
        F.expectRejected(
            &engine,
            .setLeverage(account: F.a(9), market: F.btc, leverage: F.lev("2")),
            .unknownAccount,
            mentioning: "account 9"
        )
        F.expectRejected(
            &engine,
            .setMarginMode(account: F.a(1), market: F.btc, mode: .isolated),
            .invalidState,
            mentioning: "open position"
        )
        F.expectRejected(
            &engine,
            .adjustIsolatedMargin(account: F.a(1), market: F.btc, amount: .zero),
            .invalidField,
            mentioning: "amount 0"
        )
        F.expectRejected(
            &engine,
            .insuranceDeposit(market: nil, amount: F.money("-5")),
            .invalidField,
            mentioning: "amount -5"
        )
        F.expectRejected(
            &engine,
            .insuranceDeposit(market: unknown, amount: F.money("5")),
            .unknownMarket,
            mentioning: "market 7"
        )
        F.expectRejected(
            &engine,
            .listMarket(MarketListing(spec: F.spec(), profile: F.profile())),
            .duplicateMarket,
            mentioning: "BTCUSDT"
        )
        // Inverse markets are cleared; a zero contract value is rejected with the field named.
        var inverse = F.spec("XBTUSD")
        inverse.kind = .inverse
        inverse.contractValue = .zero
        F.expectRejected(
            &engine,
            .listMarket(MarketListing(spec: inverse, profile: F.profile())),
            .invalidField,
            mentioning: "contractValue 0"
        )
        var zeroTick = F.spec("ETHUSDT")
        zeroTick.tickSize = .zero
        F.expectRejected(
            &engine,
            .listMarket(MarketListing(spec: zeroTick, profile: F.profile())),
            .invalidField,
            mentioning: "tick 0"
        )
    }

    @Test func tradeNeedsATriggerPrice() throws {
        var engine = ClearingEngine()
        try engine.apply(.listMarket(MarketListing(spec: F.spec(), profile: F.profile())))
        try engine.apply(.deposit(account: F.a(0), amount: F.money("10")))
        try engine.apply(.deposit(account: F.a(1), amount: F.money("10")))
        F.expectRejected(&engine, F.trade(0, 1, "0.001", "100"), .invalidState, mentioning: "no trigger price")
        F.expectRejected(
            &engine,
            .funding(market: F.btc, inputs: FundingInputs()),
            .invalidState,
            mentioning: "no mark price"
        )
    }

    @Test func stateHashIsDeterministicAndSensitive() throws {
        let a = try F.engine(deposits: ["100000", "1000", "1000"])
        let b = try F.engine(deposits: ["100000", "1000", "1000"])
        #expect(a.stateHash == b.stateHash)
        let c = try F.engine(deposits: ["100000", "1000", "1000.00000001"])
        #expect(a.stateHash != c.stateHash)
    }
}
