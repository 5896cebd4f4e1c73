import FulcrumCore
import Testing

@testable import FulcrumEngine

/// Snapshot format versions: version 2 carries the socialized-loss index, the fee's takeover flag and the dYdX block
/// limits; version 1 snapshots (written before them) still decode.
@Suite("Engine snapshot versions")
struct SnapshotVersionTests {
    typealias F = Fixture

    /// FNV-1a 64 over bytes (the snapshot checksum).
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
        return value
    }

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    /// Rewrites a version-2 snapshot of a one-market `Fixture` engine as the version-1 bytes the previous engine
    /// wrote: drops the market's socialized-loss index (payload bytes 68..<76: after the configuration (20 bytes),
    /// the counts (8) and the five state fields (40)) and the fee's takeover flag (payload byte 229: after the
    /// 139-byte fixture spec at 76 and 14 profile bytes), then re-frames with version 1 and a fresh checksum.
    static func versionOne(_ bytes: [UInt8]) throws -> [UInt8] {
        let header = 24
        var payload = Array(bytes[header..<(bytes.count - 8)])
        try #require(payload[68..<76].allSatisfy { $0 == 0 }, "the index must be zero to drop it")
        try #require(payload[229] == 0, "the takeover flag must be false to drop it")
        payload.remove(at: 229)
        payload.removeSubrange(68..<76)
        var output = Array(bytes[0..<4])
        output += littleEndian(UInt32(1))
        output += littleEndian(UInt64(payload.count))
        output += Array(bytes[16..<24])  // the recorded state hash is unchanged
        output += payload
        output += littleEndian(fnv1a(payload))
        return output
    }

    static func tradedEngine() throws -> ClearingEngine {
        var engine = try F.engine(deposits: ["100000", "1000", "1000"])
        try F.step(&engine, F.trade(1, 2, "2", "100"))
        return engine
    }

    @Test func versionOneSnapshotsStillDecode() throws {
        let engine = try Self.tradedEngine()
        let current = engine.snapshotBytes()
        #expect(Array(current[4..<8]) == Self.littleEndian(UInt32(2)))
        let old = try Self.versionOne(current)
        #expect(old.count == current.count - 9)
        let restored = try ClearingEngine(snapshotBytes: old)
        #expect(restored.stateHash == engine.stateHash)
        #expect(restored.profiles == engine.profiles)
        #expect(restored.markets == engine.markets)
        #expect(restored.snapshotBytes() == current)  // re-written as version 2
    }

    @Test func unknownVersionsAreRejected() throws {
        var bytes = try Self.tradedEngine().snapshotBytes()
        bytes.replaceSubrange(4..<8, with: Self.littleEndian(UInt32(3)))
        do {
            _ = try ClearingEngine(snapshotBytes: bytes)
            Issue.record("version 3 must be rejected")
        } catch {
            #expect(error.code == .unsupported)
            #expect(error.message.contains("versions 1 to 2"))
        }
    }

    /// The new state survives a round trip: a socialized-loss index, BitMEX's takeover flag, dYdX's block limits.
    @Test func newFieldsRoundTrip() throws {
        let profile = F.profile(ranking: .socializeProRata, feeRate: "0")
        var engine = try F.engine(profile: profile, deposits: ["100000", "175", "10000", "100"])
        try F.step(&engine, F.trade(1, 2, "3.5", "100"))
        try F.step(&engine, F.trade(1, 3, "2", "100"))
        try F.step(&engine, .markPrice(market: F.btc, price: F.price("50")))
        try F.step(&engine, .liquidationSweep)
        try #require(engine.markets[0].socializedLossIndex == F.price("9.09091"))
        try engine.apply(.listMarket(MarketListing(spec: F.spec("XBTUSDT"), profile: .bitmex)))
        try engine.apply(.listMarket(MarketListing(spec: F.spec("BTC-USD"), profile: .dydx)))
        let restored = try ClearingEngine(snapshotBytes: engine.snapshotBytes())
        #expect(restored.stateHash == engine.stateHash)
        #expect(restored.markets[0].socializedLossIndex == F.price("9.09091"))
        #expect(restored.profiles[1].liquidationFee.takesRemainingMargin)
        #expect(restored.profiles[2].liquidationProcedure == VenueProfile.dydx.liquidationProcedure)
        // The index is part of the state hash once non-zero.
        var other = restored
        other.markets[0].socializedLossIndex = .zero
        #expect(other.stateHash != restored.stateHash)
    }
}
