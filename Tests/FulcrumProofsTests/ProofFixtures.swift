import FulcrumCore
import FulcrumProofs

/// Small deterministic inputs shared by the proof tests.
enum ProofFixtures {
    static func secret(_ byte: UInt8 = 0x42) -> EpochSecret {
        // 32 bytes by construction.
        try! EpochSecret(bytes: (0..<32).map { UInt8(truncatingIfNeeded: Int($0) &* 31) ^ byte })
    }

    static func money(_ text: String) -> Money { try! Money(parsing: text) }

    /// Five accounts covering the cases: healthy, exactly at maintenance, under maintenance, negative equity, zero.
    static let small: [LiabilityAccount] = [
        LiabilityAccount(id: 1, equity: money("123.45"), maintenanceMargin: money("10")),
        LiabilityAccount(id: 7, equity: money("50"), maintenanceMargin: money("50")),
        LiabilityAccount(id: 3, equity: money("4.99999999"), maintenanceMargin: money("5")),
        LiabilityAccount(id: 12, equity: money("-17.25"), maintenanceMargin: money("2.5")),
        LiabilityAccount(id: 9, equity: .zero, maintenanceMargin: .zero),
    ]

    /// Random accounts from a seed (SplitMix64), with ids unique by construction.
    static func random(count: Int, seed: UInt64) -> [LiabilityAccount] {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var id: UInt64 = next() % 1_000
        return (0..<count).map { _ in
            id += 1 + next() % 5
            // Magnitudes up to the full 64-bit range sometimes, to exercise wide sums.
            let big = next() % 4 == 0
            let magnitude = Int64(next() % (big ? UInt64(Int64.max) : 10_000_000_000_000))
            let equity = next() % 5 == 0 ? -magnitude : magnitude
            let maintenance = Int64(next() % (big ? UInt64(Int64.max) : 1_000_000_000_000))
            return LiabilityAccount(id: id, equity: Money(raw: equity), maintenanceMargin: Money(raw: maintenance))
        }
    }
}
