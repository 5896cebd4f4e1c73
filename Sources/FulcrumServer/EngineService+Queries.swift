public import FulcrumCore
import FulcrumEngine
import FulcrumIO
import FulcrumStore

/// Reads. Light ones run on the actor; scans run on a copy of the engine (copy-on-write, O(1) to take).
extension EngineService {
    /// Sequences, state hash, counts, invariants and health.
    ///
    /// `eventSequence` is the last durable event; `appliedEventSequence` can be ahead while a group commit is in
    /// flight (the hash is of the applied state).
    public func stateJSON() async -> String {
        let copy = engine
        let (committed, applied, effects) = (committedEvents, appliedEvents, committedEffects)
        let (healthy, reason, snapshot) = (isHealthy, failure, lastSnapshotEvents)
        // Hashing and the invariant check are O(state): done on the copy, off the actor.
        return await Self.offActor {
            var o = JSONObjectText()
            o.int("eventSequence", committed)
            o.int("appliedEventSequence", applied)
            o.int("effectSequence", effects)
            o.string("stateHash", Self.hex(copy.stateHash))
            o.int("accounts", copy.accountCount)
            o.int("markets", copy.marketCount)
            var invariants = JSONObjectText()
            do throws(EngineError) {
                try copy.checkInvariants()
                invariants.bool("ok", true)
                invariants.string("message", nil)
            } catch {
                invariants.bool("ok", false)
                invariants.string("message", error.description)
            }
            o.raw("invariants", invariants.json)
            o.bool("healthy", healthy)
            o.string("failure", reason)
            o.int("snapshotEventSequence", snapshot)
            return o.json
        }
    }

    /// The state hash of the applied state.
    public var stateHash: UInt64 { engine.stateHash }

    /// The last durable event sequence.
    public var eventSequence: Int64 { committedEvents }

    /// The last durable effect sequence.
    public var effectSequence: Int64 { committedEffects }

    /// Listed markets.
    public func marketsJSON() -> String { EngineViews.markets(engine) }

    /// Insurance funds and loss totals.
    public func insuranceJSON() -> String { EngineViews.insurance(engine) }

    /// One account, or 404.
    public func accountJSON(_ id: UInt32) throws(APIError) -> String {
        EngineViews.account(engine, try pathAccount(id))
    }

    /// A copy of the engine for scans off the actor.
    func engineCopy() -> ClearingEngine { engine }

    /// The dashboard's data: state, markets, insurance, the 20 accounts closest to liquidation, recent alerts.
    public func overviewJSON() async -> String {
        let copy = engine
        let state = await stateJSON()
        let alerts = recentAlerts.suffix(50)
        let candidates = atRiskCandidates(limit: 20)
        let closest = await Self.offActor {
            EngineViews.atRiskJSON(copy, EngineViews.closestToLiquidation(copy, candidates: candidates, limit: 20))
        }
        var o = JSONObjectText()
        o.raw("state", state)
        o.raw("markets", EngineViews.markets(copy))
        o.raw("insurance", EngineViews.insurance(copy))
        o.raw("closestToLiquidation", closest)
        o.raw("alerts", JSONObjectText.array(Array(alerts)))
        return o.json
    }

    /// The accounts the at-risk list ranks, from the liquidation index (no account scan): every account under
    /// maintenance (at most `scanLimit`), then the owners of the `5 · limit` keys nearest each market's trigger
    /// price, ascending and without repeats.
    ///
    /// - Complexity: O(accounts / 64 + markets · (log n + 5 · limit + p)) on the actor (n keys, p pending keys).
    func atRiskCandidates(limit: Int) -> [AccountID] {
        liquidationIndex.accountsUnderMaintenance(into: &liquidationCandidates)
        var accounts = Array(liquidationCandidates.prefix(max(1, settings.scanLimit)))
        for market in 0..<engine.marketCount {
            let id = MarketID(UInt32(market))
            let nearest = liquidationIndex.nearestKeys(
                market: id,
                triggerPrice: engine.triggerPrice(id),
                count: 5 * max(1, limit)
            )
            accounts += nearest.map(\.account)
        }
        accounts.sort()
        var unique: [AccountID] = []
        unique.reserveCapacity(accounts.count)
        for account in accounts where unique.last != account { unique.append(account) }
        return unique
    }

    /// The liquidation heatmap SVG of `symbol` (default: the first market).
    public func heatmapSVG(symbol: String?, depth: Money) async throws(APIError) -> String {
        let copy = engine
        guard copy.marketCount > 0 else { return EngineViews.emptySVG("no market listed yet") }
        let id =
            try symbol.map { (s: String) throws(APIError) -> MarketID in try market(s, field: "market") } ?? MarketID(0)
        let limit = max(1, settings.scanLimit / 10)
        return await Self.offActor { EngineViews.heatmapSVG(copy, market: id, depth: depth, scanLimit: limit) }
    }

    /// Gauges for `/metrics`.
    public func gauges() -> [(name: String, help: String, samples: [(labels: String, value: String)])] {
        var funds: [(labels: String, value: String)] = [("{fund=\"shared\"}", engine.insuranceFunds[0].description)]
        for market in 0..<engine.marketCount {
            let index = engine.insuranceFundIndex(for: MarketID(UInt32(market)))
            if index != 0, index < engine.insuranceFunds.count {
                funds.append(("{fund=\"\(engine.specs[market].symbol)\"}", engine.insuranceFunds[index].description))
            }
        }
        return [
            ("fulcrum_event_sequence", "Last durable event sequence.", [("", "\(committedEvents)")]),
            ("fulcrum_effect_sequence", "Last durable effect sequence.", [("", "\(committedEffects)")]),
            ("fulcrum_accounts", "Accounts.", [("", "\(engine.accountCount)")]),
            ("fulcrum_markets", "Listed markets.", [("", "\(engine.marketCount)")]),
            ("fulcrum_insurance_fund", "Insurance fund balance (settlement currency).", funds),
            ("fulcrum_fee_pool", "Fee pool balance.", [("", engine.feePool.description)]),
            ("fulcrum_bad_debt", "Uncovered deficits recorded as bad debt.", [("", engine.badDebt.description)]),
            ("fulcrum_stream_subscribers", "Connected WebSocket subscribers.", [("", "\(subscribers.count)")]),
            ("fulcrum_healthy", "1 while writes are accepted.", [("", isHealthy ? "1" : "0")]),
        ]
    }

    /// Runs `work` off the actor (scans must not block writes).
    nonisolated static func offActor<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await Task.detached { work() }.value
    }
}
