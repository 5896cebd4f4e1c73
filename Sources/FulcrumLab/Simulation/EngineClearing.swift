import FulcrumCore
import FulcrumEngine

/// The lab's population mirrored into a `FulcrumEngine.ClearingEngine`, so liquidation detection, the waterfall
/// (fee, insurance fund, ADL at the bankruptcy price, socialized loss, bad debt) are the engine's own.
///
/// Account 0 is the engine's backstop vault, account 1 the "house" (the market makers who took the other side of
/// every position and who take liquidation fills), lab account `i` is engine account `i + 2`. Each lab account is
/// opened exactly as a trader would: deposit its margin, choose isolated or cross, set the leverage, trade at its
/// entry price (the mark is moved to the entry first), and for isolated positions move the rest of the margin in.
struct EngineClearing: Sendable {
    var engine: ClearingEngine
    let market = MarketID(0)
    static let house = AccountID(1)
    static let offset = 2

    init(scenario: Scenario, population: AccountBook, seed: UInt64) throws(LabError) {
        engine = ClearingEngine(configuration: EngineConfiguration(backstopAccount: AccountID(0), seed: seed))
        do {
            try engine.apply(.listMarket(MarketListing(spec: scenario.market, profile: scenario.profile)))
            try engine.apply(
                .deposit(account: AccountID(0), amount: Money(raw: 1_000_000_000 * FixedPointScale.factor))
            )
            try engine.apply(.deposit(account: Self.house, amount: Money(raw: 50_000_000_000 * FixedPointScale.factor)))
            if scenario.insuranceFund.isPositive {
                try engine.apply(.insuranceDeposit(market: nil, amount: scenario.insuranceFund))
            }
            let firstTierMax = scenario.market.tiers.tiers[0].maxLeverage
            try engine.apply(.setLeverage(account: Self.house, market: market, leverage: firstTierMax))
            for i in 0..<population.count {
                let id = AccountID(UInt32(i + Self.offset))
                let size = Quantity(raw: population.sizes[i])
                let entry = Price(raw: population.entries[i])
                let margin = Money(raw: population.margins[i])
                try engine.apply(.deposit(account: id, amount: margin))
                let isolated = !population.isCross(i)
                if isolated { try engine.apply(.setMarginMode(account: id, market: market, mode: .isolated)) }
                let notional = try size.notional(at: entry, rounding: .up)
                let cap = Leverage.minimum(firstTierMax, scenario.market.tiers.tier(forNotional: notional).maxLeverage)
                try engine.apply(.setLeverage(account: id, market: market, leverage: cap))
                try engine.apply(.markPrice(market: market, price: entry))
                try engine.apply(.indexPrice(market: market, price: entry))
                let long = population.side(i) == .long
                let trade = TradeEvent(
                    market: market,
                    buyer: long ? id : Self.house,
                    seller: long ? Self.house : id,
                    size: size,
                    price: entry
                )
                try engine.apply(.trade(trade))
                if isolated {
                    let rest = engine.balances[i + Self.offset]
                    if rest.isPositive {
                        try engine.apply(.adjustIsolatedMargin(account: id, market: market, amount: rest))
                    }
                }
            }
            try engine.apply(.markPrice(market: market, price: scenario.startPrice))
            try engine.apply(.indexPrice(market: market, price: scenario.startPrice))
        } catch {
            throw LabError("engine setup: \(error)")
        }
    }

    /// Liquidatable-at-start accounts would be swept at step 1; the margins the engine holds for each lab account.
    func margin(of i: Int) -> Money {
        let position = engine.position(AccountID(UInt32(i + Self.offset)), market)
        return position.mode == .isolated ? position.isolatedMargin : engine.balances[i + Self.offset]
    }
}
