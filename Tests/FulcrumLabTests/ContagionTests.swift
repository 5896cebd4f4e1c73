import Foundation
import FulcrumCore
import FulcrumEngine
import FulcrumIO
import PropertyBased
import Testing

@testable import FulcrumLab

@Suite("Composable leverage: lending layer in the cascade lab")
struct ContagionTests {
    static let dollar = Price(raw: 100_000_000)

    /// A small cascade: 2,000 perp accounts, 120 steps, a −30 % jump at step 20, and a lending market on the
    /// traded asset (BTC collateral, $1 debt) holding `collateral` BTC at 50–74 % loan-to-value.
    static func scenario(collateral: Int64 = 3_000, markets: [LendingMarketConfig]? = nil) throws -> Scenario {
        var s = try Scenario.builtIn()
        s.population.count = 2_000
        s.steps = 120
        s.priceModel = .shocked(.gbm(drift: 0, volatility: 0.0005), fraction: -0.30, atStep: 20)
        s.lending = LendingLayerConfig(
            markets: markets ?? [
                LendingMarketConfig(
                    name: "BTC/USD",
                    borrowers: 300,
                    totalCollateral: Quantity(raw: collateral * 100_000_000),
                    whaleShare: 0.2,
                    whaleLoanToValue: 0.72,
                    loanToValueRange: 0.5...0.74
                )
            ],
            gasCost: Money(raw: 50 * 100_000_000),
            maxLiquidationsPerStep: 40
        )
        return s
    }

    static func run(_ s: Scenario, seed: UInt64 = 7, threads: Int = 2) throws -> CascadeRun {
        let population: AccountBook
        if seed == 7, threads == 2, let b = try? base.get(), s.population == b.population,
            s.startPrice == b.startPrice, s.market == b.market, s.profile == b.profile, s.entryHistory == nil,
            s.entryVolatility == b.entryVolatility
        {
            population = try basePopulation.get()  // the populations of these tests are the same: built once
        } else {
            population = try MonteCarloRunner.population(scenario: s, seed: seed, threads: threads)
        }
        let clearing = try EngineClearing(scenario: s, population: population, seed: seed)
        return try CascadeRun.run(scenario: s, clearing: clearing, path: 0, seed: seed, recordTrace: true)
    }

    /// The default scenario (its population settings key the shared population).
    static let base = Result { try scenario() }
    /// The default scenario's population for seed 7 on 2 threads, generated once for every test.
    static let basePopulation = Result {
        try MonteCarloRunner.population(scenario: try base.get(), seed: 7, threads: 2)
    }
    /// One run of the default scenario (seed 7), shared by the tests that only read it.
    static let baseRun = Result { try run(try base.get()) }

    @Test func collateralAndDebtAreConservedToTheUnit() throws {
        var s = try Self.scenario()
        s.lending?.markets[0].loopShare = 0.3
        s.lending?.markets[0].loopLeverage = 2
        s.lending?.markets[0].unwindHealth = 1.15
        let run = try Self.run(s)
        let market = try #require(run.lendingLayer?.markets.first)
        let m = market.metrics
        #expect(m.liquidations > 0)
        #expect(m.loopers > 0)
        #expect(m.loopBoughtUnits > 0)
        // Collateral: deposited = in the pool (borrowers + treasury fee) + seized by keepers + withdrawn by unwinds.
        let seizedToKeepers = m.collateralSeizedUnits - market.protocolFeeUnits
        #expect(market.depositedUnits == (try market.collateralInPool()) + seizedToKeepers + market.withdrawnUnits)
        // Debt: borrowed = outstanding + repaid by keepers + repaid by unwinds + written off by the protocol.
        #expect(
            market.borrowedUnits
                == (try market.debtOutstanding()) + m.debtRepaidUnits + market.unwindRepaidUnits
                + market.writtenOffUnits
        )
    }

    @Test func lendingLiquidationsPushTheSharedBookDown() throws {
        var off = try Self.base.get()
        off.lending = nil
        let with = try Self.baseRun.get()
        let without = try Self.run(off)
        let lowWith = try #require(with.trace?.traded.min())
        let lowWithout = try #require(without.trace?.traded.min())
        #expect((with.lendingLayer?.markets[0].metrics.keeperTradedUnits ?? 0) > 0)
        #expect(lowWith < lowWithout)
    }

    @Test func insuranceShareCollateralFallsWhenTheFundPays() throws {
        var s = try Self.scenario(markets: [
            LendingMarketConfig(
                name: "IF-share/USD",
                collateral: .insuranceShare,
                borrowers: 50,
                totalCollateral: Quantity(raw: 1_000_000 * 100_000_000),
                loanToValueRange: 0.6...0.74
            )
        ])
        s.insuranceFund = Money(raw: 2_000_000 * 100_000_000)
        s.liquidity.depthScale = 0.05  // thin book: perp liquidations leave deficits the fund pays
        let run = try Self.run(s)
        let layer = try #require(run.lendingLayer)
        #expect(run.metrics.insuranceEnd < s.insuranceFund)
        let share = try LendingLayer.price(
            .insuranceShare,
            traded: 1,
            insurance: run.metrics.insuranceEnd.raw,
            start: layer.insuranceSharesOutstanding
        )
        #expect(share < Self.dollar)
        #expect(layer.markets[0].collateralPrice < Self.dollar.raw)
        // Seized shares were redeemed out of the engine's fund: the only withdrawals the lab's engine ever sees,
        // so they equal the engine's withdrawal total; the shares left outstanding fell by what keepers seized.
        let redeemedShares = s.insuranceFund.raw - layer.insuranceSharesOutstanding
        #expect(layer.markets[0].metrics.liquidations > 0)
        #expect(redeemedShares > 0)
        #expect(run.insuranceRedeemed > 0)
        #expect(run.clearing.engine.totalWithdrawals.raw == run.insuranceRedeemed)
        try run.clearing.engine.checkInvariants()
    }

    @Test func moreLiquidityNeverMeansMoreBadDebt() async throws {
        await propertyCheck(count: 3, input: Gen.uint64(in: 1...1_000)) { seed in
            do {
                var thin = try Self.scenario()
                // The property is about the lending market: a small perp book and the 40 steps after the shock do.
                thin.population.count = 500
                thin.steps = 60
                thin.lending?.markets[0].borrowers = 100
                thin.liquidity.depthScale = 0.3
                var deep = thin
                deep.liquidity.depthScale = 3
                let a = try #require(try Self.run(thin, seed: seed).contagionReport()).rows[0].metrics.badDebt
                let b = try #require(try Self.run(deep, seed: seed).contagionReport()).rows[0].metrics.badDebt
                #expect(b <= a, "seed \(seed): deep \(b) > thin \(a)")
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    @Test func higherGasNeverMeansMoreSmallLiquidations() throws {
        var cheap = try Self.scenario()
        cheap.lending?.markets[0].borrowers = 100  // enough small borrowers for the gas threshold to bite
        cheap.steps = 60
        cheap.lending?.gasCost = Money(raw: 1 * 100_000_000)
        var dear = cheap
        dear.lending?.gasCost = Money(raw: 20_000 * 100_000_000)
        let a = try Self.run(cheap).lendingLayer!.markets[0].metrics
        let b = try Self.run(dear).lendingLayer!.markets[0].metrics
        #expect(b.liquidations <= a.liquidations)
        #expect(b.skippedUnprofitable >= a.skippedUnprofitable)
        #expect(b.skippedUnprofitable > 0)
    }

    @Test func resultsDoNotDependOnThreadCount() throws {
        // The shared run generated its population on 2 threads; this one on 1.
        let one = try #require(try Self.run(try Self.base.get(), threads: 1).contagionReport())
        let two = try #require(try Self.baseRun.get().contagionReport())
        #expect(one == two)
    }

    @Test func isolatedPoolsContainContagion() throws {
        let s = try Self.scenario(markets: [
            LendingMarketConfig(
                name: "A: BTC/USD",
                borrowers: 200,
                totalCollateral: Quantity(raw: 3_000 * 100_000_000),
                whaleShare: 0.3,
                whaleLoanToValue: 0.74,
                loanToValueRange: 0.6...0.74
            ),
            LendingMarketConfig(
                name: "B: stable/USD",
                collateral: .fixed(Price(raw: 99_000_000)),
                borrowers: 100,
                totalCollateral: Quantity(raw: 100_000_000 * 100_000_000),
                loanToValueRange: 0.5...0.7
            ),
        ])
        let report = try #require(try Self.run(s).contagionReport())
        let a = report.rows[0]
        let b = report.rows[1]
        #expect(a.metrics.badDebt.raw > 0)
        #expect(b.metrics.badDebt.raw == 0)
        #expect(b.lenderLossIsolated.raw == 0)
        #expect(b.lenderLossShared.raw > 0)
        #expect(report.contagionReached == [b.market])
        #expect(a.lenderLossShared.raw + b.lenderLossShared.raw == a.metrics.badDebt.raw - Int128(report.backstop.raw))
    }

    @Test func crvScenarioRunsAndLeavesBadDebt() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/stress-crv-2022-11-22.json").path
        var s = try LabScenarioFile.load(path: path)
        // The episode is the lending whale's: the perp population and the hour after the first 20 minutes only
        // add run time.
        s.population.count = 400
        s.steps = 100
        let run = try Self.run(s, seed: 1)
        let report = try #require(try run.contagionReport())
        let whale = report.rows[0]
        #expect(whale.metrics.liquidations > 10)
        #expect(whale.metrics.badDebtUnits > 0)
        // Keepers bought the debt asset on the book: a short squeeze, the price rose.
        #expect((run.trace?.traded.max() ?? 0) > Double(s.startPrice.raw) / 1e8)
    }

    @Test func badLendingFieldsAreRejectedByName() throws {
        let cases: [(String, String)] = [
            (#"{"markets":[{"name":"x","collateral":"gold"}]}"#, "lending.markets[0].collateral"),
            (#"{"markets":[{"name":"x","loopLeverage":9}]}"#, "loopLeverage 9"),
            (#"{"markets":[{"name":"x"}],"sharing":"pooled"}"#, "lending.sharing"),
            (#"{"markets":[]}"#, "lending.markets"),
            (#"{"markets":[{"name":"x","borrowers":0}]}"#, "borrowers 0"),
        ]
        for (lending, expected) in cases {
            do {
                _ = try LabScenarioFile.parse(#"{"lending":"# + lending + "}", file: "t.json", baseDirectory: "/tmp")
                Issue.record("accepted \(lending)")
            } catch {
                #expect(error.message.contains(expected), "\(error.message)")
            }
        }
    }
}
