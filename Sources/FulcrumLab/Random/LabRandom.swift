import RealModule

/// The lab's seeded random generator: xoshiro256** (Blackman & Vigna 2018) with SplitMix64 seeding.
///
/// Every Monte Carlo path gets its own stream derived from `(seed, stream)` only, never from a shared generator,
/// so a path's numbers do not depend on which thread runs it or on how many threads there are.
/// Reference implementation: <https://prng.di.unimi.it/xoshiro256starstar.c>.
public struct LabRandom: RandomNumberGenerator, Sendable {
    /// The 256-bit state.
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)
    /// A cached second normal deviate from the polar method.
    private var spareNormal: Double?

    /// Creates the generator of stream `stream` under `seed`.
    ///
    /// The state is four SplitMix64 outputs seeded by `seed ⊕ mix(stream)`, where `mix` is one SplitMix64 step of
    /// the stream number; distinct `(seed, stream)` pairs therefore start from unrelated states.
    public init(seed: UInt64, stream: UInt64 = 0) {
        var streamMixer = SplitMix64(seed: stream ^ 0x5851_F42D_4C95_7F2D)
        var seeder = SplitMix64(seed: seed ^ streamMixer.next())
        state = (seeder.next(), seeder.next(), seeder.next(), seeder.next())
        if state == (0, 0, 0, 0) { state.0 = 1 }  // the all-zero state is the one fixed point of xoshiro
        spareNormal = nil
    }

    @inline(__always)
    private static func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64-bit output (wrapping arithmetic is the algorithm, not an overflow).
    public mutating func next() -> UInt64 {
        let result = Self.rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = Self.rotateLeft(state.3, 45)
        return result
    }

    /// A uniform double in `[0, 1)` with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform double in `(0, 1]` (safe for logarithms).
    public mutating func nextOpenUnit() -> Double {
        (Double(next() >> 11) + 1) * 0x1.0p-53
    }

    /// A standard normal deviate (Marsaglia's polar method; the second deviate of each pair is cached).
    public mutating func nextGaussian() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        while true {
            let u = 2 * nextUnit() - 1
            let v = 2 * nextUnit() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let factor = Double.sqrt(-2 * Double.log(s) / s)
                spareNormal = v * factor
                return u * factor
            }
        }
    }

    /// An exponential deviate with rate 1.
    public mutating func nextExponential() -> Double { -Double.log(nextOpenUnit()) }

    /// A Poisson deviate with mean `lambda` (Knuth's product method; intended for small per-step means).
    public mutating func nextPoisson(mean lambda: Double) -> Int {
        guard lambda > 0 else { return 0 }
        let limit = Double.exp(-lambda)
        var count = 0
        var product = nextOpenUnit()
        while product > limit {
            count += 1
            product *= nextOpenUnit()
        }
        return count
    }

    /// A Pareto deviate with scale `minimum` and tail index `alpha`: `minimum · U^(−1/alpha)`.
    public mutating func nextPareto(minimum: Double, alpha: Double) -> Double {
        minimum * Double.pow(nextOpenUnit(), -1 / alpha)
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-shift with rejection, unbiased).
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(next(upperBound: UInt64(bound)))
    }
}
