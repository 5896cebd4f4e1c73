import Foundation
public import FulcrumCore

/// The outcome of `fulcrum liq-price`, with its two renderings.
public struct LiqPriceResult: Sendable, Hashable {
    /// Venue name.
    public var venue: String
    /// Market symbol.
    public var market: String
    /// Linear or inverse.
    public var kind: ContractKind
    /// Position side.
    public var side: PositionSide
    /// Margin mode.
    public var mode: MarginMode
    /// The solved quote.
    public var quote: LiquidationQuote

    /// One JSON object: `liquidationPrice`, `bankruptcyPrice`, `maintenanceMargin`, `initialMargin` (decimal
    /// strings, `null` when none), `venue`, `market`, `side`, `mode`, and `tier` (1-based bracket number).
    public func json() -> String {
        func text(_ value: String?) -> String { value.map(JSONText.quoted) ?? "null" }
        let fields: [(String, String)] = [
            ("liquidationPrice", text(quote.liquidationPrice?.description)),
            ("bankruptcyPrice", text(quote.bankruptcyPrice?.description)),
            ("maintenanceMargin", text(quote.maintenanceMargin.description)),
            ("initialMargin", text(quote.initialMargin.description)),
            ("venue", text(venue)),
            ("market", text(market)),
            ("side", text(side.rawValue)),
            ("mode", text(mode.rawValue)),
            ("tier", String(quote.tierIndex + 1)),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// A short aligned table.
    public func table() -> String {
        let rows: [(String, String)] = [
            ("venue", venue),
            ("market", "\(market) (\(kind.rawValue))"),
            ("side", side.rawValue),
            ("mode", mode.rawValue),
            ("margin", quote.margin.description),
            ("liquidation price", quote.liquidationPrice?.description ?? "none"),
            ("bankruptcy price", quote.bankruptcyPrice?.description ?? "none"),
            ("maintenance margin", quote.maintenanceMargin.description),
            ("initial margin", quote.initialMargin.description),
            ("tier", String(quote.tierIndex + 1)),
        ]
        var lines = rows.map { $0.0.padding(toLength: 20, withPad: " ", startingAt: 0) + $0.1 }
        if quote.isLiquidatableAtEntry { lines.append("warning             already below maintenance at entry") }
        return lines.joined(separator: "\n")
    }
}
