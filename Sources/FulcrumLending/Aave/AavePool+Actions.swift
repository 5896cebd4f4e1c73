import FulcrumCore

/// Supply, withdraw, borrow, repay and account settings, validated as `ValidationLogic` does.
extension AavePool {
    /// Supplies `amount` of `asset` for `user` (mint scaled aTokens: floor from v3.5, half-up before).
    ///
    /// The asset is enabled as collateral automatically when its threshold is non-zero and isolation rules allow it
    /// (an isolated asset only as the first collateral; nothing else while the account is isolated).
    public mutating func supply(user userId: String, asset: String, amount: UInt128) throws {
        guard amount > 0 else { throw LendingError("InvalidAmount", "supply amount of \(asset) must be > 0") }
        try atomically(touching: [userId]) { copy in
            var r = try copy.reserve(asset)
            try copy.updateState(&r, to: copy.time)
            if r.config.supplyCap != 0 {
                let supplied = try WadRayMath.rayMul(r.scaledSupply + r.accruedToTreasury, r.liquidityIndex)
                guard try WideMath.add(supplied, amount) <= r.config.supplyCap * r.unit else {
                    throw LendingError(
                        "SupplyCapExceeded",
                        "supply of \(amount) \(asset) exceeds cap \(r.config.supplyCap)"
                    )
                }
            }
            let scaled = try WadRayMath.rayDiv(amount, r.liquidityIndex, copy.floorOrHalfUp)
            guard scaled > 0 else {
                throw LendingError("InvalidMintAmount", "supply of \(amount) \(asset) mints 0 shares")
            }
            var user = copy.users[userId] ?? AaveUser()
            let wasEmpty = (user.scaledSupply[asset] ?? 0) == 0
            user.scaledSupply[asset] = try WideMath.add(user.scaledSupply[asset] ?? 0, scaled, field: "scaledSupply")
            r.scaledSupply = try WideMath.add(r.scaledSupply, scaled, field: "scaledSupply")
            r.available = try WideMath.add(r.available, amount, field: "available")
            if wasEmpty, r.config.liquidationThreshold != 0, !user.collateralEnabled.contains(asset) {
                let hasCollateral = copy.reserveOrder.contains {
                    user.collateralEnabled.contains($0) && (user.scaledSupply[$0] ?? 0) > 0
                }
                let isolated = copy.version.hasIsolationMode && r.config.debtCeiling != 0
                if isolated ? !hasCollateral : copy.isolatedCollateral(user) == nil {
                    user.collateralEnabled.insert(asset)
                }
            }
            copy.users[userId] = user
            try copy.updateRates(&r)
            copy.reserves[asset] = r
        }
    }

    /// Withdraws `amount` (`nil` = everything); rejects a withdrawal that would leave HF < 1.
    @discardableResult
    public mutating func withdraw(user userId: String, asset: String, amount: UInt128?) throws -> UInt128 {
        try atomically(touching: [userId]) { copy in
            var r = try copy.reserve(asset)
            let balance = try copy.supplyBalance(userId, asset)
            let wanted = amount ?? balance
            guard wanted > 0, wanted <= balance else {
                throw LendingError("NotEnoughAvailableUserBalance", "withdraw \(wanted) \(asset) of balance \(balance)")
            }
            guard wanted <= r.available else {
                throw LendingError("NotEnoughLiquidity", "withdraw \(wanted) \(asset) exceeds available \(r.available)")
            }
            var user = copy.users[userId] ?? AaveUser()
            let held = user.scaledSupply[asset] ?? 0
            // Burn: ceil from v3.5 (the user gives up at least the value withdrawn), half-up before; everything on "max".
            let burn =
                wanted == balance ? held : min(held, try WadRayMath.rayDiv(wanted, r.liquidityIndex, copy.ceilOrHalfUp))
            user.scaledSupply[asset] = held - burn
            if held - burn == 0 { user.collateralEnabled.remove(asset) }
            r.scaledSupply = try WideMath.sub(r.scaledSupply, burn, field: "scaledSupply")
            r.available -= wanted  // checked above
            copy.users[userId] = user
            try copy.updateRates(&r)
            copy.reserves[asset] = r
            let after = try copy.accountData(userId)
            guard after.healthFactor >= AavePool.liquidationThreshold else {
                throw LendingError(
                    "HealthFactorLowerThanLiquidationThreshold",
                    "withdraw \(wanted) \(asset) leaves HF below 1"
                )
            }
            return wanted
        }
    }

    /// Borrows `amount` of `asset` at the variable rate (mint scaled debt: ceil from v3.5, half-up before).
    ///
    /// Checks: liquidity, borrow cap, e-mode membership, isolation (borrowable-in-isolation and the debt ceiling in
    /// cents), HF ≥ 1 before, and `percentDiv(debt + amount, avgLTV) ≤ collateral` (`CollateralCannotCoverNewBorrow`).
    public mutating func borrow(user userId: String, asset: String, amount: UInt128) throws {
        guard amount > 0 else { throw LendingError("InvalidAmount", "borrow amount of \(asset) must be > 0") }
        try atomically(touching: [userId]) { copy in
            var r = try copy.reserve(asset)
            guard amount <= r.available else {
                throw LendingError("NotEnoughLiquidity", "borrow \(amount) \(asset) exceeds available \(r.available)")
            }
            let currentDebt = try WadRayMath.rayMul(r.scaledDebt, r.borrowIndex, copy.ceilOrHalfUp)
            if r.config.borrowCap != 0, try WideMath.add(currentDebt, amount) > r.config.borrowCap * r.unit {
                throw LendingError(
                    "BorrowCapExceeded",
                    "borrow of \(amount) \(asset) exceeds cap \(r.config.borrowCap)"
                )
            }
            var user = copy.users[userId] ?? AaveUser()
            if user.eModeCategory != 0, let e = copy.eModes[user.eModeCategory], !e.assets.contains(asset) {
                throw LendingError("InconsistentEModeCategory", "\(asset) is not in eMode \(e.id)")
            }
            let before = try copy.accountData(userId)
            guard before.totalCollateralBase > 0 else {
                throw LendingError("CollateralBalanceIsZero", "user \(userId)")
            }
            guard before.averageLtv > 0 else { throw LendingError("LtvValidationFailed", "user \(userId) has LTV 0") }
            guard before.healthFactor >= AavePool.liquidationThreshold else {
                throw LendingError(
                    "HealthFactorLowerThanLiquidationThreshold",
                    "user \(userId) HF \(before.healthFactor)"
                )
            }
            let amountBase = try copy.debtValue(amount, r)
            let needed = try WadRayMath.percentDiv(
                try WideMath.add(before.totalDebtBase, amountBase),
                before.averageLtv,
                copy.ceilOrHalfUp
            )
            guard needed <= before.totalCollateralBase else {
                throw LendingError(
                    "CollateralCannotCoverNewBorrow",
                    "borrow \(amount) \(asset) needs collateral \(needed) > \(before.totalCollateralBase) (base units)"
                )
            }
            if let isolated = before.isolatedCollateral {
                guard r.config.borrowableInIsolation else {
                    throw LendingError("AssetNotBorrowableInIsolation", "\(asset) while isolated on \(isolated)")
                }
                var c = try copy.reserve(isolated)
                let cents = amount / (try WideMath.pow10(max(0, r.config.decimals - 2)))  // floor, as upstream
                let total = try WideMath.add(c.isolationModeTotalDebt, cents)
                guard total <= c.config.debtCeiling else {
                    throw LendingError(
                        "DebtCeilingExceeded",
                        "\(isolated) isolated debt \(total) > ceiling \(c.config.debtCeiling)"
                    )
                }
                c.isolationModeTotalDebt = total
                copy.reserves[isolated] = c
                if isolated == asset { r.isolationModeTotalDebt = total }
            }
            let scaled = try WadRayMath.rayDiv(amount, r.borrowIndex, copy.ceilOrHalfUp)
            user.scaledDebt[asset] = try WideMath.add(user.scaledDebt[asset] ?? 0, scaled, field: "scaledDebt")
            r.scaledDebt = try WideMath.add(r.scaledDebt, scaled, field: "scaledDebt")
            r.available -= amount  // checked above
            copy.users[userId] = user
            try copy.updateRates(&r)
            copy.reserves[asset] = r
        }
    }

    /// Repays up to `amount` (`nil` = all) of `user`'s `asset` debt; returns the amount repaid.
    @discardableResult
    public mutating func repay(user userId: String, asset: String, amount: UInt128?) throws -> UInt128 {
        try atomically(touching: [userId]) { copy in
            var r = try copy.reserve(asset)
            let debt = try copy.debtBalance(userId, asset)
            guard debt > 0 else { throw LendingError("NoDebtOfSelectedType", "user \(userId) owes no \(asset)") }
            let paid = min(amount ?? debt, debt)
            guard paid > 0 else { throw LendingError("InvalidAmount", "repay amount of \(asset) must be > 0") }
            var user = copy.users[userId] ?? AaveUser()
            try copy.burnDebt(&user, &r, asset: asset, amount: paid, fullBalance: debt)
            r.available = try WideMath.add(r.available, paid, field: "available")
            let isolated = copy.isolatedCollateral(user)
            copy.users[userId] = user
            try copy.updateRates(&r)
            copy.reserves[asset] = r
            if let isolated { try copy.reduceIsolatedDebt(isolated, repaid: paid, decimals: r.config.decimals) }
            return paid
        }
    }

    /// Enters an e-mode category (0 leaves); rejects it when existing debt is outside the category or HF < 1 after.
    public mutating func setUserEMode(user userId: String, category: UInt8) throws {
        try atomically(touching: [userId]) { copy in
            var user = copy.users[userId] ?? AaveUser()
            if category != 0 {
                guard let e = copy.eModes[category] else {
                    throw LendingError("InconsistentEModeCategory", "eMode \(category) does not exist")
                }
                for (asset, scaled) in user.scaledDebt where scaled > 0 && !e.assets.contains(asset) {
                    throw LendingError("NotBorrowableInEMode", "debt in \(asset) is outside eMode \(category)")
                }
            }
            user.eModeCategory = category
            copy.users[userId] = user
            guard try copy.accountData(userId).healthFactor >= AavePool.liquidationThreshold else {
                throw LendingError("HealthFactorLowerThanLiquidationThreshold", "eMode \(category) leaves HF below 1")
            }
        }
    }

    /// Burns `amount` of debt: scaled `amount ⨸ index` (floor from v3.5: the user keeps ≤ 1 wei of credit toward the
    /// protocol's favour on the debt side is ceil at mint; half-up before); all of it when `amount == fullBalance`.
    func burnDebt(
        _ user: inout AaveUser,
        _ r: inout AaveReserve,
        asset: String,
        amount: UInt128,
        fullBalance: UInt128
    )
        throws
    {
        let held = user.scaledDebt[asset] ?? 0
        let burn = amount >= fullBalance ? held : min(held, try WadRayMath.rayDiv(amount, r.borrowIndex, floorOrHalfUp))
        user.scaledDebt[asset] = held - burn
        r.scaledDebt = WideMath.zeroFloorSub(r.scaledDebt, burn)
    }

    /// `IsolationModeLogic.updateIsolatedDebtIfIsolated`: decrease by `repaid / 10^(decimals−2)`, floored at 0.
    mutating func reduceIsolatedDebt(_ isolated: String, repaid: UInt128, decimals: Int) throws {
        guard var c = reserves[isolated] else { return }
        let cents = repaid / (try WideMath.pow10(max(0, decimals - 2)))  // floor, as upstream
        c.isolationModeTotalDebt = WideMath.zeroFloorSub(c.isolationModeTotalDebt, cents)
        reserves[isolated] = c
    }
}
