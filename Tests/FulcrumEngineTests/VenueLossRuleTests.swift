import FulcrumCore
import Testing

@testable import FulcrumEngine

/// Venue loss rules in the engine: BitMEX's takeover at the bankruptcy price and Drift's socialized loss through the
/// cumulative funding rates, on the venues' own worked examples.
@Suite("Venue loss rules: BitMEX takeover, Drift socialization")
struct VenueLossRuleTests {
    typealias F = Fixture

    /// A linear market with one 100x tier at MM 0.5 % (the BitMEX example's numbers; not a catalog market).
    static let hundredX = MarketSpec(
        symbol: "TESTUSD",
        tickSize: F.price("0.01"),
        stepSize: F.qty("1"),
        tiers: try! MarginTierTable.derivingDeductions([
            (floor: F.money("0"), cap: nil, maxLeverage: F.lev("100"), maintenanceMarginRate: F.rate("0.005"))
        ]),
        tierSource: "test fixture (BitMEX liquidation example numbers)"
    )

    /// An engine on `spec` with `profile`, deposits for accounts 0… (0 = backstop vault) and marks at 100.
    static func engine(spec: MarketSpec, profile: VenueProfile, deposits: [String]) throws -> ClearingEngine {
        var engine = ClearingEngine()
        try engine.apply(.listMarket(MarketListing(spec: spec, profile: profile)))
        for (index, amount) in deposits.enumerated() {
            try engine.apply(.deposit(account: F.a(UInt32(index)), amount: F.money(amount)))
        }
        try engine.apply(.indexPrice(market: F.btc, price: F.price("100")))
        try engine.apply(.markPrice(market: F.btc, price: F.price("100")))
        try engine.apply(.setLeverage(account: F.a(3), market: F.btc, leverage: F.lev("100")))
        try engine.checkInvariants()
        return engine
    }

    /// Opens `account` long 1 at 100 with 100x against account 3 (the short side).
    static func openLong(_ engine: inout ClearingEngine, _ account: UInt32) throws {
        try F.step(&engine, .setLeverage(account: F.a(account), market: F.btc, leverage: F.lev("100")))
        try F.step(&engine, F.trade(account, 3, "1", "100"))
    }

    /// BitMEX liquidation example (https://testnet.bitmex.com/app/liquidationExamples, "Liquidation Example"; restated
    /// at https://doc.sat.is/product-docs/trading/liquidation/system-gain-and-losses): long 1 contract at $100.00,
    /// bankruptcy price $99.00. Trader A's liquidation fills at $99.25: the extra $0.25 goes to the insurance fund.
    /// Trader B's fills at $98.75: the fund's $0.25 covers the loss, ADL is avoided and the fund is left with $0.
    /// The liquidated traders lose their whole margin either way.
    @Test func bitmexTakeoverAtBankruptcy() throws {
        var engine = try Self.engine(spec: Self.hundredX, profile: .bitmex, deposits: ["100000", "1", "1", "10000"])
        try Self.openLong(&engine, 1)
        // A: fill at 99.25 (the backstop executor fills at the trigger price); bankruptcy 100 − 1/1 = 99.
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("99.25")))
        let first = try F.step(&engine, .liquidationSweep)
        try #require(first.map(\.kind) == [.liquidationFill, .liquidationFee])
        #expect(first[0].price == F.price("99.25"))
        #expect(first[1].amount == F.money("0.25"))  // the remaining margin, (99.25 − 99) × 1
        #expect(first[1].insuranceDelta == F.money("0.25"))
        #expect(engine.insuranceFunds[0] == F.money("0.25"))
        #expect(engine.balances[1] == .zero)
        // B: a new long at 100, then a fill at 98.75, beyond bankruptcy: the fund pays (99 − 98.75) × 1 = 0.25.
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("100")))
        try Self.openLong(&engine, 2)
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("98.75")))
        let second = try F.step(&engine, .liquidationSweep)
        try #require(second.map(\.kind) == [.liquidationFill, .insuranceCover])
        #expect(second[1].amount == F.money("0.25"))
        #expect(engine.insuranceFunds[0] == .zero)
        #expect(engine.balances[2] == .zero)
        #expect(!second.contains { $0.kind == .autoDeleverage })
        #expect(engine.badDebt == MoneySum())
    }

    /// Beyond what the fund can bear, the position is auto-deleveraged at the bankruptcy price (no fee, no fill).
    @Test func bitmexFundTooSmallDeleveragesAtBankruptcy() throws {
        var engine = try Self.engine(spec: Self.hundredX, profile: .bitmex, deposits: ["100000", "1", "1", "10000"])
        try Self.openLong(&engine, 1)
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("98.75")))  // empty fund, loss 0.25
        let effects = try F.step(&engine, .liquidationSweep)
        let adl = try #require(effects.first { $0.kind == .autoDeleverage })
        #expect(adl.price == F.price("99"))
        #expect(adl.counterparty == F.a(3))
        #expect(!effects.contains { $0.kind == .liquidationFee })
        #expect(engine.balances[1] == .zero)
        #expect(engine.insuranceFunds[0] == .zero)
    }

    /// Without the takeover (the generic fixture with a 0 % fee) the same fill leaves the 0.25 with the trader: the
    /// rule is what moves the money (the test would fail if the flag were ignored).
    @Test func withoutTakeoverTheMarginStaysWithTheTrader() throws {
        var profile = VenueProfile.bitmex
        profile.liquidationFee.takesRemainingMargin = false
        var engine = try Self.engine(spec: Self.hundredX, profile: profile, deposits: ["100000", "1", "1", "10000"])
        try Self.openLong(&engine, 1)
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("99.25")))
        try F.step(&engine, .liquidationSweep)
        #expect(engine.balances[1] == F.money("0.25"))
        #expect(engine.insuranceFunds[0] == .zero)
    }

    /// Drift `calculate_funding_rate_deltas_to_resolve_bankruptcy` (drift-labs/protocol-v2
    /// `programs/drift/src/math/liquidation/tests.rs`, total_base_asset_amount_not_zero, at 0ae3e3b1…): a $100 loss
    /// over 11 base of open interest → cumulative funding delta 9,090,910,000 (1e9) = $9.09091 per base, `div_ceil`
    /// at 10⁻⁶. Here the open interest is 5.5 long + 5.5 short (the engine's books balance) after A (long 5.5 at 100
    /// with 175) is closed at 50: loss 275 − 175 = 100. Every remaining position pays 9.09091 per base: the vault
    /// 50.000005, B 31.818185, C 18.18182; Σ = 100.00001, the 0.00001 residue goes to the fee pool as funding dust.
    @Test func driftSocializesThroughTheFundingRates() throws {
        let profile = F.profile(ranking: .socializeProRata, adlPrice: .oracle, feeRate: "0")
        var engine = try F.engine(profile: profile, deposits: ["100000", "175", "10000", "100"])
        try F.step(&engine, F.trade(1, 2, "3.5", "100"))
        try F.step(&engine, F.trade(1, 3, "2", "100"))
        let feePoolBefore = engine.feePool
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("50")))
        let effects = try F.step(&engine, .liquidationSweep)
        // One market-wide effect (as for funding): Δ and the sum of the payments; each position's payment is in its
        // balance.
        let charged = effects.filter { $0.kind == .socializedLoss }
        #expect(charged.map(\.account) == [nil])
        #expect(charged.map(\.counterparty) == [F.a(1)])
        #expect(charged.map(\.amount) == [F.money("100.00001")])
        #expect(charged.map(\.price) == [F.price("9.09091")])
        #expect(engine.balances[2] == F.money("9968.181815"))
        #expect(engine.balances[3] == F.money("81.81818"))
        #expect(engine.markets[0].socializedLossIndex == F.price("9.09091"))
        let dust = try #require(effects.last)
        #expect(dust.kind == .fundingDust)
        #expect(dust.amount == F.money("0.00001"))
        #expect(engine.feePool == (try feePoolBefore.adding(F.money("0.00001"))))
        #expect(engine.socializedLoss == MoneySum(F.money("100")))
        #expect(engine.balances[1] == .zero)
        #expect(engine.badDebt == MoneySum())
    }

    /// The Drift profile's per-unit rate is the core function's 10⁻⁸ ceiling rounded up to the program's 10⁻⁶ grid:
    /// never below it, never more than 10⁻⁶ above it.
    @Test func driftRateIsTheCoreCeilingOnTheProgramGrid() throws {
        let fine = try DriftLiquidation.socializedLossPerUnit(
            loss: try Money(units: -100),
            longOpenInterest: F.qty("5.5"),
            shortOpenInterest: F.qty("-5.5")
        )
        let engineRate = F.price("9.09091")
        #expect(fine <= engineRate)
        #expect(engineRate.raw - fine.raw < 100)
    }

    /// A payer whose pool cannot take its charge (a balance next to the 64-bit floor, set directly: events cannot
    /// reach it) stops the socialization with an overflow error, and the payers charged before it are refunded
    /// exactly: the targeted call is not journaled, so this is what keeps the other accounts whole.
    @Test func anOverflowingChargeRefundsThePayersBeforeIt() throws {
        let profile = F.profile(ranking: .socializeProRata, adlPrice: .oracle, feeRate: "0")
        var engine = try F.engine(profile: profile, deposits: ["100000", "175", "10000", "100"])
        try F.step(&engine, F.trade(1, 2, "3.5", "100"))
        try F.step(&engine, F.trade(1, 3, "2", "100"))
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("50")))
        engine.balances[3] = Money(raw: Int64.min + 1_000)
        let payer = engine.balances[2]
        let index = engine.markets[0].socializedLossIndex
        let feePool = engine.feePool
        var executor = BackstopExecutor(account: AccountID(0))
        var effects: [Effect] = []
        #expect {
            try engine.liquidate(accounts: [F.a(1)], executor: &executor, effects: &effects)
        } throws: { error in
            (error as? EngineError)?.code == .overflow
        }
        #expect(engine.balances[2] == payer)  // charged 31.818185, then refunded
        #expect(engine.balances[3] == Money(raw: Int64.min + 1_000))
        #expect(engine.markets[0].socializedLossIndex == index)
        #expect(engine.feePool == feePool)
        #expect(!effects.contains { $0.kind == .socializedLoss })
    }

    /// Each position's socialized charge, `⌈rate·|size| / 10⁸⌉` with the scale as a literal and a 64-bit fast path,
    /// equals the general 128-bit ceiling at ``FixedPointScale/wideFactor`` (or both refuse), over products below
    /// and above 2⁶⁴ and exact multiples of the scale.
    @Test func socializedShareIsTheCeilingAtTheEngineScale() throws {
        var random = SplitMixRandom(seed: 77)
        var cases: [(UInt64, UInt64)] = [
            (100, 100_000_000), (100, 100_000_001), (1, 1), (0, 5), (UInt64(Int64.max), 1),
        ]
        for _ in 0..<20_000 {
            let bits = { (r: inout SplitMixRandom) -> UInt64 in r.next() >> (r.next() % 64) }
            cases.append((bits(&random), bits(&random)))
        }
        for (rate, size) in cases {
            let general = try? FixedMath.narrow(
                try FixedMath.multiplyDivide(Int128(rate), Int128(size), FixedPointScale.wideFactor, rounding: .up),
                field: "share"
            )
            let fast = try? ClearingEngine.socializedShare(rate: rate, size: size)
            #expect(fast == general, "rate \(rate) size \(size)")
        }
    }

    /// The branch-free charge pass against the pass that stops at the first overflow: on random pools and positions
    /// (flat, cross or isolated, either side; rates and sizes whose products leave 64 bits; pools next to the 64-bit
    /// floor), it returns the same sum and leaves the same arrays, or declines (`nil`) and leaves them exactly as
    /// they were, in which case the stopping pass reports an overflow or needs the 128-bit share.
    @Test func branchFreeChargeEqualsTheStoppingPass() {
        var random = SplitMixRandom(seed: 4_242)
        var declined = 0
        var charged = 0
        for round in 0..<600 {
            let accounts = 1 + random.below(40)
            let marketCount = 1 + random.below(3)
            let market = random.below(marketCount)
            let excluding = random.below(accounts + 1) - 1
            let hard = round % 3 == 0  // near the 64-bit limits
            let edges = round % 3 == 1 && round % 2 == 0  // rate 1, products just above a multiple of 10⁸
            var balances: [Money] = []
            var positions: [Position] = []
            for _ in 0..<accounts {
                let floor = hard && random.below(8) == 0
                balances.append(
                    Money(raw: floor ? Int64.min + Int64(random.below(1_000)) : Int64(random.below(1 << 40)))
                )
                for _ in 0..<marketCount {
                    let open = random.below(3) != 0
                    let magnitude =
                        hard ? Int64(random.next() >> (1 + random.next() % 63)) : Int64(random.below(1 << 30))
                    let edge = Int64(random.below(1_000)) * 100_000_000 + Int64(random.below(3))
                    let size = open ? (random.below(2) == 0 ? 1 : -1) * (edges ? edge : magnitude) : 0
                    positions.append(
                        Position(
                            size: Quantity(raw: size),
                            isolatedMargin: Money(raw: floor ? Int64.min + 5 : Int64(random.below(1 << 40))),
                            leverage: Leverage(raw: 1_000_000_000),
                            mode: random.below(2) == 0 ? .cross : .isolated
                        )
                    )
                }
            }
            let rate = edges ? 1 : hard ? random.next() >> (random.next() % 64) : UInt64(random.below(1 << 24))
            let charge = SocializedCharge(rate: rate, market: market, marketCount: marketCount, excluding: excluding)
            var fastBalances = balances
            var fastPositions = positions
            let fast = charge.applyBranchFree(balances: &fastBalances, positions: &fastPositions)
            var slowBalances = balances
            var slowPositions = positions
            let slow = charge.applyStopping(balances: &slowBalances, positions: &slowPositions)
            if let fast {
                charged += 1
                #expect(slow.stoppedAt == nil, "round \(round)")
                #expect(fast == slow.charged, "round \(round)")
                #expect(fastBalances == slowBalances, "round \(round)")
                #expect(fastPositions == slowPositions, "round \(round)")
            } else {
                declined += 1
                #expect(fastBalances == balances, "round \(round): a declined pass must leave the pools as they were")
                #expect(fastPositions == positions, "round \(round)")
                let needsWide = (0..<accounts).contains { account in
                    let size = positions[account * marketCount + market].size.raw.magnitude
                    return account != excluding && rate.multipliedReportingOverflow(by: size).overflow
                }
                #expect(slow.stoppedAt != nil || needsWide, "round \(round): declined without a reason")
            }
        }
        #expect(declined > 20 && charged > 300, "declined \(declined), charged \(charged)")
    }
}
