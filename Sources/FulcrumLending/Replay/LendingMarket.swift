/// A lending protocol's whole state behind one event API: `apply(event)` returns the effect or throws, leaving the
/// state unchanged. This is the `step` the cascade lab drives: pure value, time injected, deterministic.
public enum LendingMarket: Sendable, Hashable {
    /// An Aave v3 pool.
    case aave(AavePool)
    /// A Compound III market (base + collateral decimals by symbol).
    case comet(CometMarket, decimals: [String: Int])
    /// Maker (collateral and DAI in wad).
    case maker(MakerSystem)
    /// One Morpho Blue market.
    case morpho(MorphoSetup)

    /// Applies one event: accrue to its time, then act.
    ///
    /// - Throws: ``LendingError`` / `ArithmeticError` naming the field and value; the state is unchanged then.
    public mutating func apply(_ event: LendingEvent) throws -> LendingEffect {
        // Move the state out of `self` (so its storage is uniquely referenced and mutates in place), snapshot only the
        // parts an accrual touches, and put everything back — restored on failure — before returning.
        let placeholder = LendingMarket.maker(MakerSystem(globalHole: .zero))
        switch self {
        case .aave(var pool):
            self = placeholder
            let saved = (pool.reserves, pool.time)
            defer { self = .aave(pool) }
            do {
                if let t = event.time { try pool.accrue(to: t) }
                return try Self.applyAave(&pool, event.action)
            } catch {
                (pool.reserves, pool.time) = saved
                throw error
            }
        case .comet(var market, let decimals):
            self = placeholder
            let saved = (market.baseSupplyIndex, market.baseBorrowIndex, market.lastAccrualTime)
            defer { self = .comet(market, decimals: decimals) }
            do {
                if let t = event.time { try market.accrue(to: t) }
                return try Self.applyComet(&market, decimals, event.action)
            } catch {
                (market.baseSupplyIndex, market.baseBorrowIndex, market.lastAccrualTime) = saved
                throw error
            }
        case .maker(var system):
            self = placeholder
            let saved = (system.ilks, system.time)
            defer { self = .maker(system) }
            do {
                if let t = event.time { try system.accrue(to: t) }
                return try Self.applyMaker(&system, event.action)
            } catch {
                (system.ilks, system.time) = saved
                throw error
            }
        case .morpho(var setup):
            self = placeholder
            let fee = setup.market.supplyShares[MorphoMarket.feeRecipient]
            let saved = (
                setup.market.totalSupplyAssets, setup.market.totalSupplyShares, setup.market.totalBorrowAssets,
                setup.market.lastUpdate
            )
            defer { self = .morpho(setup) }
            do {
                if let t = event.time { try setup.market.accrue(to: t) }
                return try Self.applyMorpho(&setup, event.action)
            } catch {
                setup.market.totalSupplyAssets = saved.0
                setup.market.totalSupplyShares = saved.1
                setup.market.totalBorrowAssets = saved.2
                setup.market.lastUpdate = saved.3
                setup.market.supplyShares[MorphoMarket.feeRecipient] = fee
                throw error
            }
        }
    }

    static func amount(_ text: String, _ decimals: Int, _ field: String) throws -> UInt128 {
        try LendingDecimal.parse(text, decimals: decimals, field: field)
    }

    static func fmt(_ v: UInt128, _ decimals: Int) -> String { LendingDecimal.format(v, decimals: decimals) }

    static func unsupported(_ action: LendingAction, _ name: String) -> LendingError {
        LendingError("UnsupportedAction", "\(name) does not support \(action)")
    }

    static func applyAave(_ pool: inout AavePool, _ action: LendingAction) throws -> LendingEffect {
        func dec(_ asset: String) throws -> Int { try pool.reserve(asset).config.decimals }
        switch action {
        case .supply(let user, let asset, let text):
            let a = try amount(text, try dec(asset), "amount")
            try pool.supply(user: user, asset: asset, amount: a)
            return LendingEffect(
                "supplied",
                [.init("user", user), .init("asset", asset), .init("amount", fmt(a, try dec(asset)))]
            )
        case .withdraw(let user, let asset, let text):
            let a = try text.map { try amount($0, try dec(asset), "amount") }
            let done = try pool.withdraw(user: user, asset: asset, amount: a)
            return LendingEffect(
                "withdrew",
                [.init("user", user), .init("asset", asset), .init("amount", fmt(done, try dec(asset)))]
            )
        case .borrow(let user, let asset, let text):
            let a = try amount(text, try dec(asset), "amount")
            try pool.borrow(user: user, asset: asset, amount: a)
            return LendingEffect(
                "borrowed",
                [.init("user", user), .init("asset", asset), .init("amount", fmt(a, try dec(asset)))]
            )
        case .repay(let user, let asset, let text):
            let a = try text.map { try amount($0, try dec(asset), "amount") }
            let done = try pool.repay(user: user, asset: asset, amount: a)
            return LendingEffect(
                "repaid",
                [.init("user", user), .init("asset", asset), .init("amount", fmt(done, try dec(asset)))]
            )
        case .price(let asset, let text):
            try pool.setPrice(asset, try amount(text, 8, "price"))
            return LendingEffect("price", [.init("asset", asset), .init("price", text)])
        case .accrue:
            return LendingEffect("accrued", [.init("time", String(pool.time))])
        case .liquidate(let liquidator, let user, let coll, let debt, let text):
            let cover = try text.map { try amount($0, try dec(debt), "amount") } ?? AavePool.maxDebtToCover
            let r = try pool.liquidate(
                liquidator: liquidator,
                user: user,
                collateralAsset: coll,
                debtAsset: debt,
                debtToCover: cover
            )
            var fields: [LendingEffect.Field] = [
                .init("user", user), .init("debtRepaid", fmt(r.debtRepaid, try dec(debt))),
                .init("collateralToLiquidator", fmt(r.collateralToLiquidator, try dec(coll))),
                .init("protocolFee", fmt(r.protocolFee, try dec(coll))),
                .init("closeFactor", fmt(r.closeFactor, 4)),
                .init("healthFactorBefore", AavePool.formatWad(r.healthFactorBefore)),
                .init("healthFactorAfter", AavePool.formatWad(r.healthFactorAfter)),
                .init("liquidatorProfit", LendingDecimal.format(signed: r.liquidatorProfitBase, decimals: 8)),
            ]
            for (asset, v) in r.deficits { fields.append(.init("deficit." + asset, fmt(v, try dec(asset)))) }
            return LendingEffect("liquidated", fields)
        case .setEMode(let user, let category):
            try pool.setUserEMode(user: user, category: category)
            return LendingEffect("eMode", [.init("user", user), .init("category", String(category))])
        default:
            throw unsupported(action, "aave")
        }
    }

    static func applyComet(
        _ m: inout CometMarket,
        _ decimals: [String: Int],
        _ action: LendingAction
    ) throws
        -> LendingEffect
    {
        func dec(_ asset: String) throws -> Int {
            guard let d = decimals[asset] else { throw LendingError("BadAsset", "asset \(asset) is not listed") }
            return d
        }
        let base = m.baseSymbol
        switch action {
        case .supply(let user, let asset, let text), .repay(let user, let asset, .some(let text)):
            let a = try amount(text, try dec(asset), "amount")
            try m.supply(user: user, asset: asset, amount: a)
            return LendingEffect(
                "supplied",
                [.init("user", user), .init("asset", asset), .init("amount", fmt(a, try dec(asset)))]
            )
        case .repay(let user, let asset, nil):
            let owed = try m.presentValue(m.principals[user] ?? 0)
            guard asset == base, owed < 0 else { throw LendingError("NothingToRepay", "\(user) owes no \(base)") }
            try m.supply(user: user, asset: base, amount: owed.magnitude)
            return LendingEffect("repaid", [.init("user", user), .init("amount", fmt(owed.magnitude, try dec(base)))])
        case .borrow(let user, let asset, let text):
            let a = try amount(text, try dec(asset), "amount")
            try m.withdraw(user: user, asset: asset, amount: a)
            return LendingEffect(
                "borrowed",
                [.init("user", user), .init("asset", asset), .init("amount", fmt(a, try dec(asset)))]
            )
        case .withdraw(let user, let asset, let text):
            guard let text else { throw LendingError("InvalidAmount", "comet withdraw needs an amount") }
            let a = try amount(text, try dec(asset), "amount")
            try m.withdraw(user: user, asset: asset, amount: a)
            return LendingEffect(
                "withdrew",
                [.init("user", user), .init("asset", asset), .init("amount", fmt(a, try dec(asset)))]
            )
        case .price(let asset, let text):
            try m.setPrice(asset, try amount(text, 8, "price"))
            return LendingEffect("price", [.init("asset", asset), .init("price", text)])
        case .accrue:
            return LendingEffect("accrued", [.init("time", String(m.lastAccrualTime))])
        case .liquidate(let liquidator, let user, _, _, _):
            let r = try m.absorb(absorber: liquidator, account: user)
            var fields: [LendingEffect.Field] = [.init("user", user)]
            for symbol in m.assetOrder {
                if let v = r.seized[symbol] { fields.append(.init("seized." + symbol, fmt(v, try dec(symbol)))) }
            }
            fields.append(.init("basePaidOut", fmt(r.basePaidOut, try dec(base))))
            fields.append(.init("uncoveredDebt", fmt(r.uncoveredDebt, try dec(base))))
            fields.append(.init("reserves", LendingDecimal.format(signed: try m.reserves(), decimals: try dec(base))))
            return LendingEffect("absorbed", fields)
        case .buyCollateral(let buyer, let asset, let text):
            let a = try amount(text, try dec(base), "baseAmount")
            let got = try m.buyCollateral(buyer: buyer, asset: asset, minAmount: 0, baseAmount: a)
            return LendingEffect(
                "boughtCollateral",
                [
                    .init("buyer", buyer), .init("asset", asset), .init("paid", fmt(a, try dec(base))),
                    .init("received", fmt(got, try dec(asset))),
                ]
            )
        default:
            throw unsupported(action, "compound-v3")
        }
    }

    static func applyMaker(_ s: inout MakerSystem, _ action: LendingAction) throws -> LendingEffect {
        let ray = WadRayMath.ray
        switch action {
        case .supply(let user, let ilk, let text):
            let a = try amount(text, 18, "amount")
            try s.lock(ilk: ilk, owner: user, ink: a)
            return LendingEffect("locked", [.init("user", user), .init("ilk", ilk), .init("ink", fmt(a, 18))])
        case .withdraw(let user, let ilk, let text):
            let a = try text.map { try amount($0, 18, "amount") } ?? s.vault(ilk: ilk, owner: user).ink
            try s.free(ilk: ilk, owner: user, ink: a)
            return LendingEffect("freed", [.init("user", user), .init("ilk", ilk), .init("ink", fmt(a, 18))])
        case .borrow(let user, let ilk, let text):
            let a = try amount(text, 18, "amount")
            try s.draw(ilk: ilk, owner: user, wad: a)
            return LendingEffect("drew", [.init("user", user), .init("ilk", ilk), .init("dai", fmt(a, 18))])
        case .repay(let user, let ilk, let text):
            let a = try text.map { try amount($0, 18, "amount") }
            let dart = try s.wipe(ilk: ilk, owner: user, wad: a)
            return LendingEffect("wiped", [.init("user", user), .init("ilk", ilk), .init("art", fmt(dart, 18))])
        case .price(let ilk, let text):
            try s.setPrice(ilk: ilk, price: try amount(text, 18, "price"))
            return LendingEffect("price", [.init("ilk", ilk), .init("price", text)])
        case .accrue:
            return LendingEffect("accrued", [.init("time", String(s.time))])
        case .liquidate(let keeper, let user, let ilk, _, _):
            let a = try s.bark(ilk: ilk, owner: user, keeper: keeper)
            return LendingEffect(
                "barked",
                [
                    .init("auction", String(a.id)), .init("user", user), .init("ilk", ilk),
                    .init("tab", fmt(try a.tab.divided(by: ray, rounding: .ceil).narrowed(field: "tab"), 18)),
                    .init("lot", fmt(a.lot, 18)), .init("top", fmt(a.top, 27)),
                ]
            )
        case .take(let id, let text, let maxText):
            let t = try s.take(
                id,
                amount: try amount(text, 18, "amount"),
                maxPrice: try amount(maxText, 27, "maxPrice")
            )
            return LendingEffect(
                "took",
                [
                    .init("auction", String(id)), .init("slice", fmt(t.slice, 18)), .init("price", fmt(t.price, 27)),
                    .init("owe", fmt(try t.owe.divided(by: ray, rounding: .floor).narrowed(field: "owe"), 18)),
                    .init("tabLeft", fmt(try t.tabLeft.divided(by: ray, rounding: .ceil).narrowed(field: "tab"), 18)),
                    .init("lotLeft", fmt(t.lotLeft, 18)), .init("returned", fmt(t.returnedToOwner, 18)),
                    .init(
                        "badDebt",
                        fmt(try t.badDebt.divided(by: ray, rounding: .ceil).narrowed(field: "badDebt"), 18)
                    ),
                ]
            )
        case .redo(let id, let keeper):
            try s.redo(id, keeper: keeper)
            return LendingEffect("redone", [.init("auction", String(id))])
        default:
            throw unsupported(action, "maker")
        }
    }

    static func applyMorpho(_ s: inout MorphoSetup, _ action: LendingAction) throws -> LendingEffect {
        let (loan, ld, coll, cd) = (s.loanAsset, s.loanDecimals, s.collateralAsset, s.collateralDecimals)
        func check(_ asset: String) throws {
            guard asset == loan || asset == coll else {
                throw LendingError("BadAsset", "asset \(asset) is not in the market")
            }
        }
        switch action {
        case .supply(let user, let asset, let text):
            try check(asset)
            if asset == loan {
                let a = try amount(text, ld, "amount")
                try s.market.supply(user: user, assets: a)
                return LendingEffect(
                    "supplied",
                    [.init("user", user), .init("asset", asset), .init("amount", fmt(a, ld))]
                )
            }
            let a = try amount(text, cd, "amount")
            try s.market.supplyCollateral(user: user, assets: a)
            return LendingEffect("suppliedCollateral", [.init("user", user), .init("amount", fmt(a, cd))])
        case .withdraw(let user, let asset, let text):
            try check(asset)
            guard let text else { throw LendingError("InvalidAmount", "morpho withdraw needs an amount") }
            if asset == loan {
                let a = try amount(text, ld, "amount")
                try s.market.withdraw(user: user, assets: a)
                return LendingEffect(
                    "withdrew",
                    [.init("user", user), .init("asset", asset), .init("amount", fmt(a, ld))]
                )
            }
            let a = try amount(text, cd, "amount")
            try s.market.withdrawCollateral(user: user, assets: a)
            return LendingEffect("withdrewCollateral", [.init("user", user), .init("amount", fmt(a, cd))])
        case .borrow(let user, let asset, let text):
            guard asset == loan else { throw LendingError("BadAsset", "only \(loan) can be borrowed") }
            let a = try amount(text, ld, "amount")
            try s.market.borrow(user: user, assets: a)
            return LendingEffect("borrowed", [.init("user", user), .init("amount", fmt(a, ld))])
        case .repay(let user, _, let text):
            let paid = try s.market.repay(user: user, assets: try text.map { try amount($0, ld, "amount") })
            return LendingEffect("repaid", [.init("user", user), .init("amount", fmt(paid, ld))])
        case .price(_, let text):
            // Loan units per collateral unit → oracle scale 10³⁶ adjusted for decimals.
            let p = try amount(text, 36 + ld - cd, "price")
            guard p > 0 else { throw LendingError("InvalidPrice", "price \(text) must be > 0") }
            s.market.price = p
            return LendingEffect("price", [.init("price", text)])
        case .accrue:
            return LendingEffect("accrued", [.init("time", String(s.market.lastUpdate))])
        case .liquidate(_, let user, _, _, let text):
            var r: MorphoLiquidation
            if let text {
                let assets = try amount(text, ld, "amount")
                let m = s.market
                let shares = try MorphoMath.toShares(
                    assets,
                    totalAssets: m.totalBorrowAssets,
                    totalShares: m.totalBorrowShares,
                    .floor
                )
                r = try s.market.liquidate(borrower: user, seizedAssets: 0, repaidShares: shares)
            } else {
                var trial = s.market
                if let full = try? trial.liquidate(
                    borrower: user,
                    seizedAssets: 0,
                    repaidShares: s.market.borrowShares[user] ?? 0
                ) {
                    r = full
                    s.market = trial
                } else {
                    r = try s.market.liquidate(
                        borrower: user,
                        seizedAssets: s.market.collateral[user] ?? 0,
                        repaidShares: 0
                    )
                }
            }
            return LendingEffect(
                "liquidated",
                [
                    .init("user", user), .init("seized", fmt(r.seizedAssets, cd)),
                    .init("repaid", fmt(r.repaidAssets, ld)),
                    .init("badDebt", fmt(r.badDebtAssets, ld)),
                ]
            )
        default:
            throw unsupported(action, "morpho")
        }
    }
}
