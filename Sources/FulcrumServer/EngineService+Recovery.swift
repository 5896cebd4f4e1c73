import FulcrumCore
import FulcrumEngine
import FulcrumIO
import FulcrumStore

/// Startup: latest snapshot (its stored hash verified) plus the log after it, then the latest proof epoch (its
/// rebuilt root verified).
extension EngineService {
    /// Rebuilds the engine from the log; checks the invariants once at the end.
    ///
    /// - Throws: ``EngineServiceError`` naming the event sequence and field of the first line that does not apply.
    func recover() async throws {
        try await log.migrate()
        if let snapshot = try await log.latestSnapshot() {
            let restored: ClearingEngine
            do { restored = try ClearingEngine(snapshotBytes: snapshot.bytes) } catch {
                throw EngineServiceError("snapshot at event \(snapshot.eventSequence) is unreadable: \(error)")
            }
            guard restored.stateHash == snapshot.stateHash else {
                throw EngineServiceError(
                    "snapshot at event \(snapshot.eventSequence) hashes to \(Self.hex(restored.stateHash)), "
                        + "recorded \(Self.hex(snapshot.stateHash))"
                )
            }
            engine = restored
            appliedEvents = snapshot.eventSequence
            appliedEffects = snapshot.effectSequence
            lastSnapshotEvents = snapshot.eventSequence
        }
        symbols = engine.specs.map(\.symbol)
        var effects: [Effect] = []
        while true {
            let page = try await log.events(after: appliedEvents, limit: 1_000)
            if page.isEmpty { break }
            for record in page {
                guard record.sequence == appliedEvents + 1 else {
                    throw EngineServiceError("the log skips from event \(appliedEvents) to \(record.sequence)")
                }
                let event = try decode(record)
                effects.removeAll(keepingCapacity: true)
                do throws(EngineError) { try engine.apply(event, effects: &effects) } catch {
                    throw EngineServiceError("event \(record.sequence) is rejected on replay: \(error)")
                }
                if case .listMarket(let listing) = event { symbols.append(listing.spec.symbol) }
                appliedEvents = record.sequence
                appliedEffects += Int64(effects.count)
            }
        }
        let lastEffect = try await log.lastEffectSequence()
        guard lastEffect == appliedEffects else {
            throw EngineServiceError(
                "the log holds \(lastEffect) effects but replaying its events emits \(appliedEffects)"
            )
        }
        do throws(EngineError) { try engine.checkInvariants() } catch {
            throw EngineServiceError("the recovered state breaks an invariant: \(error)")
        }
        liquidationIndex = LiquidationIndex(engine: engine)
        committedEvents = appliedEvents
        committedEffects = appliedEffects
        recentAlerts = try await Self.recentAlerts(log, last: appliedEffects)
        try await recoverProofEpochs()
    }

    /// Decodes one stored line with the v1 codec against the current engine.
    private func decode(_ record: LoggedEvent) throws -> EngineEvent {
        let bytes = Array(record.line.utf8)
        let parsed: Result<EventJSONValue, EventJSONSyntaxError> = bytes.withUnsafeBufferPointer {
            do throws(EventJSONSyntaxError) { return .success(try EventJSONValue.parse($0)) } catch {
                return .failure(error)
            }
        }
        switch parsed {
        case .failure(let error):
            throw EngineServiceError("event \(record.sequence) is not JSON: \(error.message)")
        case .success(let value):
            do throws(EventDecodeError) {
                return try codec.decode(value, line: Int(truncatingIfNeeded: record.sequence), engine: engine)
            } catch {
                throw EngineServiceError("event \(record.sequence): field \"\(error.field)\": \(error.message)")
            }
        }
    }

    /// The last liquidation-related effects in the log (for the dashboard feed's first paint).
    private static func recentAlerts(_ log: any EventLog, last: Int64) async throws -> [String] {
        let page = try await log.effects(after: max(0, last - 2_000), limit: 2_000)
        return Array(page.map(\.json).filter(isAlert).suffix(50))
    }

    /// Whether an effect JSON is a liquidation, ADL, socialization, insurance cover or bad debt.
    static func isAlert(_ json: String) -> Bool {
        alertKinds.contains { json.contains("\"kind\":\"\($0)\"") }
    }

    static let alertKinds = [
        "liquidationFill", "liquidationFee", "insuranceCover", "autoDeleverage", "socializedLoss", "badDebt",
    ]

    /// 16 lowercase hex digits (the format of `/v1/state`'s `stateHash`).
    public static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }
}
