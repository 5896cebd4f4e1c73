public import Foundation
import FulcrumLending

/// Loaders and health-factor recomputation for the Aave v2 account histories in `shared/data`
/// (`aave-v2-health-factor-credprotocol/`, `aave-v2-user-positions-bhemen/`; see their SOURCE.md).
///
/// All arithmetic is fixed point: CSV decimals (floating-point prints) are read as 18-decimal integers, truncating
/// digits beyond the 18th (they are below the files' own print precision); HF = Σ collateral·LT ⨸ Σ debt (wad, floor).
public enum LendAaveV2Data {
    /// One recomputed health factor.
    public struct Check: Sendable, Hashable {
        /// Source file name.
        public var file: String
        /// 1-based data row.
        public var row: Int
        /// The recorded HF (wad).
        public var recorded: UInt128
        /// The recomputed HF (wad); `nil` when the recomputation has no debt to divide by.
        public var recomputed: UInt128?
        /// A second recomputation (bhemen: on-chain ETH totals × USD-weighted threshold), when applicable.
        public var hybrid: UInt128?
    }

    /// Aave v2 liquidation thresholds (fractions) for the bhemen histories (2020-12 … 2022-05), from the Aave v2
    /// risk-parameter table at https://docs.aave.com/risk/asset-risk/risk-parameters (v2, early 2021); assets that
    /// were not collateral (USDT, BUSD, SUSD, GUSD, UST) have 0. Governance changed several later (AIP-39/40,
    /// Sep–Oct 2021), which is one documented source of misses.
    public static let thresholds: [String: String] = [
        "AAVE": "0.65", "BAL": "0.65", "BAT": "0.75", "BUSD": "0", "CRV": "0.55", "DAI": "0.8", "ENJ": "0.6",
        "GUSD": "0", "KNC": "0.65", "LINK": "0.75", "MANA": "0.65", "MKR": "0.65", "REN": "0.6", "SNX": "0.4",
        "SUSD": "0", "TUSD": "0.8", "UNI": "0.65", "USDC": "0.85", "USDT": "0", "UST": "0", "WBTC": "0.75",
        "WETH": "0.825", "YFI": "0.55", "ZRX": "0.65",
    ]

    static let wad: UInt128 = 1_000_000_000_000_000_000

    /// A CSV decimal (possibly `1.2e+19`) as an 18-decimal integer, truncating extra digits (floor).
    public static func wadValue(_ text: Substring, field: String) throws -> UInt128 {
        try fixedValue(text, decimals: 18, field: field)
    }

    /// A CSV decimal as an integer with `decimals` decimals, truncating extra digits (floor).
    public static func fixedValue(_ text: Substring, decimals: Int, field: String) throws -> UInt128 {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty || t == "inf" || t == "nan" { return 0 }
        var mantissa = Substring(t)
        var exponent = 0
        if let e = mantissa.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let x = Int(mantissa[mantissa.index(after: e)...]) else {
                throw LendFileError("\(field): bad number \(t)")
            }
            exponent = x
            mantissa = mantissa[..<e]
        }
        // Keep at most 18 decimals after applying the exponent (floor).
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let whole = parts.first.map(String.init) ?? "0"
        var frac = parts.count > 1 ? String(parts[1]) : ""
        let keep = decimals + exponent
        if keep < frac.count { frac = String(frac.prefix(max(0, keep))) }
        let text =
            (whole.isEmpty ? "0" : whole) + (frac.isEmpty ? "" : "." + frac) + (exponent != 0 ? "e\(exponent)" : "")
        do { return try LendingDecimal.parse(text, decimals: decimals, field: field) } catch {
            throw LendFileError("\(field): \(error)")
        }
    }

    static func rows(_ url: URL) throws -> (header: [String], rows: [[Substring]]) {
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8)
        else {
            throw LendFileError("cannot read \(url.path)")
        }
        var lines = text.split(whereSeparator: \.isNewline)
        guard !lines.isEmpty else { throw LendFileError("\(url.lastPathComponent) is empty") }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return (header, lines.map { $0.split(separator: ",", omittingEmptySubsequences: false) })
    }

    /// Recomputes `HF = Σ aBalance·price·LT ⨸ Σ (variable + stable debt)·price` (ETH) for every row with debt of the
    /// credprotocol file.
    public static func credProtocol(_ url: URL) throws -> [Check] {
        let (header, rows) = try rows(url)
        let index = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let tokens = header.filter { $0.hasSuffix("_LiqThreshold") }.map { String($0.dropLast(13)) }
        var checks: [Check] = []
        for (n, row) in rows.enumerated() {
            func v(_ name: String) throws -> UInt128 {
                guard let i = index[name], i < row.count else {
                    throw LendFileError("\(url.lastPathComponent) row \(n + 1): missing \(name)")
                }
                return try wadValue(row[i], field: "\(url.lastPathComponent) row \(n + 1) \(name)")
            }
            guard let hfIndex = index["HF"], hfIndex < row.count, row[hfIndex] != "inf" else { continue }
            var weighted: UInt128 = 0
            var debt: UInt128 = 0
            for t in tokens {
                let price = try v("\(t)_eth")
                let lt = try v("\(t)_LiqThreshold")
                let value = try WideMath.mulDiv(try v("a\(t)_balance"), price, wad, rounding: .floor)
                weighted += try WideMath.mulDiv(value, lt, wad, rounding: .floor)
                let owed = try v("variabledebt\(t)") + (try v("stabledebt\(t)"))
                debt += try WideMath.mulDiv(owed, price, wad, rounding: .ceil)
            }
            let hf = debt == 0 ? nil : try WideMath.mulDiv(weighted, wad, debt, rounding: .floor)
            checks.append(
                Check(file: url.lastPathComponent, row: n + 1, recorded: try v("HF"), recomputed: hf, hybrid: nil)
            )
        }
        return checks
    }

    /// Recomputes the bhemen histories two ways: (1) entirely from per-asset balances, the authors' USD prices and
    /// ``thresholds``; (2) "hybrid": the on-chain ETH totals (`totalCollateral`, `totalDebt`) with the threshold
    /// averaged over the per-asset USD values. Rows without debt are skipped.
    public static func bhemen(_ directory: URL) throws -> [Check] {
        let (tokHeader, tokRows) = try rows(directory.appendingPathComponent("aave_atokens_v2.csv"))
        guard let symbolIndex = tokHeader.firstIndex(of: "symbol"), let decIndex = tokHeader.firstIndex(of: "decimals")
        else {
            throw LendFileError("aave_atokens_v2.csv: missing symbol/decimals columns")
        }
        var decimals: [String: Int] = [:]
        for r in tokRows where r.count > max(symbolIndex, decIndex) {
            decimals[String(r[symbolIndex])] = Int(r[decIndex])
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("0x") && $0.hasSuffix(".csv") }.sorted()
        var checks: [Check] = []
        for name in files {
            let (header, rows) = try rows(directory.appendingPathComponent(name))
            let index = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            let coll = header.filter { $0.hasSuffix("_collateral") }.map { String($0.dropLast(11)) }
            let debts = header.filter { $0.hasSuffix("_debt") }.map { String($0.dropLast(5)) }
            for (n, row) in rows.enumerated() {
                let ctx = "\(name) row \(n + 1)"
                func v(_ column: String) throws -> UInt128 {
                    guard let i = index[column], i < row.count else { throw LendFileError("\(ctx): missing \(column)") }
                    return try wadValue(row[i], field: "\(ctx) \(column)")
                }
                func units(_ column: String) throws -> UInt128 {
                    guard let i = index[column], i < row.count else { throw LendFileError("\(ctx): missing \(column)") }
                    // Integer smallest units / wei.
                    return try fixedValue(row[i], decimals: 0, field: "\(ctx) \(column)")
                }
                func usd(_ asset: String, _ column: String) throws -> UInt128 {
                    guard let d = decimals[asset] else { throw LendFileError("\(ctx): unknown asset \(asset)") }
                    let tokens = try WideMath.mulDiv(try units(column), wad, try WideMath.pow10(d), rounding: .floor)
                    return try WideMath.mulDiv(tokens, try v("\(asset)_USD_price"), wad, rounding: .floor)
                }
                let totalDebt = try units("totalDebt")
                guard totalDebt > 0 else { continue }
                var weighted: UInt128 = 0
                var collateral: UInt128 = 0
                for a in coll {
                    guard let ltText = thresholds[a] else { throw LendFileError("\(ctx): no threshold for \(a)") }
                    let lt = try LendingDecimal.parse(ltText, decimals: 18, field: "threshold")
                    let value = try usd(a, "\(a)_collateral")
                    collateral += value
                    weighted += try WideMath.mulDiv(value, lt, wad, rounding: .floor)
                }
                var debt: UInt128 = 0
                for a in debts { debt += try usd(a, "\(a)_debt") }
                let full = debt == 0 ? nil : try WideMath.mulDiv(weighted, wad, debt, rounding: .floor)
                var hybrid: UInt128 = 0
                if collateral > 0 {
                    // totalCollateral (wei of ETH) × avgLT ⨸ totalDebt (wei of ETH).
                    let avgLt = try WideMath.mulDiv(weighted, wad, collateral, rounding: .floor)
                    let scaled = try WideMath.mulDiv(try units("totalCollateral"), avgLt, wad, rounding: .floor)
                    hybrid = try WideMath.mulDiv(scaled, wad, totalDebt, rounding: .floor)
                }
                checks.append(
                    Check(file: name, row: n + 1, recorded: try v("healthFactor"), recomputed: full, hybrid: hybrid)
                )
            }
        }
        return checks
    }
}
