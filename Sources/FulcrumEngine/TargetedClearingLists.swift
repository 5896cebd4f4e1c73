/// The account lists of a targeted clearing call (``ClearingEngine/liquidate(accounts:executor:effects:)``): the
/// listed and reached accounts (`scope`, ascending and distinct between passes), the accounts reached above the one
/// being cleared (`above`) and those reached in the current pass (`reached`), both handed out smallest first, and the buffer
/// the next `scope` is merged into (`merged`).
///
/// The engine keeps one value across calls (``ClearingEngine/targetedLists``) and every call empties it keeping the
/// capacity, so a targeted call in steady state allocates no list. Scratch only, like
/// ``ClearingEngine/clearingScratch``: never part of the state hash, snapshots or invariants.
struct TargetedClearingLists {
    var scope: [Int] = []
    var above = AscendingAccountSet()
    var reached = AscendingAccountSet()
    var merged: [Int] = []
    /// The markets where the call socialized a loss (a market-wide charge that reaches every holder of the market),
    /// each with the first account id the current pass visits its holders from: the id after the account whose loss
    /// was socialized in the pass that socialized it, 0 in later passes. Their holders are found by a scan of the
    /// positions rather than listed: a spiral of S socializations over N holders costs O(N) per pass, not O(S·N).
    var socialized: [(market: Int, from: Int)] = []
}
