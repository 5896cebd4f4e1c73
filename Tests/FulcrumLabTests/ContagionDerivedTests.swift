import FulcrumCore
import FulcrumIO
import PropertyBased
import Testing

@testable import FulcrumLab

@Suite("Composable leverage: derived collateral (LP tokens, yield-bearing tokens) and lending distributions")
struct ContagionDerivedTests {
    static let unit: Int64 = 100_000_000

    /// A 500-LP-share market on the layer's 2,000-BTC pool (one share = 1 BTC + $100,000 at the start).
    static func lpScenario(collateral: Int64 = 500) throws -> Scenario {
        var s = try ContagionTests.scenario(markets: [
            LendingMarketConfig(
                name: "LP/USD",
                collateral: .ammLP,
                borrowers: 120,
                totalCollateral: Quantity(raw: collateral * unit),
                loanToValueRange: 0.6...0.74
            )
        ])
        s.lending?.lpPoolBaseReserve = Quantity(raw: 2_000 * unit)
        return s
    }

    /// A stETH-like token on the traded asset: rate 1.0, +0.001 % per step, −15 % depeg at step 40.
    static func yieldScenario() throws -> Scenario {
        try ContagionTests.scenario(markets: [
            LendingMarketConfig(
                name: "stBTC/USD",
                collateral: .yieldBearing(
                    YieldBearingToken(
                        underlyingIsTraded: false,
                        accrualPerStep: Rate(raw: 1_000),
                        depegStep: 40,
                        depegFraction: Rate(raw: 15_000_000)
                    )
                ),
                borrowers: 120,
                totalCollateral: Quantity(raw: 100_000_000 * unit),
                loanToValueRange: 0.6...0.74
            )
        ])
    }

    /// One LP run shared by the tests that only read it (computed once).
    static let lpRun: Result<CascadeRun, any Error> = Result { try ContagionTests.run(try lpScenario()) }

    static func checkConservation(_ market: LendingMarketState) throws {
        let m = market.metrics
        let seizedToKeepers = m.collateralSeizedUnits - market.protocolFeeUnits
        #expect(market.depositedUnits == (try market.collateralInPool()) + seizedToKeepers + market.withdrawnUnits)
        #expect(
            market.borrowedUnits
                == (try market.debtOutstanding()) + m.debtRepaidUnits + market.unwindRepaidUnits
                + market.writtenOffUnits
        )
    }

    @Test func lpSharePriceFallsUnderTheCascadeAndSeizedSharesAreBurned() throws {
        let run = try Self.lpRun.get()
        let layer = try #require(run.lendingLayer)
        let pool = try #require(layer.lpPool)
        let market = layer.markets[0]
        let start = Price(raw: 2 * 100_000 * Self.unit)  // 1 BTC + $100,000
        #expect(market.collateralPrice < start.raw * 95 / 100)
        // Impermanent loss: the LP lost less than the traded asset but more than nothing.
        let traded = Double(try #require(run.trace?.traded.last))
        let lpRatio = Double(market.collateralPrice) / Double(start.raw)
        #expect(lpRatio > traded / 100_000)
        #expect(market.metrics.liquidations > 0)
        // Every share seized to keepers was burned against the pool; the base leg was sold on the book.
        let seizedToKeepers = market.metrics.collateralSeizedUnits - market.protocolFeeUnits
        #expect(Int128(pool.burnedShares) == seizedToKeepers)
        #expect(market.redeemedBaseUnits == pool.burnedBase)
        #expect(market.metrics.keeperTradedUnits == pool.burnedBase)
        #expect(pool.burnedBase > 0)
    }

    @Test func lpPoolAndMarketAreConservedToTheUnit() throws {
        let run = try Self.lpRun.get()
        let layer = try #require(run.lendingLayer)
        let pool = try #require(layer.lpPool)
        #expect(Int128(pool.pool.baseReserve.raw) == Int128(pool.startBase) + pool.arbitrageBaseIn - pool.burnedBase)
        #expect(
            Int128(pool.pool.quoteReserve.raw) == Int128(pool.startQuote) + pool.arbitrageQuoteIn - pool.burnedQuote
        )
        #expect(pool.supply == pool.startSupply - pool.burnedShares)
        try Self.checkConservation(layer.markets[0])
        let report = try #require(try run.contagionReport())
        #expect(report.rows[0].metrics.badDebtByCause[.cascadeImpact] == nil)
    }

    @Test func lpOnAnAMMScenarioDefaultsToTheAMMSize() throws {
        var s = try Self.lpScenario()
        s.lending?.lpPoolBaseReserve = nil
        s.liquidity.model = .constantProduct(baseDepth: Quantity(raw: 3_000 * Self.unit))
        s.liquidity.depthScale = 0.5
        let run = try ContagionTests.run(s)
        let pool = try #require(run.lendingLayer?.lpPool)
        #expect(pool.startSupply == 1_500 * Self.unit)
        #expect(try #require(run.lendingLayer?.markets[0]).collateralPrice < 2 * 100_000 * Self.unit * 95 / 100)
        try Self.checkConservation(try #require(run.lendingLayer?.markets[0]))
    }

    @Test func lpPoolArbitrageGivesTheImpermanentLoss() throws {
        var pool = try LendingLPPool(baseReserve: Quantity(raw: 1_000 * Self.unit), price: Price(raw: 100 * Self.unit))
        let before = pool.sharePrice(oracle: Price(raw: 100 * Self.unit))
        #expect(before.raw == 200 * Self.unit)
        try pool.arbitrage(to: Price(raw: 64 * Self.unit))
        // Spot 64: value per share = 2 · √(100 · 64) = 160 (exact up to the pool's rounding).
        let after = pool.sharePrice(oracle: Price(raw: 64 * Self.unit))
        #expect(abs(after.raw - 160 * Self.unit) < 1_000)
        #expect(after.raw <= 160 * Self.unit + 1)
    }

    @Test func lpBurnPaysProRataAndNeverMoreThanTheReserves() async {
        await propertyCheck(
            input: Gen.int64(in: 1...1_000_000),
            Gen.int64(in: 1...999_999)
        ) { priceUnits, burnPermille in
            do {
                var pool = try LendingLPPool(
                    baseReserve: Quantity(raw: 1_000 * Self.unit),
                    price: Price(raw: 100 * Self.unit)
                )
                try pool.arbitrage(to: Price(raw: priceUnits * 100_000))
                let x = Int128(pool.pool.baseReserve.raw)
                let y = Int128(pool.pool.quoteReserve.raw)
                let s = pool.supply * burnPermille / 1_000_000
                guard s > 0 else { return }
                let out = try pool.burn(s)
                #expect(Int128(out.base) + Int128(pool.pool.baseReserve.raw) == x)
                #expect(Int128(out.quote) + Int128(pool.pool.quoteReserve.raw) == y)
                // Rounded down: the burner never gets more than its exact share.
                #expect(Int128(out.base) * Int128(pool.startSupply) <= x * Int128(s))
                #expect(Int128(out.quote) * Int128(pool.startSupply) <= y * Int128(s))
            } catch {
                Issue.record("price \(priceUnits): \(error)")
            }
        }
    }

    @Test func yieldBearingPriceFallsOnTheDepegAndLeavesDerivedBadDebt() throws {
        let run = try ContagionTests.run(try Self.yieldScenario())
        let layer = try #require(run.lendingLayer)
        let market = layer.markets[0]
        // 1.00001^119 accrued, then × 0.85 at step 40: below 0.86.
        #expect(layer.yieldRates[0] < 86_000_000)
        #expect(layer.yieldRates[0] > 84_000_000)
        #expect(market.collateralPrice == layer.yieldRates[0])
        #expect(market.metrics.liquidations > 0)
        try Self.checkConservation(market)
        let report = try #require(try run.contagionReport())
        let bad = report.rows[0].metrics
        #expect(bad.badDebt == (bad.badDebtByCause[.derivedPrice] ?? MoneySum()))
    }

    @Test func yieldRateAccruesAndDepegsOnce() {
        let token = YieldBearingToken(
            accrualPerStep: Rate(raw: 1_000_000),
            depegStep: 2,
            depegFraction: Rate(raw: 50_000_000)
        )
        var rate = token.startRate.raw
        var seen: [Int64] = []
        for step in 0..<4 {
            rate = token.advance(rate, toStep: step)
            seen.append(rate)
        }
        #expect(seen == [100_000_000, 101_000_000, 51_005_000, 51_515_050])
    }

    @Test func badDerivedFieldsAreRejectedByName() throws {
        let cases: [(String, String)] = [
            (
                #"{"markets":[{"name":"x","collateral":"yieldBearing","yieldBearing":{"depegFraction":"1.5"}}]}"#,
                "yieldBearing.depegFraction 1.5"
            ),
            (
                #"{"markets":[{"name":"x","collateral":"yieldBearing","yieldBearing":{"underlying":"gold"}}]}"#,
                "yieldBearing.underlying"
            ),
            (#"{"markets":[{"name":"x","collateral":"ammLP"}],"lpPoolBaseReserve":"-1"}"#, "lpPoolBaseReserve -1"),
            (#"{"markets":[{"name":"x","debt":"ammLP"}]}"#, "debt ammLP"),
            (#"{"markets":[{"name":"x","collateral":"ammLP"}]}"#, "lending.lpPoolBaseReserve is required"),
        ]
        for (lending, expected) in cases {
            do {
                _ = try LabScenarioFile.parse(#"{"lending":"# + lending + "}", file: "t.json", baseDirectory: "/tmp")
                Issue.record("accepted \(lending)")
            } catch {
                #expect(error.message.contains(expected), "\(error.message)")
            }
        }
        // An LP market on an order book without a pool size: rejected when the layer is built, naming the field.
        var s = try Self.lpScenario()
        s.lending?.lpPoolBaseReserve = nil
        do {
            _ = try ContagionTests.run(s)
            Issue.record("accepted ammLP on a book without lending.lpPoolBaseReserve")
        } catch {
            #expect("\(error)".contains("lending.lpPoolBaseReserve"))
        }
        let tooMany = try Self.lpScenario(collateral: 2_500)
        do {
            _ = try ContagionTests.run(tooMany)
            Issue.record("accepted LP collateral above the pool's supply")
        } catch {
            #expect("\(error)".contains("lending.markets[0].totalCollateral"))
        }
    }

    @Test func contagionTableHeaderLinesUpWithItsRows() throws {
        let report = try #require(try Self.lpRun.get().contagionReport())
        var wide = report
        wide.rows[0].market = "a market name longer than thirty characters"
        wide.rows[0].metrics.badDebt = MoneySum(raw: 123_456_789_012 * Int128(Self.unit))
        for table in [report.terminalTable(), wide.terminalTable()] {
            let lines = table.split(separator: "\n").map(String.init)
            let h = try #require(lines.firstIndex { $0.hasPrefix("market") })
            let header = Array(lines[h])
            let row = Array(lines[h + 1])
            #expect(header.count == row.count, "\(lines[h])\n\(lines[h + 1])")
            // Right edges of the row's cells (after the name column) are right edges of header titles too.
            for i in ContagionReport.nameWidth..<row.count
            where row[i] != " " && (i + 1 == row.count || row[i + 1] == " ") {
                #expect(i < header.count && header[i] != " ", "column ending at \(i): \(lines[h])\n\(lines[h + 1])")
                #expect(i + 1 >= header.count || header[i + 1] == " ")
            }
        }
    }

    @Test func lendingDistributionsDoNotDependOnThreadCountAndSurviveShards() throws {
        var s = try ContagionTests.scenario()
        s.population.count = 300
        s.steps = 50
        let population = try MonteCarloRunner.population(scenario: s, seed: 3, threads: 2)
        let one = try MonteCarloRunner.run(scenario: s, population: population, paths: [0, 1, 2], seed: 3, threads: 1)
        let three = try MonteCarloRunner.run(
            scenario: s,
            population: population,
            paths: [0, 1, 2],
            seed: 3,
            threads: 3
        )
        #expect(one == three)
        #expect(one.allSatisfy { $0.lending.count == 1 })
        let summary = MonteCarloSummary(paths: one, accounts: population.count, seconds: 0)
        #expect(summary.lending.count == 1)
        #expect(summary.lending[0].badDebt.max >= summary.lending[0].badDebt.p95)
        let header = ShardFile.Header(
            paths: 3,
            accounts: population.count,
            seed: 3,
            shardIndex: 0,
            shardCount: 1,
            scenario: "x"
        )
        let decoded = try ShardFile.decode(ShardFile.encode(header: header, metrics: one))
        #expect(decoded.metrics == one)
        let report = LabReport(scenario: s, summary: summary)
        #expect(report.json().contains("\"lending\":[{\"market\":\"BTC/USD\""))
        #expect(report.terminalTable().contains("Lending layer over 3 paths"))
        #expect(report.html().contains("lending-distributions"))
    }
}
