extension PriceModel {
    /// Draws `steps` log returns from the model using `random` (through ``PriceStepSampler``).
    ///
    /// - Throws: ``LabError`` naming the parameter when the model is ill-posed (negative volatility, a GARCH with
    ///   `α + β ≥ 1`, a non-positive replay price, a shock of −100 % or more).
    public func logReturns(steps: Int, random: inout LabRandom) throws(LabError) -> [Double] {
        guard steps >= 0 else { throw LabError("steps \(steps) must not be negative") }
        var sampler = try PriceStepSampler(model: self)
        var returns = [Double](repeating: 0, count: steps)
        for t in 0..<steps { returns[t] = sampler.next(random: &random).logReturn }
        return returns
    }
}
