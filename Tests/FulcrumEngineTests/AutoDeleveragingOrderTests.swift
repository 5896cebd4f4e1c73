import FulcrumCore
import FulcrumEngine
import Testing

private typealias F = Fixture

/// An executor with no liquidity: every liquidation goes to ADL.
struct NoLiquidity: LiquidationExecutor {
    mutating func fill(_ order: LiquidationOrder) -> LiquidationFill? { nil }
}

@Suite("Engine ADL order")
struct AutoDeleveragingOrderTests {
    /// BitMEX's ranking example, https://www.bitmex.com/app/autoDeleveragingExamples ("Example of Auto-Deleveraging
    /// and the Ranking System"): six longs of 10, 10, 20, 30, 20, 10 contracts with rankings 3, 6, 1, 4, 5, 2 are
    /// queued 2, 5, 4, 1, 6, 3, and a liquidated short of 20 closes account 2's 10 and 10 of account 5's 20 (the same
    /// example as `Tests/FulcrumCoreTests/AutoDeleveragingRankingTests.swift` `bitmexRankingExample`).
    ///
    /// Engine positions built to reproduce it (derivation): every long (accounts 1…6) buys at 80 and the mark moves to
    /// 100, so PNL% = (100·q − 80·q) / (80·q) = 25 %; deposits D = 300, 50, 1200, 600, 225, 425 give pool equity
    /// E = D + 20·q = 500, 250, 1600, 1200, 625, 625 and effective leverage |MarkValue| / E = 100·q / E = 2, 4, 1.25,
    /// 2.5, 3.2, 1.6, so the BitMEX scores 0.25 × leverage are 0.5, 1, 0.3125, 0.625, 0.8, 0.4 — the example's
    /// rankings (3, 6, 1, 4, 5, 2) in the same order. Account 7 is short 20 at 80 with 100 deposited: at 100 its equity
    /// is 100 − 20·20 = −300 and its bankruptcy price is 100 − (−300)/(−20) = 85.
    @Test func bitmexRankingExampleThroughTheEngine() throws {
        var engine = try Self.example(ranking: .pnlTimesLeverage)
        let scores = try (1...6).map { (account: UInt32) throws(EngineError) in
            try engine.autoDeleveragingScore(of: F.a(account), in: F.btc, ranking: .pnlTimesLeverage)
        }
        #expect(scores == [50_000_000, 100_000_000, 31_250_000, 62_500_000, 80_000_000, 40_000_000])
        let queue = try engine.autoDeleveragingQueue(market: F.btc, side: .long, excluding: nil)
        #expect(queue.map(\.raw) == [2, 5, 4, 1, 6, 3])

        var executor = NoLiquidity()
        var effects: [Effect] = []
        try engine.liquidationSweep(executor: &executor, effects: &effects)
        try engine.checkInvariants()
        let adl = effects.filter { $0.kind == .autoDeleverage }
        #expect(adl.map { $0.counterparty?.raw } == [2, 5])
        #expect(adl.map(\.size) == [F.qty("10"), F.qty("10")])
        #expect(adl.allSatisfy { $0.price == F.price("85") && $0.account == F.a(7) })
        // Account 2 closed 10 of 10; account 5 keeps 10 of 20; account 7 is flat with zero wallet and no bad debt
        // (ADL at the bankruptcy price leaves no deficit).
        #expect(engine.position(F.a(2), F.btc).size == .zero)
        #expect(engine.position(F.a(5), F.btc).size == F.qty("10"))
        #expect(engine.position(F.a(7), F.btc).size == .zero)
        #expect(engine.balances[7] == .zero)
        #expect(engine.badDebt.raw == 0)
        // Account 2 realized (85 − 80)·10 = 50 on top of its 50 deposit.
        #expect(engine.balances[2] == F.money("100"))
    }

    /// The same book under Hyperliquid's index `(mark / entry) · (notional / account value)`
    /// (https://hyperliquid.gitbook.io/hyperliquid-docs/trading/auto-deleveraging): 1.25 × leverage = 2.5, 5,
    /// 1.5625, 3.125, 4, 2; and under Binance's LeveragePnL `max(0,uPnL)/max(1,WB) × MM/(WB+uPnL)`
    /// (https://www.binance.com/zh-CN/support/announcement/360033525471) with MM = 1 % of 100·q: account 2
    /// 200/50 × 10/250 = 0.16, account 4 600/600 × 30/1200 = 0.025. Both keep the order 2, 5, 4, 1, 6, 3.
    @Test func hyperliquidAndBinanceRankings() throws {
        let hyperliquid = try Self.example(ranking: .unrealizedPnlAndLeverage)
        let hlScores = try (1...6).map { (account: UInt32) throws(EngineError) in
            try hyperliquid.autoDeleveragingScore(of: F.a(account), in: F.btc, ranking: .unrealizedPnlAndLeverage)
        }
        #expect(hlScores == [250_000_000, 500_000_000, 156_250_000, 312_500_000, 400_000_000, 200_000_000])
        #expect(
            try hyperliquid.autoDeleveragingQueue(market: F.btc, side: .long, excluding: nil).map(\.raw)
                == [2, 5, 4, 1, 6, 3]
        )
        let binance = try Self.example(ranking: .pnlTimesMarginRatio)
        #expect(try binance.autoDeleveragingScore(of: F.a(2), in: F.btc, ranking: .pnlTimesMarginRatio) == 16_000_000)
        #expect(try binance.autoDeleveragingScore(of: F.a(4), in: F.btc, ranking: .pnlTimesMarginRatio) == 2_500_000)
        #expect(
            try binance.autoDeleveragingQueue(market: F.btc, side: .long, excluding: nil).map(\.raw)
                == [2, 5, 4, 1, 6, 3]
        )
    }

    /// Equal scores are broken by ascending account id: two identical longs queue 1 before 2 whatever the order in
    /// which they traded.
    @Test func tiesBreakByAccountID() throws {
        var engine = try F.engine(deposits: ["100000", "500", "500", "100000"], mark: "80")
        try F.step(&engine, F.trade(2, 3, "1", "80"))
        try F.step(&engine, F.trade(1, 3, "1", "80"))
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("90")))
        let queue = try engine.autoDeleveragingQueue(market: F.btc, side: .long, excluding: nil)
        #expect(queue.map(\.raw) == [1, 2])
        let one = try engine.autoDeleveragingScore(of: F.a(1), in: F.btc, ranking: .pnlTimesLeverage)
        let two = try engine.autoDeleveragingScore(of: F.a(2), in: F.btc, ranking: .pnlTimesLeverage)
        #expect(one == two && one > 0)
    }

    /// Builds the BitMEX example book (see ``bitmexRankingExampleThroughTheEngine()``) with mark and index at 100.
    static func example(ranking: AutoDeleveragingRule.Ranking) throws -> ClearingEngine {
        var engine = try F.engine(
            profile: F.profile(ranking: ranking),
            deposits: ["1000000", "300", "50", "1200", "600", "225", "425", "100", "100000"],
            mark: "80"
        )
        let sizes = ["10", "10", "20", "30", "20", "10"]
        for (index, size) in sizes.enumerated() {
            try F.step(&engine, F.trade(UInt32(index + 1), 8, size, "80"))
        }
        // Account 8 (short 100 after the loop) buys 20 from account 7: 8 stays short 80, 7 is short 20.
        try F.step(&engine, F.trade(8, 7, "20", "80"))
        try F.step(&engine, .indexPrice(market: F.btc, price: F.price("100")))
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("100")))
        return engine
    }
}
