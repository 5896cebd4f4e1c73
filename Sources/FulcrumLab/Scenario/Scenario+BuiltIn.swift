public import FulcrumCore

extension Scenario {
    /// The lab's generic linear market: BTC-like 8-bracket tier table with Binance BTCUSDT's bracket shape
    /// (floors, max leverage, maintenance rates; deductions derived by the continuity recurrence). It is an
    /// illustrative default, not a venue's live table: pick a venue profile in a scenario file for that.
    public static func genericMarket(maintenanceScale: Double = 1) throws(LabError) -> MarketSpec {
        guard maintenanceScale > 0, maintenanceScale.isFinite, maintenanceScale < 20 else {
            throw LabError("maintenanceScale \(maintenanceScale) must be in (0, 20)")
        }
        // (floor, cap, max leverage, maintenance rate in bp)
        let rows: [(Int64, Int64?, Int64, Double)] = [
            (0, 50_000, 125, 40),
            (50_000, 600_000, 100, 50),
            (600_000, 3_000_000, 75, 65),
            (3_000_000, 12_000_000, 50, 100),
            (12_000_000, 70_000_000, 25, 200),
            (70_000_000, 100_000_000, 20, 250),
            (100_000_000, 230_000_000, 10, 500),
            (230_000_000, nil, 5, 1_000),
        ]
        var table: [(floor: Money, cap: Money?, maxLeverage: Leverage, maintenanceMarginRate: Rate)] = []
        do {
            for row in rows {
                // Scaled rate rounded half-even to a whole 10⁻⁸ (a configuration value, favours no one).
                let rate = Rate(raw: Int64((row.3 * maintenanceScale * 10_000).rounded(.toNearestOrEven)))
                guard rate < .one else {
                    throw LabError("maintenanceScale \(maintenanceScale) pushes a rate to \(rate)")
                }
                var cap: Money?
                if let c = row.1 { cap = try Money(units: c) }
                table.append((try Money(units: row.0), cap, try Leverage(units: row.2), rate))
            }
        } catch let error as LabError {
            throw error
        } catch {
            throw LabError("generic market: \(error)")
        }
        let tiers: MarginTierTable
        do {
            tiers = try MarginTierTable.derivingDeductions(table)
        } catch {
            throw LabError("generic market tiers: \(error)")
        }
        return MarketSpec(
            symbol: "BTC-PERP",
            tickSize: Price(raw: 10_000_000),
            stepSize: Quantity(raw: 100_000),
            tiers: tiers,
            tierSource: "Fulcrum lab generic table (shape of Binance BTCUSDT brackets; illustrative)"
        )
    }

    /// The lab's generic venue profile: tiered margin, mark-price trigger, full close, 0.5 % liquidation fee to the
    /// insurance fund capped at the remaining margin, ADL ranked by PnL × leverage at the bankruptcy price.
    public static var genericProfile: VenueProfile {
        VenueProfile(
            id: .generic,
            marginModel: .tiered,
            liquidationTrigger: .markPrice,
            liquidationProcedure: .full,
            liquidationFee: LiquidationFee(
                rate: Rate(raw: 500_000),
                recipient: .insuranceFund,
                cappedAtRemainingMargin: true
            ),
            closingFeeRate: .zero,
            maintenanceBasis: .liquidationPrice,
            insuranceFundScope: .shared,
            autoDeleveraging: AutoDeleveragingRule(ranking: .pnlTimesLeverage, price: .bankruptcy),
            funding: FundingRule(
                formula: .premiumPlusClampedInterest(
                    interest: Rate(raw: 10_000),
                    clamp: Rate(raw: 50_000),
                    cap: Rate(raw: 750_000)
                ),
                intervalSeconds: 28_800,
                rateIntervalSeconds: 28_800,
                basis: .mark
            ),
            sources: ["Fulcrum lab generic profile (see docs/SCENARIO.md)"]
        )
    }

    /// The built-in default scenario of `fulcrum stress` (documented in `docs/SCENARIO.md`): 100,000 accounts on
    /// a BTC-like market at 100,000, 1,440 one-minute steps of GBM (σ = 0.07 %/min) with a −10 % instant shock at
    /// step 60, a parametric book (1,000 levels 5 bp apart, 2 BTC at the touch growing 2 % per level), three oracle
    /// sources with 0/1/2-step latency (median), 10,000,000 of insurance fund, all agents on, feedback on.
    public static func builtIn() throws(LabError) -> Scenario {
        let market = try genericMarket()
        let levels = try BookLevels.parametric(
            levels: 1_000,
            spacing: Rate(raw: 50_000),
            firstSize: Quantity(raw: 200_000_000),
            slope: 0.02
        )
        return Scenario(
            name: "built-in: BTC-like perp, -10% shock on GBM",
            profile: genericProfile,
            market: market,
            startPrice: Price(raw: 100_000 * FixedPointScale.factor),
            steps: 1_440,
            stepSeconds: 60,
            priceModel: .shocked(.gbm(drift: 0, volatility: 0.0007), fraction: -0.10, atStep: 60),
            entryHistory: nil,
            entryVolatility: 0.0007,
            liquidity: LiquidityConfig(model: .book(bids: levels, asks: levels)),
            oracle: OracleConfig(
                sources: [OracleSource(latencySteps: 0), OracleSource(latencySteps: 1), OracleSource(latencySteps: 2)],
                aggregation: .median,
                heartbeatSteps: 1,
                deviationThreshold: .zero,
                stalenessSteps: 5
            ),
            population: PopulationConfig(),
            insuranceFund: Money(raw: 10_000_000 * FixedPointScale.factor),
            keeper: KeeperConfig(),
            agents: AgentsConfig(),
            feedback: true
        )
    }
}
