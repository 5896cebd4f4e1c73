import FulcrumCore
import FulcrumEngine
import FulcrumIO
import FulcrumStore

/// The events, effects and reply of one applied write, before it is durable.
struct AppliedWrite {
    var events: [LoggedEvent]
    var effects: [LoggedEffect]
    var eventTypes: [String]
    var effectKinds: [String]
    var reply: WriteReply
}

/// Turning a ``WriteCommand`` into engine events and applying them.
extension EngineService {
    /// Most effects quoted in a write's reply (the rest are in `/v1/effects` and the stream).
    static let replyEffectLimit = 100

    /// Validates and applies `command` to the engine; on a throw the engine is unchanged.
    ///
    /// Price and funding commands are followed by a liquidation sweep when the liquidation index finds an account
    /// under maintenance; the sweep runs on a copy of the engine and is kept (and logged as its own `sweep` event)
    /// only when it acted, so the exported log replays to the same state. When the index finds no one, no sweep is
    /// tried at all: an oracle update costs O(log n + k) however many accounts are open.
    func apply(_ command: WriteCommand) throws(APIError) -> AppliedWrite {
        var extras = JSONObjectText()
        var status = 200
        var applied: [(event: EngineEvent, line: String?, effects: [Effect])] = []
        var sweepAfter = false
        switch command {
        case .listMarket(let value):
            let (event, line) = try listing(try RequestObject(value: value))
            try applyOne(event, line: line, into: &applied)
            if case .listMarket(let listing) = event {
                symbols.append(listing.spec.symbol)
                extras.string("market", listing.spec.symbol)
            }
            status = 201
        case .createAccount(let amount):
            guard let id = UInt32(exactly: engine.accountCount) else {
                throw APIError(status: 422, code: "invalid-state", message: "the account id space is exhausted")
            }
            try applyOne(.deposit(account: AccountID(id), amount: amount), into: &applied)
            extras.int("account", id)
            status = 201
        case .deposit(let account, let amount):
            try applyOne(.deposit(account: try pathAccount(account), amount: amount), into: &applied)
        case .withdraw(let account, let amount):
            try applyOne(.withdraw(account: try pathAccount(account), amount: amount), into: &applied)
        case .setLeverage(let account, let symbol, let leverage):
            let event = EngineEvent.setLeverage(
                account: try pathAccount(account),
                market: try market(symbol),
                leverage: leverage
            )
            try applyOne(event, into: &applied)
        case .setMarginMode(let account, let symbol, let mode):
            let event = EngineEvent.setMarginMode(
                account: try pathAccount(account),
                market: try market(symbol),
                mode: mode
            )
            try applyOne(event, into: &applied)
        case .adjustIsolatedMargin(let account, let symbol, let amount):
            let event = EngineEvent.adjustIsolatedMargin(
                account: try pathAccount(account),
                market: try market(symbol),
                amount: amount
            )
            try applyOne(event, into: &applied)
        case .trade(let symbol, let buyer, let seller, let size, let price, let buyerFee, let sellerFee):
            let trade = TradeEvent(
                market: try market(symbol),
                buyer: try bodyAccount(buyer, field: "buyer"),
                seller: try bodyAccount(seller, field: "seller"),
                size: size,
                price: price,
                buyerFeeRate: buyerFee,
                sellerFeeRate: sellerFee
            )
            try applyOne(.trade(trade), into: &applied)
        case .prices(let symbol, let index, let mark):
            let id = try market(symbol)
            // Both events only fail on an unknown market or a non-positive price, checked here first, so the pair
            // is applied whole.
            for (field, price) in [("index", index), ("mark", mark)] {
                if let price, !price.isPositive {
                    throw .badRequest(
                        "out-of-range",
                        field: field,
                        value: price.description,
                        "\(field) must be positive"
                    )
                }
            }
            if let index { try applyOne(.indexPrice(market: id, price: index), into: &applied) }
            if let mark { try applyOne(.markPrice(market: id, price: mark), into: &applied) }
            sweepAfter = true
        case .funding(let symbol, let inputs):
            try applyOne(.funding(market: try market(symbol), inputs: inputs), into: &applied)
            sweepAfter = true
        case .sweep:
            try applyOne(.liquidationSweep, into: &applied)
        case .insuranceDeposit(let symbol, let amount):
            let id: MarketID? = try symbol.map { (s: String) throws(APIError) -> MarketID in try market(s) }
            try applyOne(.insuranceDeposit(market: id, amount: amount), into: &applied)
        }
        if sweepAfter {
            liquidationIndex.accountsUnderMaintenance(into: &liquidationCandidates)
            if !liquidationCandidates.isEmpty {
                // Kept only when it acts (a sweep that does nothing is not logged); rolled back by the engine's
                // journal otherwise, without copying the engine.
                var effects: [Effect] = []
                if (try? engine.applyLiquidationSweepIfActing(effects: &effects)) == true {
                    liquidationIndex.update(after: .liquidationSweep, effects: effects, in: engine)
                    applied.append((.liquidationSweep, nil, effects))
                }
            }
        }
        return record(applied, status: status, extras: extras)
    }

    /// Applies one event to the engine (unchanged on a throw).
    private func applyOne(
        _ event: EngineEvent,
        line: String? = nil,
        into applied: inout [(event: EngineEvent, line: String?, effects: [Effect])]
    ) throws(APIError) {
        var effects: [Effect] = []
        do throws(EngineError) { try engine.apply(event, effects: &effects) } catch {
            if !applied.isEmpty {
                // Unreachable by the checks above; if it happens the engine holds events the log will not: stop.
                failure = "a multi-event write failed half way: \(error)"
            }
            throw Self.apiError(error)
        }
        liquidationIndex.update(after: event, effects: effects, in: engine)
        applied.append((event, line, effects))
    }

    /// Assigns sequences, encodes lines and effects, and builds the reply.
    private func record(
        _ applied: [(event: EngineEvent, line: String?, effects: [Effect])],
        status: Int,
        extras: JSONObjectText
    ) -> AppliedWrite {
        let now = clock()
        var write = AppliedWrite(
            events: [],
            effects: [],
            eventTypes: [],
            effectKinds: [],
            reply: WriteReply(status: 0, body: "")
        )
        let first = appliedEvents + 1
        var quoted: [String] = []
        for item in applied {
            appliedEvents += 1
            let line = item.line ?? codec.encode(item.event, symbols: symbols)
            write.events.append(
                LoggedEvent(
                    sequence: appliedEvents,
                    line: line,
                    idempotencyKey: nil,
                    response: "",
                    acceptedAtMilliseconds: now
                )
            )
            write.eventTypes.append(Self.typeName(item.event))
            for effect in item.effects {
                appliedEffects += 1
                let json = EffectJSON.encode(
                    effect,
                    sequence: appliedEffects,
                    eventSequence: appliedEvents,
                    symbols: symbols
                )
                write.effects.append(LoggedEffect(sequence: appliedEffects, eventSequence: appliedEvents, json: json))
                write.effectKinds.append(effect.kind.rawValue)
                if quoted.count < Self.replyEffectLimit { quoted.append(json) }
            }
        }
        // Type names are plain identifiers: quoted without escaping.
        var types = "["
        for (index, type) in write.eventTypes.enumerated() {
            if index > 0 { types += "," }
            types += "\""
            types += type
            types += "\""
        }
        types += "]"
        var body = JSONObjectText(capacity: 160)
        body.int("eventSequence", appliedEvents)
        body.int("firstEventSequence", first)
        body.int("events", applied.count)
        body.raw("eventTypes", types)
        body.int("effectCount", write.effects.count)
        body.raw("effects", quoted.isEmpty ? "[]" : JSONObjectText.array(quoted))
        if !extras.isEmpty { body.members(of: extras) }
        write.reply = WriteReply(status: status, body: body.json)
        return write
    }

    /// Decodes a `POST /v1/markets` body through the v1 codec and returns the event decoded from its own canonical
    /// line, which is exactly what recovery and `fulcrum replay` will apply.
    private func listing(_ object: RequestObject) throws(APIError) -> (EngineEvent, String) {
        try object.only(["symbol", "venue", "kind", "contractValue", "tick", "step", "tiers"])
        _ = try object.symbol("symbol")
        for key in ["tick", "step", "contractValue"] {
            if let member = object[key] { let _: Money = try RequestObject.decimal(member, field: key) }
        }
        if let tiers = object["tiers"] {
            guard case .array(let rows) = tiers, !rows.isEmpty, rows.count <= 64 else {
                throw .badRequest(
                    "invalid-type",
                    field: "tiers",
                    value: nil,
                    "tiers must be an array of 1–64 tier objects"
                )
            }
            for (index, row) in rows.enumerated() {
                guard case .object(let members) = row else {
                    throw .badRequest("invalid-type", field: "tiers[\(index)]", value: nil, "a tier must be an object")
                }
                for (key, member) in members {
                    let _: Money = try RequestObject.decimal(member, field: "tiers[\(index)].\(key)")
                }
            }
        }
        let value = EventJSONValue.object([("type", .string("market"))] + object.members)
        do throws(EventDecodeError) {
            let event = try codec.decode(value, line: 0, engine: engine)
            let line = codec.encode(event, symbols: symbols)
            let canonical: Result<EventJSONValue, EventJSONSyntaxError> = Array(line.utf8).withUnsafeBufferPointer {
                do throws(EventJSONSyntaxError) { return .success(try EventJSONValue.parse($0)) } catch {
                    return .failure(error)
                }
            }
            guard case .success(let parsed) = canonical else {
                throw EventDecodeError(line: 0, field: "symbol", message: "the listing does not encode as a v1 line")
            }
            return (try codec.decode(parsed, line: 0, engine: engine), line)
        } catch {
            // Every member's syntax was checked above, so what the codec still refuses is the listing's meaning
            // (an unknown venue, tiers that do not start at 0 or are not contiguous, a tick the tiers cannot use): 422.
            throw APIError(
                status: 422,
                code: "invalid-market",
                field: error.field,
                value: nil,
                message: error.message
            )
        }
    }

    /// An account named in the URL: 404 when it does not exist.
    func pathAccount(_ id: UInt32) throws(APIError) -> AccountID {
        guard Int(id) < engine.accountCount else {
            throw .notFound(field: "id", value: String(id), "account \(id) does not exist")
        }
        return AccountID(id)
    }

    /// An account named in the body: 422 when it does not exist.
    private func bodyAccount(_ id: UInt32, field: String) throws(APIError) -> AccountID {
        guard Int(id) < engine.accountCount else {
            throw APIError(
                status: 422,
                code: "unknown-account",
                field: field,
                value: String(id),
                message: "\(field) account \(id) does not exist"
            )
        }
        return AccountID(id)
    }

    /// A market named by symbol: 422 when it is not listed.
    func market(_ symbol: String, field: String = "market") throws(APIError) -> MarketID {
        guard let id = engine.marketID(symbol: symbol) else {
            throw APIError(
                status: 422,
                code: "unknown-market",
                field: field,
                value: symbol,
                message: "market \"\(symbol)\" is not listed"
            )
        }
        return id
    }

    /// An engine rejection as a 422 naming the field (the engine's messages start with the field).
    static func apiError(_ error: EngineError) -> APIError {
        let head = error.message.prefix { $0 != " " && $0 != ":" }
        return APIError(
            status: error.code == .unknownAccount ? 404 : 422,
            code: error.code.rawValue,
            field: head.isEmpty ? nil : String(head),
            value: nil,
            message: error.message
        )
    }

    /// The v1 `type` of an event.
    static func typeName(_ event: EngineEvent) -> String {
        switch event {
        case .listMarket: "market"
        case .deposit: "deposit"
        case .withdraw: "withdraw"
        case .trade: "trade"
        case .indexPrice: "index"
        case .markPrice: "mark"
        case .funding: "funding"
        case .setLeverage: "leverage"
        case .setMarginMode: "marginMode"
        case .adjustIsolatedMargin: "isolatedMargin"
        case .liquidationSweep: "sweep"
        case .insuranceDeposit: "insurance"
        case .insuranceWithdrawal: "insuranceWithdrawal"
        }
    }
}
