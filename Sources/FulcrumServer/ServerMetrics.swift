import Synchronization

/// Counters and histograms for `/metrics` (Prometheus text format, hand-written).
public final class ServerMetrics: Sendable {
    /// Request latency buckets, seconds.
    static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]
    /// Commit batch size buckets, events.
    static let batchBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096]

    struct Histogram {
        var bounds: [Double]
        var counts: [Int]
        var sum: Double = 0
        var count = 0

        init(bounds: [Double]) {
            self.bounds = bounds
            counts = Array(repeating: 0, count: bounds.count)
        }

        mutating func observe(_ value: Double) {
            for index in bounds.indices where value <= bounds[index] { counts[index] += 1 }
            sum += value
            count += 1
        }
    }

    struct State {
        var accepted: [String: Int] = [:]
        var rejected: [String: Int] = [:]
        var effects: [String: Int] = [:]
        var latency = Histogram(bounds: ServerMetrics.latencyBuckets)
        var batches = Histogram(bounds: ServerMetrics.batchBuckets)
        var appends = Histogram(bounds: ServerMetrics.latencyBuckets)
        var checkpoints = Histogram(bounds: ServerMetrics.latencyBuckets)
        var writerCheckpoints = Histogram(bounds: ServerMetrics.latencyBuckets)
        var checkpointFailures = 0
        /// Events committed per second, keyed by the second (clock milliseconds / 1000).
        var perSecond: [Int64: Int] = [:]
        var requests: [Int: Int] = [:]
        var commitFailures = 0
        var snapshots = 0
        var streamConnections = 0
        var slowStreamClients = 0
    }

    private let state = Mutex(State())
    private let clock: @Sendable () -> Int64

    /// Creates an empty registry on a millisecond clock.
    public init(clock: @escaping @Sendable () -> Int64) { self.clock = clock }

    func accepted(_ type: String, count: Int = 1) { state.withLock { $0.accepted[type, default: 0] += count } }

    func rejected(_ type: String) { state.withLock { $0.rejected[type, default: 0] += 1 } }

    func request(status: Int, seconds: Double) {
        state.withLock {
            $0.requests[status, default: 0] += 1
            $0.latency.observe(seconds)
        }
    }

    /// Records one group commit: its size, the committed events' types and the effects' kinds (one lock).
    func committed(events: Int, eventTypes: [String] = [], effectKinds: [String]) {
        let second = clock() / 1000
        state.withLock {
            $0.batches.observe(Double(events))
            $0.perSecond[second, default: 0] += events
            if $0.perSecond.count > 70 {
                for key in $0.perSecond.keys where key < second - 60 { $0.perSecond[key] = nil }
            }
            for type in eventTypes { $0.accepted[type, default: 0] += 1 }
            for kind in effectKinds { $0.effects[kind, default: 0] += 1 }
        }
    }

    /// A stream client connected.
    func streamOpened() { state.withLock { $0.streamConnections += 1 } }

    /// A stream client's connection ended.
    func streamClosed() { state.withLock { $0.streamConnections -= 1 } }

    /// A stream client was dropped because its buffer overflowed.
    func streamDropped() { state.withLock { $0.slowStreamClients += 1 } }

    /// One group commit's `log.append` took `seconds`.
    func appended(seconds: Double) { state.withLock { $0.appends.observe(seconds) } }

    /// One WAL checkpoint took `seconds` (`onWriter`: commits waited for it).
    func checkpointed(seconds: Double, onWriter: Bool = false) {
        state.withLock {
            if onWriter { $0.writerCheckpoints.observe(seconds) } else { $0.checkpoints.observe(seconds) }
        }
    }

    func checkpointFailed() { state.withLock { $0.checkpointFailures += 1 } }

    func commitFailed() { state.withLock { $0.commitFailures += 1 } }

    func snapshotSaved() { state.withLock { $0.snapshots += 1 } }

    /// Events committed per second over the last 10 whole seconds.
    func eventsPerSecond() -> Double {
        let second = clock() / 1000
        let total = state.withLock { s in (second - 10..<second).reduce(0) { $0 + (s.perSecond[$1] ?? 0) } }
        return Double(total) / 10
    }

    /// The exposition text; `gauges` are the service's current values (name, help, labelled samples).
    func render(gauges: [(name: String, help: String, samples: [(labels: String, value: String)])]) -> String {
        let s = state.withLock { $0 }
        var out = ""
        func family(_ name: String, _ help: String, _ type: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        family("fulcrum_events_accepted_total", "Events appended to the log, by event type.", "counter")
        for key in s.accepted.keys.sorted() {
            out += "fulcrum_events_accepted_total{type=\"\(key)\"} \(s.accepted[key] ?? 0)\n"
        }
        family("fulcrum_events_rejected_total", "Write requests rejected, by command.", "counter")
        for key in s.rejected.keys.sorted() {
            out += "fulcrum_events_rejected_total{type=\"\(key)\"} \(s.rejected[key] ?? 0)\n"
        }
        family("fulcrum_effects_total", "Effects committed, by kind.", "counter")
        for key in s.effects.keys.sorted() { out += "fulcrum_effects_total{kind=\"\(key)\"} \(s.effects[key] ?? 0)\n" }
        family("fulcrum_liquidations_total", "Liquidation fills committed.", "counter")
        out += "fulcrum_liquidations_total \(s.effects["liquidationFill"] ?? 0)\n"
        family("fulcrum_adl_total", "Auto-deleveraging actions committed.", "counter")
        out += "fulcrum_adl_total \(s.effects["autoDeleverage"] ?? 0)\n"
        family("fulcrum_socialized_loss_total", "Losses socialized over a market.", "counter")
        out += "fulcrum_socialized_loss_total \(s.effects["socializedLoss"] ?? 0)\n"
        family("fulcrum_http_requests_total", "HTTP requests answered, by status.", "counter")
        for key in s.requests.keys.sorted() {
            out += "fulcrum_http_requests_total{status=\"\(key)\"} \(s.requests[key] ?? 0)\n"
        }
        histogram(&out, "fulcrum_http_request_duration_seconds", "Request latency.", s.latency)
        histogram(&out, "fulcrum_commit_batch_events", "Events per group commit.", s.batches)
        histogram(&out, "fulcrum_commit_duration_seconds", "Time of one group commit's log append.", s.appends)
        histogram(
            &out,
            "fulcrum_checkpoint_duration_seconds",
            "Time of one WAL checkpoint on the log's second connection (commits go on).",
            s.checkpoints
        )
        histogram(
            &out,
            "fulcrum_writer_checkpoint_duration_seconds",
            "Time of one WAL checkpoint on the writer (commits wait; the WAL restarts after it).",
            s.writerCheckpoints
        )
        family("fulcrum_checkpoint_failures_total", "WAL checkpoints that failed (retried later).", "counter")
        out += "fulcrum_checkpoint_failures_total \(s.checkpointFailures)\n"
        family("fulcrum_commit_failures_total", "Log appends that failed (the service then stops writes).", "counter")
        out += "fulcrum_commit_failures_total \(s.commitFailures)\n"
        family("fulcrum_snapshots_total", "Engine snapshots saved.", "counter")
        out += "fulcrum_snapshots_total \(s.snapshots)\n"
        family("fulcrum_stream_connections", "Open WebSocket stream connections.", "gauge")
        out += "fulcrum_stream_connections \(s.streamConnections)\n"
        family(
            "fulcrum_stream_slow_disconnects_total",
            "Stream clients dropped because their buffer overflowed (they read slower than effects are committed).",
            "counter"
        )
        out += "fulcrum_stream_slow_disconnects_total \(s.slowStreamClients)\n"
        family("fulcrum_events_per_second", "Events committed per second over the last 10 s.", "gauge")
        out += "fulcrum_events_per_second \(eventsPerSecond())\n"
        for gauge in gauges {
            family(gauge.name, gauge.help, "gauge")
            for sample in gauge.samples { out += "\(gauge.name)\(sample.labels) \(sample.value)\n" }
        }
        return out
    }

    private func histogram(_ out: inout String, _ name: String, _ help: String, _ h: Histogram) {
        out += "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        for index in h.bounds.indices {
            out += "\(name)_bucket{le=\"\(h.bounds[index])\"} \(h.counts[index])\n"
        }
        out += "\(name)_bucket{le=\"+Inf\"} \(h.count)\n\(name)_sum \(h.sum)\n\(name)_count \(h.count)\n"
    }
}
