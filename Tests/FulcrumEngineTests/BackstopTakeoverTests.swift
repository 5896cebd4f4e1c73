import FulcrumCore
import FulcrumEngine
import Testing

private typealias F = Fixture

/// Hyperliquid's backstop liquidation (https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations): below
/// 2/3 of maintenance margin the backstop vault takes the position over with the remaining margin; maintenance margin
/// is not returned.
///
/// Book (hand-computed): fixture tiers (mmr 1 %), account 1 deposits 60 and buys 10 at 100 from account 2 (initial
/// margin 1,000/20 = 50). At mark P: equity E = 60 + 10·(P − 100), maintenance MM = 0.01·10·P = 0.1·P.
/// - P = 94.5: E = 5, MM = 9.45, 2/3·MM = 6.3 → E < 2/3·MM: takeover.
/// - P = 94.8: E = 8, MM = 9.48, 2/3·MM = 6.32 → 2/3·MM ≤ E < MM: ordinary liquidation through the executor.
@Suite("Backstop takeover")
struct BackstopTakeoverTests {
    static func engine(isolated: Bool = false) throws -> ClearingEngine {
        var engine = try F.engine(
            profile: F.profile(id: .hyperliquid, feeRate: "0", recipient: .liquidator),
            deposits: ["100000", "60", "100000"]
        )
        if isolated {
            try F.step(&engine, .setMarginMode(account: F.a(1), market: F.btc, mode: .isolated))
        }
        try F.step(&engine, F.trade(1, 2, "10", "100"))
        if isolated {
            // The trade drew the 50 of initial margin from the wallet; move the other 10 in too so the isolated pool
            // holds the same 60 as the cross pool.
            try F.step(&engine, .adjustIsolatedMargin(account: F.a(1), market: F.btc, amount: F.money("10")))
        }
        return engine
    }

    static func move(_ engine: inout ClearingEngine, to price: String) throws {
        try F.step(&engine, .indexPrice(market: F.btc, price: F.price(price)))
        try F.step(&engine, .markPrice(market: F.btc, price: F.price(price)))
    }

    /// At 94.5 the vault takes the long at the mark without asking the executor (which has no liquidity here): the
    /// account is left flat with nothing (fill realizes 10·(94.5 − 100) = −55, the remaining 5 goes to the vault);
    /// the vault holds long 10 at cost 945 and its wallet grows by 5.
    @Test(arguments: [false, true])
    func takeoverBelowTwoThirdsOfMaintenance(isolated: Bool) throws {
        var engine = try Self.engine(isolated: isolated)
        try Self.move(&engine, to: "94.5")
        var executor = NoLiquidity()
        var effects: [Effect] = []
        try engine.liquidationSweep(executor: &executor, effects: &effects)
        try engine.checkInvariants()
        let fill = try #require(effects.first { $0.kind == .liquidationFill })
        #expect(fill.counterparty == F.a(0) && fill.price == F.price("94.5") && fill.amount == F.money("945"))
        let transfer = try #require(effects.first { $0.kind == .liquidationFee })
        #expect(transfer.amount == F.money("5") && transfer.counterparty == F.a(0) && transfer.insuranceDelta == .zero)
        #expect(!effects.contains { $0.kind == .autoDeleverage })
        #expect(engine.position(F.a(1), F.btc).size == .zero)
        #expect(engine.position(F.a(1), F.btc).isolatedMargin == .zero)
        #expect(engine.balances[1] == .zero)
        #expect(engine.position(F.a(0), F.btc).size == F.qty("10"))
        #expect(engine.position(F.a(0), F.btc).cost == F.money("945"))
        #expect(engine.balances[0] == F.money("100005"))
    }

    /// Between 2/3·MM and MM the ordinary procedure runs: the default executor fills at the mark 94.8 and the account
    /// keeps 60 − 52 = 8 (fee 0).
    @Test func ordinaryLiquidationAboveTheThreshold() throws {
        var engine = try Self.engine()
        try Self.move(&engine, to: "94.8")
        let effects = try F.step(&engine, .liquidationSweep)
        #expect(effects.contains { $0.kind == .liquidationFill && $0.price == F.price("94.8") })
        #expect(!effects.contains { $0.kind == .liquidationFee })
        #expect(engine.balances[1] == F.money("8"))
    }

    /// With no book liquidity above the threshold, a Hyperliquid pool with positive equity is not deleveraged (ADL
    /// is for negative account value only); a generic profile (no takeover rule) deleverages it as before.
    @Test func noLiquidityAboveTheThresholdWaits() throws {
        var engine = try Self.engine()
        try Self.move(&engine, to: "94.8")
        var executor = NoLiquidity()
        var effects: [Effect] = []
        try engine.liquidationSweep(executor: &executor, effects: &effects)
        try engine.checkInvariants()
        #expect(effects.isEmpty)
        #expect(engine.position(F.a(1), F.btc).size == F.qty("10"))

        var generic = try F.engine(profile: F.profile(feeRate: "0"), deposits: ["100000", "60", "100000"])
        try F.step(&generic, F.trade(1, 2, "10", "100"))
        try Self.move(&generic, to: "94.8")
        var genericEffects: [Effect] = []
        try generic.liquidationSweep(executor: &executor, effects: &genericEffects)
        #expect(genericEffects.contains { $0.kind == .autoDeleverage })
    }

    /// The rule is exact at the boundary: equity · 3 < maintenance · 2 (no 0.6667 rounding).
    @Test func thresholdIsExact() {
        let rule = BackstopTakeover.hyperliquid
        #expect(rule.applies(equity: 199, maintenance: 300))
        #expect(!rule.applies(equity: 200, maintenance: 300))
        #expect(!rule.applies(equity: -1, maintenance: 300))
        #expect(VenueProfile.hyperliquid.backstopTakeover == .hyperliquid)
        #expect(VenueProfile.binance.backstopTakeover == nil)
    }
}
