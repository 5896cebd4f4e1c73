public import Foundation
public import FulcrumCore

/// A cross-margin account for `fulcrum liq-price --account FILE.json`: the wallet balance and the other open
/// positions whose PnL and maintenance move the liquidation price.
///
/// Schema (every number is a JSON **string** holding an exact decimal, so nothing passes through binary floating
/// point; `mmr` and `mmDeduction` are optional venue-reported overrides for that position's bracket):
///
/// ```json
/// {"wallet": "10000",
///  "positions": [{"market": "ETHUSDT", "side": "short", "entry": "3000", "size": "2", "mark": "3100",
///                 "mmr": "0.005", "mmDeduction": "0"}]}
/// ```
///
/// `size` is the absolute size (base units, contracts for inverse markets); `side` gives its sign.
public struct AccountFile: Sendable, Hashable {
    /// One other open position.
    public struct Position: Sendable, Hashable {
        /// The venue's market symbol or an asset alias (`BTC`, `ETH`).
        public var market: String
        /// Long or short.
        public var side: PositionSide
        /// Average entry price.
        public var entry: Price
        /// Absolute size.
        public var size: Quantity
        /// Current mark price.
        public var mark: Price
        /// Optional maintenance rate override.
        public var maintenanceMarginRate: Rate?
        /// Optional maintenance deduction override.
        public var maintenanceDeduction: Money?

        /// Creates a position.
        public init(
            market: String,
            side: PositionSide,
            entry: Price,
            size: Quantity,
            mark: Price,
            maintenanceMarginRate: Rate? = nil,
            maintenanceDeduction: Money? = nil
        ) {
            self.market = market
            self.side = side
            self.entry = entry
            self.size = size
            self.mark = mark
            self.maintenanceMarginRate = maintenanceMarginRate
            self.maintenanceDeduction = maintenanceDeduction
        }
    }

    /// Cross wallet balance.
    public var wallet: Money
    /// Other open positions.
    public var positions: [Position]

    /// Creates an account.
    public init(wallet: Money, positions: [Position]) {
        self.wallet = wallet
        self.positions = positions
    }

    /// Reads and parses a file.
    ///
    /// - Throws: ``AccountFileError`` naming the path when unreadable, or the field and value when malformed.
    public static func load(path: String) throws(AccountFileError) -> AccountFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw AccountFileError("account file \"\(path)\" cannot be read")
        }
        return try parse(data)
    }

    /// Parses JSON text.
    ///
    /// - Throws: ``AccountFileError`` naming the field and value (`wallet`, `positions[i].entry`, …).
    public static func parse(_ data: Data) throws(AccountFileError) -> AccountFile {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw AccountFileError("account file is not valid JSON")
        }
        guard let root = object as? [String: Any] else {
            throw AccountFileError("account file must be a JSON object with \"wallet\" and \"positions\"")
        }
        let wallet: Money = try decimal(root["wallet"], field: "wallet")
        guard !wallet.isNegative else { throw AccountFileError("wallet \"\(wallet)\" must not be negative") }
        var list: [Any] = []
        if let rawPositions = root["positions"] {
            guard let array = rawPositions as? [Any] else {
                throw AccountFileError("positions \(describe(rawPositions)) must be an array")
            }
            list = array
        }
        var positions: [Position] = []
        for (index, element) in list.enumerated() {
            let path = "positions[\(index)]"
            guard let fields = element as? [String: Any] else {
                throw AccountFileError("\(path) must be an object")
            }
            guard let market = fields["market"] as? String, !market.isEmpty else {
                throw AccountFileError("\(path).market must be a non-empty string")
            }
            guard let sideText = fields["side"] as? String, let side = PositionSide(rawValue: sideText.lowercased())
            else {
                throw AccountFileError("\(path).side \(describe(fields["side"])) must be \"long\" or \"short\"")
            }
            let entry: Price = try decimal(fields["entry"], field: "\(path).entry")
            let size: Quantity = try decimal(fields["size"], field: "\(path).size")
            let mark: Price = try decimal(fields["mark"], field: "\(path).mark")
            guard entry.isPositive else { throw AccountFileError("\(path).entry \"\(entry)\" must be positive") }
            guard mark.isPositive else { throw AccountFileError("\(path).mark \"\(mark)\" must be positive") }
            guard size.isPositive else { throw AccountFileError("\(path).size \"\(size)\" must be positive") }
            let mmr: Rate? = try fields["mmr"].map { value throws(AccountFileError) in
                try decimal(value, field: "\(path).mmr")
            }
            let deduction: Money? = try fields["mmDeduction"].map { value throws(AccountFileError) in
                try decimal(value, field: "\(path).mmDeduction")
            }
            positions.append(
                Position(
                    market: market,
                    side: side,
                    entry: entry,
                    size: size,
                    mark: mark,
                    maintenanceMarginRate: mmr,
                    maintenanceDeduction: deduction
                )
            )
        }
        return AccountFile(wallet: wallet, positions: positions)
    }

    /// The positions as ``CrossPosition``s on `venue`'s catalog markets.
    ///
    /// - Throws: ``AccountFileError`` naming `positions[i].market` when the symbol is unknown on the venue.
    public func crossPositions(venue: VenueID) throws(AccountFileError) -> [CrossPosition] {
        var result: [CrossPosition] = []
        for (index, position) in positions.enumerated() {
            let market: MarketSpec
            do {
                market = try MarketCatalog.market(venue: venue, symbol: position.market)
            } catch {
                throw AccountFileError(
                    "positions[\(index)].market \"\(position.market)\" is not a \(venue.rawValue) market; valid: "
                        + error.validNames.joined(separator: ", ")
                )
            }
            result.append(
                CrossPosition(
                    market: market,
                    entryPrice: position.entry,
                    size: position.side == .long ? position.size : -position.size,
                    markPrice: position.mark,
                    maintenanceMarginRate: position.maintenanceMarginRate,
                    maintenanceDeduction: position.maintenanceDeduction
                )
            )
        }
        return result
    }

    /// An exact decimal from a JSON string field.
    static func decimal<Value: FixedPointNumber>(_ value: Any?, field: String) throws(AccountFileError) -> Value {
        guard let value else { throw AccountFileError("\(field) is missing") }
        guard let text = value as? String else {
            throw AccountFileError("\(field) \(describe(value)) must be a decimal string, e.g. \"10000\"")
        }
        do {
            return try Value(parsing: text, field: field)
        } catch {
            throw AccountFileError(error.message)
        }
    }

    /// A short rendering of a JSON value for error messages.
    static func describe(_ value: Any?) -> String {
        guard let value else { return "(missing)" }
        if let text = value as? String { return "\"\(text)\"" }
        return "\(value)"
    }
}
