import FulcrumCore
import FulcrumEngine
import Testing

/// Hand-built venue rules and markets for engine tests (independent of the shipped catalog).
enum Fixture {
    static func money(_ text: String) -> Money { try! Money(parsing: text) }
    static func price(_ text: String) -> Price { try! Price(parsing: text) }
    static func qty(_ text: String) -> Quantity { try! Quantity(parsing: text) }
    static func rate(_ text: String) -> Rate { try! Rate(parsing: text) }
    static func lev(_ text: String) -> Leverage { try! Leverage(parsing: text) }

    /// Two tiers: [0, 50,000) 50× mmr 1 %; [50,000, ∞) 10× mmr 5 % (deduction 2,000).
    static let tiers = try! MarginTierTable.derivingDeductions([
        (floor: money("0"), cap: money("50000"), maxLeverage: lev("50"), maintenanceMarginRate: rate("0.01")),
        (floor: money("50000"), cap: nil, maxLeverage: lev("10"), maintenanceMarginRate: rate("0.05")),
    ])

    static func spec(_ symbol: String = "BTCUSDT") -> MarketSpec {
        MarketSpec(
            symbol: symbol,
            tickSize: price("0.1"),
            stepSize: qty("0.001"),
            tiers: tiers,
            tierSource: "test fixture"
        )
    }

    static func profile(
        id: VenueID = .generic,
        ranking: AutoDeleveragingRule.Ranking = .pnlTimesLeverage,
        adlPrice: AutoDeleveragingRule.PriceSource = .bankruptcy,
        procedure: LiquidationProcedure = .full,
        feeRate: String = "0.01",
        recipient: LiquidationFee.Recipient = .insuranceFund,
        capped: Bool = false,
        scope: InsuranceFundScope = .shared,
        trigger: LiquidationTrigger = .markPrice,
        funding: FundingRule.Formula = .premiumPlusClampedInterest(
            interest: Rate(raw: 10_000),
            clamp: Rate(raw: 50_000),
            cap: Rate(raw: 750_000)
        ),
        fundingInterval: Int64 = 28_800,
        rateInterval: Int64 = 28_800
    ) -> VenueProfile {
        VenueProfile(
            id: id,
            marginModel: .tiered,
            liquidationTrigger: trigger,
            liquidationProcedure: procedure,
            liquidationFee: LiquidationFee(rate: rate(feeRate), recipient: recipient, cappedAtRemainingMargin: capped),
            closingFeeRate: .zero,
            maintenanceBasis: .liquidationPrice,
            insuranceFundScope: scope,
            autoDeleveraging: AutoDeleveragingRule(ranking: ranking, price: adlPrice),
            funding: FundingRule(
                formula: funding,
                intervalSeconds: fundingInterval,
                rateIntervalSeconds: rateInterval,
                basis: .mark
            ),
            sources: ["test fixture"]
        )
    }

    static let btc = MarketID(0)
    static func a(_ raw: UInt32) -> AccountID { AccountID(raw) }

    /// An engine with one market at mark/index `mark` and deposits for accounts 0… (account 0 = backstop).
    static func engine(
        profile: VenueProfile = Fixture.profile(),
        deposits: [String],
        mark: String = "100"
    ) throws -> ClearingEngine {
        var engine = ClearingEngine()
        try engine.apply(.listMarket(MarketListing(spec: spec(), profile: profile)))
        for (index, amount) in deposits.enumerated() {
            try engine.apply(.deposit(account: a(UInt32(index)), amount: money(amount)))
        }
        try engine.apply(.indexPrice(market: btc, price: price(mark)))
        try engine.apply(.markPrice(market: btc, price: price(mark)))
        try engine.checkInvariants()
        return engine
    }

    static func trade(
        _ buyer: UInt32,
        _ seller: UInt32,
        _ size: String,
        _ price: String,
        fee: String = "0"
    )
        -> EngineEvent
    {
        .trade(
            TradeEvent(
                market: btc,
                buyer: a(buyer),
                seller: a(seller),
                size: qty(size),
                price: Fixture.price(price),
                buyerFeeRate: rate(fee),
                sellerFeeRate: rate(fee)
            )
        )
    }

    /// Applies an event and checks every invariant afterwards.
    @discardableResult
    static func step(_ engine: inout ClearingEngine, _ event: EngineEvent) throws -> [Effect] {
        let effects = try engine.apply(event)
        try engine.checkInvariants()
        return effects
    }

    /// Expects `event` to be rejected with `code` and the state hash to be unchanged.
    static func expectRejected(
        _ engine: inout ClearingEngine,
        _ event: EngineEvent,
        _ code: EngineError.Code,
        mentioning text: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let before = engine.stateHash
        do {
            try engine.apply(event)
            Issue.record("expected \(code) for \(event)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, sourceLocation: sourceLocation)
            #expect(error.message.contains(text), "message: \(error.message)", sourceLocation: sourceLocation)
        }
        #expect(engine.stateHash == before, sourceLocation: sourceLocation)
        #expect(throws: Never.self, sourceLocation: sourceLocation) { try engine.checkInvariants() }
    }
}
