import FulcrumCore

/// Big-endian integer encoding and a strict reader for the canonical proof format.
public enum ProofBytes {
    /// Appends a 64-bit unsigned integer, big-endian.
    @inlinable
    public static func append(_ value: UInt64, to buffer: inout [UInt8]) {
        buffer.append(UInt8(truncatingIfNeeded: value >> 56))
        buffer.append(UInt8(truncatingIfNeeded: value >> 48))
        buffer.append(UInt8(truncatingIfNeeded: value >> 40))
        buffer.append(UInt8(truncatingIfNeeded: value >> 32))
        buffer.append(UInt8(truncatingIfNeeded: value >> 24))
        buffer.append(UInt8(truncatingIfNeeded: value >> 16))
        buffer.append(UInt8(truncatingIfNeeded: value >> 8))
        buffer.append(UInt8(truncatingIfNeeded: value))
    }

    /// Appends a 64-bit signed integer, big-endian two's complement.
    @inlinable
    public static func append(_ value: Int64, to buffer: inout [UInt8]) {
        append(UInt64(bitPattern: value), to: &buffer)
    }

    /// Appends a 128-bit signed integer, big-endian two's complement.
    @inlinable
    public static func append(_ value: Int128, to buffer: inout [UInt8]) {
        let bits = UInt128(bitPattern: value)
        append(UInt64(truncatingIfNeeded: bits >> 64), to: &buffer)
        append(UInt64(truncatingIfNeeded: bits), to: &buffer)
    }

    /// A cursor over bytes that fails (naming the field) instead of reading past the end.
    public struct Reader {
        private let bytes: [UInt8]
        private var offset = 0

        /// Starts reading at the first byte.
        public init(_ bytes: [UInt8]) { self.bytes = bytes }

        /// Whether every byte has been read.
        public var isAtEnd: Bool { offset == bytes.count }
        /// Bytes not yet read.
        public var remaining: Int { bytes.count - offset }

        /// Reads `count` raw bytes.
        public mutating func take(
            _ count: Int,
            field: @autoclosure () -> String
        ) throws(ProofError) -> ArraySlice<UInt8> {
            guard count <= remaining else {
                throw ProofError(
                    .malformed,
                    "proof is truncated in \(field()) (needs \(count) bytes, has \(remaining))"
                )
            }
            defer { offset += count }
            return bytes[offset..<(offset + count)]
        }

        /// Reads one byte.
        public mutating func uint8(field: @autoclosure () -> String) throws(ProofError) -> UInt8 {
            try take(1, field: field()).first!
        }

        /// Reads a big-endian 64-bit unsigned integer.
        public mutating func uint64(field: @autoclosure () -> String) throws(ProofError) -> UInt64 {
            var value: UInt64 = 0
            for byte in try take(8, field: field()) { value = value << 8 | UInt64(byte) }
            return value
        }

        /// Reads a big-endian 64-bit signed integer.
        public mutating func int64(field: @autoclosure () -> String) throws(ProofError) -> Int64 {
            Int64(bitPattern: try uint64(field: field()))
        }

        /// Reads a big-endian 128-bit signed integer.
        public mutating func int128(field: @autoclosure () -> String) throws(ProofError) -> Int128 {
            let high = try uint64(field: field())
            let low = try uint64(field: field())
            return Int128(bitPattern: UInt128(high) << 64 | UInt128(low))
        }

        /// Reads a 32-byte digest.
        public mutating func digest(field: @autoclosure () -> String) throws(ProofError) -> Digest32 {
            try Digest32(bytes: try take(32, field: field()))
        }

        /// Reads node sums (``NodeSums/encodedSize`` bytes).
        public mutating func sums(field: @autoclosure () -> String) throws(ProofError) -> NodeSums {
            NodeSums(
                equity: .init(raw: try int128(field: "\(field()).equity")),
                maintenance: .init(raw: try int128(field: "\(field()).maintenance")),
                deficit: .init(raw: try int128(field: "\(field()).deficit")),
                underMaintenance: try uint64(field: "\(field()).underMaintenance"),
                negativeEquity: try uint64(field: "\(field()).negativeEquity")
            )
        }
    }
}
