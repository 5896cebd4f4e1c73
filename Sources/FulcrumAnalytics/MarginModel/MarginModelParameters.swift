/// Parameters of a volatility-sensitive margin requirement (statistics in `Double`; the requirement enters the
/// population as a fixed-point ``FulcrumCore/Rate`` rounded **up**, favouring the venue).
///
/// Requirement (initial-margin rate) at sample t:
/// `base_t = max(floor, k·σ_t·√h)`; with the anti-procyclicality tools:
/// - buffer: `req = base·(1 + buffer)` in calm times, `req = base` (buffer released) when `σ_t > stressMultiple ×`
///   its slow (30-day) EWMA;
/// - rise cap: `req_t ≤ req_{t−1}·(1 + maxDailyRise)^(Δt/1 day)`;
/// - the maintenance rate is `maintenanceFraction × req`.
/// The static model is `req = staticRate` throughout.
public struct MarginModelParameters: Sendable, Hashable {
    /// The model.
    public var kind: MarginModelKind
    /// Static model: the constant initial-margin rate.
    public var staticRate: Double
    /// Floor of the dynamic rate.
    public var floor: Double
    /// Confidence multiplier k (2.326 for a one-sided 99 %).
    public var k: Double
    /// Margin period of risk h, in years.
    public var horizonYears: Double
    /// EWMA half-life in samples.
    public var halfLifeSamples: Double
    /// Buffer added in calm times (0.25 = 25 %, EMIR's buffer tool).
    public var buffer: Double
    /// σ above `stressMultiple` × its 30-day EWMA counts as stress (buffer released).
    public var stressMultiple: Double
    /// Largest rise of the requirement per day (0.5 = +50 %/day); `.infinity` for none.
    public var maxDailyRise: Double
    /// Maintenance rate as a fraction of the requirement.
    public var maintenanceFraction: Double
    /// GARCH(1,1) per-sample parameters (garch only).
    public var garchOmega: Double
    /// GARCH α.
    public var garchAlpha: Double
    /// GARCH β.
    public var garchBeta: Double

    /// Creates parameters; the defaults are the ones documented in docs/VALIDATION.md (Risk analytics).
    public init(
        kind: MarginModelKind,
        staticRate: Double = 0.05,
        floor: Double = 0.02,
        k: Double = 2.326,
        horizonYears: Double = 1.0 / 365,
        halfLifeSamples: Double = 1_440,
        buffer: Double = 0.25,
        stressMultiple: Double = 1.5,
        maxDailyRise: Double = 1.0,
        maintenanceFraction: Double = 0.5,
        garchOmega: Double = 0,
        garchAlpha: Double = 0.05,
        garchBeta: Double = 0.94
    ) {
        self.kind = kind
        self.staticRate = staticRate
        self.floor = floor
        self.k = k
        self.horizonYears = horizonYears
        self.halfLifeSamples = halfLifeSamples
        self.buffer = buffer
        self.stressMultiple = stressMultiple
        self.maxDailyRise = maxDailyRise
        self.maintenanceFraction = maintenanceFraction
        self.garchOmega = garchOmega
        self.garchAlpha = garchAlpha
        self.garchBeta = garchBeta
    }
}
