internal import Crypto

/// The venue's private per-epoch secret: 32 bytes from which every salt, split and leaf permutation is derived
/// with HMAC-SHA256, so the venue can reissue identical proofs for an epoch and nobody else can predict them.
///
/// Keep it private: whoever holds it can brute-force leaf openings from sibling hashes.
public struct EpochSecret: Sendable, Hashable {
    /// The 32 secret bytes.
    public let bytes: [UInt8]
    /// HMAC state keyed once; copies of it MAC each message (saves re-deriving the key pads per call).
    let keyed: HMAC<SHA256>

    /// Wraps exactly 32 bytes.
    ///
    /// - Throws: ``ProofError`` naming the field when the length is not 32.
    public init(bytes: [UInt8]) throws(ProofError) {
        guard bytes.count == 32 else {
            throw ProofError(.invalidInput, "secret has \(bytes.count) bytes, expected 32 (64 hex characters)")
        }
        self.bytes = bytes
        self.keyed = HMAC<SHA256>(key: SymmetricKey(data: bytes))
    }

    /// Parses 64 hexadecimal characters (either case).
    public init(hex: some StringProtocol) throws(ProofError) {
        let lowered = hex.lowercased()
        let digest: Digest32
        do {
            digest = try Digest32(hex: lowered)
        } catch {
            throw ProofError(.invalidInput, "secret \"\(hex)\" must be 64 hexadecimal characters")
        }
        try self.init(bytes: digest.bytes)
    }

    /// A fresh secret from a random number generator (the CLI passes the system generator).
    public static func random(using generator: inout some RandomNumberGenerator) -> EpochSecret {
        var bytes: [UInt8] = []
        for _ in 0..<4 { ProofBytes.append(generator.next() as UInt64, to: &bytes) }
        // 32 bytes by construction, so this cannot throw.
        return try! EpochSecret(bytes: bytes)
    }

    /// Lowercase hex.
    public var hex: String { (try? Digest32(bytes: bytes))?.description ?? "" }

    public static func == (lhs: EpochSecret, rhs: EpochSecret) -> Bool { lhs.bytes == rhs.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }

    /// HMAC-SHA256(secret, message).
    func mac(_ message: [UInt8]) -> Digest32 {
        var mac = keyed
        mac.update(data: message)
        return ProofHashing.digest(mac.finalize())
    }
}
