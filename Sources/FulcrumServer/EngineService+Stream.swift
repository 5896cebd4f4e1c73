import FulcrumStore

/// Live effect subscribers (WebSocket stream).
extension EngineService {
    /// Registers a live subscriber. Every effect with a sequence above the returned `boundary` will be yielded on
    /// the stream; effects up to `boundary` are durable in the log (read them there first: no gap, no duplicate).
    ///
    /// The stream buffers at most `settings.subscriberBuffer` messages. A subscriber that lets it fill is removed
    /// at once (its stream finishes after the buffered messages) and `onOverflow` is called on the actor: it must
    /// not block (the connection closes itself; the client resumes from its last sequence with `from=N`).
    func subscribe(
        onOverflow: @escaping @Sendable () -> Void = {}
    ) -> (id: Int, boundary: Int64, stream: AsyncStream<StreamMessage>) {
        let (stream, continuation) = AsyncStream.makeStream(
            of: StreamMessage.self,
            bufferingPolicy: .bufferingOldest(max(1, settings.subscriberBuffer))
        )
        let id = nextSubscriber
        nextSubscriber += 1
        if closed {
            continuation.finish()
        } else {
            subscribers[id] = Subscriber(continuation: continuation, onOverflow: onOverflow)
        }
        return (id, committedEffects, stream)
    }

    /// Removes a subscriber.
    func unsubscribe(_ id: Int) {
        subscribers.removeValue(forKey: id)?.continuation.finish()
    }

    /// The number of live subscribers.
    public var subscriberCount: Int { subscribers.count }

    /// Sends committed effects to every subscriber without ever waiting for one: a subscriber whose buffer is full
    /// is dropped (its connection is closed; it resumes from its last sequence), the others are unaffected.
    func broadcast(_ effects: [LoggedEffect], kinds: [String]) {
        guard !effects.isEmpty else { return }
        for (index, effect) in effects.enumerated() where index < kinds.count && Self.alertKinds.contains(kinds[index])
        {
            recentAlerts.append(effect.json)
        }
        if recentAlerts.count > 100 { recentAlerts.removeFirst(recentAlerts.count - 50) }
        guard !subscribers.isEmpty else { return }
        var dropped: [Int] = []
        for (id, subscriber) in subscribers {
            for effect in effects {
                let result = subscriber.continuation.yield(StreamMessage(sequence: effect.sequence, json: effect.json))
                if case .enqueued = result { continue }
                dropped.append(id)
                break
            }
        }
        for id in dropped {
            guard let subscriber = subscribers.removeValue(forKey: id) else { continue }
            metrics.streamDropped()
            subscriber.continuation.finish()
            subscriber.onOverflow()
        }
    }
}
