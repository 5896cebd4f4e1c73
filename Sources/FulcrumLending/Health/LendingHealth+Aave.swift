import FulcrumCore

extension LendingHealth {
    /// Builds an ``AavePool`` holding exactly `position` (indices 1, 8-decimal tokens) for `version`.
    public static func aavePool(_ position: LendingPosition, version: AaveVersion) throws -> AavePool {
        var pool = AavePool(version: version)
        let fee = try bps(position.parameters["liquidationProtocolFee"] ?? .zero, field: "liquidationProtocolFee")
        let strategy = try AaveRateStrategy(optimalUsageBps: 8_000, baseBps: 0, slope1Bps: 400, slope2Bps: 6_000)
        var order: [String] = []
        for name in position.collateral.map(\.asset) + position.debt.map(\.asset) where !order.contains(name) {
            order.append(name)
        }
        var user = AaveUser()
        for name in order {
            let leg = position.collateral.first { $0.asset == name }
            let debtLeg = position.debt.first { $0.asset == name }
            let price = leg?.price ?? debtLeg?.price ?? .zero
            if let leg, let debtLeg, leg.price != debtLeg.price {
                throw LendingError(
                    "InvalidInput",
                    "\(name): collateral price \(leg.price) ≠ debt price \(debtLeg.price)"
                )
            }
            var bonus: UInt128 = 0
            if let b = leg?.liquidationBonus {
                let stored = try bps(b, field: "\(name).liquidationBonus")
                bonus = stored >= 10_000 ? stored : 10_000 + stored
            }
            let config = try AaveReserveConfig(
                symbol: name,
                decimals: 8,
                ltv: try bps(leg?.ltv ?? .zero, field: "\(name).ltv"),
                liquidationThreshold: try bps(
                    leg?.liquidationThreshold ?? .zero,
                    field: "\(name).liquidationThreshold"
                ),
                liquidationBonus: bonus,
                liquidationProtocolFee: fee,
                rateStrategy: strategy
            )
            try pool.listReserve(config, price: raw(price))
            let supplied = position.collateral.filter { $0.asset == name }.reduce(UInt128(0)) { $0 + raw($1.amount) }
            let owed = position.debt.filter { $0.asset == name }.reduce(UInt128(0)) { $0 + raw($1.amount) }
            if supplied > 0 {
                user.scaledSupply[name] = supplied
                if config.liquidationThreshold > 0 { user.collateralEnabled.insert(name) }
            }
            if owed > 0 { user.scaledDebt[name] = owed }
            pool.reserves[name]?.scaledSupply = supplied
            pool.reserves[name]?.scaledDebt = owed
            pool.reserves[name]?.available = supplied
        }
        pool.users[borrower] = user
        return pool
    }

    static func aave(_ position: LendingPosition, version: AaveVersion) throws -> LendingHealthReport {
        let pool = try aavePool(position, version: version)
        let account = try pool.accountData(borrower)
        let liquidatable = account.healthFactor < AavePool.liquidationThreshold
        // Liquidation price of c: Σ_{others} V·LT + amount·p·LT_c = D·10⁴ ⇒ p = (D·10⁴ − others)·10⁸ / (amount·LT_c).
        var prices: [(asset: String, price: Price?)] = []
        let user = pool.users[borrower] ?? AaveUser()
        for name in pool.reserveOrder where user.collateralEnabled.contains(name) {
            var others: UInt128 = 0
            for other in pool.reserveOrder where other != name && user.collateralEnabled.contains(other) {
                let r = try pool.reserve(other)
                let (_, lt, _) = try pool.collateralParameters(user, other)
                others += try pool.collateralValue(try pool.supplyBalance(borrower, other), r) * lt
            }
            let (_, lt, _) = try pool.collateralParameters(user, name)
            let need = Int128(account.totalDebtBase * WadRayMath.percentageFactor) - Int128(others)
            let amount = try pool.supplyBalance(borrower, name)
            prices.append((name, try priceUp(need * 100_000_000, amount * lt)))
        }
        var best: (AaveLiquidationResult, String, String)?
        if liquidatable {
            for c in pool.reserveOrder where user.collateralEnabled.contains(c) {
                for d in pool.reserveOrder where (user.scaledDebt[d] ?? 0) > 0 {
                    var copy = pool
                    guard
                        let result = try? copy.liquidate(
                            liquidator: liquidator,
                            user: borrower,
                            collateralAsset: c,
                            debtAsset: d,
                            debtToCover: AavePool.maxDebtToCover
                        )
                    else { continue }
                    if best == nil || result.liquidatorProfitBase > best!.0.liquidatorProfitBase {
                        best = (result, c, d)
                    }
                }
            }
        }
        var quote: LendingHealthReport.Liquidation?
        if let (result, c, d) = best {
            let seized = result.collateralToLiquidator + result.protocolFee
            var bad: UInt128 = 0
            for (asset, amount) in result.deficits { bad += try pool.debtValue(amount, try pool.reserve(asset)) }
            quote = LendingHealthReport.Liquidation(
                debtAsset: d,
                collateralAsset: c,
                debtAmount: try quantity(result.debtRepaid, field: "debtAmount"),
                collateralAmount: try quantity(seized, field: "collateralAmount"),
                debtToCover: try money(
                    try pool.debtValue(result.debtRepaid, try pool.reserve(d)),
                    field: "debtToCover"
                ),
                collateralSeized: try money(
                    try pool.collateralValue(seized, try pool.reserve(c)),
                    field: "collateralSeized"
                ),
                liquidatorProfit: try money(signed: result.liquidatorProfitBase, field: "liquidatorProfit"),
                badDebt: try money(bad, field: "badDebt")
            )
        }
        return LendingHealthReport(
            healthFactor: try rate(fromWad: account.healthFactor),
            liquidatable: liquidatable,
            collateralValue: try money(account.totalCollateralBase, field: "collateralValue"),
            debtValue: try money(account.totalDebtBase, field: "debtValue"),
            maxBorrow: try money(account.availableBorrowsBase, field: "maxBorrow"),
            liquidationPrices: prices,
            maxLiquidation: quote
        )
    }
}
