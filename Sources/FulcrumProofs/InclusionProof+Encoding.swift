import FulcrumCore

/// The canonical binary encoding of an ``InclusionProof`` (what a proof file holds).
///
/// Layout (big-endian): magic `"FPOL"`, version `1`, epoch u64, leafCount u64, root sums (64 bytes), tree hash (32),
/// accountID u64, pieceCount u8, then per piece: leafIndex u64, salt (32), pieceIndex u8, pieceCount u8,
/// equity i64, maintenance i64, deficit i64, underMaintenance u8, negativeEquity u8, then log₂(leafCount) steps of
/// sibling hash (32) and sibling sums (64). Decoding is strict: any other length, magic, version or a flag byte
/// other than 0/1 is rejected, so each byte string decodes to at most one proof.
extension InclusionProof {
    static let magic = Array("FPOL".utf8)
    static let version: UInt8 = 1
    /// The largest tree depth a proof may claim (2⁴⁰ leaves).
    public static let maximumDepth = 40
    /// The largest number of pieces an account may be split into.
    public static let maximumPieces = 16

    /// The canonical bytes.
    public var encoded: [UInt8] {
        var out = Self.magic
        out.append(Self.version)
        ProofBytes.append(root.epoch, to: &out)
        ProofBytes.append(root.leafCount, to: &out)
        root.sums.appendBytes(to: &out)
        root.treeHash.appendBytes(to: &out)
        ProofBytes.append(accountID, to: &out)
        out.append(UInt8(truncatingIfNeeded: pieces.count))
        for piece in pieces {
            ProofBytes.append(piece.leafIndex, to: &out)
            piece.leaf.salt.appendBytes(to: &out)
            out.append(piece.leaf.pieceIndex)
            out.append(piece.leaf.pieceCount)
            ProofBytes.append(piece.leaf.equity.raw, to: &out)
            ProofBytes.append(piece.leaf.maintenance.raw, to: &out)
            ProofBytes.append(piece.leaf.deficit.raw, to: &out)
            out.append(piece.leaf.underMaintenance ? 1 : 0)
            out.append(piece.leaf.negativeEquity ? 1 : 0)
            for step in piece.path {
                step.hash.appendBytes(to: &out)
                step.sums.appendBytes(to: &out)
            }
        }
        return out
    }

    /// Decodes canonical bytes.
    ///
    /// - Throws: ``ProofError`` (`.malformed`) naming the field that is truncated or out of range.
    public init(decoding bytes: [UInt8]) throws(ProofError) {
        var reader = ProofBytes.Reader(bytes)
        guard Array(try reader.take(4, field: "magic")) == Self.magic else {
            throw ProofError(.malformed, "not a Fulcrum proof (magic bytes differ from \"FPOL\")")
        }
        let version = try reader.uint8(field: "version")
        guard version == Self.version else {
            throw ProofError(.malformed, "proof version \(version) is not supported (expected \(Self.version))")
        }
        let epoch = try reader.uint64(field: "epoch")
        let leafCount = try reader.uint64(field: "leafCount")
        guard leafCount >= 2, leafCount.nonzeroBitCount == 1, leafCount.trailingZeroBitCount <= Self.maximumDepth
        else {
            throw ProofError(.malformed, "leafCount \(leafCount) is not a power of two in 2...2^\(Self.maximumDepth)")
        }
        let depth = leafCount.trailingZeroBitCount
        let sums = try reader.sums(field: "root.sums")
        let treeHash = try reader.digest(field: "root.treeHash")
        let accountID = try reader.uint64(field: "accountID")
        let pieceCount = Int(try reader.uint8(field: "pieceCount"))
        guard (1...Self.maximumPieces).contains(pieceCount) else {
            throw ProofError(.malformed, "pieceCount \(pieceCount) is not in 1...\(Self.maximumPieces)")
        }
        var pieces: [PieceProof] = []
        for p in 0..<pieceCount {
            let field = "pieces[\(p)]"
            let leafIndex = try reader.uint64(field: "\(field).leafIndex")
            guard leafIndex < leafCount else {
                throw ProofError(.malformed, "\(field).leafIndex \(leafIndex) is not below leafCount \(leafCount)")
            }
            let salt = try reader.digest(field: "\(field).salt")
            let pieceIndex = try reader.uint8(field: "\(field).pieceIndex")
            let leafPieceCount = try reader.uint8(field: "\(field).pieceCount")
            let equity = Money(raw: try reader.int64(field: "\(field).equity"))
            let maintenance = Money(raw: try reader.int64(field: "\(field).maintenance"))
            let deficit = Money(raw: try reader.int64(field: "\(field).deficit"))
            let under = try Self.flag(try reader.uint8(field: "\(field).underMaintenance"), "\(field).underMaintenance")
            let negative = try Self.flag(try reader.uint8(field: "\(field).negativeEquity"), "\(field).negativeEquity")
            var path: [PathStep] = []
            path.reserveCapacity(depth)
            for level in 0..<depth {
                let hash = try reader.digest(field: "\(field).path[\(level)].hash")
                let stepSums = try reader.sums(field: "\(field).path[\(level)].sums")
                path.append(PathStep(hash: hash, sums: stepSums))
            }
            let leaf = LeafOpening(
                salt: salt,
                accountID: accountID,
                pieceIndex: pieceIndex,
                pieceCount: leafPieceCount,
                equity: equity,
                maintenance: maintenance,
                deficit: deficit,
                underMaintenance: under,
                negativeEquity: negative
            )
            pieces.append(PieceProof(leafIndex: leafIndex, leaf: leaf, path: path))
        }
        guard reader.isAtEnd else {
            throw ProofError(.malformed, "proof has \(reader.remaining) trailing bytes")
        }
        self.init(
            root: RootCommitment(epoch: epoch, leafCount: leafCount, sums: sums, treeHash: treeHash),
            accountID: accountID,
            pieces: pieces
        )
    }

    private static func flag(_ byte: UInt8, _ field: String) throws(ProofError) -> Bool {
        switch byte {
        case 0: false
        case 1: true
        default: throw ProofError(.malformed, "\(field) is \(byte), expected 0 or 1")
        }
    }
}
