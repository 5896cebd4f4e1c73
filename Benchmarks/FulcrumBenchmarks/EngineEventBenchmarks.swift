import Benchmark
import FulcrumCore
import FulcrumEngine

/// The engine's per-event path for the other event kinds (fills, funding, collateral, liquidation sweep), each in
/// steady state with the effects buffer reused; the malloc counter is the allocation-free target.
func engineEventBenchmarks() {
    // One fill per scaled iteration between the backstop (account 0) and a funded trader (account 1,001) on Binance
    // BTCUSDT, alternating buy and sell of 0.001 BTC so both positions stay open and the state cycles.
    Benchmark(
        "ClearingEngine.apply.trade",
        configuration: eventConfiguration(scalingFactor: .kilo, wallClockNanoseconds: 1_824_767)
    ) { benchmark in
        var engine = try crossEngine(accounts: 1_000, seed: 42)
        let trader = try fundedTrader(&engine)
        let backstop = AccountID(0)
        let size = Quantity(raw: 100_000)  // 0.001 BTC
        let price = Price(raw: 93_000 * FixedPointScale.factor)
        let fills = [
            EngineEvent.trade(
                TradeEvent(market: MarketID(0), buyer: trader, seller: backstop, size: size, price: price)
            ),
            EngineEvent.trade(
                TradeEvent(market: MarketID(0), buyer: backstop, seller: trader, size: size, price: price)
            ),
        ]
        try applyAlternating(fills, to: &engine, benchmark)
    }

    // One funding payment per iteration on Binance BTCUSDT over the 1,000-account engine (1,001 open positions),
    // the venue rate alternating +0.01 % / −0.01 % so balances stay bounded.
    Benchmark(
        "ClearingEngine.apply.funding",
        configuration: eventConfiguration(scalingFactor: .one, wallClockNanoseconds: 103_103)
    ) { benchmark in
        var engine = try crossEngine(accounts: 1_000, seed: 42)
        let payments = [
            EngineEvent.funding(market: MarketID(0), inputs: FundingInputs(rateOverride: Rate(raw: 10_000))),
            EngineEvent.funding(market: MarketID(0), inputs: FundingInputs(rateOverride: Rate(raw: -10_000))),
        ]
        try applyAlternating(payments, to: &engine, benchmark)
    }

    // One deposit and one withdrawal of 100 per scaled iteration on the backstop account (three open positions, so
    // the withdrawal runs the cross-margin check).
    Benchmark(
        "ClearingEngine.apply.deposit+withdrawal",
        configuration: eventConfiguration(scalingFactor: .kilo, wallClockNanoseconds: 1_668_095)
    ) { benchmark in
        var engine = try crossEngine(accounts: 1_000, seed: 42)
        let amount = Money(raw: 100 * FixedPointScale.factor)
        let deposit = EngineEvent.deposit(account: AccountID(0), amount: amount)
        let withdrawal = EngineEvent.withdraw(account: AccountID(0), amount: amount)
        var effects: [Effect] = []
        effects.reserveCapacity(64)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            try engine.apply(deposit, effects: &effects)
            try engine.apply(withdrawal, effects: &effects)
            effects.removeAll(keepingCapacity: true)
        }
        blackHole(engine.eventCount)
    }

    // The sweep that follows a mark when nobody is under maintenance (the common case): the 1,000-account engine
    // after its shock, swept once before the measured region (that sweep liquidates the accounts the shock put under
    // maintenance), then one quiet `liquidationSweep` per iteration.
    Benchmark(
        "ClearingEngine.apply.liquidationSweep.quiet",
        configuration: eventConfiguration(scalingFactor: .one, wallClockNanoseconds: 905_215)
    ) { benchmark in
        var engine = try crossEngine(accounts: 1_000, seed: 42)
        var effects: [Effect] = []
        effects.reserveCapacity(4_096)
        try engine.apply(.liquidationSweep, effects: &effects)
        effects.removeAll(keepingCapacity: true)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            try engine.apply(.liquidationSweep, effects: &effects)
            precondition(effects.isEmpty, "the sweep after the first one must find nobody to liquidate")
        }
        blackHole(engine.eventCount)
    }

    // One −6 % mark move on both markets and the liquidation sweep that follows, on a fresh engine per iteration
    // (built before the measured region): partial liquidations of cross Hyperliquid accounts, full liquidations of
    // isolated Binance positions, the shared insurance fund covering the ones past bankruptcy, and auto-deleveraging
    // against the backstop (Hyperliquid deleverages negative equity; the preconditions below keep the fixture there).
    // The engine is in steady state: it cleared the same cascade once before on other accounts (its reused clearing
    // buffers are sized), as a live venue's engine has (``liquidationEngine(afterCascade:)``).
    Benchmark(
        "ClearingEngine.apply.liquidation",
        configuration: eventConfiguration(scalingFactor: .one, wallClockNanoseconds: 59_615)
    ) { benchmark in
        var engine = try liquidationEngine(afterCascade: true)
        let effects = try crashAndSweep(&engine, benchmark)
        precondition(effects.contains { $0.kind == .insuranceCover }, "the fixture must reach the insurance fund")
        precondition(effects.contains { $0.kind == .autoDeleverage }, "the fixture must reach auto-deleveraging")
        let partial = (1...20).contains { account in
            let size = engine.position(AccountID(UInt32(account)), MarketID(1)).size.raw
            return size != 0 && size < 2 * FixedPointScale.factor
        }
        precondition(
            partial,
            "the fixture must partially liquidate a cross Hyperliquid account: sizes "
                + "\((1...20).map { engine.position(AccountID(UInt32($0)), MarketID(1)).size })"
        )
        let isolatedClosed = (21...40).contains { engine.position(AccountID(UInt32($0)), MarketID(0)).size.raw == 0 }
        precondition(isolatedClosed, "the fixture must liquidate an isolated Binance position")
        blackHole(engine.eventCount)
    }

    // The same crash and sweep on the same fixture with 200,000 more (flat) accounts: the sweep's rollback journal
    // costs O(writes), not O(accounts) (the copy-on-write snapshot it replaced copied five arrays here: 5 mallocs and
    // about 2.8 ms more per acting sweep, 2026-11-21). What remains is the sweep's O(accounts) scan.
    Benchmark(
        "ClearingEngine.apply.liquidation.200k",
        configuration: eventConfiguration(scalingFactor: .one, wallClockNanoseconds: 2_398_207)
    ) { benchmark in
        var engine = try liquidationEngine(afterCascade: true)
        for _ in 0..<200_000 { _ = engine.openAccount() }
        _ = try crashAndSweep(&engine, benchmark)
        blackHole(engine.eventCount)
    }
}

/// An engine event benchmark's configuration: wall clock and the malloc counter, at most 2 s, the recorded p90 as
/// the wall-clock tolerance (``tolerances(wallClockNanoseconds:)``).
func eventConfiguration(scalingFactor: BenchmarkScalingFactor, wallClockNanoseconds: Int) -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .mallocCountTotal],
        scalingFactor: scalingFactor,
        maxDuration: .seconds(2),
        thresholds: tolerances(wallClockNanoseconds: wallClockNanoseconds)
    )
}

/// The measured region of the liquidation benchmarks: both marks fall 6 % (to 94,000) and a sweep clears the
/// accounts that puts under maintenance; returns the effects.
func crashAndSweep(_ engine: inout ClearingEngine, _ benchmark: Benchmark) throws -> [Effect] {
    let crash = Price(raw: 94_000 * FixedPointScale.factor)
    var effects: [Effect] = []
    effects.reserveCapacity(1_024)
    benchmark.startMeasurement()
    try engine.apply(.markPrice(market: MarketID(0), price: crash), effects: &effects)
    try engine.apply(.markPrice(market: MarketID(1), price: crash), effects: &effects)
    try engine.apply(.liquidationSweep, effects: &effects)
    benchmark.stopMeasurement()
    return effects
}

/// The measured steady state of a cycling event pair: one event per scaled iteration, `events[1]` first, then
/// `events[0]`, and so on, with the effects buffer reused.
func applyAlternating(_ events: [EngineEvent], to engine: inout ClearingEngine, _ benchmark: Benchmark) throws {
    var effects: [Effect] = []
    effects.reserveCapacity(64)
    var step = 0
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
        step &+= 1
        try engine.apply(events[step & 1], effects: &effects)
        effects.removeAll(keepingCapacity: true)
    }
    blackHole(engine.eventCount)
}

/// Opens account 1,001 of a ``crossEngine(accounts:seed:)`` engine with 1,000,000 and a 1 BTC long on Binance
/// BTCUSDT against the backstop.
func fundedTrader(_ engine: inout ClearingEngine) throws -> AccountID {
    let trader = AccountID(UInt32(engine.accountCount))
    var effects: [Effect] = []
    try engine.apply(
        .deposit(account: trader, amount: Money(raw: 1_000_000 * FixedPointScale.factor)),
        effects: &effects
    )
    let fill = TradeEvent(
        market: MarketID(0),
        buyer: trader,
        seller: AccountID(0),
        size: Quantity(raw: FixedPointScale.factor),
        price: Price(raw: 93_000 * FixedPointScale.factor)
    )
    try engine.apply(.trade(fill), effects: &effects)
    return trader
}

/// Binance BTCUSDT (market 0) and Hyperliquid BTC (market 1) at 100,000, the backstop (account 0) short against
/// 20 cross Hyperliquid longs of 2 BTC (accounts 1–20, deposits 10,000 + 250·k: a −6 % move (−12,000) puts the
/// lower deposits under maintenance, some only partially liquidated, the first seven past bankruptcy) and 20 isolated
/// Binance longs of 0.5 BTC (accounts
/// 21–40, 20× on odd ids, 10× on even: the odd ones are past bankruptcy at −6 %), and 1,000,000 in the shared
/// insurance fund.
///
/// `afterCascade`: before accounts 1–40 open their positions, accounts 41–80 open the same book (41–60 as 1–20,
/// 61–80 as 21–40), both marks fall 6 % and a sweep clears them (the same liquidations, insurance cover and ADL),
/// then the marks return to 100,000, the backstop closes what they still hold and the insurance fund is topped up
/// to 1,000,000: the engine has cleared a cascade before, as in steady state.
func liquidationEngine(afterCascade: Bool = false) throws -> ClearingEngine {
    let unit = FixedPointScale.factor
    let start = Price(raw: 100_000 * unit)
    var engine = ClearingEngine()
    var effects: [Effect] = []
    let listings = [
        MarketListing(spec: MarketCatalog.binanceBTCUSDT, profile: .binance),
        MarketListing(spec: MarketCatalog.hyperliquidBTC, profile: .hyperliquid),
    ]
    for (index, listing) in listings.enumerated() {
        let id = MarketID(UInt32(index))
        try engine.apply(.listMarket(listing), effects: &effects)
        try engine.apply(.indexPrice(market: id, price: start), effects: &effects)
        try engine.apply(.markPrice(market: id, price: start), effects: &effects)
    }
    try engine.apply(.deposit(account: AccountID(0), amount: Money(raw: 1_000_000_000 * unit)), effects: &effects)
    try engine.apply(.insuranceDeposit(market: nil, amount: Money(raw: 1_000_000 * unit)), effects: &effects)
    guard afterCascade else {
        try openLiquidationBook(&engine, first: 1)
        return engine
    }
    for account in 1...40 {
        try engine.apply(.deposit(account: AccountID(UInt32(account)), amount: Money(raw: unit)), effects: &effects)
    }
    try openLiquidationBook(&engine, first: 41)
    let crash = Price(raw: 94_000 * unit)
    for market in [MarketID(0), MarketID(1)] {
        try engine.apply(.markPrice(market: market, price: crash), effects: &effects)
    }
    try engine.apply(.liquidationSweep, effects: &effects)
    precondition(effects.contains { $0.kind == .autoDeleverage }, "the earlier cascade must reach auto-deleveraging")
    for market in [MarketID(0), MarketID(1)] {
        try engine.apply(.markPrice(market: market, price: start), effects: &effects)
        for account in 41...80 {
            let id = AccountID(UInt32(account))
            let size = engine.position(id, market).size
            guard size.raw != 0 else { continue }
            let long = size.raw > 0
            let close = TradeEvent(
                market: market,
                buyer: long ? AccountID(0) : id,
                seller: long ? id : AccountID(0),
                size: size.magnitude,
                price: start
            )
            try engine.apply(.trade(close), effects: &effects)
        }
    }
    let topUp = Money(raw: 1_000_000 * unit) - engine.insuranceFunds[0]
    if topUp.isPositive { try engine.apply(.insuranceDeposit(market: nil, amount: topUp), effects: &effects) }
    for account in 1...40 {
        try engine.apply(.withdraw(account: AccountID(UInt32(account)), amount: Money(raw: unit)), effects: &effects)
    }
    try openLiquidationBook(&engine, first: 1)
    return engine
}

/// Opens the fixture's book of ``liquidationEngine(afterCascade:)`` on accounts `first`…`first + 39` (accounts
/// `first`… must not exist yet, or hold nothing): 20 cross Hyperliquid longs, then 20 isolated Binance longs.
func openLiquidationBook(_ engine: inout ClearingEngine, first: Int) throws {
    let unit = FixedPointScale.factor
    let start = Price(raw: 100_000 * unit)
    var effects: [Effect] = []
    for account in first..<(first + 20) {
        let id = AccountID(UInt32(account))
        let k = account - first + 1
        try engine.apply(
            .deposit(account: id, amount: Money(raw: Int64(10_000 + 250 * k) * unit)),
            effects: &effects
        )
        let fill = TradeEvent(
            market: MarketID(1),
            buyer: id,
            seller: AccountID(0),
            size: Quantity(raw: 2 * unit),
            price: start
        )
        try engine.apply(.trade(fill), effects: &effects)
    }
    for account in (first + 20)..<(first + 40) {
        let id = AccountID(UInt32(account))
        let k = account - first + 1
        try engine.apply(.deposit(account: id, amount: Money(raw: 6_000 * unit)), effects: &effects)
        try engine.apply(.setMarginMode(account: id, market: MarketID(0), mode: .isolated), effects: &effects)
        let leverage = try Leverage(parsing: k.isMultiple(of: 2) ? "10" : "20")
        try engine.apply(.setLeverage(account: id, market: MarketID(0), leverage: leverage), effects: &effects)
        let fill = TradeEvent(
            market: MarketID(0),
            buyer: id,
            seller: AccountID(0),
            size: Quantity(raw: unit / 2),
            price: start
        )
        try engine.apply(.trade(fill), effects: &effects)
    }
}
