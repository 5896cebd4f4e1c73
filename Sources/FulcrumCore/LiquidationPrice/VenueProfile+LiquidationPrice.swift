/// Liquidation and bankruptcy prices solved from the venue's own trigger inequality.
///
/// The account is liquidatable at price `P` when `equity(P) < MM(P) + fee(P)`, where
/// `equity(P) = margin + X + side · PnL(P)` (`X` = the other cross positions' unrealized PnL minus their maintenance,
/// at their marks, Binance `UPNL1 − TMM1`), `MM(P) = N(P) · mmr(N(P)) − deduction(N(P))` on the notional `N(P)` at
/// `P` (Bybit classic: at entry), and `fee(P) = N(P) · takerFee` (OKX). Within one bracket both sides are linear in
/// `P` (in `1/P` for inverse contracts), so the root is solved exactly in 128-bit rationals, bracket by bracket,
/// and kept only when its notional falls in that bracket (Binance: "if the bracket at the liquidation price
/// differs, substitute that bracket's MMR and cum and recompute"). With rates below 1 the margin gap is strictly
/// monotone in `P`, so exactly one bracket is consistent.
///
/// Closed forms this reproduces (linear, `s` = +1 long / −1 short, `q` = size, `E` = entry, `W` = wallet):
/// - Binance: `LP = (W + X + cum − s·q·E) / (q·mmr − s·q)`;
/// - OKX (freqtrade Gate/OKX): `LP = (E − s·W/q) / (1 − s·(mmr + taker))`;
/// - Hyperliquid: `LP = P − s·margin_available / q / (1 − s·l)`, `l = 1/(2·maxLeverage)`;
/// - Bybit classic (maintenance at entry value): `LP = E − s·(W − MM_entry)/q`;
/// - dYdX isolated: `p' = (e − s·p)/(|s|·MMF − s)` (the Binance form with `cum = 0`);
/// - inverse: `LP = Qc·(s + mmr + fee) / (W + X + cum + s·Qc/E)` with `Qc` the contracts' quote value.
extension VenueProfile {
    /// Solves a position's liquidation and bankruptcy price under this venue's rules.
    ///
    /// Rounding: the exact rational root is rounded to 10⁻⁸ and then to the market tick on the trader's
    /// conservative side — a long's liquidation price **up**, a short's **down** (the trader sees liquidation no
    /// later than it happens). The bankruptcy price is rounded the same way, except on dYdX where it is rounded
    /// toward +∞ as `liquidations.go` does.
    ///
    /// - Throws: ``ArithmeticError`` naming the field and value for bad input (non-positive entry or size, negative
    ///   wallet, leverage above the bracket maximum, rates outside `[0, 1)`, mixed settlement in cross positions) or
    ///   a 128-bit overflow.
    public func liquidationQuote(
        _ input: LiquidationPriceInput,
        market: MarketSpec
    ) throws(ArithmeticError) -> LiquidationQuote {
        let context = try LiquidationContext(venue: self, input: input, market: market)
        let side = input.side.sign
        let priceRounding: RoundingRule = input.side == .long ? .up : .down

        // Liquidation price.
        var liquidation: Price?
        var usedIndex = context.entryStep.index
        switch maintenanceBasis {
        case .liquidationPrice:
            for step in context.steps {
                let k = try Wide.add(context.base, Int128(step.deduction.raw), "deduction")
                guard let root = try context.root(side: side, rate: step.rate, fee: context.fee, k: k) else { continue }
                guard root.notionalIsWithin(step) else { continue }
                liquidation = try root.price(rounding: priceRounding)
                usedIndex = step.index
                break
            }
        case .entryValue:
            // MM is the constant MM(entry): fold it into the constant term (k = base − MM_entry), rate 0.
            let k = try Wide.add(context.base, -Int128(context.entryMaintenance.raw), "maintenance")
            if let root = try context.root(side: side, rate: .zero, fee: context.fee, k: k) {
                liquidation = try root.price(rounding: priceRounding)
            }
        }

        // Bankruptcy price: equity(P) = 0.
        let bankruptcyRounding: RoundingRule = id == .dydx ? .up : priceRounding
        var bankruptcy: Price?
        if let root = try context.root(side: side, rate: .zero, fee: .zero, k: context.base) {
            bankruptcy = try root.price(rounding: bankruptcyRounding)
        }

        let liquidatable = try check(context, at: input.entryPrice).isLiquidatable
        return LiquidationQuote(
            liquidationPrice: try Self.tickRounded(liquidation, market: market, rounding: priceRounding),
            bankruptcyPrice: try Self.tickRounded(bankruptcy, market: market, rounding: bankruptcyRounding),
            maintenanceMargin: context.entryMaintenance,
            initialMargin: context.initialMargin,
            tierIndex: usedIndex,
            unroundedLiquidationPrice: liquidation.flatMap { $0.isPositive ? $0 : nil },
            margin: context.margin,
            isLiquidatableAtEntry: liquidatable
        )
    }

    /// Evaluates the trigger inequality at `price`: equity (rounded down) against maintenance plus closing fee
    /// (rounded up), both favouring the venue.
    ///
    /// - Throws: ``ArithmeticError`` for bad input (as ``liquidationQuote(_:market:)``) or a non-positive price.
    public func liquidationCheck(
        _ input: LiquidationPriceInput,
        market: MarketSpec,
        at price: Price
    ) throws(ArithmeticError) -> LiquidationCheck {
        guard price.isPositive else { throw ArithmeticError(.outOfRange, "price \(price) must be positive") }
        return try check(try LiquidationContext(venue: self, input: input, market: market), at: price)
    }

    /// The trigger inequality at `price` for an already validated context.
    func check(_ context: LiquidationContext, at price: Price) throws(ArithmeticError) -> LiquidationCheck {
        let input = context.input
        let market = context.market
        let signed = input.side == .long ? input.size : -input.size
        let pnl = try unrealizedPnl(size: signed, entry: input.entryPrice, price: price, market: market)
        let equityWide = try Wide.add(context.base, Int128(pnl.raw), "equity")
        let equity = Money(raw: try FixedMath.narrow(equityWide, field: "equity"))
        let notional = try marginNotional(size: input.size, price: price, market: market)
        var requirement: Money
        switch maintenanceBasis {
        case .liquidationPrice:
            let step = context.steps[Self.stepPosition(context.steps, notional: notional)]
            requirement = try step.maintenance(forNotional: notional)
        case .entryValue:
            requirement = context.entryMaintenance
        }
        requirement = try requirement.adding(try notional.times(context.fee, rounding: .up))
        return LiquidationCheck(equity: equity, requirement: requirement)
    }

    /// Unrealized PnL of a signed position at `price`, rounded **down** (favours the venue).
    ///
    /// Linear: `size × (price − entry)`. Inverse: `size × contractValue × (1/entry − 1/price)` in coin.
    public func unrealizedPnl(
        size: Quantity,
        entry: Price,
        price: Price,
        market: MarketSpec
    ) throws(ArithmeticError) -> Money {
        guard entry.isPositive else { throw ArithmeticError(.outOfRange, "entry \(entry) must be positive") }
        guard price.isPositive else { throw ArithmeticError(.outOfRange, "price \(price) must be positive") }
        switch market.kind {
        case .linear:
            return try size.notional(at: Price(raw: price.raw - entry.raw), rounding: .down)
        case .inverse:
            // qc (quote value of the contracts, raw) × (P − E) × 10⁸ / (E × P), one division rounded down.
            let quoteValue = try Wide.mul(size.wide, market.contractValue.wide, "contract value")
            let qc = try FixedMath.divide(quoteValue, by: FixedPointScale.wideFactor, rounding: .towardZero)
            let move = try Wide.mul(qc, Int128(price.raw - entry.raw), "pnl")
            let denominator = try Wide.mul(entry.wide, price.wide, "pnl")
            let raw = try FixedMath.multiplyDivide(move, FixedPointScale.wideFactor, denominator, rounding: .down)
            return Money(raw: try FixedMath.narrow(raw, field: "pnl"))
        }
    }

    /// The maintenance schedule that applies to a position: the market's tier table (one step per bracket), or one
    /// step for single-rate models (dYdX `IMF × MMF`, Drift size-premium ratio) and overrides.
    public func maintenanceSteps(
        size: Quantity,
        entryNotional: Money,
        market: MarketSpec,
        overrides: LiquidationOverrides
    ) throws(ArithmeticError) -> [MaintenanceStep] {
        if let rate = overrides.maintenanceMarginRate {
            return [
                MaintenanceStep(
                    index: 0,
                    floor: .zero,
                    cap: nil,
                    rate: rate,
                    deduction: overrides.maintenanceDeduction ?? .zero
                )
            ]
        }
        if let maxLeverage = overrides.maxLeverage {
            // Hyperliquid: MMR = 1 / (2 · maxLeverage), rounded up (favours the venue).
            let doubled = try maxLeverage.times(2)
            let rate = try Rate.reciprocal(of: doubled, rounding: .up)
            return [
                MaintenanceStep(
                    index: 0,
                    floor: .zero,
                    cap: nil,
                    rate: rate,
                    deduction: overrides.maintenanceDeduction ?? .zero
                )
            ]
        }
        var steps: [MaintenanceStep]
        switch marginModel(for: market) {
        case .tiered, .hyperliquid:
            // One step per notional bracket; a size-bounded table (OKX) gives the size's tier alone.
            steps = market.tiers.maintenanceSteps(forSize: size, notional: entryNotional)
        case .dydx(let imfPpm, let mmfPpm, _, _):
            // MMR = IMF × MMF; ppm × ppm = 10⁻¹² = raw rate (10⁻⁸) × 10⁻⁴; rounded up (favours the venue).
            let raw = try FixedMath.divide(
                try Wide.mul(Int128(imfPpm), Int128(mmfPpm), "dYdX rate"),
                by: 10_000,
                rounding: .up
            )
            let rate = Rate(raw: try FixedMath.narrow(raw, field: "dYdX maintenance rate"))
            steps = [MaintenanceStep(index: 0, floor: .zero, cap: nil, rate: rate, deduction: .zero)]
        case .drift(_, let maintenanceBps, let imfFactor):
            let rate = try DriftMargin.marginRatio(baseBps: maintenanceBps, imfFactor: imfFactor, size: size)
            steps = [MaintenanceStep(index: 0, floor: .zero, cap: nil, rate: rate, deduction: .zero)]
        }
        if let deduction = overrides.maintenanceDeduction {
            // A deduction alone pins the bracket at entry with that deduction.
            var pinned = steps[Self.stepPosition(steps, notional: entryNotional)]
            pinned.floor = .zero
            pinned.cap = nil
            pinned.deduction = deduction
            steps = [pinned]
        }
        return steps
    }

    /// Position in `steps` of the step whose `[floor, cap)` holds `notional` (binary search).
    static func stepPosition(_ steps: [MaintenanceStep], notional: Money) -> Int {
        let value = notional.magnitude
        var low = 0
        var high = steps.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if steps[mid].floor <= value { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// Rounds a price to the market tick; a price that rounds to zero or below is "none".
    static func tickRounded(
        _ price: Price?,
        market: MarketSpec,
        rounding: RoundingRule
    ) throws(ArithmeticError) -> Price? {
        guard let price, price.isPositive else { return nil }
        guard market.tickSize.isPositive else { return price }
        let rounded = try price.rounded(toMultipleOf: market.tickSize, rounding: rounding)
        return rounded.isPositive ? rounded : nil
    }
}

/// The validated, venue-resolved inputs of a liquidation solve.
struct LiquidationContext {
    let input: LiquidationPriceInput
    let market: MarketSpec
    let steps: [MaintenanceStep]
    let entryStep: MaintenanceStep
    let entryMaintenance: Money
    let margin: Money
    let initialMargin: Money
    let fee: Rate
    /// Margin plus the other cross positions' (PnL − maintenance), raw 10⁻⁸ units.
    let base: Int128

    init(venue: VenueProfile, input: LiquidationPriceInput, market: MarketSpec) throws(ArithmeticError) {
        guard input.entryPrice.isPositive else {
            throw ArithmeticError(.outOfRange, "entry \(input.entryPrice) must be positive")
        }
        guard input.size.isPositive else { throw ArithmeticError(.outOfRange, "size \(input.size) must be positive") }
        let overrides = input.overrides
        if let rate = overrides.maintenanceMarginRate, rate.isNegative || rate >= .one {
            throw ArithmeticError(.outOfRange, "mmr \(rate) must be in [0, 1)")
        }
        if let fee = overrides.takerFee, fee.isNegative || fee >= .one {
            throw ArithmeticError(.outOfRange, "taker-fee \(fee) must be in [0, 1)")
        }
        if let maxLeverage = overrides.maxLeverage, !maxLeverage.isPositive {
            throw ArithmeticError(.outOfRange, "max-leverage \(maxLeverage) must be positive")
        }
        if let deduction = overrides.maintenanceDeduction, deduction.isNegative {
            throw ArithmeticError(.outOfRange, "mm-deduction \(deduction) must not be negative")
        }
        guard market.contractValue.isPositive || market.kind == .linear else {
            throw ArithmeticError(.outOfRange, "contract value \(market.contractValue) must be positive")
        }
        self.input = input
        self.market = market
        let entryNotional = try venue.marginNotional(size: input.size, price: input.entryPrice, market: market)
        steps = try venue.maintenanceSteps(
            size: input.size,
            entryNotional: entryNotional,
            market: market,
            overrides: overrides
        )
        entryStep = steps[VenueProfile.stepPosition(steps, notional: entryNotional)]
        entryMaintenance = try entryStep.maintenance(forNotional: entryNotional)
        fee = overrides.takerFee ?? venue.closingFeeRate

        let maxLeverage: Leverage? =
            switch venue.marginModel(for: market) {
            case .tiered, .hyperliquid:
                overrides.maxLeverage ?? market.tiers.tier(forSize: input.size, notional: entryNotional).maxLeverage
            case .dydx, .drift: overrides.maxLeverage
            }
        switch input.margin {
        case .wallet(let wallet):
            guard !wallet.isNegative else {
                throw ArithmeticError(.outOfRange, "wallet \(wallet) must not be negative")
            }
            margin = wallet
            initialMargin = try Self.minimumInitialMargin(
                venue: venue,
                size: input.size,
                entry: input.entryPrice,
                notional: entryNotional,
                market: market,
                maxLeverage: overrides.maxLeverage
            )
        case .leverage(let leverage):
            guard leverage.isPositive else {
                throw ArithmeticError(.outOfRange, "leverage \(leverage) must be positive")
            }
            if let maxLeverage, leverage > maxLeverage {
                throw ArithmeticError(
                    .outOfRange,
                    "leverage \(leverage) exceeds the maximum \(maxLeverage) for notional \(entryNotional)"
                )
            }
            // Margin = notional ÷ leverage rounded down: less margin, liquidation no later than shown.
            margin = try entryNotional.divided(by: leverage, rounding: .down)
            if let cap = overrides.maxLeverage {
                let rate = Rate.maximum(
                    try Rate.reciprocal(of: leverage, rounding: .up),
                    try Rate.reciprocal(of: cap, rounding: .up)
                )
                initialMargin = try entryNotional.times(rate, rounding: .up)
            } else {
                initialMargin = try venue.initialMargin(
                    size: input.size,
                    price: input.entryPrice,
                    leverage: leverage,
                    market: market
                )
            }
        }

        var base = Int128(margin.raw)
        if input.mode == .cross {
            for (index, other) in input.otherPositions.enumerated() {
                let contribution = try Self.crossContribution(venue: venue, other, index: index, market: market)
                base = try Wide.add(base, contribution, "cross equity")
            }
        }
        self.base = base
    }

    /// Initial margin at the venue's floor rate (tier max leverage, Hyperliquid cap, dYdX IMF, Drift ratio).
    static func minimumInitialMargin(
        venue: VenueProfile,
        size: Quantity,
        entry: Price,
        notional: Money,
        market: MarketSpec,
        maxLeverage: Leverage?
    ) throws(ArithmeticError) -> Money {
        if let maxLeverage {
            return try notional.times(try Rate.reciprocal(of: maxLeverage, rounding: .up), rounding: .up)
        }
        // The largest representable leverage makes the user rate negligible, leaving the venue's floor rate.
        return try venue.initialMargin(size: size, price: entry, leverage: Leverage(raw: .max), market: market)
    }

    /// One other cross position's `PnL − maintenance` at its mark, raw.
    static func crossContribution(
        venue: VenueProfile,
        _ other: CrossPosition,
        index: Int,
        market: MarketSpec
    ) throws(ArithmeticError) -> Int128 {
        let field = "positions[\(index)]"
        guard other.market.kind == market.kind else {
            throw ArithmeticError(
                .outOfRange,
                "\(field).market \(other.market.symbol) is \(other.market.kind), the position is \(market.kind)"
            )
        }
        guard other.entryPrice.isPositive else {
            throw ArithmeticError(.outOfRange, "\(field).entry \(other.entryPrice) must be positive")
        }
        guard other.markPrice.isPositive else {
            throw ArithmeticError(.outOfRange, "\(field).mark \(other.markPrice) must be positive")
        }
        guard other.size.raw != .min else {
            throw ArithmeticError(.overflow, "\(field).size \(other.size) is out of range")
        }
        if other.size.isZero { return 0 }
        let pnl = try venue.unrealizedPnl(
            size: other.size,
            entry: other.entryPrice,
            price: other.markPrice,
            market: other.market
        )
        let maintenance: Money
        if let rate = other.maintenanceMarginRate {
            let notional = try venue.marginNotional(size: other.size, price: other.markPrice, market: other.market)
            maintenance = try notional.times(rate, rounding: .up).subtracting(other.maintenanceDeduction ?? .zero)
        } else {
            maintenance = try venue.maintenanceMargin(size: other.size, price: other.markPrice, market: other.market)
        }
        return Int128(pnl.raw) - Int128(maintenance.raw)
    }

    /// The exact root of `k + s·PnL(P) = N(P)·(rate + fee)` (with `k` = base + deduction), or `nil` when the line
    /// has no positive root.
    func root(side: Int64, rate: Rate, fee: Rate, k: Int128) throws(ArithmeticError) -> LiquidationRoot? {
        let scale = FixedPointScale.wideFactor
        let s = Int128(side)
        let q = input.size.wide
        let entry = input.entryPrice.wide
        switch market.kind {
        case .linear:
            // P = (s·q·E − k·10⁸)·10⁸ / (q·(s·10⁸ − m − f)); notional N = (s·q·E − k·10⁸) / (s·10⁸ − m − f).
            let d = s * scale - rate.wide - fee.wide
            let n = try Wide.add(try Wide.mul(s * q, entry, "s·q·E"), -(try Wide.mul(k, scale, "k")), "numerator")
            guard d != 0 else { return nil }
            return LiquidationRoot(
                priceNumerator: try Wide.mul(n, scale, "price"),
                priceDenominator: try Wide.mul(q, d, "price"),
                notionalNumerator: n,
                notionalDenominator: d
            )
        case .inverse:
            // Qc = contracts × contract value (raw). P = Qc·T·E / W, coin notional = W·10⁸ / (E·T), with
            // T = s·10⁸ + m + f and W = k·E + s·Qc·10⁸.
            let quoteValue = try Wide.mul(q, market.contractValue.wide, "contract value")
            let qc = try FixedMath.divide(quoteValue, by: scale, rounding: .towardZero)
            let t = s * scale + rate.wide + fee.wide
            let w = try Wide.add(try Wide.mul(k, entry, "k·E"), try Wide.mul(s * qc, scale, "Qc"), "denominator")
            guard w != 0, t != 0 else { return nil }
            return LiquidationRoot(
                priceNumerator: try Wide.mul(try Wide.mul(qc, t, "price"), entry, "price"),
                priceDenominator: w,
                notionalNumerator: try Wide.mul(w, scale, "notional"),
                notionalDenominator: try Wide.mul(entry, t, "notional")
            )
        }
    }
}

/// An exact rational root: the price and the notional at that price, both in raw 10⁻⁸ units.
struct LiquidationRoot {
    let priceNumerator: Int128
    let priceDenominator: Int128
    let notionalNumerator: Int128
    let notionalDenominator: Int128

    /// Whether the notional at the root lies in the step's `[floor, cap)` (exact cross-multiplication).
    func notionalIsWithin(_ step: MaintenanceStep) -> Bool {
        var n = notionalNumerator
        var d = notionalDenominator
        if d < 0 {
            n = -n
            d = -d
        }
        let (low, lowOverflow) = step.floor.wide.multipliedReportingOverflow(by: d)
        guard !lowOverflow, low <= n else { return false }
        guard let cap = step.cap else { return true }
        let (high, highOverflow) = cap.wide.multipliedReportingOverflow(by: d)
        return highOverflow || n < high
    }

    /// The root price at 10⁻⁸, rounded as `rule` says; `nil` when it is not positive.
    func price(rounding rule: RoundingRule) throws(ArithmeticError) -> Price? {
        let raw = try FixedMath.divide(priceNumerator, by: priceDenominator, rounding: rule)
        guard raw > 0 else { return nil }
        return Price(raw: try FixedMath.narrow(raw, field: "liquidation price"))
    }
}

/// Checked 128-bit helpers that report overflow as ``ArithmeticError`` naming the quantity.
enum Wide {
    static func mul(_ a: Int128, _ b: Int128, _ field: String) throws(ArithmeticError) -> Int128 {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else { throw ArithmeticError(.overflow, "\(field) overflows a 128-bit intermediate") }
        return result
    }

    static func add(_ a: Int128, _ b: Int128, _ field: String) throws(ArithmeticError) -> Int128 {
        let (result, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw ArithmeticError(.overflow, "\(field) overflows a 128-bit intermediate") }
        return result
    }
}
