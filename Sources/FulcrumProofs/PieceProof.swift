/// The inclusion proof of one leaf: its position, its opening and the sibling path to the root.
public struct PieceProof: Sendable, Hashable {
    /// The leaf's position in the (shuffled, padded) tree; bit `i` says whether the leaf is a right child at level `i`.
    public var leafIndex: UInt64
    /// The opened leaf.
    public var leaf: LeafOpening
    /// Siblings from the leaf's level up to the root's children (length = log₂ leafCount).
    public var path: [PathStep]

    /// Creates a piece proof.
    public init(leafIndex: UInt64, leaf: LeafOpening, path: [PathStep]) {
        self.leafIndex = leafIndex
        self.leaf = leaf
        self.path = path
    }
}
