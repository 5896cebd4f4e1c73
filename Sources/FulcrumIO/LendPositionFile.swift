public import Foundation
import FulcrumCore
public import FulcrumLending

/// Reads the `lend health` position file:
/// `{"collateral": [{"asset","amount","price","ltv","liquidationThreshold","liquidationBonus"}],
///   "debt": [{"asset","amount","price"}], ...protocol keys}` with decimal strings or numbers.
///
/// Top-level numeric keys other than `collateral`/`debt` become ``LendingPosition/parameters``
/// (`liquidationProtocolFee`, `storeFrontPriceFactor`, `chop`, `tip`, `chip`, `liquidationRatio`). Aliases per
/// protocol: `borrowCollateralFactor`/`liquidateCollateralFactor`/`liquidationFactor` (Compound III) and `lltv`
/// (Morpho) fill `ltv`/`liquidationThreshold`/`liquidationBonus`.
public enum LendPositionFile {
    /// Parses the file's bytes.
    public static func parse(_ data: Data) throws -> LendingPosition {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw LendFileError("position file is not valid JSON: \(error.localizedDescription)")
        }
        guard let object = root as? [String: Any] else { throw LendFileError("position file must be a JSON object") }
        guard let collateral = object["collateral"] as? [Any] else {
            throw LendFileError("position file: \"collateral\" must be an array")
        }
        let debt = (object["debt"] as? [Any]) ?? []
        if object["debt"] != nil, object["debt"] as? [Any] == nil {
            throw LendFileError("position file: \"debt\" must be an array")
        }
        var legs: [LendingPosition.Collateral] = []
        for (i, item) in collateral.enumerated() {
            let ctx = "collateral[\(i)]"
            guard let o = item as? [String: Any] else { throw LendFileError("\(ctx) must be an object") }
            func rate(_ keys: [String], default fallback: Rate? = nil) throws -> Rate {
                for key in keys {
                    if let t = try LendJSON.decimalText(o[key], field: key, context: ctx) {
                        return try Rate(parsing: t, field: "\(ctx).\(key)")
                    }
                }
                if let fallback { return fallback }
                throw LendFileError("\(ctx): missing \(keys[0])")
            }
            let threshold = try rate(["liquidationThreshold", "liquidateCollateralFactor", "lltv"])
            legs.append(
                LendingPosition.Collateral(
                    asset: try LendJSON.string(o, "asset", context: ctx),
                    amount: try Quantity(
                        parsing: LendJSON.requiredText(o, "amount", context: ctx),
                        field: "\(ctx).amount"
                    ),
                    price: try Price(parsing: LendJSON.requiredText(o, "price", context: ctx), field: "\(ctx).price"),
                    ltv: try rate(["ltv", "borrowCollateralFactor"], default: threshold),
                    liquidationThreshold: threshold,
                    liquidationBonus: try rate(["liquidationBonus", "liquidationFactor"], default: .zero)
                )
            )
        }
        var debts: [LendingPosition.Debt] = []
        for (i, item) in debt.enumerated() {
            let ctx = "debt[\(i)]"
            guard let o = item as? [String: Any] else { throw LendFileError("\(ctx) must be an object") }
            debts.append(
                LendingPosition.Debt(
                    asset: try LendJSON.string(o, "asset", context: ctx),
                    amount: try Quantity(
                        parsing: LendJSON.requiredText(o, "amount", context: ctx),
                        field: "\(ctx).amount"
                    ),
                    price: try Price(parsing: LendJSON.requiredText(o, "price", context: ctx), field: "\(ctx).price")
                )
            )
        }
        var parameters: [String: Rate] = [:]
        for key in object.keys.sorted() where key != "collateral" && key != "debt" {
            guard let text = try? LendJSON.decimalText(object[key], field: key, context: "position file"),
                let value = try? Rate(parsing: text, field: key)
            else { continue }  // non-numeric extra keys (names, notes) are allowed and ignored
            parameters[key] = value
        }
        return LendingPosition(collateral: legs, debt: debts, parameters: parameters)
    }

    /// The report as a JSON object (exact decimal strings; `healthFactor` null when there is no debt).
    public static func json(_ report: LendingHealthReport, protocol kind: LendingProtocolKind) -> String {
        func s(_ v: some FixedPointNumber) -> String { LendJSON.quote(v.description) }
        let prices = LendJSON.object(report.liquidationPrices.map { ($0.asset, $0.price.map { s($0) } ?? "null") })
        var liquidation = "null"
        if let l = report.maxLiquidation {
            liquidation = LendJSON.object([
                ("debtAsset", LendJSON.quote(l.debtAsset)), ("collateralAsset", LendJSON.quote(l.collateralAsset)),
                ("debtAmount", s(l.debtAmount)), ("collateralAmount", s(l.collateralAmount)),
                ("debtToCover", s(l.debtToCover)), ("collateralSeized", s(l.collateralSeized)),
                ("liquidatorProfit", s(l.liquidatorProfit)), ("badDebt", s(l.badDebt)),
            ])
        }
        return LendJSON.object([
            ("protocol", LendJSON.quote(kind.description)),
            ("healthFactor", report.healthFactor.map { s($0) } ?? "null"),
            ("liquidatable", report.liquidatable ? "true" : "false"),
            ("collateralValue", s(report.collateralValue)), ("debtValue", s(report.debtValue)),
            ("maxBorrow", s(report.maxBorrow)), ("liquidationPrices", prices), ("maxLiquidation", liquidation),
        ])
    }

    /// The report as aligned text.
    public static func text(_ report: LendingHealthReport, protocol kind: LendingProtocolKind) -> String {
        var lines = [
            "protocol          \(kind)",
            "health factor     \(report.healthFactor?.description ?? "inf")\(report.liquidatable ? "  (liquidatable)" : "")",
            "collateral value  \(report.collateralValue)",
            "debt value        \(report.debtValue)",
            "max borrow        \(report.maxBorrow)",
        ]
        for (asset, price) in report.liquidationPrices {
            lines.append("liquidation price \(asset) \(price?.description ?? "none")")
        }
        if let l = report.maxLiquidation {
            lines.append(
                "max liquidation   repay \(l.debtAmount) \(l.debtAsset) (\(l.debtToCover)), seize \(l.collateralAsset) worth \(l.collateralSeized)"
            )
            lines.append("liquidator profit \(l.liquidatorProfit)   bad debt \(l.badDebt)")
        } else {
            lines.append("max liquidation   none (position is healthy)")
        }
        return lines.joined(separator: "\n")
    }
}
