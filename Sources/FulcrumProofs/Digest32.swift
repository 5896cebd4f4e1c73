/// A 32-byte SHA-256 digest (or HMAC-SHA256 output) stored inline as four big-endian 64-bit words.
///
/// Inline storage keeps a tree of millions of nodes in flat arrays without one heap allocation per hash.
@frozen
public struct Digest32: Sendable, Hashable, CustomStringConvertible {
    /// Bytes 0–7, big-endian.
    public var w0: UInt64
    /// Bytes 8–15, big-endian.
    public var w1: UInt64
    /// Bytes 16–23, big-endian.
    public var w2: UInt64
    /// Bytes 24–31, big-endian.
    public var w3: UInt64

    /// The all-zero digest.
    public static let zero = Digest32(w0: 0, w1: 0, w2: 0, w3: 0)

    /// Creates a digest from its four big-endian words.
    @inlinable
    public init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    /// Creates a digest from exactly 32 bytes.
    public init<Bytes: Collection>(bytes: Bytes) throws(ProofError) where Bytes.Element == UInt8 {
        guard bytes.count == 32 else {
            throw ProofError(.malformed, "digest has \(bytes.count) bytes, expected 32")
        }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for (offset, byte) in bytes.enumerated() {
            switch offset >> 3 {
            case 0: words.0 = words.0 << 8 | UInt64(byte)
            case 1: words.1 = words.1 << 8 | UInt64(byte)
            case 2: words.2 = words.2 << 8 | UInt64(byte)
            default: words.3 = words.3 << 8 | UInt64(byte)
            }
        }
        self.init(w0: words.0, w1: words.1, w2: words.2, w3: words.3)
    }

    /// Parses 64 lowercase hexadecimal characters (the form ``description`` prints).
    ///
    /// Uppercase is rejected so that every published root has exactly one spelling.
    public init(hex: some StringProtocol) throws(ProofError) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else {
            throw ProofError(.malformed, "root \"\(hex)\" must be 64 lowercase hex characters")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else {
                throw ProofError(.malformed, "root \"\(hex)\" must be 64 lowercase hex characters")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        try self.init(bytes: bytes)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// The 32 bytes, big-endian.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        appendBytes(to: &out)
        return out
    }

    /// Appends the 32 bytes to a buffer.
    @inlinable
    public func appendBytes(to buffer: inout [UInt8]) {
        ProofBytes.append(w0, to: &buffer)
        ProofBytes.append(w1, to: &buffer)
        ProofBytes.append(w2, to: &buffer)
        ProofBytes.append(w3, to: &buffer)
    }

    /// 64 lowercase hexadecimal characters.
    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
