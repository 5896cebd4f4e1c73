/// How a ``LiabilityTree`` hides individual balances.
public struct LiabilityTreeConfiguration: Sendable, Hashable {
    /// Into how many randomly sized leaves each account is split (1...``InclusionProof/maximumPieces``).
    ///
    /// More pieces make a sibling sum less informative (a sibling is one random share of an account, or padding)
    /// at the price of `piecesPerAccount ×` proof size and tree size.
    public var piecesPerAccount: Int

    /// The default: two pieces per account, as in DAPOL's and the "Maxwell++" splitting.
    public init(piecesPerAccount: Int = 2) {
        self.piecesPerAccount = piecesPerAccount
    }
}
