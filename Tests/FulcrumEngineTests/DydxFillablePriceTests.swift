import FulcrumCore
import FulcrumEngine
import Testing

private typealias F = Fixture

/// An executor that records the order and fills at a fixed price against a fixed counterparty.
struct FixedPriceExecutor: LiquidationExecutor {
    var price: Price
    var counterparty: AccountID
    var orders: [LiquidationOrder] = []

    mutating func fill(_ order: LiquidationOrder) -> LiquidationFill? {
        orders.append(order)
        return LiquidationFill(price: price, counterparty: counterparty)
    }
}

/// dYdX v4 liquidation in the engine: the order carries the fillable price as its limit and the fee follows the
/// insurance-fund delta, through `DydxLiquidation` (the core math tested against upstream in
/// `Tests/FulcrumCoreTests/DydxLiquidationTests.swift`).
///
/// Book: dydxprotocol/v4-chain `protocol/x/clob/keeper/liquidations_test.go` `TestGetFillablePrice`, case "one long
/// position that is slightly below maintenance margin requirements": 0.1 BTC long at oracle $50,000 on a market with
/// 10 % maintenance (`BtcUsd_20PercentInitial_10PercentMaintenance`), TNC $499, MM $500 → fillable $49,999.
/// Reproduced here with IMF 20 %, maintenance fraction 50 % (MM = ceil(ceil(5,000 · 20 %) · 50 %) = 500): account 1
/// deposits 1,499 and buys 0.1 at 60,000 (oracle 60,000, initial margin 0.1 · 60,000 · 20 % = 1,200); at oracle
/// 50,000 its TNC is 1,499 + 0.1 · (50,000 − 60,000) = 499. Its bankruptcy price is 50,000 − 499/0.1 = 45,010, i.e.
/// the bankruptcy value $4,501 that the upstream account (USDC −4,501) has.
@Suite("dYdX fillable price")
struct DydxFillablePriceTests {
    static func engine() throws -> ClearingEngine {
        var spec = F.spec("BTC-USD")
        spec.tickSize = F.price("1")
        spec.marginModel = .dydx(
            initialMarginPpm: 200_000,
            maintenanceFractionPpm: 500_000,
            openInterestLowerCap: .zero,
            openInterestUpperCap: .zero
        )
        // The fillable price in isolation, as upstream TestGetFillablePrice: one full close of the 0.1 BTC ($5,000).
        // The shipped profile's per-block limits would close 10 % of it but at least $1,000 (0.02 BTC) per sweep;
        // those are checked on their own upstream vectors in DydxBlockLimitTests.
        var profile = VenueProfile.dydx
        profile.liquidationProcedure = .perSweepLimit(
            maxNotionalPerSweep: F.money("100000"),
            minNotional: F.money("1000")
        )
        var engine = ClearingEngine()
        try engine.apply(.listMarket(MarketListing(spec: spec, profile: profile)))
        for (index, amount) in ["100000", "1499", "100000", "100000"].enumerated() {
            try F.step(&engine, .deposit(account: F.a(UInt32(index)), amount: F.money(amount)))
        }
        try F.step(&engine, .indexPrice(market: F.btc, price: F.price("60000")))
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("60000")))
        try F.step(&engine, F.trade(1, 2, "0.1", "60000"))
        try F.step(&engine, .indexPrice(market: F.btc, price: F.price("50000")))
        let pool = try engine.crossMargin(of: F.a(1))
        #expect(pool.equity == F.money("499").wide)
        #expect(pool.maintenance == F.money("500").wide)
        return engine
    }

    /// A fill at the fillable price $49,999 is accepted. Fee = the insurance-fund delta: fill value 4,999.9 −
    /// bankruptcy value 4,501 = 498.9, capped at 4,999.9 × 1.5 % (the profile's fee) = 74.9985. The account realizes
    /// 0.1 · (49,999 − 60,000) = −1,000.1 and pays 74.9985: 1,499 − 1,000.1 − 74.9985 = 423.9015.
    @Test func fillAtTheFillablePrice() throws {
        var engine = try Self.engine()
        var executor = FixedPriceExecutor(price: F.price("49999"), counterparty: F.a(3))
        var effects: [Effect] = []
        try engine.liquidationSweep(executor: &executor, effects: &effects)
        try engine.checkInvariants()
        #expect(executor.orders.first?.limitPrice == F.price("49999"))
        #expect(executor.orders.first?.bankruptcyPrice == F.price("45010"))
        let fee = try #require(effects.first { $0.kind == .liquidationFee })
        #expect(fee.amount == F.money("74.9985") && fee.insuranceDelta == F.money("74.9985"))
        #expect(engine.insuranceFunds[1] == F.money("74.9985"))
        #expect(engine.balances[1] == F.money("423.9015"))
        #expect(engine.position(F.a(3), F.btc).size == F.qty("0.1"))
    }

    /// A fill below the fillable price ($49,998 for a long) is refused like no liquidity: the position goes to
    /// deleveraging at the bankruptcy price $45,010 against the only short (account 2).
    @Test func fillBeyondTheLimitIsRefused() throws {
        var engine = try Self.engine()
        var executor = FixedPriceExecutor(price: F.price("49998"), counterparty: F.a(3))
        var effects: [Effect] = []
        try engine.liquidationSweep(executor: &executor, effects: &effects)
        try engine.checkInvariants()
        #expect(!effects.contains { $0.kind == .liquidationFill })
        let adl = try #require(effects.first { $0.kind == .autoDeleverage })
        #expect(adl.counterparty == F.a(2) && adl.price == F.price("45010"))
        #expect(engine.position(F.a(3), F.btc).size == .zero)
        #expect(engine.balances[1] == .zero)
    }
}
