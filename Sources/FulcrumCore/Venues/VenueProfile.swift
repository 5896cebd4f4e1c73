/// The venues Fulcrum ships profiles for.
public enum VenueID: String, Sendable, Hashable, CaseIterable {
    case binance, bybit, okx, hyperliquid, dydx, drift, bitmex, generic
}

/// One venue's published clearing rules, bundled so an engine or a calculator can follow them exactly.
///
/// A profile is data plus a few closed strategy enums (dispatched by `switch`, never by existential, so the
/// hot path stays specialised). Every field documents the venue rule it encodes and its source lives in the
/// profile's constructor (`VenueProfile+Binance.swift`, …).
public struct VenueProfile: Sendable, Hashable {
    /// Which venue.
    public var id: VenueID
    /// How maintenance and initial margin are computed.
    public var marginModel: MarginModel
    /// Which price decides liquidation.
    public var liquidationTrigger: LiquidationTrigger
    /// Full close, partial steps, or tier step-down.
    public var liquidationProcedure: LiquidationProcedure
    /// The liquidation (clearance) fee and who receives it.
    public var liquidationFee: LiquidationFee
    /// Taker fee the venue adds to maintenance when computing the liquidation price (OKX, Bybit UTA); zero otherwise.
    public var closingFeeRate: Rate
    /// Whether maintenance margin is evaluated at the liquidation price (Binance, OKX, Hyperliquid, dYdX) or at
    /// the entry value (Bybit classic formula).
    public var maintenanceBasis: MaintenanceBasis
    /// One insurance fund for the venue or one per market.
    public var insuranceFundScope: InsuranceFundScope
    /// How ADL counterparties are ranked and at which price they are closed.
    public var autoDeleveraging: AutoDeleveragingRule
    /// How the funding rate is derived and paid.
    public var funding: FundingRule
    /// Where the profile's rules were read (URLs / repository paths), for the record.
    public var sources: [String]

    /// Creates a profile from all its rules.
    public init(
        id: VenueID,
        marginModel: MarginModel,
        liquidationTrigger: LiquidationTrigger,
        liquidationProcedure: LiquidationProcedure,
        liquidationFee: LiquidationFee,
        closingFeeRate: Rate,
        maintenanceBasis: MaintenanceBasis,
        insuranceFundScope: InsuranceFundScope,
        autoDeleveraging: AutoDeleveragingRule,
        funding: FundingRule,
        sources: [String]
    ) {
        self.id = id
        self.marginModel = marginModel
        self.liquidationTrigger = liquidationTrigger
        self.liquidationProcedure = liquidationProcedure
        self.liquidationFee = liquidationFee
        self.closingFeeRate = closingFeeRate
        self.maintenanceBasis = maintenanceBasis
        self.insuranceFundScope = insuranceFundScope
        self.autoDeleveraging = autoDeleveraging
        self.funding = funding
        self.sources = sources
    }
}

/// How margin requirements are computed from a position's notional.
public enum MarginModel: Sendable, Hashable {
    /// Tier table with maintenance deduction (Binance, Bybit, OKX, BitMEX, generic): MM = |N|·mmr − cum;
    /// IM = |N| / leverage.
    case tiered
    /// Hyperliquid: each tier's maintenance rate is `1 / (2 · maxLeverage)`; MM = |N|·mmr − deduction.
    case hyperliquid
    /// dYdX v4: IMR = ceil(|N|·IMF_adj), MMR = ceil(ceil(|N|·IMF)·MMF fraction); IMF scaled up linearly
    /// with open interest between `openInterestLowerCap` and `openInterestUpperCap` (OIMF).
    case dydx(
        initialMarginPpm: Int64,
        maintenanceFractionPpm: Int64,
        openInterestLowerCap: Money,
        openInterestUpperCap: Money
    )
    /// Drift v2: margin ratio = max(base, 0.8·base + sqrt(size·10 + 1)·imfFactor/1e7) (size premium), ratios in
    /// 1e-4 (bps of 100%).
    case drift(initialRatioBps: Int64, maintenanceRatioBps: Int64, imfFactor: Int64)
}

/// Which price decides liquidation, and whether the trigger is strict.
public enum LiquidationTrigger: Sendable, Hashable {
    /// Mark price (Binance, Bybit, OKX, BitMEX, Hyperliquid).
    case markPrice
    /// Oracle/index price (dYdX, Drift).
    case oraclePrice
}

/// How an account under maintenance is closed.
public enum LiquidationProcedure: Sendable, Hashable {
    /// Close the whole position at once.
    case full
    /// Close `fraction` of the position per sweep while its notional exceeds `thresholdNotional`
    /// (Hyperliquid: 20 % above 100,000 USDC); below the threshold, close in full.
    case partialSteps(fraction: Rate, thresholdNotional: Money)
    /// Reduce to the next-lower tier first (Binance/OKX "smart liquidation"); full close in the first tier.
    case tierStepDown
    /// At most `maxNotionalPerSweep` and at least `minNotional` per sweep and position (a simplified per-block cap).
    case perSweepLimit(maxNotionalPerSweep: Money, minNotional: Money)
    /// dYdX v4 per-block limits, one liquidation sweep being one block (`protocol/x/clob/keeper/liquidations.go`,
    /// `GetMaxAndMinPositionNotionalLiquidatable`, `GetSubaccountMaxNotionalLiquidatable`,
    /// `GetSubaccountMaxInsuranceLost`): per position at most `max(min(minPositionNotional, |N|), |N|·positionPortion)`
    /// of notional (at the trigger price), per account at most `maxNotionalPerAccount` of notional in all and at most
    /// `maxInsuranceLossPerAccount` drawn from the insurance fund; a fill that would draw more is refused for the
    /// sweep (the account is deleveraged only if its equity is negative).
    case blockLimits(
        positionPortion: Rate,
        minPositionNotional: Money,
        maxNotionalPerAccount: Money,
        maxInsuranceLossPerAccount: Money
    )
}

/// The liquidation fee and its recipient.
public struct LiquidationFee: Sendable, Hashable {
    /// Who receives a liquidation fee.
    public enum Recipient: String, Sendable, Hashable {
        case insuranceFund, liquidator, feePool
    }
    /// Fee as a rate of the liquidated notional.
    public var rate: Rate
    /// Who receives it.
    public var recipient: Recipient
    /// Whether the fee is capped by the margin left above bankruptcy (dYdX: min(fee, fill − bankruptcy)).
    public var cappedAtRemainingMargin: Bool
    /// Whether the venue's liquidation engine takes the position over at the bankruptcy price (BitMEX): the fee is
    /// then the whole margin left above bankruptcy after the fill, `max(0, pool equity after the fill)`, so the
    /// recipient (the insurance fund) gains `(fill − bankruptcy)·size` when the close beats the bankruptcy price and
    /// covers the difference when it does not. Meant for full closes (the whole pool's margin is taken).
    public var takesRemainingMargin: Bool

    /// Creates a fee rule (`takesRemainingMargin` defaults to `false`).
    public init(rate: Rate, recipient: Recipient, cappedAtRemainingMargin: Bool, takesRemainingMargin: Bool = false) {
        self.rate = rate
        self.recipient = recipient
        self.cappedAtRemainingMargin = cappedAtRemainingMargin
        self.takesRemainingMargin = takesRemainingMargin
    }
}

/// Where maintenance margin is evaluated when solving for the liquidation price.
public enum MaintenanceBasis: String, Sendable, Hashable {
    /// MM(P) uses the notional at the candidate price P (and its tier).
    case liquidationPrice
    /// MM uses the position value at entry (Bybit's published isolated formula).
    case entryValue
}

/// One insurance fund for the venue or one per market.
public enum InsuranceFundScope: String, Sendable, Hashable {
    case shared, perMarket
}

/// ADL ranking and price.
public struct AutoDeleveragingRule: Sendable, Hashable {
    /// How opposite-side positions are ordered for ADL.
    public enum Ranking: String, Sendable, Hashable {
        /// BitMEX/Bybit: PnL% × effective leverage if in profit, PnL% ÷ effective leverage otherwise.
        case pnlTimesLeverage
        /// Binance: PnL% × margin ratio ("LeveragePnL").
        case pnlTimesMarginRatio
        /// Hyperliquid: unrealized PnL and leverage (uPnL% × leverage).
        case unrealizedPnlAndLeverage
        /// dYdX v4: opposite-side holders from a pseudo-random start (seeded, deterministic).
        case pseudoRandom
        /// Drift: no ADL; losses socialized pro-rata through the funding index.
        case socializeProRata
    }
    /// Which price ADL'd positions close at.
    public enum PriceSource: String, Sendable, Hashable {
        case bankruptcy, mark, oracle
    }
    /// The ranking.
    public var ranking: Ranking
    /// The close price.
    public var price: PriceSource

    /// Creates a rule.
    public init(ranking: Ranking, price: PriceSource) {
        self.ranking = ranking
        self.price = price
    }
}

/// How funding is computed and paid.
public struct FundingRule: Sendable, Hashable {
    /// The formula family.
    public enum Formula: Sendable, Hashable {
        /// F = P̄ + clamp(I − P̄, −clamp, +clamp) (Binance, Bybit, BitMEX, Hyperliquid, dYdX with default funding),
        /// then limited to ±cap.
        case premiumPlusClampedInterest(interest: Rate, clamp: Rate, cap: Rate)
        /// OKX: F = clamp(P̄, −cap, cap) (interest 0).
        case clampedPremium(cap: Rate)
        /// Drift: (markTWAP − oracleTWAP + oracleTWAP/5000)/24 per hour, clamped to ±oracleTWAP·cap/24.
        case twapSpread(offsetDenominator: Int64, cap: Rate)
    }
    /// Which price the payment notional uses.
    public enum Basis: String, Sendable, Hashable { case mark, oracle }

    /// The formula.
    public var formula: Formula
    /// Seconds between payments (28,800 for 8 h; 3,600 for Hyperliquid, dYdX, Drift).
    public var intervalSeconds: Int64
    /// The rate a formula yields is per `rateIntervalSeconds` (e.g. an 8-h rate paid hourly at 1/8 on Hyperliquid).
    public var rateIntervalSeconds: Int64
    /// Payment notional basis.
    public var basis: Basis

    /// Creates a funding rule.
    public init(formula: Formula, intervalSeconds: Int64, rateIntervalSeconds: Int64, basis: Basis) {
        self.formula = formula
        self.intervalSeconds = intervalSeconds
        self.rateIntervalSeconds = rateIntervalSeconds
        self.basis = basis
    }
}
