import FulcrumCore

/// `LiquidationLogic.executeLiquidationCall` under the pool's version.
extension AavePool {
    /// Pass as `debtToCover` to liquidate as much as the close factor allows.
    public static let maxDebtToCover = UInt128.max

    /// Liquidates `user`: the liquidator repays up to `debtToCover` of `debtAsset` and receives `collateralAsset`
    /// worth the repaid debt times the liquidation bonus, minus the protocol fee on the bonus.
    ///
    /// Close factor: v3.0 `50%` of this reserve's debt when HF > 0.95 else 100%; v3.3+ 100% unless both legs are
    /// ≥ $2,000 and HF > 0.95, in which case at most 50% of the position's total debt value. v3.3+ rejects a partial
    /// liquidation leaving < $1,000 of debt or collateral (`MustNotLeaveDust`) and writes off the debt of a position
    /// left without collateral into the reserves' deficits.
    ///
    /// Rounding: `baseCollateral` floor; bonus `percentMul` half-up (floor from v3.7); debt needed for a capped seizure
    /// `percentDiv` half-up (ceil from v3.5); fee split half-up (v3.7: bonus part floor, fee ceil, favouring the
    /// treasury over the liquidator).
    @discardableResult
    public mutating func liquidate(
        liquidator: String,
        user userId: String,
        collateralAsset: String,
        debtAsset: String,
        debtToCover: UInt128,
        receiveAToken: Bool = false
    ) throws -> AaveLiquidationResult {
        guard liquidator != userId else {
            throw LendingError("SelfLiquidation", "liquidator \(liquidator) is the user")
        }
        return try atomically(touching: [userId, liquidator, AavePool.treasury]) { copy in
            let before = try copy.accountData(userId)
            guard before.healthFactor < AavePool.liquidationThreshold else {
                throw LendingError(
                    "HealthFactorNotBelowThreshold",
                    "user \(userId) HF \(Self.formatWad(before.healthFactor)) is not below 1"
                )
            }
            var user = copy.users[userId] ?? AaveUser()
            var debtReserve = try copy.reserve(debtAsset)
            let collReserve = try copy.reserve(collateralAsset)
            guard user.collateralEnabled.contains(collateralAsset) else {
                throw LendingError("CollateralCannotBeLiquidated", "\(collateralAsset) is not enabled as collateral")
            }
            let collBalance = try copy.supplyBalance(userId, collateralAsset)
            let debtBalance = try copy.debtBalance(userId, debtAsset)
            guard collBalance > 0 else {
                throw LendingError("CollateralCannotBeLiquidated", "no \(collateralAsset) held")
            }
            guard debtBalance > 0 else {
                throw LendingError("SpecifiedCurrencyNotBorrowedByUser", "no \(debtAsset) owed")
            }
            let (_, _, bonus) = try copy.collateralParameters(user, collateralAsset)
            let debtBase = try copy.debtValue(debtBalance, debtReserve)
            let collBase = try copy.collateralValue(collBalance, collReserve)

            // Close factor.
            var maxLiquidatable = debtBalance
            var closeFactor: UInt128 = 10_000
            if copy.version.positionWideCloseFactor {
                if collBase >= AavePool.minBaseMaxCloseFactorThreshold,
                    debtBase >= AavePool.minBaseMaxCloseFactorThreshold,
                    before.healthFactor > AavePool.closeFactorHealthThreshold
                {
                    closeFactor = 5_000
                    let half = try WadRayMath.percentMul(before.totalDebtBase, 5_000)
                    if debtBase > half {
                        // Floor: the liquidator may repay at most half of the position's debt value.
                        maxLiquidatable = try WideMath.mulDiv(
                            half,
                            debtReserve.unit,
                            debtReserve.price,
                            rounding: .floor
                        )
                    }
                }
            } else {
                closeFactor = before.healthFactor > AavePool.closeFactorHealthThreshold ? 5_000 : 10_000
                maxLiquidatable = try WadRayMath.percentMul(debtBalance, closeFactor)
            }
            let actualDebt = min(debtToCover, maxLiquidatable)
            guard actualDebt > 0 else { throw LendingError("InvalidAmount", "debtToCover must be > 0") }

            // Collateral for the debt at the oracle prices, plus the bonus.
            let split = try copy.collateralToLiquidate(
                debtReserve: debtReserve,
                collReserve: collReserve,
                debt: actualDebt,
                collBalance: collBalance,
                bonus: bonus
            )
            let (collateralOut, debtNeeded, fee) = split

            if copy.version.dustRule, debtNeeded < debtBalance, collateralOut + fee < collBalance {
                let debtLeft = try copy.debtValue(debtBalance - debtNeeded, debtReserve)
                let collLeft = try copy.collateralValue(collBalance - collateralOut - fee, collReserve)
                guard debtLeft >= AavePool.minLeftoverBase, collLeft >= AavePool.minLeftoverBase else {
                    throw LendingError(
                        "MustNotLeaveDust",
                        "liquidation leaves debt \(debtLeft) and collateral \(collLeft) (base units) below $1,000"
                    )
                }
            }

            // Burn debt; the liquidator's payment becomes available liquidity.
            let isolated = copy.isolatedCollateral(user)
            try copy.burnDebt(&user, &debtReserve, asset: debtAsset, amount: debtNeeded, fullBalance: debtBalance)
            debtReserve.available = try WideMath.add(debtReserve.available, debtNeeded, field: "available")
            copy.reserves[debtAsset] = debtReserve

            // Move collateral: burn ceil from v3.5 (the borrower never keeps more than the value left), capped at holding.
            var coll = try copy.reserve(collateralAsset)
            let held = user.scaledSupply[collateralAsset] ?? 0
            let taken = collateralOut + fee
            let burned =
                taken >= collBalance
                ? held : min(held, try WadRayMath.rayDiv(taken, coll.liquidityIndex, copy.ceilOrHalfUp))
            user.scaledSupply[collateralAsset] = held - burned
            if held - burned == 0 { user.collateralEnabled.remove(collateralAsset) }
            let feeScaled = try WadRayMath.rayDiv(fee, coll.liquidityIndex, copy.floorOrHalfUp)
            let outScaled = burned - min(burned, feeScaled)
            var treasury = copy.users[AavePool.treasury] ?? AaveUser()
            if feeScaled > 0 {
                treasury.scaledSupply[collateralAsset] = try WideMath.add(
                    treasury.scaledSupply[collateralAsset] ?? 0,
                    min(feeScaled, burned)
                )
            }
            copy.users[AavePool.treasury] = treasury
            if receiveAToken {
                var l = copy.users[liquidator] ?? AaveUser()
                l.scaledSupply[collateralAsset] = try WideMath.add(l.scaledSupply[collateralAsset] ?? 0, outScaled)
                copy.users[liquidator] = l
            } else {
                coll.scaledSupply = WideMath.zeroFloorSub(coll.scaledSupply, outScaled)
                guard collateralOut <= coll.available else {
                    throw LendingError(
                        "NotEnoughLiquidity",
                        "\(collateralAsset) pool holds \(coll.available) < \(collateralOut)"
                    )
                }
                coll.available -= collateralOut  // checked above
            }
            copy.reserves[collateralAsset] = coll
            copy.users[userId] = user

            // Deficit (v3.3+): no collateral left ⇒ all remaining debt is burned into the reserves' deficits.
            var deficits: [(asset: String, amount: UInt128)] = []
            if copy.version.writesOffDeficit, try copy.accountData(userId).totalCollateralBase == 0 {
                for symbol in copy.reserveOrder {
                    let owed = try copy.debtBalance(userId, symbol)
                    guard owed > 0 else { continue }
                    var r = try copy.reserve(symbol)
                    var u = copy.users[userId] ?? AaveUser()
                    try copy.burnDebt(&u, &r, asset: symbol, amount: owed, fullBalance: owed)
                    r.deficit = try WideMath.add(r.deficit, owed, field: "deficit")
                    copy.users[userId] = u
                    copy.reserves[symbol] = r
                    deficits.append((symbol, owed))
                }
            }
            if let isolated {
                try copy.reduceIsolatedDebt(isolated, repaid: debtNeeded, decimals: debtReserve.config.decimals)
            }
            for symbol in Set([debtAsset, collateralAsset]).sorted() {
                var r = try copy.reserve(symbol)
                try copy.updateRates(&r)
                copy.reserves[symbol] = r
            }
            let after = try copy.accountData(userId)
            let profit =
                Int128(try copy.collateralValue(collateralOut, collReserve))
                - Int128(try copy.debtValue(debtNeeded, debtReserve))
            return AaveLiquidationResult(
                debtRepaid: debtNeeded,
                collateralToLiquidator: collateralOut,
                protocolFee: fee,
                deficits: deficits.sorted { $0.asset < $1.asset },
                healthFactorBefore: before.healthFactor,
                healthFactorAfter: after.healthFactor,
                closeFactor: closeFactor,
                liquidatorProfitBase: profit
            )
        }
    }

    /// `_calculateAvailableCollateralToLiquidate`: (collateral to the liquidator, debt needed, protocol fee).
    func collateralToLiquidate(
        debtReserve: AaveReserve,
        collReserve: AaveReserve,
        debt: UInt128,
        collBalance: UInt128,
        bonus: UInt128
    ) throws -> (UInt128, UInt128, UInt128) {
        // baseCollateral = floor(P_debt · debt · 10^dc / (P_coll · 10^dd)) — floor favours the borrower.
        let numerator = try UInt256.product(debtReserve.price, debt).multiplied(by: collReserve.unit)
        let denominator = try WideMath.mulDiv(collReserve.price, debtReserve.unit, 1, rounding: .floor)
        let baseCollateral = try numerator.divided(by: denominator, rounding: .floor).narrowed(field: "baseCollateral")
        let maxCollateral = try WadRayMath.percentMul(
            baseCollateral,
            bonus,
            version.floorCeilLiquidationSplit ? .floor : .halfUp
        )
        var collateralAmount = maxCollateral
        var debtNeeded = debt
        if maxCollateral > collBalance {
            collateralAmount = collBalance
            let num = try UInt256.product(collReserve.price, collBalance).multiplied(by: debtReserve.unit)
            let den = try WideMath.mulDiv(debtReserve.price, collReserve.unit, 1, rounding: .floor)
            let value = try num.divided(by: den, rounding: .floor).narrowed(field: "debtAmountNeeded")
            debtNeeded = try WadRayMath.percentDiv(value, bonus, version.directionalRounding ? .ceil : .halfUp)
        }
        var fee: UInt128 = 0
        if collReserve.config.liquidationProtocolFee != 0 {
            let split = version.floorCeilLiquidationSplit
            let withoutBonus = try WadRayMath.percentDiv(collateralAmount, bonus, split ? .floor : .halfUp)
            let bonusCollateral = collateralAmount - min(collateralAmount, withoutBonus)
            fee = try WadRayMath.percentMul(
                bonusCollateral,
                collReserve.config.liquidationProtocolFee,
                split ? .ceil : .halfUp
            )
            collateralAmount -= min(fee, collateralAmount)
        }
        return (collateralAmount, debtNeeded, fee)
    }

    /// A wad as a decimal string with 18 decimals trimmed (for messages).
    static func formatWad(_ value: UInt128) -> String {
        if value == UInt128.max { return "inf" }
        return LendingDecimal.format(value, decimals: 18)
    }
}
