import NIOCore
import Synchronization

/// The state of one `/v1/stream` connection shared by its writer, the service's overflow callback and the close
/// timer: the last sequence handed to the socket, the task pumping messages, and whether the client fell behind.
final class StreamConnection: Sendable {
    private struct State {
        var cursor: Int64
        var pump: Task<Void, Never>?
        var overflowed = false
    }

    private let state: Mutex<State>
    /// The connection (`nil` when the route runs without one, e.g. through the HTTP router).
    let channel: (any Channel)?
    /// How long a dropped slow client gets to read what is already queued before the connection is closed.
    let grace: TimeAmount

    init(cursor: Int64, channel: (any Channel)?, grace: TimeAmount) {
        state = Mutex(State(cursor: cursor))
        self.channel = channel
        self.grace = grace
    }

    /// The last sequence handed to the socket (the client's resume point if it read everything).
    var cursor: Int64 { state.withLock { $0.cursor } }

    /// Whether the client was dropped for falling behind.
    var overflowed: Bool { state.withLock { $0.overflowed } }

    /// Records that `sequence` was handed to the socket.
    func sent(_ sequence: Int64) { state.withLock { $0.cursor = sequence } }

    /// Registers the pump task (cancelled at once if the client already overflowed).
    func start(_ pump: Task<Void, Never>) {
        let cancel = state.withLock { state -> Bool in
            state.pump = pump
            return state.overflowed
        }
        if cancel { pump.cancel() }
    }

    /// Called by the service (on its actor, so it must not block) when this client's buffer overflowed: stops the
    /// pump, which may be suspended on a write the client does not read, and arms the close timer: after `grace`
    /// the connection is closed whatever the client does, releasing everything queued for it.
    func overflow() {
        let pump = state.withLock { state -> Task<Void, Never>? in
            state.overflowed = true
            return state.pump
        }
        pump?.cancel()
        if let channel {
            channel.eventLoop.scheduleTask(in: grace) { channel.close(promise: nil) }
        }
    }

    /// After the end message: shuts the output down once NIO has written what is queued (the client reads its
    /// data, the end message, then end of stream); the close timer still ends the connection.
    func finishOutput() {
        channel?.close(mode: .output, promise: nil)
    }
}
