public import FulcrumLending

/// The final state of a replayed lending market as ordered fields (sorted by asset and user; exact decimals).
public enum LendSummary {
    /// Summary fields for `market`.
    public static func fields(_ market: LendingMarket) throws -> [LendingEffect.Field] {
        func f(_ v: UInt128, _ d: Int) -> String { LendingDecimal.format(v, decimals: d) }
        var out: [LendingEffect.Field] = []
        switch market {
        case .aave(let pool):
            out.append(.init("time", String(pool.time)))
            for symbol in pool.reserveOrder {
                let r = try pool.reserve(symbol)
                let d = r.config.decimals
                out.append(
                    .init("\(symbol).supplied", f(try WadRayMath.rayMul(r.scaledSupply, r.liquidityIndex, .floor), d))
                )
                out.append(.init("\(symbol).borrowed", f(try WadRayMath.rayMul(r.scaledDebt, r.borrowIndex, .ceil), d)))
                out.append(.init("\(symbol).available", f(r.available, d)))
                out.append(.init("\(symbol).deficit", f(r.deficit, d)))
                out.append(.init("\(symbol).borrowRate", f(r.borrowRate, 27)))
                out.append(.init("\(symbol).liquidityIndex", f(r.liquidityIndex, 27)))
                out.append(.init("\(symbol).borrowIndex", f(r.borrowIndex, 27)))
            }
            for user in pool.users.keys.sorted() where user != AavePool.treasury {
                let a = try pool.accountData(user)
                guard a.totalCollateralBase > 0 || a.totalDebtBase > 0 else { continue }
                let hf = a.healthFactor == .max ? "inf" : f(a.healthFactor, 18)
                out.append(.init("\(user).healthFactor", hf))
                out.append(.init("\(user).collateral", f(a.totalCollateralBase, 8)))
                out.append(.init("\(user).debt", f(a.totalDebtBase, 8)))
            }
        case .comet(let m, let decs):
            let d = decs[m.baseSymbol] ?? 0
            let (s, b) = try m.totals()
            out.append(.init("time", String(m.lastAccrualTime)))
            out.append(.init("totalSupply", f(s, d)))
            out.append(.init("totalBorrow", f(b, d)))
            out.append(.init("reserves", LendingDecimal.format(signed: try m.reserves(), decimals: d)))
            for symbol in m.assetOrder {
                out.append(.init("\(symbol).collateralReserves", f(m.collateralReserves(symbol), decs[symbol] ?? 0)))
            }
            for user in m.principals.keys.sorted() {
                out.append(
                    .init(
                        "\(user).balance",
                        LendingDecimal.format(signed: try m.presentValue(m.principals[user] ?? 0), decimals: d)
                    )
                )
            }
        case .maker(let s):
            let ray = WadRayMath.ray
            out.append(.init("time", String(s.time)))
            out.append(
                .init("raised", f(try s.raised.divided(by: ray, rounding: .floor).narrowed(field: "raised"), 18))
            )
            out.append(
                .init(
                    "keeperRewards",
                    f(try s.keeperRewards.divided(by: ray, rounding: .floor).narrowed(field: "rewards"), 18)
                )
            )
            out.append(
                .init("badDebt", f(try s.badDebt.divided(by: ray, rounding: .ceil).narrowed(field: "badDebt"), 18))
            )
            out.append(.init("openAuctions", String(s.auctions.count)))
            for key in s.vaults.keys.sorted() {
                guard let v = s.vaults[key] else { continue }
                out.append(.init("\(key).ink", f(v.ink, 18)))
                out.append(.init("\(key).art", f(v.art, 18)))
            }
        case .morpho(let setup):
            let m = setup.market
            out.append(.init("time", String(m.lastUpdate)))
            out.append(.init("totalSupplyAssets", f(m.totalSupplyAssets, setup.loanDecimals)))
            out.append(.init("totalBorrowAssets", f(m.totalBorrowAssets, setup.loanDecimals)))
            for user in m.borrowShares.keys.sorted() where (m.borrowShares[user] ?? 0) > 0 {
                out.append(.init("\(user).debt", f(try m.debt(user), setup.loanDecimals)))
                out.append(.init("\(user).collateral", f(m.collateral[user] ?? 0, setup.collateralDecimals)))
            }
        }
        return out
    }
}
