/// One sibling on the path from a leaf to the root: its hash and the sums it commits to.
public struct PathStep: Sendable, Hashable {
    /// The sibling's hash.
    public var hash: Digest32
    /// The sibling's sums (revealed to the proof holder: this is what an inclusion proof leaks).
    public var sums: NodeSums

    /// Creates a step.
    public init(hash: Digest32, sums: NodeSums) {
        self.hash = hash
        self.sums = sums
    }
}
