import Foundation
import FulcrumCore
public import FulcrumLab
import FulcrumLending

/// Reads a cascade-lab scenario file (JSON). Every key is optional and overrides the built-in scenario; unknown
/// keys are errors (a typo must not silently fall back to a default). The full list with units and defaults is
/// `docs/SCENARIO.md`.
///
/// Money, prices and sizes are decimal strings (exact); ratios and model parameters are JSON numbers. Data files
/// are paths relative to the scenario file, or `$DATA/…` for the shared data directory (``DataDirectory``).
public enum LabScenarioFile {
    /// Loads and validates a scenario file.
    ///
    /// - Throws: ``LabFileError`` naming the file, the key path and the value.
    public static func load(path: String) throws(LabFileError) -> Scenario {
        let text = try LabFiles.read(path)
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(text, file: path, baseDirectory: base)
    }

    /// Parses scenario JSON text.
    public static func parse(_ text: String, file: String, baseDirectory: String) throws(LabFileError) -> Scenario {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            throw LabFileError("\(file): not valid JSON (\(error.localizedDescription))")
        }
        guard let root = object as? [String: Any] else {
            throw LabFileError("\(file): the top level must be an object")
        }
        var reader = Reader(file: file, baseDirectory: baseDirectory)
        do {
            return try reader.scenario(root)
        } catch let error as LabFileError {
            throw error
        } catch let error as LabError {
            throw LabFileError("\(file): \(error.message)")
        } catch {
            throw LabFileError("\(file): \(error)")
        }
    }

    struct Reader {
        let file: String
        let baseDirectory: String

        func fail(_ key: String, _ value: Any?, _ expected: String) -> LabFileError {
            LabFileError("\(file): \(key) = \(value.map { "\($0)" } ?? "null") must be \(expected)")
        }

        func check(_ object: [String: Any], allowed: Set<String>, at path: String) throws {
            for key in object.keys.sorted() where !allowed.contains(key) {
                throw LabFileError(
                    "\(file): unknown key \(path.isEmpty ? "" : path + ".")\(key) (allowed: \(allowed.sorted().joined(separator: ", ")))"
                )
            }
        }

        func double(_ o: [String: Any], _ key: String, _ path: String) throws -> Double? {
            guard let v = o[key] else { return nil }
            if let n = v as? NSNumber, String(cString: n.objCType) != "c" { return n.doubleValue }
            throw fail(path + key, v, "a number")
        }

        func int(_ o: [String: Any], _ key: String, _ path: String) throws -> Int? {
            guard let d = try double(o, key, path) else { return nil }
            guard d == d.rounded(), Swift.abs(d) < 9e15 else { throw fail(path + key, d, "an integer") }
            return Int(d)
        }

        func bool(_ o: [String: Any], _ key: String, _ path: String) throws -> Bool? {
            guard let v = o[key] else { return nil }
            if let n = v as? NSNumber, String(cString: n.objCType) == "c" { return n.boolValue }
            throw fail(path + key, v, "true or false")
        }

        func string(_ o: [String: Any], _ key: String, _ path: String) throws -> String? {
            guard let v = o[key] else { return nil }
            guard let s = v as? String else { throw fail(path + key, v, "a string") }
            return s
        }

        func decimal<T: FixedPointNumber>(_ o: [String: Any], _ key: String, _ path: String, as: T.Type) throws -> T? {
            guard let v = o[key] else { return nil }
            let text: String
            if let s = v as? String {
                text = s
            } else if let n = v as? NSNumber {
                text = n.stringValue
            } else {
                throw fail(path + key, v, "a decimal string")
            }
            do {
                return try T(parsing: text, field: path + key)
            } catch {
                throw LabFileError("\(file): \(error.message)")
            }
        }

        func object(_ o: [String: Any], _ key: String, _ path: String) throws -> [String: Any]? {
            guard let v = o[key] else { return nil }
            guard let d = v as? [String: Any] else { throw fail(path + key, v, "an object") }
            return d
        }

        /// Resolves a data path: `$DATA/x` in the shared data directory, else relative to the scenario file.
        func resolve(_ path: String) throws -> String {
            if path.hasPrefix("$DATA/") {
                let rest = String(path.dropFirst(6))
                guard let url = DataDirectory.file(rest) else {
                    throw LabFileError("\(file): data file \(path) not found (set \(DataDirectory.environmentKey))")
                }
                return url.path
            }
            return path.hasPrefix("/") ? path : baseDirectory + "/" + path
        }

        mutating func scenario(_ root: [String: Any]) throws -> Scenario {
            try check(
                root,
                allowed: [
                    "name", "startPrice", "steps", "stepSeconds", "maintenanceScale", "priceModel", "entryVolatility",
                    "liquidity", "oracle", "population", "insuranceFund", "keeper", "agents", "feedback", "venue",
                    "lending", "market", "venueName", "venues", "crossVenueArbitrage",
                ],
                at: ""
            )
            var s = try Scenario.builtIn()
            let market = try string(root, "market", "")
            if let venue = try string(root, "venue", "") {
                s = try s.onVenue(venue, market: market)
            } else if let market {
                s = try s.onVenue("generic", market: market)
            }
            if let v = try string(root, "name", "") { s.name = v }
            if let v = try decimal(root, "startPrice", "", as: Price.self) { s.startPrice = v }
            if let v = try int(root, "steps", "") { s.steps = v }
            if let v = try int(root, "stepSeconds", "") { s.stepSeconds = v }
            if let v = try double(root, "maintenanceScale", "") { s = try s.setting("maintenanceScale", to: v) }
            if let v = try double(root, "entryVolatility", "") { s.entryVolatility = v }
            if let v = try decimal(root, "insuranceFund", "", as: Money.self) { s.insuranceFund = v }
            if let v = try bool(root, "feedback", "") { s.feedback = v }
            if let m = try object(root, "priceModel", "") { try priceModel(m, into: &s) }
            if let l = try object(root, "liquidity", "") { try liquidity(l, into: &s) }
            if let o = try object(root, "oracle", "") { try oracle(o, into: &s) }
            if let p = try object(root, "population", "") { try population(p, into: &s) }
            if let k = try object(root, "keeper", "") { try keeper(k, into: &s) }
            if let a = try object(root, "agents", "") { try agents(a, into: &s) }
            if let l = try object(root, "lending", "") { s.lending = try lending(l) }
            if let v = try string(root, "venueName", "") { s.venueName = v }
            if let a = try object(root, "crossVenueArbitrage", "") {
                guard root["venues"] != nil else {
                    throw fail("crossVenueArbitrage", "{…}", "used with a venues list (it links venues)")
                }
                s.crossVenueArbitrage = try crossVenueArbitrage(a)
            }
            if let raw = root["venues"] {
                guard let list = raw as? [Any], !list.isEmpty else {
                    throw fail("venues", raw, "a non-empty array of venue objects")
                }
                var main = s
                main.lending = nil
                main.venueName = nil
                for (k, item) in list.enumerated() {
                    guard let o = item as? [String: Any] else { throw fail("venues[\(k)]", item, "an object") }
                    s.linkedVenues.append(try linkedVenue(o, index: k, main: main))
                }
            }
            try s.validate()
            return s
        }

        func keeper(_ k: [String: Any], into s: inout Scenario, prefix: String = "") throws {
            try check(k, allowed: ["maxLiquidationsPerStep", "latencySteps"], at: prefix + "keeper")
            let p = prefix + "keeper."
            if let v = try int(k, "maxLiquidationsPerStep", p) { s.keeper.maxLiquidationsPerStep = v }
            if let v = try int(k, "latencySteps", p) { s.keeper.latencySteps = v }
        }

        /// The `crossVenueArbitrage` object (docs/SCENARIO.md, "Several venues").
        func crossVenueArbitrage(_ o: [String: Any]) throws -> CrossVenueArbitrage {
            try check(
                o,
                allowed: ["enabled", "lagSteps", "strength", "capacityPerStep", "thresholdBps"],
                at: "crossVenueArbitrage"
            )
            let p = "crossVenueArbitrage."
            var a = CrossVenueArbitrage()
            if let v = try bool(o, "enabled", p) { a.enabled = v }
            if let v = try int(o, "lagSteps", p) { a.lagSteps = v }
            if let v = try double(o, "strength", p) { a.strength = v }
            if let v = try decimal(o, "capacityPerStep", p, as: Quantity.self) { a.capacityPerStep = v }
            if let v = try double(o, "thresholdBps", p) { a.thresholdBps = v }
            try a.validate()
            return a
        }

        /// One entry of `venues`: a copy of the main scenario (its lending layer excluded) with the entry's
        /// overrides; errors name `venues[k].…`.
        func linkedVenue(_ o: [String: Any], index k: Int, main: Scenario) throws -> LinkedVenue {
            let at = "venues[\(k)]"
            let p = at + "."
            try check(
                o,
                allowed: [
                    "name", "venue", "market", "maintenanceScale", "accounts", "insuranceFund", "depthScale",
                    "liquidity", "oracle", "population", "keeper", "agents",
                ],
                at: at
            )
            guard let name = try string(o, "name", p) else { throw fail(p + "name", nil, "a venue name") }
            var v = main
            let market = try string(o, "market", p)
            do {
                if let venue = try string(o, "venue", p) {
                    v = try v.onVenue(venue, market: market)
                } else if let market {
                    v = try v.onVenue(v.venue.rawValue, market: market)
                }
                if let scale = try double(o, "maintenanceScale", p) { v = try v.setting("maintenanceScale", to: scale) }
            } catch let error as LabError {
                throw LabFileError("\(file): \(p)\(error.message)")
            }
            if let l = try object(o, "liquidity", p) { try liquidity(l, into: &v, prefix: p) }
            if let x = try object(o, "oracle", p) { try oracle(x, into: &v, prefix: p) }
            if let x = try object(o, "population", p) { try population(x, into: &v, prefix: p) }
            if let x = try object(o, "keeper", p) { try keeper(x, into: &v, prefix: p) }
            if let x = try object(o, "agents", p) { try agents(x, into: &v, prefix: p) }
            if let n = try int(o, "accounts", p) {
                guard n >= 0, n <= 50_000_000 else { throw fail(p + "accounts", n, "in 0...50000000") }
                v.population.count = n
            }
            if let d = try double(o, "depthScale", p) {
                guard d > 0, d.isFinite else { throw fail(p + "depthScale", d, "positive") }
                v.liquidity.depthScale = d
            }
            if let f = try decimal(o, "insuranceFund", p, as: Money.self) {
                guard !f.isNegative else { throw fail(p + "insuranceFund", f, "≥ 0") }
                v.insuranceFund = f
            }
            return LinkedVenue(name: name, scenario: v)
        }

        func priceModel(_ m: [String: Any], into s: inout Scenario) throws {
            try check(
                m,
                allowed: [
                    "type", "drift", "volatility", "jumpIntensity", "jumpMean", "jumpVolatility", "omega", "alpha",
                    "beta",
                    "shock", "shockStep", "file", "column", "startRow", "entryRows",
                ],
                at: "priceModel"
            )
            let p = "priceModel."
            let type = try string(m, "type", p) ?? "gbm"
            let drift = try double(m, "drift", p) ?? 0
            var model: PriceModel
            switch type {
            case "instantShock":
                model = .instantShock(
                    fraction: try double(m, "shock", p) ?? -0.1,
                    atStep: try int(m, "shockStep", p) ?? 60
                )
                s.priceModel = model
                return
            case "gbm":
                model = .gbm(drift: drift, volatility: try double(m, "volatility", p) ?? 0.0007)
            case "merton":
                model = .merton(
                    drift: drift,
                    volatility: try double(m, "volatility", p) ?? 0.0007,
                    jumpIntensity: try double(m, "jumpIntensity", p) ?? 0.002,
                    jumpMean: try double(m, "jumpMean", p) ?? -0.03,
                    jumpVolatility: try double(m, "jumpVolatility", p) ?? 0.02
                )
            case "garch":
                model = .garch(
                    drift: drift,
                    omega: try double(m, "omega", p) ?? 5e-8,
                    alpha: try double(m, "alpha", p) ?? 0.1,
                    beta: try double(m, "beta", p) ?? 0.8
                )
            case "replay":
                guard let f = try string(m, "file", p) else { throw fail(p + "file", nil, "a CSV path for replay") }
                let column = try string(m, "column", p) ?? "perp_mark"
                let startRow = try int(m, "startRow", p) ?? 0
                let entryRows = try int(m, "entryRows", p) ?? 0
                let path = try resolve(f)
                let first = Swift.max(0, startRow - entryRows)
                let raw = try CSVPriceSeries.load(path: path, column: column, startRow: first, rows: nil)
                // Recorded prices are rounded half-even to the market tick (a neutral rounding) so entries and the
                // start price are valid trade prices for the clearing engine.
                let tick = s.market.tickSize
                let prices = try raw.map { p throws -> Price in
                    do { return Price.maximum(tick, try p.rounded(toMultipleOf: tick, rounding: .halfEven)) } catch {
                        throw LabFileError("\(file): replay price \(p) cannot be rounded to tick \(tick)")
                    }
                }
                let offset = startRow - first
                guard offset < prices.count else { throw fail(p + "startRow", startRow, "inside the file") }
                let replayed = Array(prices[offset...])
                s.startPrice = replayed[0]
                s.steps = Swift.min(s.steps, replayed.count - 1)
                if offset > 0 { s.entryHistory = Array(prices[...offset].reversed()) }
                model = .replay(prices: replayed.map { Double($0.raw) / 1e8 })
            default:
                throw fail(p + "type", type, "one of instantShock, gbm, merton, garch, replay")
            }
            if let shock = try double(m, "shock", p) {
                model = .shocked(model, fraction: shock, atStep: try int(m, "shockStep", p) ?? 60)
            }
            s.priceModel = model
        }

        func liquidity(_ l: [String: Any], into s: inout Scenario, prefix: String = "") throws {
            try check(
                l,
                allowed: [
                    "model", "levels", "spacing", "firstSize", "slope", "file", "baseDepth", "depthScale", "resilience",
                    "permanentImpact", "withdrawalSensitivity", "withdrawalFloor", "referenceVolatility",
                    "volatilityHalfLife",
                ],
                at: prefix + "liquidity"
            )
            let p = prefix + "liquidity."
            // Without a model key the model is kept (a linked venue inherits the main venue's book or AMM).
            let modelKeys = ["model", "levels", "spacing", "firstSize", "slope", "file", "baseDepth"]
            if modelKeys.contains(where: { l[$0] != nil }) { try liquidityModel(l, p, into: &s) }
            if let v = try double(l, "depthScale", p) { s.liquidity.depthScale = v }
            if let v = try double(l, "resilience", p) { s.liquidity.resilience = v }
            if let v = try double(l, "permanentImpact", p) { s.liquidity.permanentImpact = v }
            if let v = try double(l, "withdrawalSensitivity", p) { s.liquidity.withdrawalSensitivity = v }
            if let v = try double(l, "withdrawalFloor", p) { s.liquidity.withdrawalFloor = v }
            if let v = try double(l, "referenceVolatility", p) { s.liquidity.referenceVolatility = v }
            if let v = try double(l, "volatilityHalfLife", p) { s.liquidity.volatilityHalfLife = v }
        }

        /// The liquidity model from a `liquidity` object's model keys (missing keys take their defaults).
        func liquidityModel(_ l: [String: Any], _ p: String, into s: inout Scenario) throws {
            let kind = try string(l, "model", p) ?? "book"
            let levels = try int(l, "levels", p) ?? 1_000
            let spacing = try decimal(l, "spacing", p, as: Rate.self) ?? Rate(raw: 50_000)
            let firstSize = try decimal(l, "firstSize", p, as: Quantity.self) ?? Quantity(raw: 200_000_000)
            let slope = try double(l, "slope", p) ?? 0.02
            switch kind {
            case "book":
                let curve = try BookLevels.parametric(
                    levels: levels,
                    spacing: spacing,
                    firstSize: firstSize,
                    slope: slope
                )
                s.liquidity.model = .book(bids: curve, asks: curve)
            case "snapshot":
                guard let f = try string(l, "file", p) else { throw fail(p + "file", nil, "a snapshot CSV path") }
                let snap = try CSVBookSnapshot.load(path: try resolve(f))
                let tail = try BookLevels.parametric(
                    levels: levels,
                    spacing: spacing,
                    firstSize: firstSize,
                    slope: slope
                )
                s.liquidity.model = .book(bids: snap.bids.extended(with: tail), asks: snap.asks.extended(with: tail))
            case "amm":
                s.liquidity.model = .constantProduct(
                    baseDepth: try decimal(l, "baseDepth", p, as: Quantity.self) ?? Quantity(raw: 50_000_000_000)
                )
            case "vamm":
                s.liquidity.model = .virtualAMM(
                    baseDepth: try decimal(l, "baseDepth", p, as: Quantity.self) ?? Quantity(raw: 50_000_000_000)
                )
            default:
                throw fail(p + "model", kind, "one of book, snapshot, amm, vamm")
            }
        }

        func oracle(_ o: [String: Any], into s: inout Scenario, prefix: String = "") throws {
            try check(
                o,
                allowed: [
                    "sources", "aggregation", "twapWindow", "emaAlpha", "heartbeatSteps", "deviationThreshold",
                    "stalenessSteps",
                ],
                at: prefix + "oracle"
            )
            let p = prefix + "oracle."
            if let raw = o["sources"] {
                guard let list = raw as? [[String: Any]], !list.isEmpty else {
                    throw fail(p + "sources", raw, "a non-empty array of objects")
                }
                var sources: [OracleSource] = []
                for (i, item) in list.enumerated() {
                    let q = "\(p)sources[\(i)]."
                    try check(item, allowed: ["latencySteps", "outageFrom", "outageTo"], at: "\(p)sources[\(i)]")
                    var source = OracleSource(latencySteps: try int(item, "latencySteps", q) ?? 0)
                    if let from = try int(item, "outageFrom", q), let to = try int(item, "outageTo", q) {
                        guard to >= from else { throw fail(q + "outageTo", to, "≥ outageFrom") }
                        source.outage = from..<to
                    }
                    sources.append(source)
                }
                s.oracle.sources = sources
            }
            // Without `aggregation` the aggregation is kept (the built-in median, or a linked venue's inherited one).
            switch try string(o, "aggregation", p) {
            case nil: break
            case "median": s.oracle.aggregation = .median
            case "twap": s.oracle.aggregation = .twap(window: try int(o, "twapWindow", p) ?? 5)
            case "ema":
                s.oracle.aggregation = .ema(
                    alpha: try decimal(o, "emaAlpha", p, as: Rate.self) ?? Rate(raw: 30_000_000)
                )
            case let other?: throw fail(p + "aggregation", other, "one of median, twap, ema")
            }
            if let v = try int(o, "heartbeatSteps", p) { s.oracle.heartbeatSteps = v }
            if let v = try decimal(o, "deviationThreshold", p, as: Rate.self) { s.oracle.deviationThreshold = v }
            if let v = try int(o, "stalenessSteps", p) { s.oracle.stalenessSteps = v }
        }

        func population(_ o: [String: Any], into s: inout Scenario, prefix: String = "") throws {
            try check(
                o,
                allowed: [
                    "count", "longFraction", "isolatedFraction", "crossWalletMultiple", "leverage", "minimumNotional",
                    "paretoAlpha", "maximumNotional", "entryWindowSteps", "deleveragerFraction",
                ],
                at: prefix + "population"
            )
            let p = prefix + "population."
            if let v = try int(o, "count", p) { s.population.count = v }
            if let v = try double(o, "longFraction", p) { s.population.longFraction = v }
            if let v = try double(o, "isolatedFraction", p) { s.population.isolatedFraction = v }
            if let v = try double(o, "crossWalletMultiple", p) { s.population.crossWalletMultiple = v }
            if let v = try double(o, "minimumNotional", p) { s.population.minimumNotional = v }
            if let v = try double(o, "paretoAlpha", p) { s.population.paretoAlpha = v }
            if let v = try double(o, "maximumNotional", p) { s.population.maximumNotional = v }
            if let v = try int(o, "entryWindowSteps", p) { s.population.entryWindowSteps = v }
            if let v = try double(o, "deleveragerFraction", p) { s.population.deleveragerFraction = v }
            if let l = try object(o, "leverage", p) {
                let q = p + "leverage."
                try check(
                    l,
                    allowed: ["type", "low", "high", "median", "sigma", "maximum", "file", "asset"],
                    at: p + "leverage"
                )
                switch try string(l, "type", q) ?? "logNormal" {
                case "uniform":
                    s.population.leverage = .uniform(
                        low: try double(l, "low", q) ?? 1,
                        high: try double(l, "high", q) ?? 20
                    )
                case "logNormal":
                    s.population.leverage = .logNormal(
                        median: try double(l, "median", q) ?? 10,
                        sigma: try double(l, "sigma", q) ?? 0.7,
                        maximum: try double(l, "maximum", q) ?? 100
                    )
                case "empirical":
                    guard let f = try string(l, "file", q) else { throw fail(q + "file", nil, "a positions CSV path") }
                    let rows = try CSVPositions.load(path: try resolve(f), asset: try string(l, "asset", q) ?? "BTC")
                    let values = rows.compactMap(\.leverage).filter { $0 >= 1 && $0 <= 1_000 }
                    guard !values.isEmpty else { throw fail(q + "file", f, "a file with leverage_ratio values ≥ 1") }
                    s.population.leverage = .empirical(values)
                case let other:
                    throw fail(q + "type", other, "one of uniform, logNormal, empirical")
                }
            }
        }

        func agents(_ o: [String: Any], into s: inout Scenario, prefix: String = "") throws {
            try check(
                o,
                allowed: [
                    "hunters", "hunterCapital", "hunterReach", "hunterTriggerMultiple", "hunterHoldSteps", "arbitrage",
                    "arbitrageLagSteps", "arbitrageStrength", "deleveraging", "deleverageVolatilityMultiple",
                    "deleverageFraction",
                ],
                at: prefix + "agents"
            )
            let p = prefix + "agents."
            if let v = try bool(o, "hunters", p) { s.agents.huntersEnabled = v }
            if let v = try double(o, "hunterCapital", p) { s.agents.hunterCapital = v }
            if let v = try double(o, "hunterReach", p) { s.agents.hunterReach = v }
            if let v = try double(o, "hunterTriggerMultiple", p) { s.agents.hunterTriggerMultiple = v }
            if let v = try int(o, "hunterHoldSteps", p) { s.agents.hunterHoldSteps = v }
            if let v = try bool(o, "arbitrage", p) { s.agents.arbitrageEnabled = v }
            if let v = try int(o, "arbitrageLagSteps", p) { s.agents.arbitrageLagSteps = v }
            if let v = try double(o, "arbitrageStrength", p) { s.agents.arbitrageStrength = v }
            if let v = try bool(o, "deleveraging", p) { s.agents.deleveragingEnabled = v }
            if let v = try double(o, "deleverageVolatilityMultiple", p) { s.agents.deleverageVolatilityMultiple = v }
            if let v = try double(o, "deleverageFraction", p) { s.agents.deleverageFraction = v }
        }

        /// The `lending` object (docs/SCENARIO.md, "Lending layer").
        func lending(_ o: [String: Any]) throws -> LendingLayerConfig {
            try check(
                o,
                allowed: [
                    "markets", "gasCost", "minimumProfit", "maxLiquidationsPerStep", "backstop", "sharing",
                    "lpPoolBaseReserve",
                ],
                at: "lending"
            )
            let p = "lending."
            guard let list = o["markets"] as? [Any], !list.isEmpty else {
                throw fail(p + "markets", o["markets"], "a non-empty array of market objects")
            }
            var markets: [LendingMarketConfig] = []
            for (i, item) in list.enumerated() {
                guard let m = item as? [String: Any] else { throw fail(p + "markets[\(i)]", item, "an object") }
                markets.append(try lendingMarket(m, path: p + "markets[\(i)]."))
            }
            var config = LendingLayerConfig(markets: markets)
            if let v = try decimal(o, "gasCost", p, as: Money.self) { config.gasCost = v }
            if let v = try decimal(o, "minimumProfit", p, as: Money.self) { config.minimumProfit = v }
            if let v = try int(o, "maxLiquidationsPerStep", p) { config.maxLiquidationsPerStep = v }
            if let v = try decimal(o, "backstop", p, as: Money.self) { config.backstop = v }
            if let v = try decimal(o, "lpPoolBaseReserve", p, as: Quantity.self) { config.lpPoolBaseReserve = v }
            if let v = try string(o, "sharing", p) {
                guard let mode = PoolSharing(rawValue: v) else { throw fail(p + "sharing", v, "shared or isolated") }
                config.sharing = mode
            }
            return config
        }

        /// An asset price source: `traded`, `insuranceShare`, `ammLP`, `yieldBearing` (parameters in the market's
        /// `yieldBearing` object) or `fixed:PRICE`.
        func source(_ o: [String: Any], _ key: String, _ path: String) throws -> LendingAssetSource? {
            guard let v = try string(o, key, path) else { return nil }
            switch v {
            case "traded": return .traded
            case "insuranceShare": return .insuranceShare
            case "ammLP": return .ammLP
            case "yieldBearing": return .yieldBearing(try yieldBearing(o, path))
            default:
                guard v.hasPrefix("fixed:") else {
                    throw fail(
                        path + key,
                        v,
                        "traded, insuranceShare, ammLP, yieldBearing or fixed:PRICE (e.g. fixed:1)"
                    )
                }
                do {
                    return .fixed(try Price(parsing: String(v.dropFirst(6)), field: path + key))
                } catch {
                    throw LabFileError("\(file): \(error.message)")
                }
            }
        }

        /// The market's `yieldBearing` object (docs/SCENARIO.md): `underlying`, `startRate`, `accrualPerStep`,
        /// `depegStep`, `depegFraction`.
        func yieldBearing(_ m: [String: Any], _ p: String) throws -> YieldBearingToken {
            let y = try object(m, "yieldBearing", p) ?? [:]
            let at = p + "yieldBearing."
            try check(
                y,
                allowed: ["underlying", "startRate", "accrualPerStep", "depegStep", "depegFraction"],
                at: String(at.dropLast())
            )
            var token = YieldBearingToken()
            if let v = try string(y, "underlying", at) {
                guard v == "traded" || v == "quote" else { throw fail(at + "underlying", v, "traded or quote") }
                token.underlyingIsTraded = v == "traded"
            }
            if let v = try decimal(y, "startRate", at, as: Rate.self) { token.startRate = v }
            if let v = try decimal(y, "accrualPerStep", at, as: Rate.self) { token.accrualPerStep = v }
            if let v = try int(y, "depegStep", at) { token.depegStep = v }
            if let v = try decimal(y, "depegFraction", at, as: Rate.self) { token.depegFraction = v }
            return token
        }

        func lendingMarket(_ m: [String: Any], path p: String) throws -> LendingMarketConfig {
            try check(
                m,
                allowed: [
                    "name", "collateral", "debt", "version", "loanToValue", "liquidationThreshold", "liquidationBonus",
                    "borrowers", "totalCollateral", "whaleShare", "whaleLoanToValue", "loanToValueMin",
                    "loanToValueMax", "loopShare", "loopLeverage", "unwindHealth", "yieldBearing",
                ],
                at: String(p.dropLast())
            )
            guard let name = try string(m, "name", p) else { throw fail(p + "name", nil, "a market name") }
            var c = LendingMarketConfig(name: name)
            if let v = try source(m, "collateral", p) { c.collateral = v }
            if let v = try source(m, "debt", p) { c.debt = v }
            if let v = try string(m, "version", p) {
                guard let version = AaveVersion(rawValue: v) else {
                    throw fail(p + "version", v, "one of 3.0, 3.3, 3.4, 3.5, 3.7")
                }
                c.version = version
            }
            if let v = try decimal(m, "loanToValue", p, as: Rate.self) { c.loanToValue = v }
            if let v = try decimal(m, "liquidationThreshold", p, as: Rate.self) { c.liquidationThreshold = v }
            if let v = try decimal(m, "liquidationBonus", p, as: Rate.self) { c.liquidationBonus = v }
            if let v = try int(m, "borrowers", p) { c.borrowers = v }
            if let v = try decimal(m, "totalCollateral", p, as: Quantity.self) { c.totalCollateral = v }
            if let v = try double(m, "whaleShare", p) { c.whaleShare = v }
            if let v = try double(m, "whaleLoanToValue", p) { c.whaleLoanToValue = v }
            let low = try double(m, "loanToValueMin", p) ?? c.loanToValueRange.lowerBound
            let high = try double(m, "loanToValueMax", p) ?? c.loanToValueRange.upperBound
            guard low <= high else {
                throw fail(p + "loanToValueMin", low, "≤ \(p)loanToValueMax \(high)")
            }
            c.loanToValueRange = low...high
            if let v = try double(m, "loopShare", p) { c.loopShare = v }
            if let v = try double(m, "loopLeverage", p) { c.loopLeverage = v }
            if let v = try double(m, "unwindHealth", p) { c.unwindHealth = v }
            return c
        }
    }
}
