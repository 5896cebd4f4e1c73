public import FulcrumCore

/// A running oracle: reads lagged source prices each step, aggregates, publishes under heartbeat/deviation rules,
/// and reports whether its price is valid (fresh).
///
/// The cascade loop must not liquidate on an invalid oracle; it counts such steps (``CascadeRun`` reports them).
public struct Oracle: Sendable {
    /// The rules.
    public let config: OracleConfig
    /// Traded prices observed so far, one per step (what the sources read, with their latency).
    private var observed: [Price] = []
    /// Recent medians for TWAP.
    private var medians: [Int64] = []
    /// The EMA state.
    private var ema: Int64?
    /// The last published price.
    public private(set) var published: Price?
    /// The step of the last publication.
    public private(set) var publishedStep: Int = -1
    /// Number of publications so far.
    public private(set) var publications = 0

    /// Creates an oracle.
    ///
    /// - Throws: ``LabError`` when the configuration is invalid.
    public init(config: OracleConfig) throws(LabError) {
        try config.validate()
        self.config = config
    }

    /// Whether the published price is fresh at `step`.
    public func isValid(at step: Int) -> Bool {
        published != nil && step - publishedStep <= config.stalenessSteps
    }

    /// Feeds the traded price of `step` (steps must be fed in order, one per step) and returns the published price
    /// if it is valid at this step, else `nil`.
    public mutating func update(step: Int, traded: Price) -> Price? {
        observed.append(traded)
        var readings: [Int64] = []
        readings.reserveCapacity(config.sources.count)
        let now = observed.count - 1
        for source in config.sources {
            if let outage = source.outage, outage.contains(step) { continue }
            readings.append(observed[Swift.max(0, now - source.latencySteps)].raw)
        }
        if !readings.isEmpty {
            readings.sort()
            let n = readings.count
            // Median of an even count: mean of the middle two, half-even (neutral).
            let median =
                n % 2 == 1
                ? readings[n / 2]
                : Int64((Int128(readings[n / 2 - 1]) + Int128(readings[n / 2])).roundedHalfEvenHalf())
            let candidate: Int64
            switch config.aggregation {
            case .median:
                candidate = median
            case .twap(let window):
                medians.append(median)
                if medians.count > window { medians.removeFirst(medians.count - window) }
                var sum: Int128 = 0
                for m in medians { sum += Int128(m) }
                // Mean rounded half-even: neutral.
                candidate = Int64((try? FixedMath.divide(sum, by: Int128(medians.count), rounding: .halfEven)) ?? 0)
            case .ema(let alpha):
                let previous = ema ?? median
                let delta = Int128(median) - Int128(previous)
                let move =
                    (try? FixedMath.multiplyDivide(delta, alpha.wide, FixedPointScale.wideFactor, rounding: .halfEven))
                    ?? 0
                let next = Int64(Int128(previous) + move)  // between previous and median: fits
                ema = next
                candidate = next
            }
            let price = Price(raw: candidate)
            var publish = published == nil || step - publishedStep >= config.heartbeatSteps
            if !publish, let last = published, last.isPositive {
                // |candidate − last| / last ≥ threshold, compared by cross-multiplication (no division).
                let moved = (Int128(candidate) - last.wide).magnitude * UInt128(FixedPointScale.factor)
                publish = moved >= UInt128(config.deviationThreshold.raw) * last.wide.magnitude
            }
            if publish {
                published = price
                publishedStep = step
                publications += 1
            }
        }
        return isValid(at: step) ? published : nil
    }
}

extension Int128 {
    /// `self / 2` rounded half-even (the mean of two raw values).
    fileprivate func roundedHalfEvenHalf() -> Int128 {
        (try? FixedMath.divide(self, by: 2, rounding: .halfEven)) ?? self / 2
    }
}
