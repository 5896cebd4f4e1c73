internal import Crypto
import FulcrumCore

/// The domain-separated hashes of the Merkle-sum tree (all SHA-256).
///
/// - leaf: `SHA256("fulcrum-pol-v1/L" ‖ salt ‖ accountID ‖ pieceIndex ‖ pieceCount ‖ equity ‖ maintenance ‖ deficit
///   ‖ underMaintenance ‖ negativeEquity)`
/// - node: `SHA256("fulcrum-pol-v1/N" ‖ leftSums ‖ leftHash ‖ rightSums ‖ rightHash)`: both children's sums are
///   committed separately (not only their total), the fix of Hu, Zhang and Guo to Maxwell's summation tree.
/// - root: `SHA256("fulcrum-pol-v1/R" ‖ epoch ‖ leafCount ‖ rootSums ‖ treeHash)`: the one value a venue publishes.
///
/// Integers are big-endian; sums are 128-bit two's complement.
public enum ProofHashing {
    static let leafTag = Array("fulcrum-pol-v1/L".utf8)
    static let nodeTag = Array("fulcrum-pol-v1/N".utf8)
    static let rootTag = Array("fulcrum-pol-v1/R".utf8)

    /// The leaf hash of an opening.
    public static func leafHash(_ leaf: LeafOpening) -> Digest32 {
        var buffer = leafTag
        buffer.reserveCapacity(leafTag.count + 32 + 8 + 2 + 24 + 2)
        leaf.salt.appendBytes(to: &buffer)
        ProofBytes.append(leaf.accountID, to: &buffer)
        buffer.append(leaf.pieceIndex)
        buffer.append(leaf.pieceCount)
        ProofBytes.append(leaf.equity.raw, to: &buffer)
        ProofBytes.append(leaf.maintenance.raw, to: &buffer)
        ProofBytes.append(leaf.deficit.raw, to: &buffer)
        buffer.append(leaf.underMaintenance ? 1 : 0)
        buffer.append(leaf.negativeEquity ? 1 : 0)
        return digest(SHA256.hash(data: buffer))
    }

    /// The hash of an inner node from its two children.
    public static func nodeHash(
        leftHash: Digest32,
        leftSums: NodeSums,
        rightHash: Digest32,
        rightSums: NodeSums
    ) -> Digest32 {
        var buffer = nodeTag
        buffer.reserveCapacity(nodeTag.count + 2 * (NodeSums.encodedSize + 32))
        leftSums.appendBytes(to: &buffer)
        leftHash.appendBytes(to: &buffer)
        rightSums.appendBytes(to: &buffer)
        rightHash.appendBytes(to: &buffer)
        return digest(SHA256.hash(data: buffer))
    }

    /// The published root hash of a tree.
    public static func rootHash(epoch: UInt64, leafCount: UInt64, sums: NodeSums, treeHash: Digest32) -> Digest32 {
        var buffer = rootTag
        ProofBytes.append(epoch, to: &buffer)
        ProofBytes.append(leafCount, to: &buffer)
        sums.appendBytes(to: &buffer)
        treeHash.appendBytes(to: &buffer)
        return digest(SHA256.hash(data: buffer))
    }

    /// Plain SHA-256 of bytes.
    static func sha256(_ bytes: [UInt8]) -> Digest32 { digest(SHA256.hash(data: bytes)) }

    static func digest(_ d: SHA256Digest) -> Digest32 {
        d.withUnsafeBytes { words($0) }
    }

    static func digest(_ d: HashedAuthenticationCode<SHA256>) -> Digest32 {
        d.withUnsafeBytes { words($0) }
    }

    private static func words(_ raw: UnsafeRawBufferPointer) -> Digest32 {
        Digest32(
            w0: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            w1: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            w2: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            w3: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        )
    }
}
