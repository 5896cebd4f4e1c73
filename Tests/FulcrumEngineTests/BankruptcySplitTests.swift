import FulcrumCore
import FulcrumEngine
import Testing

private typealias F = Fixture

/// The bankruptcy price of a partial close and of one position of several: the pool's equity is split by
/// maintenance share, `TNC · |DMMR| / TMMR`, as dYdX v4's `GetBankruptcyPriceInQuoteQuantums`
/// (dydxprotocol/v4-chain `protocol/x/clob/keeper/liquidations.go`), and dYdX liquidates one perpetual per
/// subaccount per block (`GetPerpetualPositionToLiquidate`).
///
/// Vectors: dydxprotocol/v4-chain `protocol/x/clob/keeper/liquidations_test.go`, `TestGetBankruptcyPriceInQuoteQuantums`
/// (markets `BtcUsd_20PercentInitial_10PercentMaintenance` at oracle $50,000 and
/// `EthUsd_20PercentInitial_10PercentMaintenance` at $3,000). Upstream sets USDC balances directly; here the same
/// total net collateral (TNC) comes from entries at other prices, so the upstream quote values are asserted as
/// `bankruptcy price × closed size`.
@Suite("Bankruptcy price split by maintenance share")
struct BankruptcySplitTests {
    /// A dYdX-style market (IMF 20 %, maintenance fraction 50 %: MMR 10 %) named `symbol`.
    static func spec(_ symbol: String) -> MarketSpec {
        var spec = F.spec(symbol)
        spec.tickSize = F.price("0.01")
        spec.marginModel = .dydx(
            initialMarginPpm: 200_000,
            maintenanceFractionPpm: 500_000,
            openInterestLowerCap: .zero,
            openInterestUpperCap: .zero
        )
        return spec
    }

    static let eth = MarketID(0)
    static let btc = MarketID(1)

    /// ETH is market 0 and BTC market 1, so a sweep closing in market order closes ETH first, as the upstream vector
    /// asks. Account 1 holds `ethSize` ETH (sign = side) entered at `ethEntry` and `btcSize` BTC entered at `btcEntry`
    /// after depositing `deposit`; account 2 is the original counterparty, 3 the book; oracle then moves to
    /// 3,000 / 50,000.
    static func engine(
        procedure: LiquidationProcedure,
        deposit: String,
        eth: (size: String, entry: String),
        btc: (size: String, entry: String)?
    ) throws -> ClearingEngine {
        var profile = VenueProfile.dydx
        profile.liquidationProcedure = procedure
        var engine = ClearingEngine()
        try engine.apply(.listMarket(MarketListing(spec: spec("ETH-USD"), profile: profile)))
        try engine.apply(.listMarket(MarketListing(spec: spec("BTC-USD"), profile: profile)))
        for (index, amount) in ["1000000", deposit, "1000000", "1000000"].enumerated() {
            try F.step(&engine, .deposit(account: F.a(UInt32(index)), amount: F.money(amount)))
        }
        var legs = [(eth, Self.eth)]
        if let btc { legs.append((btc, Self.btc)) }
        for (leg, market) in legs {
            try F.step(&engine, .indexPrice(market: market, price: F.price(leg.entry)))
            try F.step(&engine, .markPrice(market: market, price: F.price(leg.entry)))
            let size = F.qty(leg.size)
            let long = size.raw > 0
            try F.step(
                &engine,
                .trade(
                    TradeEvent(
                        market: market,
                        buyer: F.a(long ? 1 : 2),
                        seller: F.a(long ? 2 : 1),
                        size: size.magnitude,
                        price: F.price(leg.entry)
                    )
                )
            )
        }
        try F.step(&engine, .indexPrice(market: Self.eth, price: F.price("3000")))
        try F.step(&engine, .indexPrice(market: Self.btc, price: F.price("50000")))
        return engine
    }

    static let wholePositions = LiquidationProcedure.perSweepLimit(
        maxNotionalPerSweep: F.money("100000000"),
        minNotional: F.money("1")
    )

    /// "fully closing one long position and has multiple long positions": 0.004 BTC long and 0.1 ETH long, USDC −490
    /// (TNC $10, TMMR $50: BTC 20 + ETH 30). Closing the ETH: `−DNNV − TNC·|DMMR|/TMMR = 300 − 10 · 30/50 = 294`
    /// (`expectedBankruptcyPriceQuoteQuantums: 294_000_000`) ⇒ $2,940 per ETH. Here: entries BTC 70,000 and ETH
    /// 4,200 with a 210 deposit (unrealized −80 − 120 at the oracle ⇒ TNC 10). The old rule (the whole pool's TNC
    /// on the closed position) gave 3,000 − 10/0.1 = 2,900.
    @Test func closingOneLongOfSeveral() throws {
        var engine = try Self.engine(
            procedure: Self.wholePositions,
            deposit: "210",
            eth: ("0.1", "4200"),
            btc: ("0.004", "70000")
        )
        let pool = try engine.crossMargin(of: F.a(1))
        #expect(pool.equity == F.money("10").wide)
        #expect(pool.maintenance == F.money("50").wide)
        var executor = FixedPriceExecutor(price: F.price("3000"), counterparty: F.a(3))
        var effects: [Effect] = []
        try engine.liquidationSweep(executor: &executor, effects: &effects)
        try engine.checkInvariants()
        let first = try #require(executor.orders.first)
        #expect(first.market == Self.eth)
        #expect(first.bankruptcyPrice == F.price("2940"))
    }

    /// "fully closing one short position and has multiple short positions": 0.004 BTC short and 0.1 ETH short, USDC
    /// 510 (TNC 10, TMMR 50): `−306_000_000` ⇒ $3,060 per ETH bought back. Here: entries BTC 30,000 and ETH 1,800
    /// with a 210 deposit (unrealized −80 − 120 ⇒ TNC 10).
    @Test func closingOneShortOfSeveral() throws {
        var engine = try Self.engine(
            procedure: Self.wholePositions,
            deposit: "210",
            eth: ("-0.1", "1800"),
            btc: ("-0.004", "30000")
        )
        #expect(try engine.crossMargin(of: F.a(1)).equity == F.money("10").wide)
        var executor = FixedPriceExecutor(price: F.price("3000"), counterparty: F.a(3))
        var effects: [Effect] = []
        try engine.liquidationSweep(executor: &executor, effects: &effects)
        try engine.checkInvariants()
        let first = try #require(executor.orders.first)
        #expect(first.market == Self.eth && first.size == F.qty("0.1"))
        #expect(first.bankruptcyPrice == F.price("3060"))
    }

    /// Partial close of a single position: the slice carries the position's share of the equity, so its bankruptcy
    /// price is the whole position's (upstream vector "partially closing one long position that is at the bankruptcy
    /// price": 0.1 BTC long, USDC −5,000, closing 0.05 ⇒ 2,500 quote, i.e. $50,000, the position's bankruptcy price).
    /// Here 1 ETH long entered at 3,000 with 1,000 deposited; at the oracle 2,200, TNC 200 and TMMR 220: liquidatable.
    /// A block limit of 10 % with a $1,100 minimum closes $1,100 / 2,200 = 0.5 ETH; `DMMR = 220 − 110 = 110`, so the
    /// slice carries 200 · 110 / 220 = 100 of the equity and its bankruptcy price is 2,200 − 100 / 0.5 = 2,000 = the
    /// position's 2,200 − 200 / 1. The old rule (the whole pool's equity on the slice) gave 2,200 − 200 / 0.5 = 1,800.
    @Test func partialCloseKeepsThePositionsBankruptcyPrice() throws {
        var engine = try Self.engine(
            procedure: .blockLimits(
                positionPortion: F.rate("0.1"),
                minPositionNotional: F.money("1100"),
                maxNotionalPerAccount: F.money("100000000"),
                maxInsuranceLossPerAccount: F.money("1000000")
            ),
            deposit: "1000",
            eth: ("1", "3000"),
            btc: nil
        )
        try F.step(&engine, .indexPrice(market: Self.eth, price: F.price("2200")))
        let pool = try engine.crossMargin(of: F.a(1))
        #expect(pool.equity == F.money("200").wide)
        #expect(pool.maintenance == F.money("220").wide)
        var executor = FixedPriceExecutor(price: F.price("2200"), counterparty: F.a(3))
        var effects: [Effect] = []
        try engine.liquidationSweep(executor: &executor, effects: &effects)
        try engine.checkInvariants()
        let order = try #require(executor.orders.first)
        #expect(order.size == F.qty("-0.5"))
        #expect(order.bankruptcyPrice == F.price("2000"))
    }

    /// One perpetual per subaccount per block: an account under maintenance with two positions on a block-limited
    /// profile has exactly one of them reduced per sweep, and which one is a deterministic function of the log (the
    /// same on a replayed engine).
    @Test func onePositionPerBlock() throws {
        let procedure = LiquidationProcedure.blockLimits(
            positionPortion: F.rate("1"),
            minPositionNotional: F.money("1"),
            maxNotionalPerAccount: F.money("100000000"),
            maxInsuranceLossPerAccount: F.money("1000000")
        )
        var engine = try Self.engine(
            procedure: procedure,
            deposit: "210",
            eth: ("0.1", "4200"),
            btc: ("0.004", "70000")
        )
        let replica = engine
        var executor = OracleExecutor()
        var effects: [Effect] = []
        try engine.liquidationSweep(executor: &executor, effects: &effects)
        let fills = effects.filter { $0.kind == .liquidationFill && $0.account == F.a(1) }
        #expect(fills.count == 1)
        let open = [Self.eth, Self.btc].filter { engine.position(F.a(1), $0).size.raw != 0 }
        #expect(open.count == 1)
        var again = replica
        var executor2 = OracleExecutor()
        var effects2: [Effect] = []
        try again.liquidationSweep(executor: &executor2, effects: &effects2)
        #expect(again.stateHash == engine.stateHash)
        #expect(executor2.orders.map(\.market) == executor.orders.map(\.market))
    }
}

/// Fills every liquidation order at its trigger price (the oracle) against account 3.
private struct OracleExecutor: LiquidationExecutor {
    var orders: [LiquidationOrder] = []

    mutating func fill(_ order: LiquidationOrder) -> LiquidationFill? {
        orders.append(order)
        return LiquidationFill(price: order.triggerPrice, counterparty: AccountID(3))
    }
}
