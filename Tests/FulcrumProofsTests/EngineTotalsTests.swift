import FulcrumCore
import FulcrumEngine
import FulcrumProofs
import Testing

/// The tree's root totals against a real clearing-engine state.
struct EngineTotalsTests {
    /// Runs seeded random events (trades, prices, funding, liquidations) through the clearing engine.
    static func engine(seed: UInt64, accounts: Int, events: Int) throws -> ClearingEngine {
        let listings = [
            MarketListing(
                spec: try MarketCatalog.market(venue: .binance, symbol: "BTCUSDT"),
                profile: VenueProfile.profile(for: .binance)
            ),
            MarketListing(
                spec: try MarketCatalog.market(venue: .binance, symbol: "ETHUSDT"),
                profile: VenueProfile.profile(for: .binance)
            ),
        ]
        var generator = EventGenerator(
            seed: seed,
            accounts: accounts,
            listings: listings,
            initialPrices: [try Price(units: 30_000), try Price(units: 2_000)],
            deposit: try Money(units: 1_000)
        )
        var engine = ClearingEngine(configuration: EngineConfiguration(seed: seed))
        var effects: [Effect] = []
        for _ in 0..<events {
            effects.removeAll(keepingCapacity: true)
            try? engine.apply(generator.next(), effects: &effects)  // rejected events leave the state unchanged
        }
        return engine
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func rootTotalsEqualTheEnginesCrossMarginTotalsToTheUnit(seed: UInt64) throws {
        let engine = try Self.engine(seed: seed, accounts: 60, events: 3_000)
        var accounts: [LiabilityAccount] = []
        var liabilities: Int128 = 0
        var deficit: Int128 = 0
        var maintenance: Int128 = 0
        var under: UInt64 = 0
        for index in 0..<engine.accountCount {
            let metrics = try engine.crossMargin(of: AccountID(UInt32(index)))
            liabilities += max(metrics.equity, 0)
            deficit += max(-metrics.equity, 0)
            maintenance += metrics.maintenance
            if metrics.equity < metrics.maintenance { under += 1 }
            accounts.append(
                LiabilityAccount(
                    id: UInt64(index),
                    equity: Money(raw: try #require(Int64(exactly: metrics.equity))),
                    maintenanceMargin: Money(raw: try #require(Int64(exactly: metrics.maintenance)))
                )
            )
        }
        #expect(maintenance > 0, "the event stream should leave open positions")
        let tree = try LiabilityTree(accounts: accounts, epoch: seed, secret: ProofFixtures.secret())
        #expect(tree.commitment.sums.equity.raw == liabilities)
        #expect(tree.commitment.sums.deficit.raw == deficit)
        #expect(tree.commitment.sums.maintenance.raw == maintenance)
        #expect(tree.commitment.sums.underMaintenance == under)
        for account in accounts {
            let opened = try tree.proof(forAccount: account.id).verify(publishedRoot: tree.rootHash)
            #expect(opened.equity == account.equity)
        }
    }
}
