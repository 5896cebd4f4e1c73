import FulcrumCore
import FulcrumEngine
import Testing

/// Random populations for the liquidation-index and batch-check tests: isolated and cross accounts over linear
/// (Binance tiers, mark-triggered; dYdX and Drift, oracle-triggered; Hyperliquid) and inverse (BitMEX XBTUSD)
/// markets, both sides, leverage up to each market's first-tier maximum (so several tiers are reached).
enum IndexPopulation {
    /// The markets and their starting prices (whole units).
    static let markets: [(listing: MarketListing, price: Int64)] = [
        (MarketListing(spec: MarketCatalog.binanceBTCUSDT, profile: .binance), 60_000),
        (MarketListing(spec: MarketCatalog.dydxBTC, profile: .dydx), 60_000),
        (MarketListing(spec: MarketCatalog.bitmexXBTUSD, profile: .bitmex), 60_000),
        (MarketListing(spec: MarketCatalog.driftSOL, profile: .drift), 150),
        (MarketListing(spec: MarketCatalog.hyperliquidETH, profile: .hyperliquid), 3_000),
    ]

    static let unit = FixedPointScale.factor

    /// Applies `event`, ignoring a rejection (random candidates may lack margin); returns the effects when applied.
    @discardableResult
    static func attempt(_ engine: inout ClearingEngine, _ event: EngineEvent) -> [Effect]? {
        try? engine.apply(event)
    }

    /// An engine with `marketCount` markets, a deep backstop (account 0) and `accounts` traders: 40 % isolated
    /// single positions, 30 % cross single positions, 30 % cross accounts over 2–3 markets.
    static func engine(seed: UInt64, accounts: Int, marketCount: Int = markets.count) throws -> ClearingEngine {
        var random = SplitMixRandom(seed: seed)
        var engine = ClearingEngine()
        for (index, market) in markets.prefix(marketCount).enumerated() {
            try engine.apply(.listMarket(market.listing))
            let id = MarketID(UInt32(index))
            try engine.apply(.indexPrice(market: id, price: Price(raw: market.price * unit)))
            try engine.apply(.markPrice(market: id, price: Price(raw: market.price * unit)))
        }
        try engine.apply(.deposit(account: AccountID(0), amount: Money(raw: 1_000_000_000 * unit)))
        for account in 1...accounts {
            let id = AccountID(UInt32(account))
            let deposit = Int64(100 + random.below(10_000))
            try engine.apply(.deposit(account: id, amount: Money(raw: deposit * unit)))
            let roll = random.below(10)
            let isolated = roll < 4
            let count = roll < 7 ? 1 : 2 + random.below(min(2, marketCount - 1))
            var used: [Int] = []
            while used.count < min(count, marketCount) {
                let market = random.below(marketCount)
                if !used.contains(market) { used.append(market) }
            }
            for market in used {
                open(
                    &engine,
                    account: id,
                    market: market,
                    deposit: deposit / Int64(used.count),
                    isolated: isolated,
                    random: &random
                )
            }
        }
        return engine
    }

    /// Opens one position of `account` against the backstop at the market's trigger price.
    static func open(
        _ engine: inout ClearingEngine,
        account: AccountID,
        market: Int,
        deposit: Int64,
        isolated: Bool,
        random: inout SplitMixRandom
    ) {
        let id = MarketID(UInt32(market))
        let spec = engine.specs[market]
        let maxLeverage = spec.tiers.tiers[0].maxLeverage.raw / unit
        let leverage = Int64(1 + random.below(Int(max(maxLeverage, 1))))
        attempt(&engine, .setLeverage(account: account, market: id, leverage: Leverage(raw: leverage * unit)))
        if isolated { attempt(&engine, .setMarginMode(account: account, market: id, mode: .isolated)) }
        let price = engine.triggerPrice(id)
        let tick = spec.tickSize.raw
        let tradePrice = Price(raw: max(price.raw / tick * tick, tick))
        // Notional 30 %–95 % of deposit × leverage, in the settlement currency.
        let notional = Int128(deposit) * Int128(unit) * Int128(leverage) * Int128(30 + random.below(66)) / 100
        let rawSize: Int128
        if spec.kind == .inverse {
            rawSize = notional * Int128(tradePrice.raw) / Int128(spec.contractValue.raw)
        } else {
            rawSize = notional * Int128(unit) / Int128(tradePrice.raw)
        }
        let step = Int128(spec.stepSize.raw)
        let steps = max(min(rawSize / step, Int128(Int64.max) / step / 4), 1)
        let size = Quantity(raw: Int64(steps * step))
        let long = random.below(2) == 0
        attempt(
            &engine,
            .trade(
                TradeEvent(
                    market: id,
                    buyer: long ? account : AccountID(0),
                    seller: long ? AccountID(0) : account,
                    size: size,
                    price: tradePrice
                )
            )
        )
    }

    /// A random price event: market, mark or oracle (or both via two calls), a move of ±0.1 %…±`maxPercent` %
    /// from the current price, kept within [50 %, 200 %] of the start.
    static func priceMove(_ engine: ClearingEngine, random: inout SplitMixRandom, maxPercent: Int = 3) -> EngineEvent {
        let market = random.below(engine.marketCount)
        let id = MarketID(UInt32(market))
        let mark = random.below(2) == 0
        let current = mark ? engine.markets[market].markPrice.raw : engine.markets[market].indexPrice.raw
        let bps = Int64(10 + random.below(maxPercent * 100 - 9)) * (random.below(2) == 0 ? 1 : -1)
        let start = markets[market].price * unit
        let next = min(max(current + current / 10_000 * bps, start / 2), start * 2)
        return mark ? .markPrice(market: id, price: Price(raw: next)) : .indexPrice(market: id, price: Price(raw: next))
    }

    /// The accounts the sweep's first pass would act on, by a full scan (`nil` when an evaluation overflows).
    static func fullScan(_ engine: ClearingEngine) -> [AccountID]? {
        var result: [AccountID] = []
        for account in 0..<engine.accountCount {
            let id = AccountID(UInt32(account))
            guard let under = try? engine.isUnderMaintenance(id) else { return nil }
            if under { result.append(id) }
        }
        return result
    }
}
