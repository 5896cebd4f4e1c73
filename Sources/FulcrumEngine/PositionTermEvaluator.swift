import FulcrumCore

/// ``ClearingEngine/positionTerm(_:market:price:)`` for one market, with that market's venue profile, spec and
/// inverse contract value held by value.
///
/// The liquidation index and the trigger search evaluate one position's term at many prices (a bracketing search
/// per key). Through the engine each evaluation copied the profile and the spec (their arrays retained and
/// released), and a closure that captured the engine copied the whole engine; the evaluator is built once per
/// search and its closures capture only it. The arithmetic is the engine's own
/// (``ClearingEngine/positionTerm(_:price:contractValue:profile:spec:)``), so the results are identical.
struct PositionTermEvaluator {
    /// Inverse contract value of the market (0: linear).
    let contractValue: Int64
    /// The market's venue profile.
    let profile: VenueProfile
    /// The market's spec.
    let spec: MarketSpec

    /// The evaluator of `market` in `engine`.
    init(_ engine: ClearingEngine, market: Int) {
        contractValue = engine.inverseContractValues[market]
        profile = engine.profiles[market]
        spec = engine.specs[market]
    }

    /// `value(size, price)` rounded **down** `− cost − maintenance(size, price)` rounded **up**, as in
    /// ``ClearingEngine/positionTerm(_:market:price:)``.
    ///
    /// - Complexity: O(tiers) for the maintenance tier lookup.
    func term(_ position: Position, price: Price) throws -> Int128 {
        try ClearingEngine.positionTerm(
            position,
            price: price,
            contractValue: contractValue,
            profile: profile,
            spec: spec
        )
    }
}
