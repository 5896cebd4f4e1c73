import FulcrumCore
import FulcrumEngine
import FulcrumIO
import FulcrumStore
public import Hummingbird
public import HummingbirdWebSocket

/// The routes. Each is thin: parse the path and body into a DTO, call the service, render.
extension APIServer {
    /// The router with every route (HTTP and the WebSocket stream).
    public func router() -> Router<BasicWebSocketRequestContext> {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        addOpenRoutes(router)
        addReadRoutes(router)
        addWriteRoutes(router)
        addBatchRoute(router)
        addStream(router)
        addProofRoutes(router)
        return router
    }

    private func addOpenRoutes(_ router: Router<BasicWebSocketRequestContext>) {
        router.get("/healthz") { request, context in
            await respond(request, context.parameters, access: .open) { _ throws(APIError) in
                let reason = await service.failureReason
                var o = JSONObjectText()
                o.string("status", reason == nil ? "ok" : "failing")
                o.int("eventSequence", await service.eventSequence)
                o.string("reason", reason)
                return APIReply.json(o.json, status: reason == nil ? 200 : 503)
            }
        }
        router.get("/metrics") { request, context in
            await respond(request, context.parameters, access: .open) { _ throws(APIError) in
                let text = service.metrics.render(gauges: await service.gauges())
                return APIReply(status: 200, body: text, contentType: "text/plain; version=0.0.4")
            }
        }
        router.get("/openapi.json") { request, context in
            await respond(request, context.parameters, access: .open) { _ throws(APIError) in
                APIReply.json(OpenAPIDocument.text)
            }
        }
        router.get("/") { request, context in
            await respond(request, context.parameters, access: .open) { _ throws(APIError) in
                APIReply(status: 200, body: await dashboardPage(), contentType: "text/html; charset=utf-8")
            }
        }
    }

    private func addReadRoutes(_ router: Router<BasicWebSocketRequestContext>) {
        router.get("/v1/state") { request, context in
            await respond(request, context.parameters, access: .key) { _ throws(APIError) in
                APIReply.json(await service.stateJSON())
            }
        }
        router.get("/v1/markets") { request, context in
            await respond(request, context.parameters, access: .key) { _ throws(APIError) in
                APIReply.json(await service.marketsJSON())
            }
        }
        router.get("/v1/insurance-fund") { request, context in
            await respond(request, context.parameters, access: .key) { _ throws(APIError) in
                APIReply.json(await service.insuranceJSON())
            }
        }
        router.get("/v1/accounts/{id}") { request, context in
            await respond(request, context.parameters, access: .key) { call throws(APIError) in
                let id = try Self.accountParameter(call)
                guard call.principal.mayRead(account: id) else {
                    throw .notFound(field: "id", value: String(id), "account \(id) does not exist")
                }
                return APIReply.json(try await service.accountJSON(id))
            }
        }
        router.get("/v1/effects") { request, context in
            await respond(request, context.parameters, access: .key) { call throws(APIError) in
                guard call.principal.mayReadAllAccounts else {
                    throw .forbidden("the effects log names every account: operator or read-only keys only")
                }
                let (after, limit) = try Self.page(call.request)
                let effects: [LoggedEffect]
                do { effects = try await service.log.effects(after: after, limit: limit) } catch {
                    throw .unavailable("the log is unavailable: \(error)")
                }
                var o = JSONObjectText()
                o.raw("effects", JSONObjectText.array(effects.map(\.json)))
                o.int("next", effects.last?.sequence ?? after)
                o.int("effectSequence", await service.effectSequence)
                return APIReply.json(o.json)
            }
        }
        router.get("/v1/events") { request, context in
            await respond(request, context.parameters, access: .key) { call throws(APIError) in
                guard call.principal.role == .operator else { throw .forbidden("the raw log is for operator keys") }
                return try await eventsPage(call)
            }
        }
        router.get("/v1/overview") { request, context in
            await respond(request, context.parameters, access: .dashboard) { call throws(APIError) in
                guard call.principal.mayReadAllAccounts else {
                    throw .forbidden("the overview lists accounts: operator or read-only keys only")
                }
                return APIReply.json(await service.overviewJSON())
            }
        }
        router.get("/v1/heatmap.svg") { request, context in
            await respond(request, context.parameters, access: .dashboard) { call throws(APIError) in
                let query = call.request.uri.queryParameters
                var symbol: String?
                if let text = query["market"] {
                    try RequestObject.checkSymbol(String(text), field: "market")
                    symbol = String(text)
                }
                var depth = options.heatmapDepth
                if let text = query["depth"] {
                    depth = try RequestObject.decimal(.string(String(text)), field: "depth")
                    guard !depth.isNegative else {
                        throw .badRequest(
                            "out-of-range",
                            field: "depth",
                            value: String(text),
                            "depth must not be negative"
                        )
                    }
                }
                let svg = try await service.heatmapSVG(symbol: symbol, depth: depth)
                return APIReply(status: 200, body: svg, contentType: "image/svg+xml")
            }
        }
    }

    /// `GET /v1/events`: the raw log as JSON, or as v1 JSON lines (`format=jsonl`, header first when `after=0`).
    private func eventsPage(_ call: APICall) async throws(APIError) -> APIReply {
        let (after, limit) = try Self.page(call.request, maxLimit: 10_000)
        let events: [LoggedEvent]
        do { events = try await service.log.events(after: after, limit: limit) } catch {
            throw .unavailable("the log is unavailable: \(error)")
        }
        let header = EventCodec.header(venue: service.settings.defaultVenue, seed: service.settings.seed)
        switch call.request.uri.queryParameters["format"].map(String.init) {
        case nil, "json"?:
            var o = JSONObjectText()
            o.string("header", header)
            o.raw(
                "events",
                JSONObjectText.array(
                    events.map { event in
                        var e = JSONObjectText()
                        e.int("sequence", event.sequence)
                        e.string("line", event.line)
                        e.int("acceptedAt", event.acceptedAtMilliseconds)
                        return e.json
                    }
                )
            )
            o.int("next", events.last?.sequence ?? after)
            return APIReply.json(o.json)
        case "jsonl"?:
            var text = after == 0 ? header + "\n" : ""
            for event in events { text += event.line + "\n" }
            return APIReply(status: 200, body: text, contentType: "application/x-ndjson")
        case let other?:
            throw .badRequest("invalid-query", field: "format", value: other, "format must be json or jsonl")
        }
    }

    private func addWriteRoutes(_ router: Router<BasicWebSocketRequestContext>) {
        router.post("/v1/markets") { request, context in
            await write(request, context.parameters) { object, _ throws(APIError) in .listMarket(object.value) }
        }
        router.post("/v1/accounts") { request, context in
            await write(request, context.parameters) { object, _ throws(APIError) in
                try object.only(["deposit"])
                return .createAccount(deposit: try object.decimal("deposit"))
            }
        }
        router.post("/v1/accounts/{id}/deposits") { request, context in
            await write(request, context.parameters) { object, call throws(APIError) in
                try object.only(["amount"])
                return .deposit(account: try Self.accountParameter(call), amount: try object.decimal("amount"))
            }
        }
        router.post("/v1/accounts/{id}/withdrawals") { request, context in
            await write(request, context.parameters) { object, call throws(APIError) in
                try object.only(["amount"])
                return .withdraw(account: try Self.accountParameter(call), amount: try object.decimal("amount"))
            }
        }
        router.post("/v1/accounts/{id}/leverage") { request, context in
            await write(request, context.parameters) { object, call throws(APIError) in
                try object.only(["market", "leverage"])
                return .setLeverage(
                    account: try Self.accountParameter(call),
                    market: try object.symbol("market"),
                    leverage: try object.decimal("leverage")
                )
            }
        }
        router.post("/v1/accounts/{id}/margin-mode") { request, context in
            await write(request, context.parameters) { object, call throws(APIError) in
                try object.only(["market", "mode"])
                let text = try object.string("mode")
                guard let mode = MarginMode(rawValue: text) else {
                    throw .badRequest("invalid-enum", field: "mode", value: text, "mode must be cross or isolated")
                }
                return .setMarginMode(
                    account: try Self.accountParameter(call),
                    market: try object.symbol("market"),
                    mode: mode
                )
            }
        }
        router.post("/v1/accounts/{id}/isolated-margin") { request, context in
            await write(request, context.parameters) { object, call throws(APIError) in
                try object.only(["market", "amount"])
                return .adjustIsolatedMargin(
                    account: try Self.accountParameter(call),
                    market: try object.symbol("market"),
                    amount: try object.decimal("amount")
                )
            }
        }
        router.post("/v1/fills") { request, context in
            await write(request, context.parameters) { object, _ throws(APIError) in try WriteCommand.fill(object) }
        }
        router.post("/v1/prices") { request, context in
            await write(request, context.parameters) { object, _ throws(APIError) in try WriteCommand.prices(object) }
        }
        router.post("/v1/funding") { request, context in
            await write(request, context.parameters) { object, _ throws(APIError) in try WriteCommand.funding(object) }
        }
        router.post("/v1/liquidations/sweep") { request, context in
            await write(request, context.parameters, emptyBody: true) { object, _ throws(APIError) in
                try object.only([])
                return .sweep
            }
        }
        router.post("/v1/insurance-fund/deposits") { request, context in
            await write(request, context.parameters) { object, _ throws(APIError) in
                try object.only(["amount", "market"])
                let market: String? = object["market"] == nil ? nil : try object.symbol("market")
                return .insuranceDeposit(market: market, amount: try object.decimal("amount"))
            }
        }
    }

    private func addProofRoutes(_ router: Router<BasicWebSocketRequestContext>) {
        router.post("/v1/proofs/epochs") { request, context in
            await respond(request, context.parameters, access: .key, readsBody: true) { call throws(APIError) in
                guard call.principal.role == .operator else {
                    throw .forbidden("building an epoch is for operator keys")
                }
                try RequestObject(bytes: call.body, emptyIsObject: true).only([])
                return APIReply.json(try await service.buildProofEpoch(), status: 201)
            }
        }
        router.get("/v1/proofs/epochs") { request, context in
            await respond(request, context.parameters, access: .key) { call throws(APIError) in
                let (before, limit) = try Self.epochPage(call.request)
                return APIReply.json(try await service.proofEpochsJSON(before: before, limit: limit))
            }
        }
        router.get("/v1/proofs/epochs/{epoch}") { request, context in
            await respond(request, context.parameters, access: .key) { call throws(APIError) in
                let epoch = try Self.epochNumber(call.parameters.get("epoch") ?? "", code: "invalid-path")
                return APIReply.json(try await service.proofEpochJSON(epoch: epoch))
            }
        }
        router.get("/v1/proofs/root") { request, context in
            await respond(request, context.parameters, access: .key) { _ throws(APIError) in
                APIReply.json(try await service.proofRootJSON())
            }
        }
        router.get("/v1/accounts/{id}/proof") { request, context in
            await respond(request, context.parameters, access: .key) { call throws(APIError) in
                let id = try Self.accountParameter(call)
                var epoch: Int64?
                if let text = call.request.uri.queryParameters["epoch"] {
                    epoch = try Self.epochNumber(String(text), code: "invalid-query")
                }
                guard call.principal.mayRead(account: id) else {
                    throw .notFound(field: "id", value: String(id), "account \(id) does not exist")
                }
                return APIReply.json(try await service.proofJSON(account: id, epoch: epoch))
            }
        }
    }

    /// The `{id}` path parameter as an account id.
    static func accountParameter(_ call: APICall) throws(APIError) -> UInt32 {
        let text = call.parameters.get("id") ?? ""
        guard let id = UInt32(text) else {
            throw .badRequest("invalid-path", field: "id", value: text, "the account id must be a non-negative integer")
        }
        return id
    }

    /// `after` (default 0) and `limit` (default 100, at most `maxLimit`) query parameters.
    static func page(_ request: Request, maxLimit: Int = 1_000) throws(APIError) -> (after: Int64, limit: Int) {
        let query = request.uri.queryParameters
        var after: Int64 = 0
        var limit = 100
        if let text = query["after"] {
            guard let value = Int64(text), value >= 0 else {
                throw .badRequest(
                    "invalid-query",
                    field: "after",
                    value: String(text),
                    "after must be a non-negative integer"
                )
            }
            after = value
        }
        if let text = query["limit"] {
            guard let value = Int(text), value >= 1, value <= maxLimit else {
                throw .badRequest(
                    "invalid-query",
                    field: "limit",
                    value: String(text),
                    "limit must be in 1...\(maxLimit)"
                )
            }
            limit = value
        }
        return (after, limit)
    }
}
