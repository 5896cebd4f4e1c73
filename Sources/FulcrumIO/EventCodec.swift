import FulcrumCore
public import FulcrumEngine

/// The JSON-lines event format, version 1 (documented in docs/EVENTS.md).
///
/// The first non-empty line is the header `{"type":"header","format":"fulcrum-events","v":1}` (optionally
/// with `"venue"`, the default venue of market listings). Every other line is one event object with a
/// `"type"`. Amounts, prices, sizes and rates are decimal strings (bare JSON numbers are accepted and parsed
/// exactly, never through `Double`); accounts are non-negative integers; markets are referenced by symbol.
/// Unknown fields are errors (a typo never silently changes a replay).
public struct EventCodec: Sendable {
    /// The format version this codec reads and writes.
    public static let version = 1
    /// The `"format"` value of the header.
    public static let formatName = "fulcrum-events"

    /// Venue used by market listings that name none (`--venue`, else the header's `"venue"`, else `generic`).
    public var defaultVenue: String

    /// Creates a codec.
    public init(defaultVenue: String = "generic") { self.defaultVenue = defaultVenue }

    /// The header line for a stream.
    public static func header(venue: String?, seed: UInt64? = nil) -> String {
        EventLogHeader(venue: venue, seed: seed).line
    }

    /// Whether a parsed line is a header.
    public static func isHeader(_ value: EventJSONValue) -> Bool { value["type"] == .string("header") }

    /// Validates a header line.
    ///
    /// - Throws: ``EventDecodeError`` naming `format`, `v`, `venue`, `seed` or an unknown field.
    public static func decodeHeader(_ value: EventJSONValue, line: Int) throws(EventDecodeError) -> EventLogHeader {
        guard case .object(let members) = value else {
            throw EventDecodeError(line: line, field: "json", message: "header is not an object")
        }
        for (key, _) in members where !["type", "format", "v", "venue", "seed"].contains(key) {
            throw EventDecodeError(line: line, field: key, message: "unknown header field")
        }
        guard value["format"] == .string(formatName) else {
            throw EventDecodeError(line: line, field: "format", message: "header format must be \"\(formatName)\"")
        }
        guard value["v"] == .number(String(version)) else {
            throw EventDecodeError(
                line: line,
                field: "v",
                message: "unsupported version \(describe(value["v"])) (this build reads v\(version))"
            )
        }
        var header = EventLogHeader()
        switch value["venue"] {
        case nil: break
        case .string(let venue)?: header.venue = venue
        case let other?:
            throw EventDecodeError(line: line, field: "venue", message: "\(describe(other)) must be a string")
        }
        switch value["seed"] {
        case nil: break
        case .number(let text)? where UInt64(text) != nil: header.seed = UInt64(text)
        case let other?:
            throw EventDecodeError(
                line: line,
                field: "seed",
                message: "\(describe(other)) must be a non-negative integer"
            )
        }
        return header
    }

    /// Decodes one event object. Markets are resolved against `engine` (listings must come first).
    ///
    /// - Throws: ``EventDecodeError`` naming the line, the field and the value.
    public func decode(
        _ value: EventJSONValue,
        line: Int,
        engine: ClearingEngine
    ) throws(EventDecodeError) -> EngineEvent {
        let reader = FieldReader(object: value, line: line, engine: engine)
        guard case .object = value else { throw reader.fail("json", "line is not a JSON object") }
        let type = try reader.string("type")
        switch type {
        case "market":
            try reader.only(["type", "symbol", "venue", "kind", "contractValue", "tick", "step", "tiers", "sizeTiers"])
            return .listMarket(try listing(reader))
        case "deposit", "withdraw":
            try reader.only(["type", "account", "amount"])
            let account = try reader.account("account")
            let amount: Money = try reader.decimal("amount")
            return type == "deposit"
                ? .deposit(account: account, amount: amount) : .withdraw(account: account, amount: amount)
        case "trade":
            try reader.only(["type", "market", "buyer", "seller", "size", "price", "buyerFee", "sellerFee"])
            return .trade(
                TradeEvent(
                    market: try reader.market("market"),
                    buyer: try reader.account("buyer"),
                    seller: try reader.account("seller"),
                    size: try reader.decimal("size"),
                    price: try reader.decimal("price"),
                    buyerFeeRate: try reader.optionalDecimal("buyerFee") ?? .zero,
                    sellerFeeRate: try reader.optionalDecimal("sellerFee") ?? .zero
                )
            )
        case "index", "mark":
            try reader.only(["type", "market", "price"])
            let market = try reader.market("market")
            let price: Price = try reader.decimal("price")
            return type == "index"
                ? .indexPrice(market: market, price: price) : .markPrice(market: market, price: price)
        case "funding":
            try reader.only(["type", "market", "premium", "rate", "markTwap", "oracleTwap"])
            let inputs = FundingInputs(
                premium: try reader.optionalDecimal("premium") ?? .zero,
                markTWAP: try reader.optionalDecimal("markTwap") ?? .zero,
                oracleTWAP: try reader.optionalDecimal("oracleTwap") ?? .zero,
                rateOverride: try reader.optionalDecimal("rate")
            )
            return .funding(market: try reader.market("market"), inputs: inputs)
        case "leverage":
            try reader.only(["type", "account", "market", "leverage"])
            return .setLeverage(
                account: try reader.account("account"),
                market: try reader.market("market"),
                leverage: try reader.decimal("leverage")
            )
        case "marginMode":
            try reader.only(["type", "account", "market", "mode"])
            let text = try reader.string("mode")
            guard let mode = MarginMode(rawValue: text) else {
                throw reader.fail("mode", "\"\(text)\" is not cross or isolated")
            }
            return .setMarginMode(
                account: try reader.account("account"),
                market: try reader.market("market"),
                mode: mode
            )
        case "isolatedMargin":
            try reader.only(["type", "account", "market", "amount"])
            return .adjustIsolatedMargin(
                account: try reader.account("account"),
                market: try reader.market("market"),
                amount: try reader.decimal("amount")
            )
        case "sweep":
            try reader.only(["type"])
            return .liquidationSweep
        case "insurance":
            try reader.only(["type", "market", "amount"])
            let market: MarketID? = value["market"] == nil ? nil : try reader.market("market")
            return .insuranceDeposit(market: market, amount: try reader.decimal("amount"))
        case "insuranceWithdrawal":
            try reader.only(["type", "market", "amount"])
            let market: MarketID? = value["market"] == nil ? nil : try reader.market("market")
            return .insuranceWithdrawal(market: market, amount: try reader.decimal("amount"))
        default:
            throw reader.fail("type", "unknown event type \"\(type)\"")
        }
    }

    private func listing(_ reader: FieldReader) throws(EventDecodeError) -> MarketListing {
        let symbol = try reader.string("symbol")
        let venueName = reader.object["venue"] == nil ? defaultVenue : try reader.string("venue")
        let profile: VenueProfile
        do { profile = try VenueProfile.named(venueName) } catch {
            throw reader.fail("venue", error.description)
        }
        var spec: MarketSpec
        if case .array(let rows)? = reader.object["sizeTiers"] {
            // A size-bounded table (OKX position tiers): rows {cap (base units, inclusive; absent on an unbounded
            // last tier), maxLeverage, mmr}, smallest size first.
            if reader.object["tiers"] != nil { throw reader.fail("tiers", "cannot be given with sizeTiers") }
            var parsed: [PositionSizeTier] = []
            for (index, row) in rows.enumerated() {
                let tier = FieldReader(
                    object: row,
                    line: reader.line,
                    engine: reader.engine,
                    prefix: "sizeTiers[\(index)]."
                )
                try tier.only(["cap", "maxLeverage", "mmr"])
                parsed.append(
                    PositionSizeTier(
                        sizeCap: try tier.optionalDecimal("cap"),
                        maxLeverage: try tier.decimal("maxLeverage"),
                        maintenanceMarginRate: try tier.decimal("mmr")
                    )
                )
            }
            let table: MarginTierTable
            do { table = try MarginTierTable(sizeTiers: parsed) } catch {
                throw reader.fail("sizeTiers", error.message)
            }
            spec = MarketSpec(
                symbol: symbol,
                tickSize: try reader.decimal("tick"),
                stepSize: try reader.decimal("step"),
                tiers: table,
                tierSource: "event log line \(reader.line)"
            )
        } else if case .array(let rows)? = reader.object["tiers"] {
            var parsed: [(floor: Money, cap: Money?, maxLeverage: Leverage, maintenanceMarginRate: Rate)] = []
            for (index, row) in rows.enumerated() {
                let tier = FieldReader(
                    object: row,
                    line: reader.line,
                    engine: reader.engine,
                    prefix: "tiers[\(index)]."
                )
                try tier.only(["floor", "cap", "maxLeverage", "mmr"])
                parsed.append(
                    (
                        floor: try tier.decimal("floor"),
                        cap: try tier.optionalDecimal("cap"),
                        maxLeverage: try tier.decimal("maxLeverage"),
                        maintenanceMarginRate: try tier.decimal("mmr")
                    )
                )
            }
            let table: MarginTierTable
            do { table = try MarginTierTable.derivingDeductions(parsed) } catch {
                throw reader.fail("tiers", error.message)
            }
            spec = MarketSpec(
                symbol: symbol,
                tickSize: try reader.decimal("tick"),
                stepSize: try reader.decimal("step"),
                tiers: table,
                tierSource: "event log line \(reader.line)"
            )
        } else {
            if reader.object["tiers"] != nil { throw reader.fail("tiers", "must be an array of tier objects") }
            if reader.object["sizeTiers"] != nil {
                throw reader.fail("sizeTiers", "must be an array of size tier objects")
            }
            do { spec = try MarketCatalog.market(venue: profile.id, symbol: symbol) } catch {
                throw reader.fail("symbol", error.description)
            }
            if let tick: Price = try reader.optionalDecimal("tick") { spec.tickSize = tick }
            if let step: Quantity = try reader.optionalDecimal("step") { spec.stepSize = step }
        }
        if reader.object["kind"] != nil {
            let text = try reader.string("kind")
            guard let kind = ContractKind(rawValue: text) else {
                throw reader.fail("kind", "\"\(text)\" is not linear or inverse")
            }
            spec.kind = kind
        }
        if let contractValue: Money = try reader.optionalDecimal("contractValue") {
            guard contractValue.isPositive else {
                throw reader.fail("contractValue", "\(contractValue) must be positive")
            }
            spec.contractValue = contractValue
        }
        return MarketListing(spec: spec, profile: profile)
    }

    /// Encodes one event as a JSON line (no trailing newline). Markets are written by symbol from `engine`
    /// (or `listingSymbols` for markets listed but not yet applied).
    public func encode(_ event: EngineEvent, symbols: [String]) -> String {
        func q(_ text: String) -> String { "\"\(text)\"" }
        func d(_ value: some FixedPointNumber) -> String { "\"\(value.description)\"" }
        func m(_ market: MarketID) -> String {
            q(market.index < symbols.count ? symbols[market.index] : "#\(market.raw)")
        }
        switch event {
        case .listMarket(let listing):
            let spec = listing.spec
            let tiers: String
            switch spec.tiers.bound {
            case .notional:
                let rows = spec.tiers.tiers.map { tier in
                    var row = "{\"floor\":\(d(tier.notionalFloor))"
                    if let cap = tier.notionalCap { row += ",\"cap\":\(d(cap))" }
                    return row + ",\"maxLeverage\":\(d(tier.maxLeverage)),\"mmr\":\(d(tier.maintenanceMarginRate))}"
                }
                tiers = "\"tiers\":[\(rows.joined(separator: ","))]"
            case .baseQuantity:
                let rows = spec.tiers.sizeTiers.map { tier in
                    (tier.sizeCap.map { "{\"cap\":\(d($0))," } ?? "{")
                        + "\"maxLeverage\":\(d(tier.maxLeverage)),\"mmr\":\(d(tier.maintenanceMarginRate))}"
                }
                tiers = "\"sizeTiers\":[\(rows.joined(separator: ","))]"
            }
            return "{\"type\":\"market\",\"symbol\":\(q(spec.symbol)),\"venue\":\(q(listing.profile.id.rawValue)),"
                + "\"kind\":\(q(spec.kind.rawValue)),"
                + (spec.kind == .inverse ? "\"contractValue\":\(d(spec.contractValue))," : "")
                + "\"tick\":\(d(spec.tickSize)),\"step\":\(d(spec.stepSize)),"
                + tiers + "}"
        case .deposit(let account, let amount):
            return "{\"type\":\"deposit\",\"account\":\(account.raw),\"amount\":\(d(amount))}"
        case .withdraw(let account, let amount):
            return "{\"type\":\"withdraw\",\"account\":\(account.raw),\"amount\":\(d(amount))}"
        case .trade(let t):
            var text =
                "{\"type\":\"trade\",\"market\":\(m(t.market)),\"buyer\":\(t.buyer.raw),\"seller\":\(t.seller.raw),"
                + "\"size\":\(d(t.size)),\"price\":\(d(t.price))"
            if !t.buyerFeeRate.isZero { text += ",\"buyerFee\":\(d(t.buyerFeeRate))" }
            if !t.sellerFeeRate.isZero { text += ",\"sellerFee\":\(d(t.sellerFeeRate))" }
            return text + "}"
        case .indexPrice(let market, let price):
            return "{\"type\":\"index\",\"market\":\(m(market)),\"price\":\(d(price))}"
        case .markPrice(let market, let price):
            return "{\"type\":\"mark\",\"market\":\(m(market)),\"price\":\(d(price))}"
        case .funding(let market, let inputs):
            var text = "{\"type\":\"funding\",\"market\":\(m(market)),\"premium\":\(d(inputs.premium))"
            if !inputs.markTWAP.isZero { text += ",\"markTwap\":\(d(inputs.markTWAP))" }
            if !inputs.oracleTWAP.isZero { text += ",\"oracleTwap\":\(d(inputs.oracleTWAP))" }
            if let rate = inputs.rateOverride { text += ",\"rate\":\(d(rate))" }
            return text + "}"
        case .setLeverage(let account, let market, let leverage):
            return
                "{\"type\":\"leverage\",\"account\":\(account.raw),\"market\":\(m(market)),\"leverage\":\(d(leverage))}"
        case .setMarginMode(let account, let market, let mode):
            return
                "{\"type\":\"marginMode\",\"account\":\(account.raw),\"market\":\(m(market)),\"mode\":\(q(mode.rawValue))}"
        case .adjustIsolatedMargin(let account, let market, let amount):
            return
                "{\"type\":\"isolatedMargin\",\"account\":\(account.raw),\"market\":\(m(market)),\"amount\":\(d(amount))}"
        case .liquidationSweep:
            return "{\"type\":\"sweep\"}"
        case .insuranceDeposit(let market, let amount):
            if let market { return "{\"type\":\"insurance\",\"market\":\(m(market)),\"amount\":\(d(amount))}" }
            return "{\"type\":\"insurance\",\"amount\":\(d(amount))}"
        case .insuranceWithdrawal(let market, let amount):
            if let market {
                return "{\"type\":\"insuranceWithdrawal\",\"market\":\(m(market)),\"amount\":\(d(amount))}"
            }
            return "{\"type\":\"insuranceWithdrawal\",\"amount\":\(d(amount))}"
        }
    }

    static func describe(_ value: EventJSONValue?) -> String {
        switch value {
        case nil: "(missing)"
        case .string(let s)?: "\"\(s)\""
        case .number(let s)?: s
        case .bool(let b)?: String(b)
        case .null?: "null"
        case .array?: "[…]"
        case .object?: "{…}"
        }
    }
}

/// Typed field access on one event object, with errors that name the line and the field.
struct FieldReader {
    let object: EventJSONValue
    let line: Int
    let engine: ClearingEngine
    var prefix = ""

    func fail(_ field: String, _ message: String) -> EventDecodeError {
        EventDecodeError(line: line, field: prefix + field, message: message)
    }

    func only(_ allowed: Set<String>) throws(EventDecodeError) {
        guard case .object(let members) = object else { throw fail("json", "expected an object") }
        for (key, _) in members where !allowed.contains(key) {
            throw fail(key, "unknown field (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ key: String) throws(EventDecodeError) -> String {
        guard let value = object[key] else { throw fail(key, "is required") }
        guard case .string(let text) = value else {
            throw fail(key, "\(EventCodec.describe(value)) must be a string")
        }
        return text
    }

    func optionalDecimal<T: FixedPointNumber>(_ key: String) throws(EventDecodeError) -> T? {
        guard let value = object[key], value != .null else { return nil }
        let text: String
        switch value {
        case .string(let s), .number(let s): text = s
        default: throw fail(key, "\(EventCodec.describe(value)) must be a decimal string")
        }
        do { return try T(parsing: text, field: prefix + key) } catch { throw fail(key, error.message) }
    }

    func decimal<T: FixedPointNumber>(_ key: String) throws(EventDecodeError) -> T {
        guard let value: T = try optionalDecimal(key) else { throw fail(key, "is required") }
        return value
    }

    func account(_ key: String) throws(EventDecodeError) -> AccountID {
        guard let value = object[key] else { throw fail(key, "is required") }
        guard case .number(let text) = value, let raw = UInt32(text) else {
            throw fail(key, "\(EventCodec.describe(value)) must be a non-negative integer account id")
        }
        return AccountID(raw)
    }

    func market(_ key: String) throws(EventDecodeError) -> MarketID {
        let symbol = try string(key)
        guard let id = engine.marketID(symbol: symbol) else {
            throw fail(key, "unknown market \"\(symbol)\" (list it with a \"market\" event first)")
        }
        return id
    }
}
