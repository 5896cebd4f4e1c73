public import FulcrumCore

/// Bulk setup: open many funded accounts with their opening fills in one call, without the per-event overhead
/// (dispatch, effect records, snapshots), producing exactly the state the equivalent event sequence produces.
extension ClearingEngine {
    /// One account to open with ``openAccounts(_:counterparty:)``: its deposit, its margin settings in one market
    /// and its opening fill against the counterparty.
    public struct AccountOpening: Sendable, Hashable {
        /// Collateral deposited into the new account (positive).
        public var deposit: Money
        /// The market of the opening position.
        public var market: MarketID
        /// Cross or isolated in that market.
        public var mode: MarginMode
        /// The leverage setting in that market (positive, at most the first tier's maximum).
        public var leverage: Leverage
        /// Signed opening size: positive buys (long), negative sells (short); a non-zero multiple of the step.
        public var size: Quantity
        /// The fill price (positive, on the tick grid); the mark and index are set to it before the fill.
        public var price: Price

        /// Creates an opening.
        public init(
            deposit: Money,
            market: MarketID,
            mode: MarginMode,
            leverage: Leverage,
            size: Quantity,
            price: Price
        ) {
            self.deposit = deposit
            self.market = market
            self.mode = mode
            self.leverage = leverage
            self.size = size
            self.price = price
        }

    }

    /// Reserves storage for `additional` more accounts (so a bulk setup split into several
    /// ``openAccounts(_:counterparty:)`` calls grows each array once). Does not change the state.
    public mutating func reserveAccountCapacity(_ additional: Int) {
        guard additional > 0 else { return }
        balances.reserveCapacity(balances.count + additional)
        openPositionCounts.reserveCapacity(openPositionCounts.count + additional)
        positions.reserveCapacity(positions.count + additional * markets.count)
    }

    /// Opens one new account per element of `openings` (ids `accountCount`, `accountCount + 1`, … in order) and
    /// returns the first new id.
    ///
    /// The result is exactly the state (``stateHash``, ``snapshotBytes()``, ``eventCount`` included) of applying, for
    /// each opening `k` with new id `a`, the events:
    /// 1. `.deposit(a, deposit)`;
    /// 2. `.setMarginMode(a, market, .isolated)` when `mode` is isolated;
    /// 3. `.setLeverage(a, market, leverage)`;
    /// 4. `.markPrice(market, price)` then `.indexPrice(market, price)` (the fill is margin-checked at its price);
    /// 5. `.trade` of `|size|` at `price` between `a` and `counterparty` (`a` buys when `size > 0`), no fees;
    /// 6. when isolated and the wallet left after the fill `r` is positive, `.adjustIsolatedMargin(a, market, r)`
    ///    (all the collateral backs the position).
    ///
    /// The same validations run (initial margin of both sides of every fill); no ``Effect`` is recorded and no
    /// snapshot is taken: the call rolls back in O(markets) on failure, since it only appends accounts and changes
    /// the counterparty, the markets and the ledger totals.
    ///
    /// - Throws: ``EngineError`` naming `openings[k]` and the field (non-positive deposit, unknown market, leverage
    ///   or price out of range, size off the step grid, initial margin violated); the state is then unchanged.
    @discardableResult
    public mutating func openAccounts(
        _ openings: some Sequence<AccountOpening>,
        counterparty: AccountID
    ) throws(EngineError) -> AccountID {
        let first = AccountID(UInt32(truncatingIfNeeded: balances.count))
        do { try requireAccount(counterparty, field: "counterparty") } catch {
            throw Self.engineError(error, context: "bulk setup")
        }
        let saved = BulkSavepoint(self, counterparty: counterparty.index)
        var scratch: [Effect] = []
        scratch.reserveCapacity(4)
        var k = 0
        do {
            for opening in openings {
                try openOne(opening, index: k, counterparty: counterparty, scratch: &scratch)
                k += 1
            }
        } catch {
            saved.restore(into: &self, counterparty: counterparty.index)
            throw Self.engineError(error, context: "bulk setup")
        }
        return first
    }

    /// Applies opening `k` (see ``openAccounts(_:counterparty:)``); throws with the engine partly changed (the
    /// caller rolls back).
    private mutating func openOne(
        _ opening: AccountOpening,
        index k: Int,
        counterparty: AccountID,
        scratch: inout [Effect]
    ) throws {
        let field = "openings[\(k)]"
        guard opening.deposit.isPositive else {
            throw EngineError(.invalidField, "\(field).deposit \(opening.deposit) must be positive")
        }
        guard opening.market.index < markets.count else {
            throw EngineError(
                .unknownMarket,
                "\(field).market \(opening.market) does not exist (\(markets.count) listed)"
            )
        }
        let m = opening.market.index
        guard opening.leverage.isPositive else {
            throw EngineError(.invalidField, "\(field).leverage \(opening.leverage) must be positive")
        }
        let maximum = specs[m].tiers.tiers[0].maxLeverage
        guard opening.leverage <= maximum else {
            throw EngineError(
                .invalidField,
                "\(field).leverage \(opening.leverage) exceeds the market's maximum \(maximum)"
            )
        }
        guard opening.price.isPositive else {
            throw EngineError(.invalidField, "\(field).price \(opening.price) must be positive")
        }
        guard opening.size.raw != 0, opening.size.raw != Int64.min else {
            throw EngineError(.invalidField, "\(field).size \(opening.size) must be non-zero")
        }
        guard balances.count < Int(UInt32.max) else { throw EngineError(.invalidState, "too many accounts") }
        // 1. Deposit to the next id (a new account's wallet is zero: the deposit cannot overflow it).
        let id = openAccount()
        let a = id.index
        balances[a] = opening.deposit
        totalDeposits += opening.deposit
        // 2–3. Settings of a flat position: no margin check applies.
        let index = slot(a, m)
        positions[index].mode = opening.mode
        positions[index].leverage = opening.leverage
        // 4. Prices.
        markets[m].markPrice = opening.price
        markets[m].indexPrice = opening.price
        sweepPending = true
        // 5. The fill, through the trade path itself (same validations and margin checks).
        let long = opening.size.raw > 0
        let trade = TradeEvent(
            market: opening.market,
            buyer: long ? id : counterparty,
            seller: long ? counterparty : id,
            size: opening.size.magnitude,
            price: opening.price
        )
        scratch.removeAll(keepingCapacity: true)
        do { try applyTrade(trade, effects: &scratch) } catch let error as EngineError {
            throw EngineError(error.code, "\(field): \(error.message)")
        } catch let error as ArithmeticError {
            throw EngineError(error, context: field)
        }
        var events: UInt64 = opening.mode == .isolated ? 6 : 5
        // 6. The isolated position takes the rest of the wallet (the checks of `.adjustIsolatedMargin`).
        let rest = balances[a]
        if opening.mode == .isolated && rest.isPositive {
            guard let margin = try? positions[index].isolatedMargin.adding(rest) else {
                throw EngineError(.overflow, "\(field): amount \(rest) overflows the isolated margin")
            }
            balances[a] = .zero
            positions[index].isolatedMargin = margin
            let cross = try crossMetrics(a)
            if cross.openPositions > 0 && cross.equity < cross.initial {
                throw EngineError(.insufficientMargin, "\(field): amount \(rest) exceeds the free cross collateral")
            }
            events += 1
        }
        eventCount &+= events
    }
}

/// What ``ClearingEngine/openAccounts(_:counterparty:)`` can change besides the appended accounts, saved to roll back.
private struct BulkSavepoint {
    let accounts: Int
    let positionCount: Int
    /// An owned copy of the counterparty's row: a slice would keep the whole `positions` buffer referenced, so the
    /// first append of the bulk call would copy every account's positions (quadratic over chunked setups).
    let counterpartyRow: [Position]
    let counterpartyBalance: Money
    let counterpartyOpen: Int32
    let markets: [MarketState]
    let feePool: Money
    let totalDeposits: MoneySum
    let eventCount: UInt64
    let sweepPending: Bool

    init(_ engine: ClearingEngine, counterparty: Int) {
        accounts = engine.balances.count
        positionCount = engine.positions.count
        let stride = engine.markets.count
        counterpartyRow = Array(engine.positions[(counterparty * stride)..<((counterparty + 1) * stride)])
        counterpartyBalance = engine.balances[counterparty]
        counterpartyOpen = engine.openPositionCounts[counterparty]
        markets = engine.markets
        feePool = engine.feePool
        totalDeposits = engine.totalDeposits
        eventCount = engine.eventCount
        sweepPending = engine.sweepPending
    }

    func restore(into engine: inout ClearingEngine, counterparty: Int) {
        engine.balances.removeSubrange(accounts...)
        engine.openPositionCounts.removeSubrange(accounts...)
        engine.positions.removeSubrange(positionCount...)
        let stride = engine.markets.count
        engine.positions.replaceSubrange((counterparty * stride)..<((counterparty + 1) * stride), with: counterpartyRow)
        engine.balances[counterparty] = counterpartyBalance
        engine.openPositionCounts[counterparty] = counterpartyOpen
        engine.markets = markets
        engine.feePool = feePool
        engine.totalDeposits = totalDeposits
        engine.eventCount = eventCount
        engine.sweepPending = sweepPending
    }
}
