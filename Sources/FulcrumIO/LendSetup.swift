import Foundation
import FulcrumCore
import FulcrumLending

/// Builds protocol state from the setup lines of a lending events file (see docs/LENDING.md).
enum LendSetup {
    static let bpsPerUnit: UInt128 = 10_000

    /// Applies a setup line; returns `false` when `type` is not a setup type.
    static func apply(
        _ type: String,
        _ o: [String: Any],
        protocol kind: LendingProtocolKind,
        market: inout LendingMarket?,
        context ctx: String
    ) throws -> Bool {
        func text(_ key: String) throws -> String? { try LendJSON.decimalText(o[key], field: key, context: ctx) }
        func units(_ key: String, _ decimals: Int, default fallback: String? = nil) throws -> UInt128 {
            guard let t = try text(key) ?? fallback else { throw LendFileError("\(ctx): missing \(key)") }
            do { return try LendingDecimal.parse(t, decimals: decimals, field: "\(ctx).\(key)") } catch {
                throw LendFileError("\(error)")
            }
        }
        func bps(_ key: String, default fallback: String? = nil) throws -> UInt128 {
            try units(key, 4, default: fallback)
        }
        func decimals(_ key: String = "decimals") throws -> Int {
            guard let d = try LendJSON.integer(o, key, context: ctx), d <= 30 else {
                throw LendFileError("\(ctx): \(key) must be an integer in 0...30")
            }
            return d
        }
        switch (kind, type) {
        case (.aave(let version), "reserve"):
            var pool: AavePool
            if case .aave(let p) = market { pool = p } else { pool = AavePool(version: version) }
            let bonus = try bps("liquidationBonus")
            let strategy = try AaveRateStrategy(
                optimalUsageBps: try bps("optimalUsage", default: "0.8"),
                baseBps: try bps("baseRate", default: "0"),
                slope1Bps: try bps("slope1", default: "0.04"),
                slope2Bps: try bps("slope2", default: "0.75")
            )
            let config = try AaveReserveConfig(
                symbol: try LendJSON.string(o, "asset", context: ctx),
                decimals: try decimals(),
                ltv: try bps("ltv"),
                liquidationThreshold: try bps("liquidationThreshold"),
                liquidationBonus: bonus == 0 || bonus >= bpsPerUnit ? bonus : bpsPerUnit + bonus,
                reserveFactor: try bps("reserveFactor", default: "0.1"),
                liquidationProtocolFee: try bps("liquidationProtocolFee", default: "0"),
                supplyCap: try units("supplyCap", 0, default: "0"),
                borrowCap: try units("borrowCap", 0, default: "0"),
                debtCeiling: try units("debtCeiling", 2, default: "0"),
                borrowableInIsolation: (o["borrowableInIsolation"] as? Bool) ?? false,
                rateStrategy: strategy
            )
            try pool.listReserve(config, price: try units("price", 8))
            market = .aave(pool)
        case (.aave, "eMode"):
            guard case .aave(var pool) = market else { throw LendFileError("\(ctx): eMode before any reserve") }
            guard let id = try LendJSON.integer(o, "id", context: ctx), id > 0, id <= 255 else {
                throw LendFileError("\(ctx): id must be 1...255")
            }
            let bonus = try bps("liquidationBonus")
            try pool.addEModeCategory(
                try AaveEModeCategory(
                    id: UInt8(id),
                    ltv: try bps("ltv"),
                    liquidationThreshold: try bps("liquidationThreshold"),
                    liquidationBonus: bonus >= bpsPerUnit ? bonus : bpsPerUnit + bonus,
                    assets: (o["assets"] as? [String]) ?? []
                )
            )
            market = .aave(pool)
        case (.compoundV3, "market"):
            let wad = 18
            func curve(_ prefix: String) throws -> CometRateCurve {
                CometRateCurve(
                    kink: try units(prefix + "Kink", wad, default: "0.8"),
                    basePerYear: try units(prefix + "Base", wad, default: "0"),
                    slopeLowPerYear: try units(prefix + "SlopeLow", wad, default: "0"),
                    slopeHighPerYear: try units(prefix + "SlopeHigh", wad, default: "0")
                )
            }
            let base = try LendJSON.string(o, "base", context: ctx)
            let d = try decimals()
            let m = try CometMarket(
                baseSymbol: base,
                baseDecimals: d,
                basePrice: try units("price", 8, default: "1"),
                supplyCurve: try curve("supply"),
                borrowCurve: try curve("borrow"),
                storeFrontPriceFactor: try units("storeFrontPriceFactor", wad, default: "0.5"),
                targetReserves: try units("targetReserves", d, default: "0"),
                baseBorrowMin: try units("baseBorrowMin", d, default: "0")
            )
            market = .comet(m, decimals: [base: d])
        case (.compoundV3, "asset"):
            guard case .comet(var m, var decs) = market else { throw LendFileError("\(ctx): asset before market") }
            let symbol = try LendJSON.string(o, "asset", context: ctx)
            let d = try decimals()
            try m.addAsset(
                try CometAsset(
                    symbol: symbol,
                    decimals: d,
                    price: try units("price", 8),
                    borrowCollateralFactor: try units("borrowCollateralFactor", 18),
                    liquidateCollateralFactor: try units("liquidateCollateralFactor", 18),
                    liquidationFactor: try units("liquidationFactor", 18),
                    supplyCap: try units("supplyCap", d, default: "0")
                )
            )
            decs[symbol] = d
            market = .comet(m, decimals: decs)
        case (.maker, "ilk"):
            var system: MakerSystem
            if case .maker(let s) = market {
                system = s
            } else {
                system = MakerSystem(
                    globalHole: UInt256(try units("Hole", 27, default: "1000000000")).multipliedOrMax(
                        by: WadRayMath.wad
                    )
                )
            }
            let calcName = (o["calc"] as? String) ?? "linear"
            let calc: MakerAbacus
            switch calcName {
            case "linear": calc = .linear(tau: UInt64(try units("tau", 0, default: "3600")))
            case "stairstep":
                calc = .stairstep(cut: try units("cut", 27), step: UInt64(try units("step", 0, default: "1")))
            case "exponential": calc = .exponential(cut: try units("cut", 27))
            default: throw LendFileError("\(ctx): calc must be linear, stairstep or exponential, got \(calcName)")
            }
            // DAI amounts (hole, dust, tip) are given in DAI and stored in rad = wad · ray.
            func rad(_ key: String, default fallback: String) throws -> UInt256 {
                UInt256.product(try units(key, 18, default: fallback), WadRayMath.ray)
            }
            try system.addIlk(
                try MakerIlk(
                    name: try LendJSON.string(o, "ilk", context: ctx),
                    duty: try units("duty", 27, default: "1"),
                    mat: try units("mat", 27),
                    price: try units("price", 18),
                    chop: try units("chop", 18, default: "1.13"),
                    hole: try rad("hole", default: "1000000000"),
                    dust: try rad("dust", default: "0"),
                    buf: try units("buf", 27, default: "1.2"),
                    tail: UInt64(try units("tail", 0, default: "8400")),
                    cusp: try units("cusp", 27, default: "0.4"),
                    chip: try units("chip", 18, default: "0"),
                    tip: try rad("tip", default: "0"),
                    calc: calc
                )
            )
            market = .maker(system)
        case (.morpho, "market"):
            let ld = try decimals("loanDecimals")
            let cd = try decimals("collateralDecimals")
            let m = try MorphoMarket(
                lltv: try units("lltv", 18),
                price: try units("price", 36 + ld - cd),
                borrowRatePerSecond: try units("borrowRatePerSecond", 18, default: "0"),
                fee: try units("fee", 18, default: "0")
            )
            market = .morpho(
                MorphoSetup(
                    market: m,
                    loanAsset: try LendJSON.string(o, "loan", context: ctx),
                    loanDecimals: ld,
                    collateralAsset: try LendJSON.string(o, "collateral", context: ctx),
                    collateralDecimals: cd
                )
            )
        default:
            return false
        }
        return true
    }
}

extension UInt256 {
    /// `self × factor`, saturating at the maximum instead of overflowing (for "unlimited" defaults only).
    func multipliedOrMax(by factor: UInt128) -> UInt256 {
        (try? multiplied(by: factor)) ?? UInt256(high: .max, low: .max)
    }
}
