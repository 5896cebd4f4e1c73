import FulcrumCore
import FulcrumEngine
import Testing

private typealias F = Fixture

/// OKX's tier step-down on a size-bounded table (`MarketCatalog.okxBTC`, OKX `position-tiers` BTC-USDT isolated,
/// fetched 2026-09-18, via LeandroColombo111/okx-perp-backtest `src/okx_perp_backtest/friction/okx_tiers_snapshot.py`
/// @ 57a7fa5ae692136e26ef445345472184277844ee: tier 1 up to 10 BTC at 0.4 %, tier 2 up to 50 BTC at 0.5 %, tier 3 up
/// to 200 BTC at 0.75 %). OKX liquidates a position in tier 1 or 2 in full and reduces one in tier 3 or above to the
/// next lower tier ("V. Forced Partial or Full Liquidation",
/// https://supdljgzdhc.okx.com/hc/en-us/articles/360020411711, cited in `../shared/reference/perps.md`); the
/// engine keeps the largest size on the step grid within the lower tier's size cap.
@Suite("OKX size-tier step-down")
struct SizeTierStepDownTests {
    /// Account 1 buys `size` BTC at 60,000 at 10x with `deposit`, then the mark moves to `mark`:
    /// - 100 BTC (tier 3), 650,000: at 53,800 equity 650,000 − 100 · 6,200 = 30,000 < maintenance
    ///   100 · 53,800 · 0.75 % = 40,350, solvent: one sweep closes 50 BTC and keeps 50 (the tier-2 cap);
    /// - 20 BTC (tier 2), 130,000: at 53,600 equity 2,000 < 20 · 53,600 · 0.5 % = 5,360: closed in full (tier ≤ 2);
    /// - 100 BTC at 53,000: bankrupt (650,000 − 700,000 < 0): closed in full (here by ADL: the empty insurance
    ///   fund cannot cover the deficit of a fill, so no fill is expected).
    @Test(arguments: [
        ("100", "650000", "53800", "50", "50"), ("20", "130000", "53600", "20", "0"),
        ("100", "650000", "53000", "", "0"),
    ])
    func stepsDownToTheLowerTiersCap(size: String, deposit: String, mark: String, closed: String, kept: String) throws {
        var engine = ClearingEngine()
        try engine.apply(.listMarket(MarketListing(spec: MarketCatalog.okxBTC, profile: .okx)))
        for (index, amount) in ["100000000", deposit, "100000000", "100000000"].enumerated() {
            try F.step(&engine, .deposit(account: F.a(UInt32(index)), amount: F.money(amount)))
        }
        for account: UInt32 in [1, 2] {
            try F.step(&engine, .setLeverage(account: F.a(account), market: F.btc, leverage: F.lev("10")))
        }
        try F.step(&engine, .indexPrice(market: F.btc, price: F.price("60000")))
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("60000")))
        try F.step(&engine, F.trade(1, 2, size, "60000"))
        try F.step(&engine, .indexPrice(market: F.btc, price: F.price(mark)))
        try F.step(&engine, .markPrice(market: F.btc, price: F.price(mark)))
        let pool = try engine.crossMargin(of: F.a(1))
        #expect(pool.equity < pool.maintenance)
        var executor = FixedPriceExecutor(price: F.price(mark), counterparty: F.a(3))
        var effects: [Effect] = []
        try engine.liquidationSweep(executor: &executor, effects: &effects)
        try engine.checkInvariants()
        let fills = effects.filter { $0.kind == .liquidationFill && $0.account == F.a(1) }
        #expect(fills.map(\.size) == (closed.isEmpty ? [] : [-F.qty(closed)]))
        #expect(engine.position(F.a(1), F.btc).size == F.qty(kept))
    }
}
