import FulcrumCore
public import FulcrumEngine

/// The liquidation-hunting view: after an oracle update, the accounts within a distance of liquidation, with the
/// exact trigger price of each, computed with the engine's own margin metrics.
///
/// The trigger price of an account is ``FulcrumEngine/ClearingEngine/liquidationTriggerPrice(of:in:)``: the first
/// tick at which the pool (cross, or the isolated position) has `equity < maintenance` with the market's trigger
/// price (mark or oracle, as the venue says) moved and the other markets unchanged. For a long it is the highest such
/// tick, for a short the lowest.
public enum LiquidationScanner {
    /// Accounts with an open position in `market` whose trigger price is within `within` (a fraction, e.g. 0.05)
    /// of the current trigger price, nearest first (ties: account id), found by visiting every account.
    ///
    /// Accounts whose margin buffer exceeds `2 × |size| × price × within` are skipped without a search (a move of
    /// `within` changes their equity by at most `|size| × price × within` and maintenance by less).
    ///
    /// - Complexity: O(a + c · log(P / tick)) for a accounts and c searched candidates.
    /// - Throws: ``AnalyticsError`` for a negative `within` or an engine error.
    public static func scan(
        engine: ClearingEngine,
        market: MarketID,
        within: Double
    ) throws(AnalyticsError) -> [ScanEntry] {
        try validate(engine: engine, market: market, within: within)
        let price = engine.triggerPrice(market)
        guard price.isPositive else { return [] }
        var entries: [ScanEntry] = []
        do throws(EngineError) {
            for index in 0..<engine.accountCount {
                let account = AccountID(UInt32(index))
                let position = engine.position(account, market)
                guard position.isOpen else { continue }
                let metrics = try engine.poolMetrics(of: account, holding: market)
                let buffer = metrics.equity - metrics.maintenance  // 10⁻⁸ units
                let notional = position.size.magnitude.wide * price.wide  // 10⁻¹⁶ units
                let reach = Double(notional) / 1e8 * within * 2
                if Double(buffer) > reach { continue }
                if let entry = try entry(engine, account, market, within: within) { entries.append(entry) }
            }
        } catch {
            throw AnalyticsError("scan: \(error)")
        }
        return sorted(entries)
    }

    /// The same answer as ``scan(engine:market:within:)``, visiting only the accounts `index` names: the keys that a
    /// move of `market` to `price × (1 − within)` or to `price × (1 + within)` crosses (a superset of the accounts
    /// whose status such a move changes, ``FulcrumEngine/LiquidationIndex/liquidatable(market:triggerPrice:into:)``),
    /// plus the accounts under maintenance already. `index` must be up to date with `engine` (built from it, or
    /// updated after every applied event).
    ///
    /// - Complexity: O(log n + k + f + c · log(P / tick)) for n keys, k crossed keys, f flagged accounts and c
    ///   candidates; no pass over all accounts.
    /// - Throws: ``AnalyticsError`` for a negative `within` or an engine error.
    public static func scan(
        engine: ClearingEngine,
        index: LiquidationIndex,
        market: MarketID,
        within: Double
    ) throws(AnalyticsError) -> [ScanEntry] {
        try validate(engine: engine, market: market, within: within)
        let price = engine.triggerPrice(market)
        guard price.isPositive else { return [] }
        // The probe prices are widened by one tick beyond `price × (1 ∓ within)` (statistics in Double; the widening
        // keeps the candidate set a superset of what the distance filter below accepts).
        let tick = Double(max(1, engine.specs[market.index].tickSize.raw))
        let lower = max(1, (Double(price.raw) * (1 - within) - tick).rounded(.down))
        let upper = min(Double(Int64.max / 4), (Double(price.raw) * (1 + within) + tick).rounded(.up))
        var candidates: [AccountID] = []
        var found: [AccountID] = []
        index.liquidatable(market: market, triggerPrice: Price(raw: Int64(lower)), into: &found)
        candidates += found
        index.liquidatable(market: market, triggerPrice: Price(raw: Int64(upper)), into: &found)
        candidates += found
        index.accountsUnderMaintenance(into: &found)
        candidates += found
        candidates.sort()
        var entries: [ScanEntry] = []
        var previous: AccountID?
        do throws(EngineError) {
            for account in candidates where account != previous && account.index < engine.accountCount {
                previous = account
                guard engine.position(account, market).isOpen else { continue }
                if let entry = try entry(engine, account, market, within: within) { entries.append(entry) }
            }
        } catch {
            throw AnalyticsError("scan: \(error)")
        }
        return sorted(entries)
    }

    static func validate(engine: ClearingEngine, market: MarketID, within: Double) throws(AnalyticsError) {
        guard within >= 0, within.isFinite else {
            throw AnalyticsError("within \(within) must be a finite fraction ≥ 0")
        }
        guard market.index < engine.marketCount else { throw AnalyticsError("market \(market.index) is not listed") }
    }

    /// The account's entry when its trigger price is within reach.
    static func entry(
        _ engine: ClearingEngine,
        _ account: AccountID,
        _ market: MarketID,
        within: Double
    ) throws(EngineError) -> ScanEntry? {
        let price = engine.triggerPrice(market)
        let position = engine.position(account, market)
        guard let trigger = try engine.liquidationTriggerPrice(of: account, in: market) else { return nil }
        let distance = abs(Double(trigger.raw) - Double(price.raw)) / Double(price.raw)
        guard distance <= within else { return nil }
        return ScanEntry(
            account: account,
            market: market,
            size: position.size,
            mode: position.mode,
            price: price,
            liquidationPrice: trigger,
            distance: distance
        )
    }

    /// Nearest first; ties by account id.
    static func sorted(_ entries: [ScanEntry]) -> [ScanEntry] {
        entries.sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.account < $1.account }
    }
}
