import FulcrumCore

extension LendingHealth {
    static func single(
        _ position: LendingPosition,
        _ name: String
    ) throws
        -> (LendingPosition.Collateral, LendingPosition.Debt)
    {
        guard position.collateral.count == 1, position.debt.count <= 1 else {
            throw LendingError(
                "InvalidInput",
                "\(name) positions have exactly one collateral and at most one debt leg "
                    + "(got \(position.collateral.count) and \(position.debt.count))"
            )
        }
        let debt = position.debt.first ?? LendingPosition.Debt(asset: "DEBT", amount: .zero, price: .one)
        return (position.collateral[0], debt)
    }

    /// Compound III: factors map to borrow CF (`ltv`), liquidate CF (`liquidationThreshold`), liquidation factor
    /// (`liquidationBonus`). The liquidation is `absorb` (all collateral); the profit is what a buyer of all absorbed
    /// collateral gains at the storefront price: `Σ value · SF · (1 − LF)` (SF = `storeFrontPriceFactor`, default 0.5).
    static func comet(_ position: LendingPosition) throws -> LendingHealthReport {
        guard position.debt.count <= 1 else {
            throw LendingError("InvalidInput", "compound-v3 has one base asset: debt has \(position.debt.count) legs")
        }
        let debt = position.debt.first ?? LendingPosition.Debt(asset: "BASE", amount: .zero, price: .one)
        let sf = try wad(
            position.parameters["storeFrontPriceFactor"] ?? Rate(raw: 50_000_000),
            field: "storeFrontPriceFactor"
        )
        let flat = CometRateCurve(kink: WadRayMath.wad / 2, basePerYear: 0, slopeLowPerYear: 0, slopeHighPerYear: 0)
        var market = try CometMarket(
            baseSymbol: debt.asset,
            baseDecimals: 8,
            basePrice: raw(debt.price),
            supplyCurve: flat,
            borrowCurve: flat,
            storeFrontPriceFactor: sf,
            targetReserves: UInt128.max,
            baseBorrowMin: 0
        )
        for (i, c) in position.collateral.enumerated() {
            if market.assets[c.asset] == nil {
                try market.addAsset(
                    try CometAsset(
                        symbol: c.asset,
                        decimals: 8,
                        price: raw(c.price),
                        borrowCollateralFactor: try wad(c.ltv, field: "collateral[\(i)].ltv"),
                        liquidateCollateralFactor: try wad(
                            c.liquidationThreshold,
                            field: "collateral[\(i)].liquidationThreshold"
                        ),
                        liquidationFactor: try wad(c.liquidationBonus, field: "collateral[\(i)].liquidationBonus")
                    )
                )
            }
            try market.supply(user: borrower, asset: c.asset, amount: raw(c.amount))
        }
        market.setPrincipal(borrower, -Int128(raw(debt.amount)))
        let debtValue = try WideMath.mulDiv(raw(debt.amount), raw(debt.price), 100_000_000, rounding: .ceil)
        var collateralValue: UInt128 = 0
        var weighted: UInt128 = 0
        var values: [(String, UInt128, CometAsset)] = []
        for symbol in market.assetOrder {
            guard let a = market.assets[symbol], let bal = market.userCollateral[borrower]?[symbol], bal > 0 else {
                continue
            }
            let v = try WideMath.mulDiv(bal, a.price, a.scale, rounding: .floor)
            collateralValue += v
            weighted += try WideMath.mulDiv(v, a.liquidateCollateralFactor, WadRayMath.wad, rounding: .floor)
            values.append((symbol, v, a))
        }
        let hf =
            debtValue == 0
            ? nil
            : Rate(
                raw: try FixedMath.narrow(
                    Int128(try WideMath.mulDiv(weighted, 100_000_000, debtValue, rounding: .floor)),
                    field: "healthFactor"
                )
            )
        let borrowLiquidity = try market.liquidity(borrower, factor: \.borrowCollateralFactor)
        var prices: [(asset: String, price: Price?)] = []
        for (symbol, v, a) in values {
            let others =
                weighted - (try WideMath.mulDiv(v, a.liquidateCollateralFactor, WadRayMath.wad, rounding: .floor))
            let need = Int128(debtValue) - Int128(others)
            let bal = market.userCollateral[borrower]?[symbol] ?? 0
            // value·LCF = need ⇒ p = need · 10⁸ · 10¹⁸ / (bal · LCF).
            let denominator = try WideMath.mulDiv(bal, a.liquidateCollateralFactor, 1, rounding: .floor)
            let numerator = need > 0 ? Int128(try WideMath.mulDiv(UInt128(need), 100_000_000, 1, rounding: .floor)) : 0
            prices.append(
                (symbol, try priceUp(numerator, try WideMath.mulDiv(denominator, 1, WadRayMath.wad, rounding: .floor)))
            )
        }
        let liquidatable = try market.isLiquidatable(borrower)
        var quote: LendingHealthReport.Liquidation?
        if liquidatable {
            var copy = market
            let absorbed = try copy.absorb(absorber: liquidator, account: borrower)
            var profit: UInt128 = 0
            for (_, v, a) in values {
                let discount = try WideMath.mulDiv(
                    sf,
                    WadRayMath.wad - a.liquidationFactor,
                    WadRayMath.wad,
                    rounding: .floor
                )
                profit += try WideMath.mulDiv(v, discount, WadRayMath.wad, rounding: .floor)
            }
            let names = values.map(\.0)
            quote = LendingHealthReport.Liquidation(
                debtAsset: debt.asset,
                collateralAsset: names.joined(separator: ","),
                debtAmount: debt.amount,
                collateralAmount: names.count == 1
                    ? try quantity(absorbed.seized[names[0]] ?? 0, field: "collateralAmount") : .zero,
                debtToCover: try money(debtValue, field: "debtToCover"),
                collateralSeized: try money(collateralValue, field: "collateralSeized"),
                liquidatorProfit: try money(profit, field: "liquidatorProfit"),
                badDebt: try money(
                    try WideMath.mulDiv(absorbed.uncoveredDebt, raw(debt.price), 100_000_000, rounding: .ceil),
                    field: "badDebt"
                )
            )
        }
        return LendingHealthReport(
            healthFactor: hf,
            liquidatable: liquidatable,
            collateralValue: try money(collateralValue, field: "collateralValue"),
            debtValue: try money(debtValue, field: "debtValue"),
            maxBorrow: try money(UInt128(max(0, borrowLiquidity)), field: "maxBorrow"),
            liquidationPrices: prices,
            maxLiquidation: quote
        )
    }

    /// Morpho Blue: one collateral and one loan asset; the threshold is the LLTV. The liquidation repays all borrow
    /// shares, or seizes all collateral when that is worth less than the debt times the incentive factor.
    static func morpho(_ position: LendingPosition) throws -> LendingHealthReport {
        let (c, d) = try single(position, "morpho")
        let lltv = try wad(c.liquidationThreshold, field: "collateral[0].liquidationThreshold")
        // Collateral enters with 18 decimals (amount × 10¹⁰), the loan with 8, so the oracle price — loan units per
        // collateral unit × 10³⁶ — is `P_c/P_d · 10^(36 + 8 − 18)` and fits 128 bits; floor, as an oracle would.
        let up: UInt128 = 10_000_000_000
        let price = try WideMath.mulDiv(
            raw(c.price),
            100_000_000_000_000_000_000_000_000,
            raw(d.price),
            rounding: .floor
        )
        var market = try MorphoMarket(lltv: lltv, price: price)
        let debtRaw = raw(d.amount)
        market.totalSupplyAssets = debtRaw
        market.totalSupplyShares = debtRaw * MorphoMath.virtualShares
        market.supplyShares["lender"] = debtRaw * MorphoMath.virtualShares
        market.totalBorrowAssets = debtRaw
        market.totalBorrowShares = debtRaw * MorphoMath.virtualShares
        market.borrowShares[borrower] = debtRaw * MorphoMath.virtualShares
        market.collateral[borrower] = raw(c.amount) * up
        let collValue = try WideMath.mulDiv(raw(c.amount), raw(c.price), 100_000_000, rounding: .floor)
        let debt = try market.debt(borrower)
        let debtValue = try WideMath.mulDiv(debt, raw(d.price), 100_000_000, rounding: .ceil)
        let maxBorrow = try market.maxBorrow(borrower)
        let hf =
            debt == 0
            ? nil
            : Rate(
                raw: try FixedMath.narrow(
                    Int128(try WideMath.mulDiv(maxBorrow, 100_000_000, debt, rounding: .floor)),
                    field: "healthFactor"
                )
            )
        let room = try WideMath.mulDiv(
            WideMath.zeroFloorSub(maxBorrow, debt),
            raw(d.price),
            100_000_000,
            rounding: .floor
        )
        // coll · p / P_debt · LLTV = debt ⇒ p = debt · P_debt · 10¹⁸ / (coll · LLTV).
        let numerator = try WideMath.mulDiv(debt, raw(d.price), 1, rounding: .floor)
        let denominator = try WideMath.mulDiv(raw(c.amount), lltv, WadRayMath.wad, rounding: .floor)  // 8-dec amount
        let liqPrice = try priceUp(Int128(numerator), denominator)
        let liquidatable = !(try market.isHealthy(borrower))
        var quote: LendingHealthReport.Liquidation?
        if liquidatable {
            var copy = market
            let result: MorphoLiquidation
            if let r = try? copy.liquidate(
                borrower: borrower,
                seizedAssets: 0,
                repaidShares: market.borrowShares[borrower] ?? 0
            ) {
                result = r
            } else {
                copy = market
                result = try copy.liquidate(borrower: borrower, seizedAssets: raw(c.amount) * up, repaidShares: 0)
            }
            let seizedValue = try WideMath.mulDiv(
                result.seizedAssets,
                raw(c.price),
                1_000_000_000_000_000_000,
                rounding: .floor
            )
            let repaidValue = try WideMath.mulDiv(result.repaidAssets, raw(d.price), 100_000_000, rounding: .ceil)
            quote = LendingHealthReport.Liquidation(
                debtAsset: d.asset,
                collateralAsset: c.asset,
                debtAmount: try quantity(result.repaidAssets, field: "debtAmount"),
                collateralAmount: try quantity(result.seizedAssets / up, field: "collateralAmount"),  // floor
                debtToCover: try money(repaidValue, field: "debtToCover"),
                collateralSeized: try money(seizedValue, field: "collateralSeized"),
                liquidatorProfit: try money(
                    signed: Int128(seizedValue) - Int128(repaidValue),
                    field: "liquidatorProfit"
                ),
                badDebt: try money(
                    try WideMath.mulDiv(result.badDebtAssets, raw(d.price), 100_000_000, rounding: .ceil),
                    field: "badDebt"
                )
            )
        }
        return LendingHealthReport(
            healthFactor: hf,
            liquidatable: liquidatable,
            collateralValue: try money(collValue, field: "collateralValue"),
            debtValue: try money(debtValue, field: "debtValue"),
            maxBorrow: try money(room, field: "maxBorrow"),
            liquidationPrices: [(c.asset, liqPrice)],
            maxLiquidation: quote
        )
    }

    /// Maker: one collateral type and DAI debt. `mat` is `parameters["liquidationRatio"]` or `1 / threshold`;
    /// `chop` (default 1.13), `tip` (DAI), `chip` (fraction). The liquidation is `bark` of the whole vault; the
    /// profit is the keeper incentive `tip + chip·tab` (the auction buyer's gain depends on the clearing price).
    static func maker(_ position: LendingPosition) throws -> LendingHealthReport {
        let (c, d) = try single(position, "maker")
        let ray = WadRayMath.ray
        var mat: UInt128
        if let ratio = position.parameters["liquidationRatio"] {
            mat = try wad(ratio, field: "liquidationRatio") * 1_000_000_000
        } else {
            let lt = try wad(c.liquidationThreshold, field: "collateral[0].liquidationThreshold")
            guard lt > 0 else { throw LendingError("InvalidInput", "collateral[0].liquidationThreshold must be > 0") }
            mat = try WideMath.mulDiv(ray, WadRayMath.wad, lt, rounding: .ceil)  // 1/LT, rounded toward safety
        }
        let chop = try wad(position.parameters["chop"] ?? Rate(raw: 113_000_000), field: "chop")
        let tipWad = try wad(position.parameters["tip"] ?? .zero, field: "tip")
        let chip = try wad(position.parameters["chip"] ?? .zero, field: "chip")
        let priceWad = try WideMath.mulDiv(raw(c.price), WadRayMath.wad, raw(d.price), rounding: .floor)
        let huge = UInt256.product(1_000_000_000_000 * WadRayMath.wad, ray)  // 10¹² DAI in rad: no auction limit
        var system = MakerSystem(globalHole: huge)
        try system.addIlk(
            try MakerIlk(
                name: c.asset,
                duty: ray,
                mat: mat,
                price: priceWad,
                chop: chop,
                hole: huge,
                dust: .zero,
                buf: ray,
                tail: 3_600,
                cusp: ray / 2,
                chip: chip,
                tip: UInt256.product(tipWad, ray),
                calc: .linear(tau: 3_600)
            )
        )
        let ink = raw(c.amount) * 10_000_000_000
        let art = raw(d.amount) * 10_000_000_000
        system.vaults[MakerSystem.key(c.asset, borrower)] = MakerVault(ink: ink, art: art)
        let ilk = system.ilks[c.asset]!
        let spot = try ilk.spot
        // The debt limit in wad DAI: ink ⊗ spot (floor, against the borrower).
        let limit = try UInt256.product(ink, spot).divided(by: ray, rounding: .floor).narrowed(field: "limit")
        let debtWad = art  // rate = 1
        let hf =
            debtWad == 0
            ? nil
            : Rate(
                raw: try FixedMath.narrow(
                    Int128(try WideMath.mulDiv(limit, 100_000_000, debtWad, rounding: .floor)),
                    field: "healthFactor"
                )
            )
        let toUsd = { (w: UInt128, r: ProtocolRounding) throws -> UInt128 in
            try WideMath.mulDiv(w, raw(d.price), WadRayMath.wad, rounding: r)
        }
        // ink · p / mat = debt ⇒ p(DAI, wad) = debt · mat / ink; in USD × P_dai.
        var liqPrice: Price?
        if ink > 0, debtWad > 0 {
            let pWad = try WideMath.mulDiv(debtWad, mat, ink, rounding: .ceil)
            liqPrice = try priceUp(Int128(try WideMath.mulDiv(pWad, raw(d.price), ray, rounding: .ceil)), 1)
        }
        let liquidatable = try debtWad > 0 && system.isUnsafe(ilk: c.asset, owner: borrower)
        var quote: LendingHealthReport.Liquidation?
        if liquidatable {
            var copy = system
            let auction = try copy.bark(ilk: c.asset, owner: borrower, keeper: liquidator)
            let tabWad = try auction.tab.divided(by: ray, rounding: .ceil).narrowed(field: "tab")
            let coinWad = try copy.keeperRewards.divided(by: ray, rounding: .floor).narrowed(field: "keeperReward")
            quote = LendingHealthReport.Liquidation(
                debtAsset: d.asset,
                collateralAsset: c.asset,
                debtAmount: try quantity(tabWad / 10_000_000_000, field: "debtAmount"),
                collateralAmount: try quantity(auction.lot / 10_000_000_000, field: "collateralAmount"),
                debtToCover: try money(try toUsd(tabWad, .ceil), field: "debtToCover"),
                collateralSeized: try money(
                    try WideMath.mulDiv(auction.lot, raw(c.price), WadRayMath.wad, rounding: .floor),
                    field: "collateralSeized"
                ),
                liquidatorProfit: try money(try toUsd(coinWad, .floor), field: "liquidatorProfit"),
                badDebt: .zero
            )
        }
        return LendingHealthReport(
            healthFactor: hf,
            liquidatable: liquidatable,
            collateralValue: try money(
                try WideMath.mulDiv(raw(c.amount), raw(c.price), 100_000_000, rounding: .floor),
                field: "collateralValue"
            ),
            debtValue: try money(try toUsd(debtWad, .ceil), field: "debtValue"),
            maxBorrow: try money(try toUsd(WideMath.zeroFloorSub(limit, debtWad), .floor), field: "maxBorrow"),
            liquidationPrices: [(c.asset, liqPrice)],
            maxLiquidation: quote
        )
    }
}
