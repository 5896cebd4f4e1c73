public import Foundation
import FulcrumCore
public import FulcrumEngine

/// Options of a replay.
public struct ReplayOptions: Sendable {
    /// Venue for listings that name none (overrides the header's venue).
    public var venue: String?
    /// Run ``ClearingEngine/checkInvariants()`` after every event.
    public var checkInvariants: Bool
    /// Record the state hash after every N applied events.
    public var hashEvery: Int?
    /// Engine settings (backstop account, seed; a `"seed"` in the log header replaces this seed).
    public var configuration: EngineConfiguration

    /// Creates options.
    public init(
        venue: String? = nil,
        checkInvariants: Bool = false,
        hashEvery: Int? = nil,
        configuration: EngineConfiguration = EngineConfiguration()
    ) {
        self.venue = venue
        self.checkInvariants = checkInvariants
        self.hashEvery = hashEvery
        self.configuration = configuration
    }
}

/// The state hash after a number of events.
public struct ReplayHashMark: Sendable, Hashable {
    /// Events applied so far.
    public var events: Int
    /// The line of the last applied event.
    public var line: Int
    /// ``ClearingEngine/stateHash``.
    public var hash: UInt64
}

/// What a replay produced.
public struct ReplayOutcome: Sendable {
    /// The final engine.
    public var engine: ClearingEngine
    /// Effects by kind.
    public var summary: ReplayEffectSummary
    /// Hashes recorded with `hashEvery`.
    public var hashes: [ReplayHashMark]
    /// Lines read (including the header and blank lines).
    public var lines: Int
    /// Events applied.
    public var events: Int
    /// Invariant checks run.
    public var invariantChecks: Int
}

/// Replays a JSON-lines event log through the clearing engine.
///
/// Policy: the log must be valid. A malformed line, an event the engine rejects, or (with invariant checks) a
/// broken invariant stops the replay with an ``EventDecodeError`` naming the line and the field; nothing after
/// that line is applied. (`fulcrum generate-events` only writes events the engine accepts.)
public enum ReplayRunner {
    /// Replays the file at `url`.
    ///
    /// - Parameter onHash: called with each recorded hash as it is computed (for streaming output).
    /// - Throws: ``EventDecodeError`` for a bad line; file errors as thrown by Foundation.
    public static func run(
        url: URL,
        options: ReplayOptions,
        onHash: (ReplayHashMark) -> Void = { _ in }
    ) throws -> ReplayOutcome {
        var engine = ClearingEngine(configuration: options.configuration)
        var codec = EventCodec(defaultVenue: options.venue ?? "generic")
        var summary = ReplayEffectSummary()
        var hashes: [ReplayHashMark] = []
        var sawHeader = false
        var lines = 0
        var events = 0
        var checks = 0
        var effects: [Effect] = []
        effects.reserveCapacity(64)
        try EventLineReader(url: url).forEachLine { number, bytes in
            lines = number
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            let value: EventJSONValue
            do throws(EventJSONSyntaxError) { value = try EventJSONValue.parse(bytes) } catch {
                throw EventDecodeError(
                    line: number,
                    field: "json",
                    message: "\(error.message) at byte \(error.offset + 1)"
                )
            }
            if !sawHeader {
                guard EventCodec.isHeader(value) else {
                    throw EventDecodeError(
                        line: number,
                        field: "type",
                        message: "the first line must be the header \(EventCodec.header(venue: nil))"
                    )
                }
                let header = try EventCodec.decodeHeader(value, line: number)
                if options.venue == nil, let venue = header.venue { codec.defaultVenue = venue }
                if let seed = header.seed { engine = ClearingEngine(configuration: configuration(options, seed: seed)) }
                sawHeader = true
                return
            }
            let event = try codec.decode(value, line: number, engine: engine)
            effects.removeAll(keepingCapacity: true)
            do throws(EngineError) { try engine.apply(event, effects: &effects) } catch {
                throw EventDecodeError(
                    line: number,
                    field: fieldName(of: error),
                    message: "rejected by the engine: \(error.description)"
                )
            }
            summary.add(effects)
            events += 1
            if options.checkInvariants {
                checks += 1
                do throws(EngineError) { try engine.checkInvariants() } catch {
                    throw EventDecodeError(line: number, field: "invariant", message: error.description)
                }
            }
            if let every = options.hashEvery, every > 0, events % every == 0 {
                let mark = ReplayHashMark(events: events, line: number, hash: engine.stateHash)
                hashes.append(mark)
                onHash(mark)
            }
        }
        guard sawHeader else {
            throw EventDecodeError(line: max(lines, 1), field: "type", message: "the file has no header line")
        }
        return ReplayOutcome(
            engine: engine,
            summary: summary,
            hashes: hashes,
            lines: lines,
            events: events,
            invariantChecks: checks
        )
    }

    private static func configuration(_ options: ReplayOptions, seed: UInt64) -> EngineConfiguration {
        var configuration = options.configuration
        configuration.seed = seed
        return configuration
    }

    /// The engine's messages start with the field they reject ("price 100.05 is not a multiple of 0.1").
    private static func fieldName(of error: EngineError) -> String {
        let head = error.message.prefix { $0 != " " && $0 != ":" }
        return head.isEmpty ? "event" : String(head)
    }
}
