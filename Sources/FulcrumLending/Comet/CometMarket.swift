/// A Compound III (Comet) market as a pure value: one borrowable base asset, collateral assets, indices, reserves.
///
/// Balances are signed principals (`> 0` supply, `< 0` borrow). Present values: supply `principal·index/1e15`
/// (floor), borrow `|principal|·index/1e15` (floor); back to principal: supply floor, borrow ceil. Every action
/// works on a copy and assigns on success. Source: compound-finance/comet `contracts/Comet.sol`, `CometCore.sol`.
public struct CometMarket: Sendable, Hashable {
    /// `BASE_INDEX_SCALE = 1e15`.
    public static let baseIndexScale: UInt128 = 1_000_000_000_000_000
    /// Base asset symbol.
    public let baseSymbol: String
    /// `10^baseDecimals`.
    public let baseScale: UInt128
    /// Base price (USD, 8 decimals).
    public var basePrice: UInt128
    /// Supply rate curve.
    public var supplyCurve: CometRateCurve
    /// Borrow rate curve.
    public var borrowCurve: CometRateCurve
    /// Share of the liquidation penalty passed on as buyer discount (wad, ≤ 1).
    public var storeFrontPriceFactor: UInt128
    /// Collateral sales stop once reserves reach this (base units).
    public var targetReserves: UInt128
    /// Minimum borrow (base units).
    public var baseBorrowMin: UInt128
    /// Collateral assets by symbol.
    public internal(set) var assets: [String: CometAsset] = [:]
    /// Listing order.
    public internal(set) var assetOrder: [String] = []
    /// Supply index (1e15 scale).
    public internal(set) var baseSupplyIndex = baseIndexScale
    /// Borrow index (1e15 scale).
    public internal(set) var baseBorrowIndex = baseIndexScale
    /// Σ positive principals.
    public internal(set) var totalSupplyBase: UInt128 = 0
    /// Σ |negative principals|.
    public internal(set) var totalBorrowBase: UInt128 = 0
    /// Base tokens held by the contract.
    public internal(set) var baseBalance: UInt128 = 0
    /// Signed principal by account.
    public internal(set) var principals: [String: Int128] = [:]
    /// Collateral by account and asset.
    public internal(set) var userCollateral: [String: [String: UInt128]] = [:]
    /// Σ user collateral by asset.
    public internal(set) var totalsCollateral: [String: UInt128] = [:]
    /// Collateral tokens held by the contract (user-owned + bought-out reserves).
    public internal(set) var collateralBalance: [String: UInt128] = [:]
    /// Time of the last accrual (seconds).
    public internal(set) var lastAccrualTime: UInt64

    /// Creates a market.
    public init(
        baseSymbol: String,
        baseDecimals: Int,
        basePrice: UInt128,
        supplyCurve: CometRateCurve,
        borrowCurve: CometRateCurve,
        storeFrontPriceFactor: UInt128,
        targetReserves: UInt128,
        baseBorrowMin: UInt128,
        time: UInt64 = 0
    ) throws {
        guard storeFrontPriceFactor <= WadRayMath.wad else {
            throw LendingError("BadDiscount", "storeFrontPriceFactor \(storeFrontPriceFactor) > 1e18")
        }
        self.baseSymbol = baseSymbol
        baseScale = try WideMath.pow10(baseDecimals)
        self.basePrice = basePrice
        self.supplyCurve = supplyCurve
        self.borrowCurve = borrowCurve
        self.storeFrontPriceFactor = storeFrontPriceFactor
        self.targetReserves = targetReserves
        self.baseBorrowMin = baseBorrowMin
        lastAccrualTime = time
    }

    /// Adds a collateral asset.
    public mutating func addAsset(_ asset: CometAsset) throws {
        guard assets[asset.symbol] == nil, asset.symbol != baseSymbol else {
            throw LendingError("AssetExists", "asset \(asset.symbol) is already listed")
        }
        assets[asset.symbol] = asset
        assetOrder.append(asset.symbol)
    }

    /// Sets a price (8 decimals, > 0; Comet reverts `BadPrice` otherwise).
    public mutating func setPrice(_ symbol: String, _ price: UInt128) throws {
        guard price > 0 else { throw LendingError("BadPrice", "price of \(symbol) must be > 0") }
        if symbol == baseSymbol {
            basePrice = price
        } else {
            guard assets[symbol] != nil else { throw LendingError("BadAsset", "asset \(symbol) is not listed") }
            assets[symbol]?.price = price
        }
    }

    /// Present value of a principal (signed, base units).
    public func presentValue(_ principal: Int128) throws -> Int128 {
        if principal >= 0 {
            let v = try WideMath.mulDiv(UInt128(principal), baseSupplyIndex, Self.baseIndexScale, rounding: .floor)
            return Int128(v)
        }
        let v = try WideMath.mulDiv(principal.magnitude, baseBorrowIndex, Self.baseIndexScale, rounding: .floor)
        return -Int128(v)
    }

    /// Principal of a present value: supply floor (favours the protocol), borrow ceil (favours the protocol).
    public func principalValue(_ presentValue: Int128) throws -> Int128 {
        if presentValue >= 0 {
            return Int128(
                try WideMath.mulDiv(UInt128(presentValue), Self.baseIndexScale, baseSupplyIndex, rounding: .floor)
            )
        }
        let p = try WideMath.mulDiv(presentValue.magnitude, Self.baseIndexScale, baseBorrowIndex, rounding: .ceil)
        return -Int128(p)
    }

    /// Σ supply and borrow present values.
    public func totals() throws -> (supply: UInt128, borrow: UInt128) {
        (
            try WideMath.mulDiv(totalSupplyBase, baseSupplyIndex, Self.baseIndexScale, rounding: .floor),
            try WideMath.mulDiv(totalBorrowBase, baseBorrowIndex, Self.baseIndexScale, rounding: .floor)
        )
    }

    /// `getUtilization`: borrow ⨸ supply (wad, floor; 0 without supply).
    public func utilization() throws -> UInt128 {
        let (s, b) = try totals()
        return s == 0 ? 0 : try WideMath.mulDiv(b, WadRayMath.wad, s, rounding: .floor)
    }

    /// `getReserves`: base held − supply + borrow (signed; negative after uncovered absorbs).
    public func reserves() throws -> Int128 {
        let (s, b) = try totals()
        return Int128(baseBalance) - Int128(s) + Int128(b)
    }

    /// `accrueInternal`: `index += index·rate·Δt / 1e18` (simple within one accrual; floors).
    public mutating func accrue(to time: UInt64) throws {
        guard time >= lastAccrualTime else {
            throw LendingError("TimeGoesBackwards", "time \(time) < clock \(lastAccrualTime)")
        }
        let dt = UInt128(time - lastAccrualTime)
        guard dt > 0 else { return }
        let u = try utilization()
        let supplyRate = try supplyCurve.rate(utilization: u)
        let borrowRate = try borrowCurve.rate(utilization: u)
        try atomically(touching: []) { copy in
            copy.baseSupplyIndex = try WideMath.add(
                copy.baseSupplyIndex,
                try WideMath.mulDiv(copy.baseSupplyIndex, supplyRate * dt, WadRayMath.wad, rounding: .floor)
            )
            copy.baseBorrowIndex = try WideMath.add(
                copy.baseBorrowIndex,
                try WideMath.mulDiv(copy.baseBorrowIndex, borrowRate * dt, WadRayMath.wad, rounding: .floor)
            )
            copy.lastAccrualTime = time
        }
    }

    /// Runs `body`; if it throws, restores the scalars, the per-asset totals and the touched accounts.
    ///
    /// O(touched accounts + assets) instead of copying the whole market.
    mutating func atomically<T>(touching ids: [String], _ body: (inout CometMarket) throws -> T) throws -> T {
        let scalars = (
            baseSupplyIndex, baseBorrowIndex, totalSupplyBase, totalBorrowBase, baseBalance, lastAccrualTime
        )
        let perAsset = (totalsCollateral, collateralBalance)
        let entries = ids.map { ($0, principals[$0], userCollateral[$0]) }
        do {
            return try body(&self)
        } catch {
            (baseSupplyIndex, baseBorrowIndex, totalSupplyBase, totalBorrowBase, baseBalance, lastAccrualTime) = scalars
            (totalsCollateral, collateralBalance) = perAsset
            for (id, p, c) in entries {
                principals[id] = p
                userCollateral[id] = c
            }
            throw error
        }
    }

    /// Updates an account's principal and the supply/borrow totals (`repayAndSupplyAmount`/`withdrawAndBorrowAmount`).
    mutating func setPrincipal(_ user: String, _ new: Int128) {
        let old = principals[user] ?? 0
        // Removing the old principal and adding the new one is equivalent to upstream's split.
        if old > 0 { totalSupplyBase -= UInt128(old) } else { totalBorrowBase -= old.magnitude }
        if new > 0 { totalSupplyBase += UInt128(new) } else { totalBorrowBase += new.magnitude }
        principals[user] = new
    }

    /// Supplies base (repaying debt first) or collateral.
    public mutating func supply(user: String, asset: String, amount: UInt128) throws {
        guard amount > 0 else { throw LendingError("BadAmount", "supply amount must be > 0") }
        try atomically(touching: [user]) { copy in
            if asset == copy.baseSymbol {
                let pv = try copy.presentValue(copy.principals[user] ?? 0)
                copy.setPrincipal(user, try copy.principalValue(pv + Int128(amount)))
                copy.baseBalance = try WideMath.add(copy.baseBalance, amount)
            } else {
                guard let a = copy.assets[asset] else { throw LendingError("BadAsset", "asset \(asset) is not listed") }
                let total = try WideMath.add(copy.totalsCollateral[asset] ?? 0, amount)
                guard a.supplyCap == 0 || total <= a.supplyCap else {
                    throw LendingError("SupplyCapExceeded", "\(asset) total \(total) > cap \(a.supplyCap)")
                }
                copy.totalsCollateral[asset] = total
                copy.userCollateral[user, default: [:]][asset, default: 0] += amount
                copy.collateralBalance[asset] = try WideMath.add(copy.collateralBalance[asset] ?? 0, amount)
            }
        }
    }

    /// Withdraws base (borrowing past zero: `|balance| ≥ baseBorrowMin` and borrow-collateralized) or collateral.
    public mutating func withdraw(user: String, asset: String, amount: UInt128) throws {
        guard amount > 0 else { throw LendingError("BadAmount", "withdraw amount must be > 0") }
        try atomically(touching: [user]) { copy in
            if asset == copy.baseSymbol {
                guard amount <= copy.baseBalance else {
                    throw LendingError(
                        "InsufficientBalance",
                        "withdraw \(amount) exceeds base held \(copy.baseBalance)"
                    )
                }
                let pv = try copy.presentValue(copy.principals[user] ?? 0)
                let newBalance = pv - Int128(amount)
                copy.setPrincipal(user, try copy.principalValue(newBalance))
                copy.baseBalance -= amount
                if newBalance < 0 {
                    guard newBalance.magnitude >= copy.baseBorrowMin else {
                        throw LendingError(
                            "BorrowTooSmall",
                            "borrow \(newBalance.magnitude) < baseBorrowMin \(copy.baseBorrowMin)"
                        )
                    }
                    guard try copy.liquidity(user, factor: \.borrowCollateralFactor) >= 0 else {
                        throw LendingError("NotCollateralized", "\(user) is not borrow-collateralized")
                    }
                }
            } else {
                let held = copy.userCollateral[user]?[asset] ?? 0
                guard amount <= held else {
                    throw LendingError("InsufficientBalance", "withdraw \(amount) \(asset) of \(held)")
                }
                copy.userCollateral[user]?[asset] = held - amount
                copy.totalsCollateral[asset, default: 0] -= amount
                copy.collateralBalance[asset, default: 0] -= amount
                guard try copy.liquidity(user, factor: \.borrowCollateralFactor) >= 0 else {
                    throw LendingError("NotCollateralized", "\(user) is not borrow-collateralized")
                }
            }
        }
    }

    /// `isBorrowCollateralized`/`isLiquidatable` liquidity: `pv·P_base/scale + Σ bal·P/scale ⊗ factor` (USD, 8 dec).
    ///
    /// Divisions truncate toward zero as Solidity's signed `/` (a debt's value is rounded toward zero).
    public func liquidity(_ user: String, factor: KeyPath<CometAsset, UInt128>) throws -> Int128 {
        let pv = try presentValue(principals[user] ?? 0)
        let baseValue = try WideMath.mulDiv(pv.magnitude, basePrice, baseScale, rounding: .floor)
        var total: Int128 = pv < 0 ? -Int128(baseValue) : Int128(baseValue)
        for symbol in assetOrder {
            guard let a = assets[symbol], let bal = userCollateral[user]?[symbol], bal > 0 else { continue }
            let value = try WideMath.mulDiv(bal, a.price, a.scale, rounding: .floor)
            total += Int128(try WideMath.mulDiv(value, a[keyPath: factor], WadRayMath.wad, rounding: .floor))
        }
        return total
    }

    /// Liquidation trigger: liquidity under the liquidate collateral factors `< 0`.
    public func isLiquidatable(_ user: String) throws -> Bool {
        try liquidity(user, factor: \.liquidateCollateralFactor) < 0
    }

    /// `absorb`: the protocol takes all of the account's collateral, credits `value ⊗ liquidationFactor`, and covers
    /// any remaining debt from reserves (the new balance is floored at zero).
    @discardableResult
    public mutating func absorb(absorber: String, account: String) throws -> CometAbsorb {
        guard try isLiquidatable(account) else {
            throw LendingError("NotLiquidatable", "\(account) is not liquidatable")
        }
        return try atomically(touching: [account]) { copy in
            let oldPrincipal = copy.principals[account] ?? 0
            let oldBalance = try copy.presentValue(oldPrincipal)
            var deltaValue: UInt128 = 0
            var seized: [String: UInt128] = [:]
            for symbol in copy.assetOrder {
                guard let a = copy.assets[symbol], let bal = copy.userCollateral[account]?[symbol], bal > 0 else {
                    continue
                }
                copy.userCollateral[account]?[symbol] = 0
                copy.totalsCollateral[symbol, default: 0] -= bal
                seized[symbol] = bal
                let value = try WideMath.mulDiv(bal, a.price, a.scale, rounding: .floor)
                deltaValue = try WideMath.add(
                    deltaValue,
                    try WideMath.mulDiv(value, a.liquidationFactor, WadRayMath.wad, rounding: .floor)
                )
            }
            let deltaBalance = try WideMath.mulDiv(deltaValue, copy.baseScale, copy.basePrice, rounding: .floor)
            var newBalance = oldBalance + Int128(deltaBalance)
            var uncovered: UInt128 = 0
            if newBalance < 0 {
                uncovered = newBalance.magnitude
                newBalance = 0
            }
            copy.setPrincipal(account, try copy.principalValue(newBalance))
            copy.userCollateral[account] = nil
            return CometAbsorb(
                seized: seized,
                deltaValue: deltaValue,
                basePaidOut: UInt128(newBalance - oldBalance),
                uncoveredDebt: uncovered
            )
        }
    }

    /// `quoteCollateral`: collateral for `baseAmount` at the storefront price `P·(1 − SF·(1 − LF))`; floors favour
    /// the protocol.
    public func quoteCollateral(_ symbol: String, baseAmount: UInt128) throws -> UInt128 {
        guard let a = assets[symbol] else { throw LendingError("BadAsset", "asset \(symbol) is not listed") }
        let discount = try WideMath.mulDiv(
            storeFrontPriceFactor,
            WadRayMath.wad - a.liquidationFactor,
            WadRayMath.wad,
            rounding: .floor
        )
        let discounted = try WideMath.mulDiv(a.price, WadRayMath.wad - discount, WadRayMath.wad, rounding: .floor)
        let numerator = try UInt256.product(basePrice, baseAmount).multiplied(by: a.scale)
        let step = try numerator.divided(by: discounted, rounding: .floor)
        let q = try step.quotientAndRemainder(dividingBy: baseScale).quotient
        return try q.narrowed(field: "collateralAmount")
    }

    /// Collateral owned by the protocol (bought out by absorbs): contract balance − user collateral.
    public func collateralReserves(_ symbol: String) -> UInt128 {
        WideMath.zeroFloorSub(collateralBalance[symbol] ?? 0, totalsCollateral[symbol] ?? 0)
    }

    /// `buyCollateral`: sells absorbed collateral for base while reserves are below target; returns the amount bought.
    @discardableResult
    public mutating func buyCollateral(
        buyer: String,
        asset: String,
        minAmount: UInt128,
        baseAmount: UInt128
    ) throws
        -> UInt128
    {
        let r = try reserves()
        guard r < 0 || UInt128(r) < targetReserves else {
            throw LendingError("NotForSale", "reserves \(r) ≥ targetReserves \(targetReserves)")
        }
        let amount = try quoteCollateral(asset, baseAmount: baseAmount)
        guard amount >= minAmount else { throw LendingError("TooMuchSlippage", "quote \(amount) < min \(minAmount)") }
        guard amount <= collateralReserves(asset) else {
            throw LendingError(
                "InsufficientReserves",
                "quote \(amount) > collateral reserves \(collateralReserves(asset))"
            )
        }
        return try atomically(touching: [buyer]) { copy in
            copy.baseBalance = try WideMath.add(copy.baseBalance, baseAmount)
            copy.collateralBalance[asset, default: 0] -= amount
            return amount
        }
    }
}
