import Hummingbird
import HummingbirdWebSocket

/// `POST /v1/batch`: up to ``WriteBatch/maxItems`` fills, oracle updates, funding payments, deposits and
/// withdrawals in one request (docs/SERVER.md, "Batch writes").
extension APIServer {
    func addBatchRoute(_ router: Router<BasicWebSocketRequestContext>) {
        router.post("/v1/batch") { request, context in
            await respond(request, context.parameters, access: .key, readsBody: true) { call throws(APIError) in
                let key = try Self.idempotencyKey(request)
                let batch = try WriteBatch(try RequestObject(bytes: call.body))
                let outcome = await service.submitBatch(
                    batch.commands,
                    principal: call.principal,
                    idempotencyKey: key,
                    fingerprint: key == nil ? "" : Self.fingerprint(request, body: call.body)
                )
                switch outcome {
                case .success(let reply):
                    return APIReply(status: reply.status, body: reply.body, replayed: reply.replayed)
                case .failure(let error): throw error
                }
            }
        }
    }
}
