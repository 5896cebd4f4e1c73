public import FulcrumCore

/// A seeded stream of random but plausible events for one or more markets: setup (listings, deposits,
/// insurance fund, prices), then trades near the mark, price walks with occasional jumps, funding ticks,
/// sweeps, deposits, withdrawals and settings changes.
///
/// Candidates are not guaranteed to pass the engine's checks (a trade may lack margin). To produce a stream
/// that replays without rejections — what `fulcrum generate-events` writes — apply each candidate to a
/// ``ClearingEngine`` and keep the ones it accepts. With ``invalidPerMille`` > 0 some candidates are malformed on
/// purpose (property tests check that they are rejected without changing state).
/// Account 0 is the backstop vault and receives a large deposit.
public struct EventGenerator: Sendable {
    /// The listings emitted first.
    public let listings: [MarketListing]
    /// Number of accounts (including the backstop, account 0).
    public let accounts: Int
    private var random: SplitMixRandom
    private var marks: [Price]
    private let initialPrices: [Price]
    private var setup: [EngineEvent]
    private var setupIndex = 0
    /// Probability (out of 1,000) that a candidate is deliberately malformed (for property tests); default 0.
    public var invalidPerMille: Int

    /// Creates a generator.
    ///
    /// - Parameters:
    ///   - initialPrices: the starting mark/index price of each listing (on the tick grid).
    ///   - deposit: each trader's initial deposit; the backstop gets 1,000×, the insurance fund 10×.
    public init(
        seed: UInt64,
        accounts: Int,
        listings: [MarketListing],
        initialPrices: [Price],
        deposit: Money,
        invalidPerMille: Int = 0
    ) {
        precondition(accounts >= 2 && !listings.isEmpty && listings.count == initialPrices.count)
        self.listings = listings
        self.accounts = accounts
        self.random = SplitMixRandom(seed: seed)
        self.marks = initialPrices
        self.initialPrices = initialPrices
        self.invalidPerMille = invalidPerMille
        var setup: [EngineEvent] = listings.map { .listMarket($0) }
        setup.append(
            .deposit(
                account: AccountID(0),
                amount: Money(raw: deposit.raw.multipliedReportingOverflow(by: 1000).partialValue)
            )
        )
        for account in 1..<accounts {
            setup.append(.deposit(account: AccountID(UInt32(account)), amount: deposit))
        }
        setup.append(.insuranceDeposit(market: nil, amount: Money(raw: deposit.raw &* 10)))
        for (index, price) in initialPrices.enumerated() {
            let market = MarketID(UInt32(index))
            setup.append(.indexPrice(market: market, price: price))
            setup.append(.markPrice(market: market, price: price))
        }
        self.setup = setup
    }

    /// The next candidate event.
    public mutating func next() -> EngineEvent {
        if setupIndex < setup.count {
            setupIndex += 1
            return setup[setupIndex - 1]
        }
        if invalidPerMille > 0 && random.below(1000) < invalidPerMille { return malformed() }
        let market = random.below(listings.count)
        let id = MarketID(UInt32(market))
        let roll = random.below(1000)
        switch roll {
        case 0..<560: return trade(market)
        case 560..<700: return priceMove(market)
        case 700..<730:
            let premium = Rate(raw: Int64(random.below(20_001)) - 10_000)  // ±0.0001
            return .funding(
                market: id,
                inputs: FundingInputs(premium: premium, markTWAP: marks[market], oracleTWAP: marks[market])
            )
        case 730..<830: return .liquidationSweep
        case 830..<880: return .deposit(account: trader(), amount: money(10, 1_000))
        case 880..<930: return .withdraw(account: trader(), amount: money(1, 500))
        case 930..<960:
            let maximum = listings[market].spec.tiers.tiers[0].maxLeverage.raw / FixedPointScale.factor
            let leverage = Int64(1 + random.below(Int(max(maximum, 1))))
            return .setLeverage(
                account: trader(),
                market: id,
                leverage: Leverage(raw: leverage * FixedPointScale.factor)
            )
        case 960..<975:
            return .setMarginMode(account: trader(), market: id, mode: random.below(2) == 0 ? .cross : .isolated)
        case 975..<990:
            let amount = money(1, 100)
            return .adjustIsolatedMargin(account: trader(), market: id, amount: random.below(2) == 0 ? amount : -amount)
        default:
            return .insuranceDeposit(market: random.below(2) == 0 ? nil : id, amount: money(1, 100))
        }
    }

    private mutating func trader() -> AccountID { AccountID(UInt32(1 + random.below(accounts - 1))) }

    private mutating func money(_ low: Int, _ high: Int) -> Money {
        Money(raw: Int64(low + random.below(high - low + 1)) * FixedPointScale.factor)
    }

    private mutating func trade(_ market: Int) -> EngineEvent {
        let spec = listings[market].spec
        var buyer = trader()
        var seller = trader()
        if buyer == seller { seller = AccountID(0) }
        if random.below(2) == 0 { swap(&buyer, &seller) }
        let tick = spec.tickSize.raw
        let mark = marks[market]
        let offset = Int64(random.below(21)) - 10
        let price = Price(raw: max((mark.raw / tick + offset) * tick, tick))
        // Notional around 1 %–200 % of a 1,000 deposit (settlement currency): steps = notional / (price · step).
        let target = Int64(10 + random.below(2_000)) * FixedPointScale.factor
        let steps: Int64
        if spec.kind == .inverse {
            // Inverse: the target is in coin; one step is worth step · cv / price coin, so
            // steps = target · price / (step · cv) (truncated: a plausible size, not a money amount).
            let perStep = max(Int128(spec.stepSize.raw) * Int128(spec.contractValue.raw), 1)
            let wanted = Int128(target) * Int128(price.raw) / perStep
            steps = Int64(max(min(wanted, Int128(Int64.max) / Int128(max(spec.stepSize.raw, 1))), 1))
        } else {
            let perStep = max((Int128(price.raw) * Int128(spec.stepSize.raw) / Int128(FixedPointScale.factor)), 1)
            steps = max(Int64(Int128(target) / perStep), 1)
        }
        let size = Quantity(raw: steps &* spec.stepSize.raw)
        let fee = Rate(raw: Int64(random.below(3)) * 25_000)  // 0, 0.025 %, 0.05 %
        return .trade(
            TradeEvent(
                market: MarketID(UInt32(market)),
                buyer: buyer,
                seller: seller,
                size: size,
                price: price,
                buyerFeeRate: fee,
                sellerFeeRate: Rate(raw: 20_000)
            )
        )
    }

    private mutating func priceMove(_ market: Int) -> EngineEvent {
        let tick = listings[market].spec.tickSize.raw
        let mark = marks[market].raw
        // Mostly ±0.5 %, sometimes a ±6 % jump; kept within [20 %, 500 %] of the start.
        let scale = random.below(20) == 0 ? 600 : 50
        let bps = Int64(random.below(2 * scale + 1) - scale)
        var next = mark + mark / 10_000 * bps
        next = min(max(next, initialPrices[market].raw / 5), initialPrices[market].raw * 5)
        next = max(next / tick * tick, tick)
        marks[market] = Price(raw: next)
        let id = MarketID(UInt32(market))
        if random.below(2) == 0 { return .markPrice(market: id, price: marks[market]) }
        return .indexPrice(market: id, price: marks[market])
    }

    private mutating func malformed() -> EngineEvent {
        let id = MarketID(UInt32(random.below(listings.count)))
        switch random.below(6) {
        case 0: return .deposit(account: AccountID(UInt32(accounts + 5)), amount: .one)
        case 1: return .withdraw(account: trader(), amount: Money(raw: Int64.max / 2))
        case 2: return .markPrice(market: MarketID(UInt32(listings.count + 1)), price: .one)
        case 3:
            return .trade(
                TradeEvent(market: id, buyer: trader(), seller: trader(), size: Quantity(raw: 1), price: .one)
            )
        case 4: return .setLeverage(account: trader(), market: id, leverage: Leverage(raw: Int64.max))
        default: return .indexPrice(market: id, price: Price(raw: -1))
        }
    }
}
