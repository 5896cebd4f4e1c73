/// One Morpho Blue market (loan token, collateral token, oracle, IRM, LLTV) as a pure value.
///
/// Supply and borrow positions are shares; collateral is assets. The borrow rate is injected per second (WAD);
/// the oracle price is the value of one collateral unit in loan units × 10³⁶. Every action works on a copy and
/// assigns on success only. Source: morpho-org/morpho-blue `src/Morpho.sol`.
public struct MorphoMarket: Sendable, Hashable {
    /// Liquidation loan-to-value (WAD).
    public let lltv: UInt128
    /// Protocol fee on interest (WAD, ≤ 0.25).
    public var fee: UInt128
    /// Borrow rate per second (WAD), supplied by the IRM.
    public var borrowRatePerSecond: UInt128
    /// Oracle price (loan units per collateral unit × 10³⁶).
    public var price: UInt128
    /// Σ supplied assets (including interest, minus socialized bad debt).
    public internal(set) var totalSupplyAssets: UInt128 = 0
    /// Σ supply shares.
    public internal(set) var totalSupplyShares: UInt128 = 0
    /// Σ borrowed assets.
    public internal(set) var totalBorrowAssets: UInt128 = 0
    /// Σ borrow shares.
    public internal(set) var totalBorrowShares: UInt128 = 0
    /// Clock (seconds) of the last accrual.
    public internal(set) var lastUpdate: UInt64
    /// Supply shares by account.
    public internal(set) var supplyShares: [String: UInt128] = [:]
    /// Borrow shares by account.
    public internal(set) var borrowShares: [String: UInt128] = [:]
    /// Collateral by account.
    public internal(set) var collateral: [String: UInt128] = [:]
    /// Loan tokens held by the market (Σ supplied − Σ borrowed, as transfers move them).
    public internal(set) var idle: UInt128 = 0

    /// The account that receives fee shares.
    public static let feeRecipient = "feeRecipient"

    /// A market with `lltv` (< 1e18), `price` and a per-second borrow rate.
    public init(
        lltv: UInt128,
        price: UInt128,
        borrowRatePerSecond: UInt128 = 0,
        fee: UInt128 = 0,
        time: UInt64 = 0
    )
        throws
    {
        guard lltv < MorphoMath.wad else { throw LendingError("MaxLltvExceeded", "lltv \(lltv) must be < 1e18") }
        guard fee <= 250_000_000_000_000_000 else { throw LendingError("MaxFeeExceeded", "fee \(fee) > 0.25e18") }
        self.lltv = lltv
        self.price = price
        self.borrowRatePerSecond = borrowRatePerSecond
        self.fee = fee
        lastUpdate = time
    }

    /// The market's liquidation incentive factor (WAD).
    public var liquidationIncentiveFactor: UInt128 {
        (try? MorphoMath.liquidationIncentiveFactor(lltv: lltv)) ?? MorphoMath.wad  // lltv < 1 validated in init
    }

    /// `_accrueInterest`: `interest = wMulDown(totalBorrow, wTaylorCompounded(rate, Δt))`, added to both totals;
    /// the fee part mints supply shares to ``feeRecipient`` (`toSharesDown` on the pre-fee supply).
    public mutating func accrue(to time: UInt64) throws {
        guard time >= lastUpdate else {
            throw LendingError("TimeGoesBackwards", "time \(time) is before the market clock \(lastUpdate)")
        }
        try atomically(touching: [Self.feeRecipient]) { copy in
            let elapsed = time - copy.lastUpdate
            copy.lastUpdate = time
            if elapsed > 0, copy.totalBorrowAssets > 0 {
                let growth = try MorphoMath.taylorCompounded(ratePerSecond: copy.borrowRatePerSecond, seconds: elapsed)
                let interest = try WideMath.mulDiv(copy.totalBorrowAssets, growth, MorphoMath.wad, rounding: .floor)
                copy.totalBorrowAssets = try WideMath.add(copy.totalBorrowAssets, interest, field: "totalBorrowAssets")
                copy.totalSupplyAssets = try WideMath.add(copy.totalSupplyAssets, interest, field: "totalSupplyAssets")
                if copy.fee != 0 {
                    let feeAmount = try WideMath.mulDiv(interest, copy.fee, MorphoMath.wad, rounding: .floor)
                    let feeShares = try MorphoMath.toShares(
                        feeAmount,
                        totalAssets: copy.totalSupplyAssets - feeAmount,
                        totalShares: copy.totalSupplyShares,
                        .floor
                    )
                    copy.supplyShares[Self.feeRecipient, default: 0] += feeShares
                    copy.totalSupplyShares = try WideMath.add(copy.totalSupplyShares, feeShares)
                }
            }
        }
    }

    /// Runs `body`; if it throws, restores the totals, the clock, idle liquidity and the touched accounts' entries.
    ///
    /// O(touched accounts) instead of copying the whole market.
    mutating func atomically<T>(touching ids: [String], _ body: (inout MorphoMarket) throws -> T) throws -> T {
        let totals = (totalSupplyAssets, totalSupplyShares, totalBorrowAssets, totalBorrowShares, lastUpdate, idle)
        let entries = (ids + [Self.feeRecipient]).map { ($0, supplyShares[$0], borrowShares[$0], collateral[$0]) }
        do {
            return try body(&self)
        } catch {
            (totalSupplyAssets, totalSupplyShares, totalBorrowAssets, totalBorrowShares, lastUpdate, idle) = totals
            for (id, s, b, c) in entries {
                supplyShares[id] = s
                borrowShares[id] = b
                collateral[id] = c
            }
            throw error
        }
    }

    /// Supplies `assets` (shares rounded down: against the supplier). Returns the shares minted.
    @discardableResult
    public mutating func supply(user: String, assets: UInt128) throws -> UInt128 {
        guard assets > 0 else { throw LendingError("ZeroAssets", "supply assets must be > 0") }
        let shares = try MorphoMath.toShares(
            assets,
            totalAssets: totalSupplyAssets,
            totalShares: totalSupplyShares,
            .floor
        )
        return try atomically(touching: [user]) { copy in
            copy.supplyShares[user] = try WideMath.add(copy.supplyShares[user] ?? 0, shares)
            copy.totalSupplyShares = try WideMath.add(copy.totalSupplyShares, shares)
            copy.totalSupplyAssets = try WideMath.add(copy.totalSupplyAssets, assets)
            copy.idle = try WideMath.add(copy.idle, assets)
            return shares
        }
    }

    /// Withdraws `assets` (shares burned rounded up: against the supplier). Returns the shares burned.
    @discardableResult
    public mutating func withdraw(user: String, assets: UInt128) throws -> UInt128 {
        guard assets > 0 else { throw LendingError("ZeroAssets", "withdraw assets must be > 0") }
        let shares = try MorphoMath.toShares(
            assets,
            totalAssets: totalSupplyAssets,
            totalShares: totalSupplyShares,
            .ceil
        )
        let held = supplyShares[user] ?? 0
        guard shares <= held else {
            throw LendingError(
                "InsufficientBalance",
                "withdraw \(assets) needs \(shares) shares, \(user) holds \(held)"
            )
        }
        guard assets <= idle, totalBorrowAssets <= totalSupplyAssets - assets else {
            throw LendingError("InsufficientLiquidity", "withdraw \(assets) exceeds idle liquidity \(idle)")
        }
        supplyShares[user] = held - shares
        totalSupplyShares -= shares  // shares ≤ held ≤ total
        totalSupplyAssets -= assets  // checked above
        idle -= assets
        return shares
    }

    /// Adds collateral.
    public mutating func supplyCollateral(user: String, assets: UInt128) throws {
        guard assets > 0 else { throw LendingError("ZeroAssets", "collateral assets must be > 0") }
        collateral[user] = try WideMath.add(collateral[user] ?? 0, assets, field: "collateral")
    }

    /// Removes collateral; the position must stay healthy.
    public mutating func withdrawCollateral(user: String, assets: UInt128) throws {
        let held = collateral[user] ?? 0
        guard assets > 0, assets <= held else {
            throw LendingError("InsufficientCollateral", "withdraw collateral \(assets) of \(held)")
        }
        try atomically(touching: [user]) { copy in
            copy.collateral[user] = held - assets
            guard try copy.isHealthy(user) else {
                throw LendingError("InsufficientCollateral", "\(user) would be unhealthy")
            }
        }
    }

    /// Borrows `assets` (shares rounded up: against the borrower); the position must stay healthy.
    @discardableResult
    public mutating func borrow(user: String, assets: UInt128) throws -> UInt128 {
        guard assets > 0 else { throw LendingError("ZeroAssets", "borrow assets must be > 0") }
        return try atomically(touching: [user]) { copy in
            let shares = try MorphoMath.toShares(
                assets,
                totalAssets: copy.totalBorrowAssets,
                totalShares: copy.totalBorrowShares,
                .ceil
            )
            copy.borrowShares[user] = try WideMath.add(copy.borrowShares[user] ?? 0, shares)
            copy.totalBorrowShares = try WideMath.add(copy.totalBorrowShares, shares)
            copy.totalBorrowAssets = try WideMath.add(copy.totalBorrowAssets, assets)
            guard copy.totalBorrowAssets <= copy.totalSupplyAssets, assets <= copy.idle else {
                throw LendingError("InsufficientLiquidity", "borrow \(assets) exceeds liquidity \(copy.idle)")
            }
            copy.idle -= assets
            guard try copy.isHealthy(user) else {
                throw LendingError("InsufficientCollateral", "borrow \(assets) leaves \(user) unhealthy")
            }
            return shares
        }
    }

    /// Repays `assets` (shares burned rounded down: against the borrower; `nil` = all shares, assets rounded up).
    @discardableResult
    public mutating func repay(user: String, assets: UInt128?) throws -> UInt128 {
        let held = borrowShares[user] ?? 0
        guard held > 0 else { throw LendingError("NothingToRepay", "\(user) has no borrow shares") }
        var shares: UInt128
        var paid: UInt128
        if let assets {
            shares = try MorphoMath.toShares(
                assets,
                totalAssets: totalBorrowAssets,
                totalShares: totalBorrowShares,
                .floor
            )
            paid = assets
            guard shares <= held else { throw LendingError("RepayTooLarge", "repay \(assets) exceeds debt of \(user)") }
        } else {
            shares = held
            paid = try MorphoMath.toAssets(held, totalAssets: totalBorrowAssets, totalShares: totalBorrowShares, .ceil)
        }
        borrowShares[user] = held - shares
        totalBorrowShares -= shares  // shares ≤ held ≤ total
        totalBorrowAssets = WideMath.zeroFloorSub(totalBorrowAssets, paid)
        idle = try WideMath.add(idle, paid)
        return paid
    }

    /// A borrower's debt: `toAssetsUp(borrowShares)` (rounded up: against the borrower).
    public func debt(_ user: String) throws -> UInt128 {
        try MorphoMath.toAssets(
            borrowShares[user] ?? 0,
            totalAssets: totalBorrowAssets,
            totalShares: totalBorrowShares,
            .ceil
        )
    }

    /// `wMulDown(mulDivDown(collateral, price, 1e36), lltv)`: the most this account may owe.
    public func maxBorrow(_ user: String) throws -> UInt128 {
        let value = try WideMath.mulDiv(collateral[user] ?? 0, price, MorphoMath.oraclePriceScale, rounding: .floor)
        return try WideMath.mulDiv(value, lltv, MorphoMath.wad, rounding: .floor)
    }

    /// `_isHealthy`: `maxBorrow ≥ borrowed` (equality is healthy).
    public func isHealthy(_ user: String) throws -> Bool {
        if (borrowShares[user] ?? 0) == 0 { return true }
        return try maxBorrow(user) >= debt(user)
    }

    /// `liquidate`: exactly one of `seizedAssets`/`repaidShares` is non-zero.
    ///
    /// Seized given: `repaidShares = toSharesUp(wDivUp(mulDivUp(seized, price, 1e36), LIF))`; shares given:
    /// `seized = mulDivDown(wMulDown(toAssetsDown(shares), LIF), 1e36, price)`; `repaid = toAssetsUp(shares)`.
    /// When the borrower's collateral reaches zero the remaining debt is socialized: subtracted from both the
    /// borrow and the supply totals (every supplier's shares are worth less).
    @discardableResult
    public mutating func liquidate(
        borrower: String,
        seizedAssets: UInt128,
        repaidShares: UInt128
    ) throws -> MorphoLiquidation {
        guard (seizedAssets == 0) != (repaidShares == 0) else {
            throw LendingError("InconsistentInput", "exactly one of seizedAssets/repaidShares must be non-zero")
        }
        guard !(try isHealthy(borrower)) else {
            throw LendingError("HealthyPosition", "\(borrower) is healthy (maxBorrow ≥ debt)")
        }
        return try atomically(touching: [borrower]) { copy in
            let lif = copy.liquidationIncentiveFactor
            var seized = seizedAssets
            var shares = repaidShares
            if seized > 0 {
                let quoted = try WideMath.mulDiv(seized, copy.price, MorphoMath.oraclePriceScale, rounding: .ceil)
                let repaid = try WideMath.mulDiv(quoted, MorphoMath.wad, lif, rounding: .ceil)
                shares = try MorphoMath.toShares(
                    repaid,
                    totalAssets: copy.totalBorrowAssets,
                    totalShares: copy.totalBorrowShares,
                    .ceil
                )
            } else {
                let assets = try MorphoMath.toAssets(
                    shares,
                    totalAssets: copy.totalBorrowAssets,
                    totalShares: copy.totalBorrowShares,
                    .floor
                )
                let boosted = try WideMath.mulDiv(assets, lif, MorphoMath.wad, rounding: .floor)
                seized = try WideMath.mulDiv(boosted, MorphoMath.oraclePriceScale, copy.price, rounding: .floor)
            }
            let repaidAssets = try MorphoMath.toAssets(
                shares,
                totalAssets: copy.totalBorrowAssets,
                totalShares: copy.totalBorrowShares,
                .ceil
            )
            let heldShares = copy.borrowShares[borrower] ?? 0
            let heldCollateral = copy.collateral[borrower] ?? 0
            guard shares <= heldShares else {
                throw LendingError("RepayTooLarge", "repaid shares \(shares) exceed \(borrower)'s \(heldShares)")
            }
            guard seized <= heldCollateral else {
                throw LendingError(
                    "SeizeTooLarge",
                    "seized \(seized) exceeds \(borrower)'s collateral \(heldCollateral)"
                )
            }
            copy.borrowShares[borrower] = heldShares - shares
            copy.totalBorrowShares -= shares  // ≤ held ≤ total
            copy.totalBorrowAssets = WideMath.zeroFloorSub(copy.totalBorrowAssets, repaidAssets)
            copy.collateral[borrower] = heldCollateral - seized
            copy.idle = try WideMath.add(copy.idle, repaidAssets)
            var badDebtAssets: UInt128 = 0
            var badDebtShares: UInt128 = 0
            if copy.collateral[borrower] == 0 {
                badDebtShares = copy.borrowShares[borrower] ?? 0
                badDebtAssets = min(
                    copy.totalBorrowAssets,
                    try MorphoMath.toAssets(
                        badDebtShares,
                        totalAssets: copy.totalBorrowAssets,
                        totalShares: copy.totalBorrowShares,
                        .ceil
                    )
                )
                copy.totalBorrowAssets -= badDebtAssets
                copy.totalSupplyAssets = WideMath.zeroFloorSub(copy.totalSupplyAssets, badDebtAssets)
                copy.totalBorrowShares -= badDebtShares
                copy.borrowShares[borrower] = 0
            }
            return MorphoLiquidation(
                seizedAssets: seized,
                repaidShares: shares,
                repaidAssets: repaidAssets,
                badDebtAssets: badDebtAssets,
                badDebtShares: badDebtShares
            )
        }
    }
}
