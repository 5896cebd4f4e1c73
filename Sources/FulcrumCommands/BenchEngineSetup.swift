import FulcrumCore
import FulcrumEngine

/// A clearing engine being set up for a bench workload: events go in one by one, and a rejected one fails the setup
/// with an error naming the workload and the event.
struct BenchEngineSetup {
    /// The engine built so far.
    private(set) var engine = ClearingEngine()
    /// The workload's name, for errors (e.g. `cross-check`).
    let workload: String
    private var effects: [Effect] = []

    init(workload: String) { self.workload = workload }

    /// Applies `event`.
    ///
    /// - Throws: ``BenchError`` naming the workload and the event when the engine rejects it.
    mutating func send(_ event: EngineEvent) throws(BenchError) {
        effects.removeAll(keepingCapacity: true)
        do {
            try engine.apply(event, effects: &effects)
        } catch {
            throw BenchError("\(workload) setup: \(event) rejected: \(error)")
        }
    }

    /// Applies `event` if the engine accepts it; returns whether it did (the state is unchanged when not).
    mutating func sendIfAccepted(_ event: EngineEvent) -> Bool {
        effects.removeAll(keepingCapacity: true)
        return (try? engine.apply(event, effects: &effects)) != nil
    }

    /// Lists ``BenchWorkload/crossMarkets`` with index and mark at their pre-shock prices, and funds account 0 (the
    /// counterparty of every opening trade) with 50,000,000,000 quote units.
    mutating func listCrossMarkets() throws(BenchError) {
        let unit = FixedPointScale.factor
        for (index, market) in BenchWorkload.crossMarkets.enumerated() {
            try send(.listMarket(MarketListing(spec: market.spec, profile: market.profile)))
            let id = MarketID(UInt32(index))
            try send(.indexPrice(market: id, price: Price(raw: market.before * unit)))
            try send(.markPrice(market: id, price: Price(raw: market.before * unit)))
        }
        try send(.deposit(account: AccountID(0), amount: Money(raw: 50_000_000_000 * unit)))
    }
}
