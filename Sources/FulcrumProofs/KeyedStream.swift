/// A deterministic pseudo-random stream: SHA-256 in counter mode over a 32-byte seed that the venue derives from
/// its epoch secret with HMAC-SHA256 (so it is unpredictable to anyone without the secret).
///
/// Used for the random leaf splits and the per-epoch leaf permutation. The bounded draw is our own rejection
/// sampler (not the standard library's, whose algorithm may change between Swift releases), so the same secret
/// gives the same tree on every toolchain.
struct KeyedStream {
    private let seed: Digest32
    private var counter: UInt64 = 0
    private var buffer: [UInt64] = []

    init(seed: Digest32) { self.seed = seed }

    /// The next 64 uniformly distributed bits.
    mutating func next() -> UInt64 {
        if buffer.isEmpty {
            var input = seed.bytes
            ProofBytes.append(counter, to: &input)
            counter &+= 1
            let block = ProofHashing.sha256(input)
            buffer = [block.w3, block.w2, block.w1, block.w0]
        }
        return buffer.removeLast()
    }

    /// A uniform integer in `0...bound` by rejection (no modulo bias).
    mutating func uniform(through bound: UInt64) -> UInt64 {
        if bound == UInt64.max { return next() }
        let range = bound + 1
        // Largest multiple of `range` that fits: draws at or above it are rejected.
        let limit = UInt64.max - (UInt64.max % range + 1) % range
        while true {
            let draw = next()
            if draw <= limit { return draw % range }
        }
    }
}
