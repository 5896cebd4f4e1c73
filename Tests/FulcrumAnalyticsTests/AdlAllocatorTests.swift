import FulcrumAnalytics
import FulcrumCore
import PropertyBased
import Testing

struct AdlAllocatorTests {
    static func candidate(_ id: String, pnl: Int64, notional: Int64, margin: Int64) throws -> AdlCandidate {
        try AdlCandidate(
            id: id,
            pnl: try Money(units: pnl),
            notional: try Money(units: notional),
            margin: try Money(units: margin),
            maintenance: try Money(units: notional).times(Rate(raw: 400_000), rounding: .up)
        )
    }

    static func sample() throws -> [AdlCandidate] {
        [
            try candidate("a", pnl: 100, notional: 10_000, margin: 100),  // leverage 50, PnL 100 %
            try candidate("b", pnl: 300, notional: 3_000, margin: 1_000),  // leverage ~2.3, PnL 30 %
            try candidate("c", pnl: 600, notional: 60_000, margin: 6_000),  // leverage ~9.1, PnL 10 %
        ]
    }

    @Test func rankedQueueTakesTheTopScoreFirst() throws {
        let allocation = try AdlAllocator.allocate(
            try Self.sample(),
            shortfall: try Money(units: 150),
            policy: .rankedPnlLeverage
        )
        // Scores: a 1.0 × 49.5, c 0.1 × 9.09, b 0.3 × 2.3: a gives its whole 100, then c 50.
        #expect(allocation.haircuts == [try Money(units: 100), .zero, try Money(units: 50)])
        #expect(allocation.accountsHit == 2)
    }

    @Test func proRataUsesLargestRemainders() throws {
        // 1 unit (10⁻⁸) over PnLs 100:300:600 → shares 0.1, 0.3, 0.6 of a unit: all floor to 0; the unit goes to c.
        let allocation = try AdlAllocator.allocate(try Self.sample(), shortfall: Money(raw: 1), policy: .proRata)
        #expect(allocation.haircuts.map(\.raw) == [0, 0, 1])
        let larger = try AdlAllocator.allocate(try Self.sample(), shortfall: try Money(units: 100), policy: .proRata)
        #expect(larger.haircuts == [try Money(units: 10), try Money(units: 30), try Money(units: 60)])
    }

    @Test func leverageFirstDrainsTheMostLeveredAccount() throws {
        let allocation = try AdlAllocator.allocate(
            try Self.sample(),
            shortfall: try Money(units: 50),
            policy: .leverageFirst
        )
        #expect(allocation.haircuts[0] == (try Money(units: 50)))
        #expect(allocation.haircuts[1].isZero && allocation.haircuts[2].isZero)
        #expect(allocation.maxLeverageHit > 40)
    }

    @Test func shortfallBeyondCapacityIsReportedUncovered() throws {
        for policy in AdlPolicy.allCases {
            let allocation = try AdlAllocator.allocate(
                try Self.sample(),
                shortfall: try Money(units: 2_000),
                policy: policy
            )
            #expect(allocation.covered == (try Money(units: 1_000)))
            #expect(allocation.uncovered == (try Money(units: 1_000)))
        }
    }

    /// Property: every policy conserves the shortfall to the unit and never takes more than a winner's PnL.
    @Test func everyPolicyConservesTheShortfallExactly() async {
        await propertyCheck(
            count: 200,
            input: Gen.int(in: 1...5_000_000_000).array(of: 1...40),
            Gen.int(in: 1...1_000_000).array(of: 40),
            Gen.int(in: 0...20_000_000_000_000)
        ) { pnls, leverages, shortfallRaw in
            var candidates: [AdlCandidate] = []
            for (index, pnl) in pnls.enumerated() {
                let margin = Money(raw: Int64(pnl) / 2 + 1)
                let notional = Money(raw: Int64(leverages[index]) * 1_000_000)
                candidates.append(
                    try AdlCandidate(
                        id: "\(index)",
                        pnl: Money(raw: Int64(pnl)),
                        notional: notional,
                        margin: margin,
                        maintenance: .zero
                    )
                )
            }
            let shortfall = Money(raw: Int64(shortfallRaw))
            for policy in AdlPolicy.allCases {
                let allocation = try AdlAllocator.allocate(candidates, shortfall: shortfall, policy: policy)
                let total = allocation.haircuts.reduce(Int128(0)) { $0 + $1.wide }
                #expect(total + allocation.uncovered.wide == shortfall.wide, "\(policy)")
                #expect(!allocation.uncovered.isNegative)
                for (index, haircut) in allocation.haircuts.enumerated() {
                    #expect(!haircut.isNegative && haircut <= candidates[index].pnl, "\(policy) \(index)")
                }
                let capacity = candidates.reduce(Int128(0)) { $0 + $1.pnl.wide }
                #expect(allocation.uncovered.wide == max(0, shortfall.wide - capacity))
            }
        }
    }
}
