/// The checks every backend runs inside its append transaction, against the log's current ends.
///
/// Events must be numbered `lastEvent + 1, lastEvent + 2, …`, effects `lastEffect + 1, …`; each effect must name an
/// event of the same batch; idempotency keys must be distinct within the batch (the backend checks the log).
struct AppendBatch {
    let events: [LoggedEvent]
    let effects: [LoggedEffect]

    /// Throws ``StoreError/Code/sequenceGap`` naming the first out-of-place sequence.
    func validate(lastEvent: Int64, lastEffect: Int64) throws(StoreError) {
        for (offset, event) in events.enumerated() {
            let expected = lastEvent + Int64(offset) + 1
            guard event.sequence == expected else {
                throw StoreError(
                    .sequenceGap,
                    "event sequence \(event.sequence) does not continue the log: expected \(expected)"
                        + " (last stored event is \(lastEvent))"
                )
            }
        }
        for (offset, effect) in effects.enumerated() {
            let expected = lastEffect + Int64(offset) + 1
            guard effect.sequence == expected else {
                throw StoreError(
                    .sequenceGap,
                    "effect sequence \(effect.sequence) does not continue the log: expected \(expected)"
                        + " (last stored effect is \(lastEffect))"
                )
            }
            guard let first = events.first, let last = events.last,
                first.sequence <= effect.eventSequence, effect.eventSequence <= last.sequence
            else {
                throw StoreError(
                    .invalidArgument,
                    "effect \(effect.sequence): eventSequence \(effect.eventSequence) is not an event of this batch"
                        + " (\(events.first?.sequence ?? 0)…\(events.last?.sequence ?? 0))"
                )
            }
        }
        var keys: Set<String> = []
        for event in events {
            guard let key = event.idempotencyKey else { continue }
            guard keys.insert(key).inserted else {
                throw StoreError(
                    .duplicateIdempotencyKey,
                    "idempotency key \"\(key)\" appears twice in one batch (event \(event.sequence))"
                )
            }
        }
    }

    /// The idempotency keys of the batch, in order.
    var idempotencyKeys: [String] { events.compactMap(\.idempotencyKey) }
}
