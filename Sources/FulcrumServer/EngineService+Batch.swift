import FulcrumStore

/// `POST /v1/batch`: many writes in one request, applied in order, made durable in one group commit.
extension EngineService {
    /// Applies `commands` in order for `principal`, waits until every accepted item is durable, and returns one
    /// reply with an entry per item.
    ///
    /// Every item is authorized first: if the key may not send one of them, the whole batch is refused with 403
    /// naming `items[i]` and nothing is applied. Then each item is applied like its single write: an item the
    /// engine rejects (unknown market, not enough margin, …) leaves the engine unchanged and gets its own error
    /// entry, and the items after it still apply (like a venue's batch orders). The accepted items' events join
    /// the same group commit and the reply is returned only once they are durable. With an idempotency key the
    /// reply is stored with the batch's first event, so a retry gets it back and applies nothing; a batch in
    /// which no item was accepted stores nothing (like a rejected single write, a retry is evaluated again).
    public func submitBatch(
        _ commands: [WriteCommand],
        principal: Principal,
        idempotencyKey: String? = nil,
        fingerprint: String = ""
    ) async -> Result<WriteReply, APIError> {
        if let refusal = writeRefusal() { return .failure(refusal) }
        for (index, command) in commands.enumerated() {
            do throws(APIError) { try principal.authorize(command) } catch {
                metrics.rejected(command.name)
                return .failure(WriteBatch.located(error, index: index))
            }
        }
        var scoped: String?
        if let idempotencyKey {
            let key = principal.keyID + ":" + idempotencyKey
            scoped = key
            if let hit = await idempotencyHit(key, fingerprint: fingerprint) { return hit }
            if let refusal = writeRefusal() { return .failure(refusal) }
        }
        var events: [LoggedEvent] = []
        var effects: [LoggedEffect] = []
        var eventTypes: [String] = []
        var effectKinds: [String] = []
        var items: [String] = []
        items.reserveCapacity(commands.count)
        var accepted = 0
        for command in commands {
            do throws(APIError) {
                let applied = try apply(command)
                events += applied.events
                effects += applied.effects
                eventTypes += applied.eventTypes
                effectKinds += applied.effectKinds
                items.append("{\"status\":\(applied.reply.status)," + applied.reply.body.dropFirst())
                accepted += 1
            } catch {
                metrics.rejected(command.name)
                var rejection = error
                // A deposit or withdrawal item names its account in `account`, not in the single route's path `id`.
                if command.ownAccount != nil, rejection.field == "id" { rejection.field = "account" }
                items.append("{\"status\":\(rejection.status)," + rejection.json.dropFirst())
            }
            // A multi-event item that failed half way stopped the service: nothing more is applied or committed.
            if let refusal = writeRefusal() { return .failure(refusal) }
        }
        var body = JSONObjectText()
        body.int("eventSequence", events.last?.sequence)
        body.int("firstEventSequence", events.first?.sequence)
        body.int("events", events.count)
        body.int("accepted", accepted)
        body.int("rejected", commands.count - accepted)
        body.raw("items", JSONObjectText.array(items))
        let reply = WriteReply(status: 200, body: body.json)
        guard !events.isEmpty else { return .success(reply) }
        if let scoped {
            events[0].idempotencyKey = scoped
            events[0].response = reply.envelope(fingerprint: fingerprint)
            rememberIdempotency(scoped, .pending(fingerprint: fingerprint))
        }
        let batch = events
        let batchEffects = effects
        let types = eventTypes
        let kinds = effectKinds
        return await withUnsafeContinuation { continuation in
            queue.append(
                PendingWrite(
                    events: batch,
                    effects: batchEffects,
                    eventTypes: types,
                    effectKinds: kinds,
                    reply: reply,
                    idempotencyKey: scoped,
                    fingerprint: fingerprint,
                    continuation: continuation
                )
            )
            wake.yield(())
        }
    }
}
