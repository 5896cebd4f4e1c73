import FulcrumStore

/// Live effect subscribers (WebSocket stream).
extension EngineService {
    /// Registers a live subscriber. Every effect with a sequence above the returned `boundary` will be yielded on
    /// the stream; effects up to `boundary` are durable in the log (read them there first: no gap, no duplicate).
    func subscribe() -> (id: Int, boundary: Int64, stream: AsyncStream<StreamMessage>) {
        let (stream, continuation) = AsyncStream.makeStream(
            of: StreamMessage.self,
            bufferingPolicy: .bufferingOldest(max(1, settings.subscriberBuffer))
        )
        let id = nextSubscriber
        nextSubscriber += 1
        if closed {
            continuation.finish()
        } else {
            subscribers[id] = Subscriber(continuation: continuation)
        }
        return (id, committedEffects, stream)
    }

    /// Removes a subscriber.
    func unsubscribe(_ id: Int) {
        subscribers.removeValue(forKey: id)?.continuation.finish()
    }

    /// Sends committed effects to every subscriber; a subscriber whose buffer is full is disconnected (it resumes
    /// from its last sequence).
    func broadcast(_ effects: [LoggedEffect], kinds: [String]) {
        guard !effects.isEmpty else { return }
        for (index, effect) in effects.enumerated() where index < kinds.count && Self.alertKinds.contains(kinds[index])
        {
            recentAlerts.append(effect.json)
        }
        if recentAlerts.count > 100 { recentAlerts.removeFirst(recentAlerts.count - 50) }
        var dropped: [Int] = []
        for (id, subscriber) in subscribers {
            for effect in effects {
                let result = subscriber.continuation.yield(StreamMessage(sequence: effect.sequence, json: effect.json))
                if case .enqueued = result { continue }
                dropped.append(id)
                break
            }
        }
        for id in dropped { unsubscribe(id) }
    }
}
