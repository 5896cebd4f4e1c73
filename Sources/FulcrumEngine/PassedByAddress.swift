/// A stored field that makes the struct holding it address-only, so Swift passes that struct to its methods by
/// address instead of copying it.
///
/// Swift lowers a struct made only of fixed-size fields and references as a loadable value: each call of one of its
/// non-mutating methods from a mutating one materializes `self` on the stack (a `memmove` of the whole struct) when
/// the struct is too large for registers. ``ClearingEngine`` is 464 bytes, and its liquidation path makes about ten
/// such calls per liquidated account (trigger price, pool metrics, bankruptcy price, notional, …); the lab's run
/// (`CascadeRun`, 2.7 KB), which holds an engine, paid the same for its own calls. An existential payload makes the
/// type address-only, and an address-only `self` is always passed by address. Measured on the built-in stress
/// scenario: `memmove` went from 8.4 % to 2 % of a path's CPU time (docs/BENCHMARKS.md).
///
/// It holds nothing (`()`), takes 40 bytes, and is no part of any state: no hash, snapshot, invariant or comparison
/// reads it.
@usableFromInline
struct PassedByAddress: Sendable {
    /// The existential payload (always the empty tuple): its opaque container is what cannot be loaded.
    private let payload: any Sendable = ()

    @usableFromInline
    init() {}
}
