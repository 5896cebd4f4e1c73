import FulcrumCore

/// Re-keying one margin pool: exact evaluation, budgets, and the key search on the engine's own figures.
extension LiquidationIndex {
    /// The normalised key meaning "re-check on every update of this market".
    static let always = Int64.max

    /// Re-evaluates `account`'s cross pool (`isolatedMarket == nil`) or its isolated pool in `isolatedMarket` at the
    /// engine's current prices, updates its maintenance flag and gives each of its open positions a new key.
    mutating func rekeyPool(account: Int, isolatedMarket: Int?, engine: ClearingEngine) {
        let count = marketCount
        let base = account * count
        let isolated = isolatedMarket != nil
        // Kill the pool's live keys.
        for market in 0..<count {
            if let isolatedMarket, market != isolatedMarket { continue }
            if isolated || engine.positions[base + market].mode == .cross { reset(slot: base + market) }
        }
        guard account != backstop else {
            setFlag(account: account, isolatedMarket: isolatedMarket, false)  // never liquidated: no keys
            return
        }
        let metrics: PoolMetrics?
        if let isolatedMarket {
            metrics = try? engine.isolatedMetrics(account, isolatedMarket, initial: false)
        } else {
            metrics = try? engine.crossMetrics(account, initial: false)
        }
        let flaggedNow: Bool
        if let metrics {
            if metrics.openPositions > 0 {
                flaggedNow = metrics.equity < 0 || metrics.equity < metrics.maintenance
            } else {
                flaggedNow = !isolated && engine.balances[account].raw < 0
            }
        } else {
            flaggedNow = true  // the exact evaluation overflows: the sweep would throw on this pool
        }
        setFlag(account: account, isolatedMarket: isolatedMarket, flaggedNow)
        guard let metrics, metrics.openPositions > 0 else {
            if metrics == nil { keyAlways(account: account, isolatedMarket: isolatedMarket, engine: engine) }
            return
        }
        let excess = metrics.equity - metrics.maintenance
        if positionsInPool(account: account, isolatedMarket: isolatedMarket, engine: engine) == 1 {
            keyStatic(account: account, isolatedMarket: isolatedMarket, excess: excess, engine: engine)
            return
        }
        // A safe pool guards its excess against losses; a pool under maintenance (with `equity − maintenance < 0`)
        // guards its shortfall against gains: it stays under maintenance until a price recovers past a key.
        let recovering = flaggedNow
        guard recovering == (excess < 0) else {
            keyAlways(account: account, isolatedMarket: isolatedMarket, engine: engine)  // negative maintenance
            return
        }
        // Total budget: the excess, or the shortfall less one unit (the pool must stay strictly below).
        let total = recovering ? -excess - 1 : excess
        // Weights: each position's notional at the trigger price (+1 so no weight is zero).
        var totalWeight: Int128 = 0
        var positionsInPool = 0
        for market in 0..<count {
            if let isolatedMarket, market != isolatedMarket { continue }
            let position = engine.positions[base + market]
            guard position.size.raw != 0, isolated || position.mode == .cross else { continue }
            totalWeight += weight(position, market: market, engine: engine)
            positionsInPool += 1
        }
        for market in 0..<count {
            if let isolatedMarket, market != isolatedMarket { continue }
            let position = engine.positions[base + market]
            guard position.size.raw != 0, isolated || position.mode == .cross else { continue }
            // Budget rounded down (favours exactness: the budgets never sum above the total).
            let share = weight(position, market: market, engine: engine)
            let budget: Int128
            if positionsInPool == 1 {
                budget = total
            } else if let scaled = try? FixedMath.multiplyDivide(total, share, totalWeight, rounding: .down) {
                budget = scaled
            } else {
                budget = total / Int128(positionsInPool)  // floor for a non-negative total
            }
            let key = Self.key(position, market: market, budget: budget, recovering: recovering, engine: engine)
            insert(slot: base + market, key: key)
        }
    }

    /// Gives every open position of the pool the key "always".
    private mutating func keyAlways(account: Int, isolatedMarket: Int?, engine: ClearingEngine) {
        let base = account * marketCount
        for market in 0..<marketCount {
            if let isolatedMarket, market != isolatedMarket { continue }
            let position = engine.positions[base + market]
            guard position.size.raw != 0, isolatedMarket != nil || position.mode == .cross else { continue }
            insert(slot: base + market, key: (Self.always, position.size.raw > 0))
        }
    }

    /// The budget weight of a position: its notional magnitude at the trigger price, plus one.
    private func weight(_ position: Position, market: Int, engine: ClearingEngine) -> Int128 {
        let price = engine.triggerPrice(MarketID(UInt32(market)))
        let value = (try? engine.value(position.size, at: price, market: market, rounding: .down)) ?? 0
        return value.magnitude > UInt128(Int64.max) ? Int128(Int64.max) : Int128(value.magnitude) + 1
    }

    /// Marks the slot's live key dead and forgets its static bounds.
    @inline(__always)
    mutating func reset(slot: Int) {
        kill(slot: slot)
        slotBounds[slot].isStatic = false
    }

    /// Marks the slot's live key dead.
    @inline(__always)
    mutating func kill(slot: Int) {
        generations[slot] &+= 1
        let book = Int(slotBooks[slot])
        if book >= 0 {
            liveCounts[book] -= 1
            slotBooks[slot] = -1
        }
    }

    /// Inserts a live key for `slot`: the normalised key and whether it is crossed by falling prices (book `2m`) or
    /// by rising prices (book `2m + 1`); `nil`: none needed, no price can cross it.
    private mutating func insert(slot: Int, key: (key: Int64, falls: Bool)?) {
        kill(slot: slot)
        guard let key else { return }
        let book = 2 * (slot % marketCount) + (key.falls ? 0 : 1)
        books[book].insert(
            LiquidationKeyBook.Entry(
                key: key.key,
                slot: UInt32(truncatingIfNeeded: slot),
                generation: generations[slot]
            )
        )
        slotBooks[slot] = Int32(book)
        liveCounts[book] += 1
    }

    /// Sets the maintenance flag of one pool and keeps the per-account counts and the sorted list in step.
    mutating func setFlag(account: Int, isolatedMarket: Int?, _ flag: Bool) {
        let old: Bool
        if let isolatedMarket {
            let slot = account * marketCount + isolatedMarket
            old = isolatedFlags[slot]
            isolatedFlags[slot] = flag
        } else {
            old = crossFlags[account]
            crossFlags[account] = flag
        }
        guard old != flag else { return }
        let before = flaggedPools[account]
        flaggedPools[account] += flag ? 1 : -1
        let after = flaggedPools[account]
        guard (before == 0) != (after == 0) else { return }
        flaggedBits[account >> 6] ^= 1 << UInt64(account & 63)
        flaggedAccounts += after == 0 ? -1 : 1
    }

    /// The number of open positions in the pool.
    private func positionsInPool(account: Int, isolatedMarket: Int?, engine: ClearingEngine) -> Int {
        if isolatedMarket != nil { return 1 }
        let base = account * marketCount
        var open = 0
        for market in 0..<marketCount {
            let position = engine.positions[base + market]
            if position.size.raw != 0 && position.mode == .cross { open += 1 }
        }
        return open
    }

    /// Keys a pool with a single open position by two absolute prices (see ``staticBounds(_:market:collateralTerm:engine:)``):
    /// `A`, from which on in the favourable direction the pool is surely not under maintenance, and `B`, from which
    /// on in the unfavourable direction it surely is. Both depend only on the account's state, not on the prices, so
    /// a crossing is settled without any evaluation (``settleStatic(slot:price:engine:)``) unless the price lies in
    /// the narrow window between them.
    private mutating func keyStatic(account: Int, isolatedMarket: Int?, excess: Int128, engine: ClearingEngine) {
        let base = account * marketCount
        var market = isolatedMarket ?? 0
        if isolatedMarket == nil {
            while !(engine.positions[base + market].size.raw != 0 && engine.positions[base + market].mode == .cross) {
                market += 1
            }
        }
        let slot = base + market
        let position = engine.positions[slot]
        let price = engine.triggerPrice(MarketID(UInt32(market)))
        guard let term = try? engine.positionTerm(position, market: market, price: price) else {
            insert(slot: slot, key: (Self.always, position.size.raw > 0))
            return
        }
        // collateral + T(P) = equity − maintenance of the pool: the constant part is excess − T(now).
        let bounds = Self.staticBounds(position, market: market, collateral: excess - term, engine: engine)
        slotBounds[slot] = SlotBounds(
            safe: bounds?.safe ?? 0,
            sure: bounds?.sure ?? 0,
            isStatic: bounds != nil,
            long: position.size.raw > 0,
            isolated: isolatedMarket != nil
        )
        insert(slot: slot, key: staticKey(slot: slot, long: position.size.raw > 0, price: price.raw))
    }

    /// The key of a static slot at `price`: surely safe ⇒ crossed at `A` in the unfavourable direction; surely under
    /// maintenance ⇒ crossed at `B` in the favourable direction; in the window between them (or without bounds):
    /// always.
    /// `nil`: no price can cross (a bound at `Int64.max` on a rising key).
    private func staticKey(slot: Int, long: Bool, price: Int64) -> (key: Int64, falls: Bool)? {
        let bounds = slotBounds[slot]
        guard bounds.isStatic else { return (Self.always, long) }
        let safe = bounds.safe
        let sure = bounds.sure
        if long {
            if safe != 0 && price >= safe { return (safe - 1, true) }
            if sure != 0 && price <= sure { return sure == Int64.max ? nil : (-(sure + 1), false) }
        } else {
            if safe != 0 && price <= safe { return safe == Int64.max ? nil : (-(safe + 1), false) }
            if sure != 0 && price >= sure { return (sure - 1, true) }
        }
        return (Self.always, long)
    }

    /// Settles a crossed static slot at `price` without evaluation when the price is beyond `A` or `B`, else with
    /// the exact check; then re-keys it. Returns `false` when the slot is not static (the caller re-keys the pool).
    mutating func settleStatic(slot: Int, price: Int64, engine: ClearingEngine) -> Bool {
        let bounds = slotBounds[slot]
        guard bounds.isStatic else { return false }
        let account = slot / marketCount
        let isolatedMarket: Int? = bounds.isolated ? slot % marketCount : nil
        let long = bounds.long
        let safe = bounds.safe
        let sure = bounds.sure
        let surelySafe = safe != 0 && (long ? price >= safe : price <= safe)
        let surelyUnder = sure != 0 && (long ? price <= sure : price >= sure)
        if surelySafe || surelyUnder {
            setFlag(account: account, isolatedMarket: isolatedMarket, surelyUnder)
            insert(slot: slot, key: staticKey(slot: slot, long: long, price: price))
            return true
        }
        return false  // in the window: the exact re-evaluation decides
    }

    /// The static bounds of a single-position pool whose `equity − maintenance` is `collateral + T(P)`:
    /// `safe` (`A`) with `collateral + T(P) − Δ(P) ≥ 0` and `sure` (`B`) with `−(collateral + T(P)) − 1 − Δ(P) ≥ 0`,
    /// each adjacent to a price where its predicate fails; by the drop bound the pool is not under maintenance at
    /// every price from `A` on in the favourable direction and is under it at every price from `B` on in the
    /// unfavourable direction. 0 stands for "no such price". `nil` when the term has no proven bound.
    static func staticBounds(
        _ position: Position,
        market: Int,
        collateral: Int128,
        engine: ClearingEngine
    ) -> (safe: Int64, sure: Int64)? {
        guard let (base, inverseShort) = engine.termDropBound(position, market: market) else { return nil }
        let now = engine.triggerPrice(MarketID(UInt32(market))).raw
        guard now > 0 else { return nil }
        let long = position.size.raw > 0
        let evaluator = PositionTermEvaluator(engine, market: market)
        func safeMargin(_ price: Int64) -> Int128? {
            guard let term = try? evaluator.term(position, price: Price(raw: price)) else { return nil }
            let slack = inverseShort ? base + ClearingEngine.inverseShortSlack(price: price) : base
            return collateral + term - slack
        }
        func sureMargin(_ price: Int64) -> Int128? {
            guard let term = try? evaluator.term(position, price: Price(raw: price)) else { return nil }
            let slack = inverseShort ? base + ClearingEngine.inverseShortSlack(price: price) : base
            return -(collateral + term) - 1 - slack
        }
        // The safe predicate holds toward the favourable side (up for a long), the sure one toward the other.
        let safe = boundary(from: now, holdsToward: long ? .up : .down, margin: safeMargin)
        let sure = boundary(from: now, holdsToward: long ? .down : .up, margin: sureMargin)
        return (safe, sure)
    }

    /// A search direction on the price axis.
    enum Direction { case up, down }

    /// The last price, going away from the side where `margin ≥ 0` holds (`holdsToward`), at which it still holds
    /// next to a price where it fails (or overflows): found by expanding from `start` and then bracketing. The end of
    /// the range (1 or `Int64.max`) when it holds all the way there; 0 when it holds nowhere from `start` on toward
    /// `holdsToward`.
    static func boundary(from start: Int64, holdsToward side: Direction, margin: (Int64) -> Int128?) -> Int64 {
        // Walking toward the failing side is "away" from `side`.
        let away: Direction = side == .up ? .down : .up
        func move(_ price: Int64, _ step: Int64, _ direction: Direction) -> Int64 {
            direction == .down
                ? (price > step ? price - step : 1) : (price > Int64.max - step ? Int64.max : price + step)
        }
        var step = max(start / 16, 1)
        var holding: Int64
        var holdingMargin: Int128
        var failing: Int64
        var failingMargin: Int128?
        if let value = margin(start), value >= 0 {
            holding = start
            holdingMargin = value
            // Expand away until it fails.
            while true {
                let next = move(holding, step, away)
                guard next != holding else { return holding }  // holds to the end of the range
                let value = margin(next)
                if let value, value >= 0 {
                    holding = next
                    holdingMargin = value
                    if next == 1 || next == Int64.max { return next }
                    step = step > Int64.max / 2 ? Int64.max : step * 2
                    continue
                }
                failing = next
                failingMargin = value
                break
            }
        } else {
            failing = start
            failingMargin = margin(start)
            // Expand toward the holding side until it holds.
            while true {
                let next = move(failing, step, side)
                guard next != failing else { return 0 }  // holds nowhere
                let value = margin(next)
                if let value, value >= 0 {
                    holding = next
                    holdingMargin = value
                    break
                }
                failing = next
                failingMargin = value
                if next == 1 || next == Int64.max { return 0 }
                step = step > Int64.max / 2 ? Int64.max : step * 2
            }
        }
        return bracket(
            holding: holding,
            holdingMargin: holdingMargin,
            failing: failing,
            failingMargin: failingMargin,
            margin: margin
        )
    }

    /// Narrows `[holding, failing]` (margin ≥ 0 at `holding`, < 0 or overflow at `failing`) to adjacent prices by
    /// interpolation while it halves the bracket, else bisection; returns the holding end.
    static func bracket(
        holding start: Int64,
        holdingMargin startMargin: Int128,
        failing end: Int64,
        failingMargin endMargin: Int128?,
        margin: (Int64) -> Int128?
    ) -> Int64 {
        var safe = start
        var safeMargin = startMargin
        var unsafe = end
        var unsafeMargin = endMargin
        var bisectNext = unsafeMargin == nil
        while (Int128(unsafe) - Int128(safe)).magnitude > 1 {
            let width = Int128(unsafe) - Int128(safe)
            var probe: Int128
            if !bisectNext, let unsafeMargin, safeMargin - unsafeMargin > 0 {
                probe = Int128(safe) + width * safeMargin / (safeMargin - unsafeMargin)
            } else {
                probe = Int128(safe) + width / 2
            }
            // Strictly inside the bracket.
            let low = min(Int128(safe), Int128(unsafe)) + 1
            let high = max(Int128(safe), Int128(unsafe)) - 1
            probe = min(max(probe, low), high)
            let point = Int64(probe)
            let value = margin(point)
            if let value, value >= 0 {
                safe = point
                safeMargin = value
            } else {
                unsafe = point
                unsafeMargin = value
            }
            let newWidth = (Int128(unsafe) - Int128(safe)).magnitude
            bisectNext = unsafeMargin == nil || newWidth * 2 > width.magnitude
        }
        return safe
    }

    /// The key of `position` for a budget `budget` (≥ 0): the normalised key and whether falling prices cross it,
    /// `always`, or `nil` when no price in the searched direction can exhaust the budget.
    ///
    /// With `T(P)` the position's term at price `P` and `Δ(P)` the proven bound on how much `T` can move against the
    /// monotone trend (``ClearingEngine/termDropBound(_:market:)``; the same bound holds for a rise in the
    /// unfavourable direction), the guarded quantity is `G(P) = T(P) − (T(now) − budget) − Δ(P)` for a safe pool (a
    /// loss budget, searched in the unfavourable direction) or `G(P) = (T(now) + budget) − T(P) − Δ(P)` for a pool
    /// under maintenance (a gain budget, searched in the favourable direction). The search finds `P₀` with
    /// `G(P₀) ≥ 0` adjacent to a price where it fails (or where the engine's arithmetic overflows); every price on the
    /// near side of `P₀` then keeps the term within its budget. The key is 10⁻⁸ past `P₀`: a downward search is
    /// re-checked at prices `≤ P₀ − 10⁻⁸`, an upward one at prices `≥ P₀ + 10⁻⁸`.
    static func key(
        _ position: Position,
        market: Int,
        budget: Int128,
        recovering: Bool,
        engine: ClearingEngine
    ) -> (key: Int64, falls: Bool)? {
        let long = position.size.raw > 0
        // Search downward for a safe long or a recovering short.
        let down = long != recovering
        guard let (base, inverseShort) = engine.termDropBound(position, market: market) else { return (always, down) }
        let now = engine.triggerPrice(MarketID(UInt32(market))).raw
        let evaluator = PositionTermEvaluator(engine, market: market)
        guard now > 0, let current = try? evaluator.term(position, price: Price(raw: now)) else {
            return (always, down)
        }
        let bound = recovering ? current + budget : current - budget
        // G(P) ≥ 0 is the "still within budget" predicate; nil when the engine's arithmetic overflows.
        func margin(_ price: Int64) -> Int128? {
            guard let term = try? evaluator.term(position, price: Price(raw: price)) else { return nil }
            let slack = inverseShort ? base + ClearingEngine.inverseShortSlack(price: price) : base
            return (recovering ? bound - term : term - bound) - slack
        }
        guard let start = margin(now), start >= 0 else { return (always, down) }
        let safe = boundary(from: now, holdsToward: down ? .up : .down, margin: margin)
        guard safe != 0, safe != Int64.max || down else { return nil }  // within budget to the end of the range
        return down ? (safe - 1, true) : (-(safe + 1), false)
    }
}
