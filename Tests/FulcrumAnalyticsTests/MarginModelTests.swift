import FulcrumAnalytics
import FulcrumCore
import Testing

struct MarginModelTests {
    /// Minute samples: calm ±0.05 % for `calmDays`, then ±1 % for `stressDays`.
    static func regimeSeries(calmDays: Int, stressDays: Int) throws -> PriceSeries {
        var prices: [Price] = []
        for i in 0..<((calmDays + stressDays) * 1_440) {
            let swing: Int64 = i < calmDays * 1_440 ? 50 : 1_000
            prices.append(try Price(units: i % 2 == 0 ? 100_000 : 100_000 + swing))
        }
        return try PriceSeries(timestamps: prices.indices.map { Int64($0) * 60_000 }, prices: prices)
    }

    @Test func staticRequirementIsConstant() throws {
        let series = try Self.regimeSeries(calmDays: 1, stressDays: 1)
        let rates = try MarginRequirementPath.rates(
            series,
            parameters: MarginModelParameters(kind: .static, staticRate: 0.05)
        )
        #expect(Set(rates) == [Rate(raw: 5_000_000)])
    }

    @Test func riseCapBoundsTheDailyIncrease() throws {
        let series = try Self.regimeSeries(calmDays: 3, stressDays: 3)
        let capped = MarginModelParameters(kind: .ewma, floor: 0.001, buffer: 0, maxDailyRise: 0.5)
        let rates = try MarginRequirementPath.rates(series, parameters: capped)
        for i in 1_440..<rates.count {
            // Compounded per minute, the day's rise is at most 1.5× (plus rounding of 10⁻⁸ per step).
            #expect(Double(rates[i].raw) <= 1.5 * Double(rates[i - 1_440].raw) + 1_440)
        }
        let uncapped = MarginModelParameters(kind: .ewma, floor: 0.001, buffer: 0, maxDailyRise: .infinity)
        let free = try MarginRequirementPath.rates(series, parameters: uncapped)
        #expect(free.last! > rates[3 * 1_440 + 60])  // without the cap the requirement jumps further, sooner
    }

    @Test func bufferIsReleasedInStress() throws {
        let series = try Self.regimeSeries(calmDays: 31, stressDays: 1)
        let p = MarginModelParameters(kind: .ewma, floor: 0.0001, buffer: 0.25, maxDailyRise: .infinity)
        let q = MarginModelParameters(kind: .ewma, floor: 0.0001, buffer: 0, maxDailyRise: .infinity)
        let withBuffer = try MarginRequirementPath.rates(series, parameters: p)
        let noBuffer = try MarginRequirementPath.rates(series, parameters: q)
        let calm = 20 * 1_440
        let ratio = Double(withBuffer[calm].raw) / Double(noBuffer[calm].raw)
        #expect(abs(ratio - 1.25) < 1e-6)  // calm: base × 1.25
        #expect(withBuffer.last == noBuffer.last)  // stress: the buffer is released
    }

    @Test func risingRequirementCausesMarginCallLiquidations() throws {
        // Flat price, rising volatility: only the requirement moves, so every liquidation is a margin call.
        let series = try Self.regimeSeries(calmDays: 2, stressDays: 2)
        let population = MarginPopulation(
            leverages: [Leverage(raw: 50 * FixedPointScale.factor)],
            notional: try Money(units: 100_000)
        )
        let dynamic = try MarginModelBacktest.run(
            series: series,
            parameters: MarginModelParameters(kind: .ewma, floor: 0.001, maxDailyRise: .infinity),
            population: population,
            crashWindow: 0..<1
        )
        let fixed = try MarginModelBacktest.run(
            series: series,
            parameters: MarginModelParameters(kind: .static, staticRate: 0.03),
            population: population,
            crashWindow: 0..<1
        )
        #expect(fixed.liquidations == 0)  // a 1 % swing leaves 2 % equity, above the 1.5 % maintenance
        #expect(dynamic.marginCallLiquidations > 0)
        #expect(dynamic.marginCallLiquidations <= dynamic.liquidations)
        #expect(dynamic.accounts == fixed.accounts)
        #expect(dynamic.maxDailyRise > 1)
    }

    @Test func badParametersAreRejectedNamingThem() throws {
        let series = try Self.regimeSeries(calmDays: 1, stressDays: 0)
        #expect {
            try MarginRequirementPath.rates(
                series,
                parameters: MarginModelParameters(kind: .ewma, maintenanceFraction: 1.5)
            )
        } throws: { error in
            "\(error)".contains("maintenance-fraction 1.5")
        }
        #expect {
            try MarginRequirementPath.rates(
                series,
                parameters: MarginModelParameters(kind: .garch, garchAlpha: 0.5, garchBeta: 0.6)
            )
        } throws: { error in
            "\(error)".contains("garch")
        }
    }
}
