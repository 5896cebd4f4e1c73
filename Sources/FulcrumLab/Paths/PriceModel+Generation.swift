import RealModule

extension PriceModel {
    /// Draws `steps` log returns from the model using `random`.
    ///
    /// - Throws: ``LabError`` naming the parameter when the model is ill-posed (negative volatility, a GARCH with
    ///   `α + β ≥ 1`, a non-positive replay price, a shock of −100 % or more).
    public func logReturns(steps: Int, random: inout LabRandom) throws(LabError) -> [Double] {
        guard steps >= 0 else { throw LabError("steps \(steps) must not be negative") }
        var returns = [Double](repeating: 0, count: steps)
        switch self {
        case .instantShock(let fraction, let atStep):
            guard fraction > -1 else { throw LabError("shock \(fraction) must be above -1 (-100 %)") }
            if atStep >= 0 && atStep < steps { returns[atStep] = Double.log(onePlus: fraction) }
        case .gbm(let drift, let volatility):
            guard volatility >= 0, volatility.isFinite else { throw LabError("volatility \(volatility) must be ≥ 0") }
            let mean = drift - volatility * volatility / 2
            for t in 0..<steps { returns[t] = mean + volatility * random.nextGaussian() }
        case .merton(let drift, let volatility, let intensity, let jumpMean, let jumpVolatility):
            guard volatility >= 0 else { throw LabError("volatility \(volatility) must be ≥ 0") }
            guard intensity >= 0 else { throw LabError("jumpIntensity \(intensity) must be ≥ 0") }
            guard jumpVolatility >= 0 else { throw LabError("jumpVolatility \(jumpVolatility) must be ≥ 0") }
            // Compensator: E[e^J] − 1 = exp(m + s²/2) − 1 per jump.
            let kappa = Double.exp(jumpMean + jumpVolatility * jumpVolatility / 2) - 1
            let mean = drift - volatility * volatility / 2 - intensity * kappa
            for t in 0..<steps {
                var r = mean + volatility * random.nextGaussian()
                let jumps = random.nextPoisson(mean: intensity)
                for _ in 0..<jumps { r += jumpMean + jumpVolatility * random.nextGaussian() }
                returns[t] = r
            }
        case .garch(let drift, let omega, let alpha, let beta):
            guard omega > 0 else { throw LabError("garch omega \(omega) must be > 0") }
            guard alpha >= 0, beta >= 0, alpha + beta < 1 else {
                throw LabError("garch alpha + beta \(alpha + beta) must be in [0, 1)")
            }
            var variance = omega / (1 - alpha - beta)
            for t in 0..<steps {
                let epsilon = Double.sqrt(variance) * random.nextGaussian()
                returns[t] = drift + epsilon
                variance = omega + alpha * epsilon * epsilon + beta * variance
            }
        case .replay(let prices):
            for (index, price) in prices.enumerated() where !(price > 0 && price.isFinite) {
                throw LabError("replay price \(price) at row \(index) must be positive")
            }
            let count = Swift.min(steps, Swift.max(0, prices.count - 1))
            for t in 0..<count { returns[t] = Double.log(prices[t + 1] / prices[t]) }
        case .shocked(let base, let fraction, let atStep):
            guard fraction > -1 else { throw LabError("shock \(fraction) must be above -1 (-100 %)") }
            returns = try base.logReturns(steps: steps, random: &random)
            if atStep >= 0 && atStep < steps { returns[atStep] += Double.log(onePlus: fraction) }
        }
        return returns
    }
}
