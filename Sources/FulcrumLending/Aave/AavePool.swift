import FulcrumCore

/// An Aave v3 pool as a pure value: reserves, accounts, e-mode categories and the clock.
///
/// Every mutating action works on a copy and assigns it only on success, so a rejected action leaves the pool
/// unchanged. Amounts are token units (smallest unit, e.g. wei); prices are the base currency with 8 decimals.
/// Time is injected: ``accrue(to:)`` moves the clock and grows the indices.
public struct AavePool: Sendable, Hashable {
    /// The rule generation.
    public var version: AaveVersion
    /// Reserves by symbol.
    public internal(set) var reserves: [String: AaveReserve] = [:]
    /// Reserve symbols in listing order (iteration order for every computation and output).
    public internal(set) var reserveOrder: [String] = []
    /// Accounts by id.
    public var users: [String: AaveUser] = [:]
    /// E-mode categories by id.
    public internal(set) var eModes: [UInt8: AaveEModeCategory] = [:]
    /// The pool clock (seconds).
    public internal(set) var time: UInt64

    /// The account that receives protocol fees as aTokens.
    public static let treasury = "treasury"
    /// `HEALTH_FACTOR_LIQUIDATION_THRESHOLD` = 1.0 (wad).
    public static let liquidationThreshold = WadRayMath.wad
    /// 0.95 (wad): below it the close factor is 100%.
    public static let closeFactorHealthThreshold: UInt128 = 950_000_000_000_000_000
    /// $2,000 in 8-decimal base currency (`MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD`, v3.3+).
    public static let minBaseMaxCloseFactorThreshold: UInt128 = 200_000_000_000
    /// $1,000 in 8-decimal base currency (`MIN_LEFTOVER_BASE`, v3.3+).
    public static let minLeftoverBase: UInt128 = 100_000_000_000

    /// An empty pool at `time`.
    public init(version: AaveVersion, time: UInt64 = 0) {
        self.version = version
        self.time = time
    }

    /// Lists a reserve with its oracle price (8-decimal base currency).
    public mutating func listReserve(_ config: AaveReserveConfig, price: UInt128) throws {
        guard reserves[config.symbol] == nil else {
            throw LendingError("ReserveAlreadyInitialized", "asset \(config.symbol) is already listed")
        }
        guard price > 0 else { throw LendingError("InvalidPrice", "price of \(config.symbol) \(price) must be > 0") }
        reserves[config.symbol] = AaveReserve(config: config, price: price, time: time)
        reserveOrder.append(config.symbol)
    }

    /// Adds an e-mode category.
    public mutating func addEModeCategory(_ category: AaveEModeCategory) throws {
        for asset in category.assets where reserves[asset] == nil {
            throw LendingError("ReserveNotListed", "eMode \(category.id) asset \(asset) is not listed")
        }
        eModes[category.id] = category
    }

    /// Sets an oracle price (8-decimal base currency, > 0).
    public mutating func setPrice(_ asset: String, _ price: UInt128) throws {
        guard reserves[asset] != nil else { throw LendingError("ReserveNotListed", "asset \(asset) is not listed") }
        guard price > 0 else { throw LendingError("InvalidPrice", "price of \(asset) \(price) must be > 0") }
        reserves[asset]?.price = price
    }

    /// Moves the clock to `newTime` and grows every reserve's indices (`ReserveLogic.updateState`).
    ///
    /// Liquidity index: linear (`calculateLinearInterest`); borrow index: the version's compounding formula; the
    /// reserve factor's share of the new interest accrues to the treasury (`_accrueToTreasury`).
    public mutating func accrue(to newTime: UInt64) throws {
        guard newTime >= time else {
            throw LendingError("TimeGoesBackwards", "time \(newTime) is before the pool clock \(time)")
        }
        // Only the (few) reserves change: stage them, then commit, so a failure leaves the pool unchanged.
        var staged = reserves
        for symbol in reserveOrder {
            guard var r = staged[symbol] else { continue }
            try updateState(&r, to: newTime)
            staged[symbol] = r
        }
        reserves = staged
        time = newTime
    }

    /// Runs `body` on the pool; if it throws, restores the touched accounts, every reserve and the clock.
    ///
    /// O(touched accounts + reserves) instead of copying the whole pool, so large replays stay linear.
    mutating func atomically<T>(touching ids: [String], _ body: (inout AavePool) throws -> T) throws -> T {
        let savedUsers = ids.map { ($0, users[$0]) }
        let savedReserves = reserves
        let savedTime = time
        do {
            return try body(&self)
        } catch {
            for (id, user) in savedUsers { users[id] = user }
            reserves = savedReserves
            time = savedTime
            throw error
        }
    }

    func updateState(_ r: inout AaveReserve, to newTime: UInt64) throws {
        let dt = newTime - r.lastUpdate  // newTime ≥ time ≥ lastUpdate: validated by the caller.
        guard dt > 0 else { return }
        let oldBorrowIndex = r.borrowIndex
        if r.supplyRate != 0 {
            let growth = try AaveInterest.linear(rate: r.supplyRate, seconds: dt)
            r.liquidityIndex = try WadRayMath.rayMul(growth, r.liquidityIndex)
        }
        if r.scaledDebt != 0 {
            let growth = try AaveInterest.compounded(rate: r.borrowRate, seconds: dt, version: version)
            r.borrowIndex = try WadRayMath.rayMul(growth, r.borrowIndex)
            // Treasury share: rayMul(scaledDebt, Δindex) then percentMul(reserveFactor); floor from v3.5 favours users
            // by at most one wei, half-up before.
            let accrued = try WadRayMath.rayMul(r.scaledDebt, r.borrowIndex - oldBorrowIndex, floorOrHalfUp)
            let toTreasury = try WadRayMath.percentMul(accrued, r.config.reserveFactor)
            if toTreasury != 0 {
                let scaled = try WadRayMath.rayDiv(toTreasury, r.liquidityIndex, floorOrHalfUp)
                r.accruedToTreasury = try WideMath.add(r.accruedToTreasury, scaled, field: "accruedToTreasury")
            }
        }
        r.lastUpdate = newTime
    }

    /// Recomputes a reserve's rates from its balances (`updateInterestRates`).
    func updateRates(_ r: inout AaveReserve) throws {
        let debt = try WadRayMath.rayMul(r.scaledDebt, r.borrowIndex, ceilOrHalfUp)
        let deficit = version.writesOffDeficit ? r.deficit : 0
        let (supply, borrow) = try r.config.rateStrategy.rates(
            debt: debt,
            available: r.available,
            deficit: deficit,
            reserveFactorBps: r.config.reserveFactor
        )
        r.supplyRate = supply
        r.borrowRate = borrow
    }

    /// Floor from v3.5 (protocol-favouring collateral), half-up before.
    var floorOrHalfUp: ProtocolRounding { version.directionalRounding ? .floor : .halfUp }
    /// Ceil from v3.5 (protocol-favouring debt), half-up before.
    var ceilOrHalfUp: ProtocolRounding { version.directionalRounding ? .ceil : .halfUp }

    /// A reserve by symbol, or a `ReserveNotListed` error.
    public func reserve(_ asset: String) throws -> AaveReserve {
        guard let r = reserves[asset] else { throw LendingError("ReserveNotListed", "asset \(asset) is not listed") }
        return r
    }

    /// An account's aToken balance: `scaled ⊗ liquidityIndex` (floor from v3.5, half-up before).
    public func supplyBalance(_ user: String, _ asset: String) throws -> UInt128 {
        let r = try reserve(asset)
        let scaled = users[user]?.scaledSupply[asset] ?? 0
        return try WadRayMath.rayMul(scaled, r.liquidityIndex, floorOrHalfUp)
    }

    /// An account's variable debt: `scaled ⊗ borrowIndex` (ceil from v3.5, half-up before).
    public func debtBalance(_ user: String, _ asset: String) throws -> UInt128 {
        let r = try reserve(asset)
        let scaled = users[user]?.scaledDebt[asset] ?? 0
        return try WadRayMath.rayMul(scaled, r.borrowIndex, ceilOrHalfUp)
    }

    /// Collateral value in base: `floor(balance · price / 10^decimals)`.
    func collateralValue(_ amount: UInt128, _ r: AaveReserve) throws -> UInt128 {
        try WideMath.mulDiv(amount, r.price, r.unit, rounding: .floor, field: "collateralValue")
    }

    /// Debt value in base: ceil from v3.5 (any debt is worth ≥ 1 unit), floor before.
    func debtValue(_ amount: UInt128, _ r: AaveReserve) throws -> UInt128 {
        try WideMath.mulDiv(
            amount,
            r.price,
            r.unit,
            rounding: version.directionalRounding ? .ceil : .floor,
            field: "debtValue"
        )
    }

    /// The (LTV, threshold, bonus) that apply to `asset` as collateral for `user` (e-mode aware).
    func collateralParameters(_ user: AaveUser, _ asset: String) throws -> (UInt128, UInt128, UInt128) {
        let r = try reserve(asset)
        if user.eModeCategory != 0, let e = eModes[user.eModeCategory], e.assets.contains(asset) {
            return (e.ltv, e.liquidationThreshold, e.liquidationBonus)
        }
        return (r.config.ltv, r.config.liquidationThreshold, r.config.liquidationBonus)
    }

    /// The isolated collateral of an account: its only enabled collateral when that asset has a debt ceiling.
    func isolatedCollateral(_ user: AaveUser) -> String? {
        guard version.hasIsolationMode else { return nil }
        let enabled = reserveOrder.filter { user.collateralEnabled.contains($0) && (user.scaledSupply[$0] ?? 0) > 0 }
        guard enabled.count == 1, let only = enabled.first, let r = reserves[only], r.config.debtCeiling != 0 else {
            return nil
        }
        return only
    }

    /// `GenericLogic.calculateUserAccountData` under this version's rounding.
    ///
    /// HF = Σ Vᵢ·LTᵢ ⨸ D: v3.7 divides the un-averaged numerator (`wadDiv(Σ V·LT, D) / 10⁴`); earlier versions
    /// floor the average threshold first and compute `wadDiv(percentMul(C, avgLT), D)` (half-up).
    public func accountData(_ userId: String) throws -> AaveAccountData {
        let user = users[userId] ?? AaveUser()
        var totalCollateral: UInt128 = 0
        var totalDebt: UInt128 = 0
        var weightedLt: UInt128 = 0
        var weightedLtv: UInt128 = 0
        for symbol in reserveOrder {
            let r = try reserve(symbol)
            if user.collateralEnabled.contains(symbol), (user.scaledSupply[symbol] ?? 0) > 0 {
                let (ltv, lt, _) = try collateralParameters(user, symbol)
                if lt != 0 {
                    let value = try collateralValue(try supplyBalance(userId, symbol), r)
                    totalCollateral = try WideMath.add(totalCollateral, value, field: "totalCollateral")
                    weightedLt = try WideMath.add(weightedLt, try WideMath.mulDiv(value, lt, 1, rounding: .floor))
                    weightedLtv = try WideMath.add(weightedLtv, try WideMath.mulDiv(value, ltv, 1, rounding: .floor))
                }
            }
            if (user.scaledDebt[symbol] ?? 0) > 0 {
                let value = try debtValue(try debtBalance(userId, symbol), r)
                totalDebt = try WideMath.add(totalDebt, value, field: "totalDebt")
            }
        }
        let avgLt = totalCollateral == 0 ? 0 : weightedLt / totalCollateral  // floor, as upstream
        let avgLtv = totalCollateral == 0 ? 0 : weightedLtv / totalCollateral  // floor, as upstream
        var hf = UInt128.max
        if totalDebt != 0 {
            if version.healthFromNumerator {
                hf = try WadRayMath.wadDiv(weightedLt, totalDebt) / WadRayMath.percentageFactor  // floor
            } else {
                hf = try WadRayMath.wadDiv(try WadRayMath.percentMul(totalCollateral, avgLt), totalDebt)
            }
        }
        let borrowable = try WadRayMath.percentMul(
            totalCollateral,
            avgLtv,
            version.floorCeilLiquidationSplit ? .floor : .halfUp
        )
        return AaveAccountData(
            totalCollateralBase: totalCollateral,
            totalDebtBase: totalDebt,
            weightedThreshold: weightedLt,
            averageLtv: avgLtv,
            averageLiquidationThreshold: avgLt,
            healthFactor: hf,
            availableBorrowsBase: borrowable > totalDebt ? borrowable - totalDebt : 0,
            isolatedCollateral: isolatedCollateral(user)
        )
    }
}
