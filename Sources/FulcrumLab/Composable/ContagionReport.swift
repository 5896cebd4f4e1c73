public import FulcrumCore

/// Per-market outcome of the lending layer: liquidations, collateral seized, bad debt by cause, and the lenders'
/// loss under a shared pool and under isolated pools on the same run.
///
/// In this model pool sharing does not change the liquidation dynamics (lenders do not withdraw mid-run); it
/// decides who bears each market's deficit after the backstop: in ``PoolSharing/shared`` mode one backstop covers
/// the sum and the rest is spread over every market's lenders in proportion to their supply; in
/// ``PoolSharing/isolated`` mode each market has `backstop / markets` and its lenders bear only its own deficit.
public struct ContagionReport: Sendable, Hashable {
    /// One market's row.
    public struct Row: Sendable, Hashable {
        /// Market name.
        public var market: String
        /// Collateral and debt price sources.
        public var collateral: String
        /// Debt price source.
        public var debt: String
        /// Everything counted during the run, with the end-of-run shortfall added to the bad debt.
        public var metrics: LendingMarketMetrics
        /// Lenders' supply value at the end (quote).
        public var lenderSupply: MoneySum
        /// Lenders' loss with one shared backstop and shared lenders (quote).
        public var lenderLossShared: MoneySum
        /// Lenders' loss with isolated per-market backstops and lenders (quote).
        public var lenderLossIsolated: MoneySum
        /// Shared-mode loss that came from other markets' bad debt: `max(0, shared loss − own bad debt)`.
        public var contagionShared: MoneySum
    }

    /// The rows, in configuration order.
    public var rows: [Row]
    /// The mode the scenario asked for.
    public var sharing: PoolSharing
    /// The backstop (quote).
    public var backstop: Money

    /// Markets whose lenders lost in shared mode although their own bad debt was smaller (contagion reached).
    public var contagionReached: [String] { rows.filter { $0.contagionShared.raw > 0 }.map(\.market) }
}

extension LendingLayer {
    /// The report at the current state: the run's metrics plus, per market, the debt not covered by collateral at
    /// the last prices (bad debt left behind, attributed at the last prices), and the loss allocation in both modes.
    public func report() throws(LabError) -> ContagionReport {
        var rows: [ContagionReport.Row] = []
        for k in markets.indices {
            var market = markets[k]
            let rest = try market.shortfallUnits(excluding: bankrupt[k])
            if rest > 0 { try market.addBadDebt(units: rest, shares: shares(for: market.config)) }
            let supply: Money
            do {
                let units = try FixedMath.narrow(market.lenderSupplyUnits, field: "lender supply")
                supply = try Quantity(raw: units).notional(at: Price(raw: market.debtPrice), rounding: .halfEven)
            } catch {
                throw LabError("lending market \(market.config.name) lender supply: \(error)")
            }
            rows.append(
                ContagionReport.Row(
                    market: market.config.name,
                    collateral: market.config.collateral.label,
                    debt: market.config.debt.label,
                    metrics: market.metrics,
                    lenderSupply: MoneySum(supply),
                    lenderLossShared: MoneySum(),
                    lenderLossIsolated: MoneySum(),
                    contagionShared: MoneySum()
                )
            )
        }
        let n = Int128(rows.count)
        let backstop = Int128(config.backstop.raw)
        // Isolated: each market's backstop is backstop / n, rounded down (the remainder covers nobody: favours no
        // lender over another).
        for k in rows.indices {
            rows[k].lenderLossIsolated = MoneySum(raw: Swift.max(0, rows[k].metrics.badDebt.raw - backstop / n))
        }
        // Shared: the uncovered total spread by supply, rounded down per market; the last market takes the rest so
        // the parts sum to the total exactly.
        let total = rows.reduce(Int128(0)) { $0 + $1.metrics.badDebt.raw }
        let uncovered = Swift.max(0, total - backstop)
        let supplies = rows.reduce(Int128(0)) { $0 + $1.lenderSupply.raw }
        var left = uncovered
        for k in rows.indices {
            let part = k == rows.count - 1 || supplies == 0 ? left : uncovered * rows[k].lenderSupply.raw / supplies
            let bounded = Swift.min(left, part)
            rows[k].lenderLossShared = MoneySum(raw: bounded)
            rows[k].contagionShared = MoneySum(raw: Swift.max(0, bounded - rows[k].metrics.badDebt.raw))
            left -= bounded
        }
        return ContagionReport(rows: rows, sharing: config.sharing, backstop: config.backstop)
    }
}
