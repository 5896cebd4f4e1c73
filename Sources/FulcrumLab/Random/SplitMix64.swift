/// SplitMix64 (Steele, Lea, Flood 2014): the seeding generator recommended for the xoshiro family.
///
/// Used only to expand a 64-bit seed into the 256-bit state of ``LabRandom``; every output is a bijective mix of
/// a counter, so distinct seeds give distinct, well-spread states.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The counter.
    public var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64-bit output (wrapping arithmetic is the algorithm, not an overflow).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
