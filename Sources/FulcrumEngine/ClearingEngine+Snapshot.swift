import FulcrumCore

/// A versioned binary snapshot of the whole engine state, for durable services (`fulcrum serve` stores one every
/// N events and rebuilds state from the latest snapshot plus the log after it).
///
/// Layout (all integers little-endian):
///
/// ```
/// "FLCS"  magic, 4 bytes
/// u32     format version (2; version 1 is still read)
/// u64     payload length in bytes
/// u64     the engine's stateHash when it was written
/// …       payload
/// u64     FNV-1a 64 checksum of the payload
/// ```
///
/// The payload holds, in this order: the configuration; market and account counts; per market its state (version 2
/// adds the socialized-loss index after the open interest), spec, venue profile (version 2 adds the fee's
/// `takesRemainingMargin` flag after `cappedAtRemainingMargin` and the `blockLimits` procedure, tag 4) and default
/// leverage; the wallet balances; the positions (account-major); the open-position
/// counts; the insurance funds; the fee pool; the four 128-bit ledger totals; the event count and the
/// sweep-pending flag. Strings are a `u32` byte count and UTF-8; optionals and enum cases a one-byte tag;
/// fixed-point values their raw `Int64`. The per-market caches (trigger kind, inverse contract value, backstop
/// rule, dYdX flag, symbol index) are derived from the specs and profiles exactly as listing derives them.
extension ClearingEngine {
    /// The first four bytes of every snapshot: `FLCS`.
    public static let snapshotMagic: [UInt8] = Array("FLCS".utf8)
    /// The snapshot format version this engine writes (it also reads version 1, whose markets have no
    /// socialized-loss index and whose fees never take the remaining margin).
    public static let snapshotVersion: UInt32 = 2

    /// The whole state as a versioned binary snapshot (see the extension's documentation for the layout).
    public func snapshotBytes() -> [UInt8] {
        var payload = SnapshotWriter()
        payload.reserve(64 + markets.count * 512 + balances.count * 12 + positions.count * 41)
        payload.write(configuration.backstopAccount.raw)
        payload.write(configuration.seed)
        payload.write(Int64(configuration.maxCleanupPasses))
        payload.write(UInt32(markets.count))
        payload.write(UInt32(balances.count))
        for market in 0..<markets.count {
            let state = markets[market]
            payload.write(state.indexPrice.raw)
            payload.write(state.markPrice.raw)
            payload.write(state.fundingIndex.raw)
            payload.write(state.longOpenInterest.raw)
            payload.write(state.shortOpenInterest.raw)
            payload.write(state.socializedLossIndex.raw)
            payload.write(specs[market])
            payload.write(profiles[market])
            payload.write(defaultLeverages[market].raw)
        }
        for balance in balances { payload.write(balance.raw) }
        for position in positions {
            payload.write(position.size.raw)
            payload.write(position.cost.raw)
            payload.write(position.isolatedMargin.raw)
            payload.write(position.fundingIndex.raw)
            payload.write(position.leverage.raw)
            payload.write(UInt8(position.mode == .cross ? 0 : 1))
        }
        for count in openPositionCounts { payload.write(UInt32(bitPattern: count)) }
        payload.write(UInt32(insuranceFunds.count))
        for fund in insuranceFunds { payload.write(fund.raw) }
        payload.write(feePool.raw)
        for total in [totalDeposits, totalWithdrawals, socializedLoss, badDebt] { payload.write(total.raw) }
        payload.write(eventCount)
        payload.write(UInt8(sweepPending ? 1 : 0))

        var output = SnapshotWriter()
        output.reserve(payload.bytes.count + 32)
        output.bytes.append(contentsOf: Self.snapshotMagic)
        output.write(Self.snapshotVersion)
        output.write(UInt64(payload.bytes.count))
        output.write(stateHash)
        output.bytes.append(contentsOf: payload.bytes)
        output.write(SnapshotChecksum.fnv1a(payload.bytes[...]))
        return output.bytes
    }

    /// Restores an engine from ``snapshotBytes()``.
    ///
    /// Every structural fact is checked: magic, version, payload length, checksum, counts against the bytes
    /// left, enum tags, UTF-8, tier tables, unique symbols, no trailing bytes, and finally the restored state's
    /// ``stateHash`` against the one recorded in the header.
    ///
    /// - Throws: ``EngineError/Code/invalidField`` naming `snapshot` and what is wrong (offset, tag, count) for
    ///   truncated, corrupt or foreign bytes, ``EngineError/Code/unsupported`` for another format version.
    public init(snapshotBytes bytes: [UInt8]) throws(EngineError) {
        var header = SnapshotReader(bytes[...])
        let magic = try header.bytes(4, "magic")
        guard Array(magic) == Self.snapshotMagic else {
            throw EngineError(.invalidField, "snapshot magic \(Array(magic)) is not \"FLCS\"")
        }
        let version: UInt32 = try header.read("version")
        guard version == 1 || version == Self.snapshotVersion else {
            throw EngineError(
                .unsupported,
                "snapshot version \(version) is not supported (this engine reads versions 1 to \(Self.snapshotVersion))"
            )
        }
        let length: UInt64 = try header.read("payload length")
        let recordedHash: UInt64 = try header.read("state hash")
        guard length <= UInt64(header.remaining), header.remaining - Int(length) == 8 else {
            throw EngineError(
                .invalidField,
                "snapshot payload length \(length) does not match the \(header.remaining) bytes after the header"
                    + " (expected payload + 8 checksum bytes)"
            )
        }
        let payloadBytes = try header.bytes(Int(length), "payload")
        let recordedChecksum: UInt64 = try header.read("checksum")
        let checksum = SnapshotChecksum.fnv1a(payloadBytes)
        guard checksum == recordedChecksum else {
            throw EngineError(
                .invalidField,
                "snapshot checksum \(recordedChecksum) does not match the payload's \(checksum) (corrupt bytes)"
            )
        }

        var reader = SnapshotReader(payloadBytes)
        let backstop: UInt32 = try reader.read("configuration.backstopAccount")
        let seed: UInt64 = try reader.read("configuration.seed")
        let passes: Int64 = try reader.read("configuration.maxCleanupPasses")
        guard let maxCleanupPasses = Int(exactly: passes) else {
            throw EngineError(.invalidField, "snapshot configuration.maxCleanupPasses \(passes) is out of range")
        }
        var engine = ClearingEngine(
            configuration: EngineConfiguration(
                backstopAccount: AccountID(backstop),
                seed: seed,
                maxCleanupPasses: maxCleanupPasses
            )
        )
        let marketCount = Int(try reader.read("market count") as UInt32)
        let accountCount = Int(try reader.read("account count") as UInt32)
        try reader.require(marketCount, recordBytes: 128, "market count")
        for market in 0..<marketCount {
            var state = MarketState()
            state.indexPrice = Price(raw: try reader.read("markets[\(market)].indexPrice"))
            state.markPrice = Price(raw: try reader.read("markets[\(market)].markPrice"))
            state.fundingIndex = Price(raw: try reader.read("markets[\(market)].fundingIndex"))
            state.longOpenInterest = Quantity(raw: try reader.read("markets[\(market)].longOpenInterest"))
            state.shortOpenInterest = Quantity(raw: try reader.read("markets[\(market)].shortOpenInterest"))
            if version >= 2 {
                state.socializedLossIndex = Price(raw: try reader.read("markets[\(market)].socializedLossIndex"))
            }
            let spec = try reader.readSpec("specs[\(market)]")
            let profile = try reader.readProfile("profiles[\(market)]", version: version)
            let defaultLeverage = Leverage(raw: try reader.read("defaultLeverages[\(market)]"))
            guard engine.symbolIndex[spec.symbol] == nil else {
                throw EngineError(.invalidField, "snapshot specs[\(market)].symbol \(spec.symbol) is listed twice")
            }
            engine.markets.append(state)
            engine.specs.append(spec)
            engine.profiles.append(profile)
            engine.defaultLeverages.append(defaultLeverage)
            // The caches, derived as listing derives them (ClearingEngine+Apply.swift, listMarket).
            engine.markTriggered.append(profile.liquidationTrigger == .markPrice)
            engine.inverseContractValues.append(spec.kind == .inverse ? spec.contractValue.raw : 0)
            engine.backstopRules.append(profile.backstopTakeover)
            engine.dydxLiquidations.append(profile.id == .dydx)
            engine.symbolIndex[spec.symbol] = MarketID(UInt32(market))
        }
        try reader.require(accountCount, recordBytes: 8, "account count")
        engine.balances.reserveCapacity(accountCount)
        for _ in 0..<accountCount { engine.balances.append(Money(raw: try reader.read("balances"))) }
        let (positionCount, overflow) = accountCount.multipliedReportingOverflow(by: marketCount)
        guard !overflow else {
            throw EngineError(.invalidField, "snapshot has \(accountCount) accounts × \(marketCount) markets")
        }
        try reader.require(positionCount, recordBytes: 41, "position count")
        engine.positions.reserveCapacity(positionCount)
        for index in 0..<positionCount {
            let size = Quantity(raw: try reader.read("positions[\(index)].size"))
            let cost = Money(raw: try reader.read("positions[\(index)].cost"))
            let isolatedMargin = Money(raw: try reader.read("positions[\(index)].isolatedMargin"))
            let fundingIndex = Price(raw: try reader.read("positions[\(index)].fundingIndex"))
            let leverage = Leverage(raw: try reader.read("positions[\(index)].leverage"))
            let mode: MarginMode =
                switch try reader.tag("positions[\(index)].mode", cases: 2) {
                case 0: .cross
                default: .isolated
                }
            engine.positions.append(
                Position(
                    size: size,
                    cost: cost,
                    isolatedMargin: isolatedMargin,
                    fundingIndex: fundingIndex,
                    leverage: leverage,
                    mode: mode
                )
            )
        }
        try reader.require(accountCount, recordBytes: 4, "open position counts")
        engine.openPositionCounts.reserveCapacity(accountCount)
        for _ in 0..<accountCount {
            engine.openPositionCounts.append(Int32(bitPattern: try reader.read("openPositionCounts")))
        }
        let fundCount = Int(try reader.read("insurance fund count") as UInt32)
        guard fundCount == marketCount + 1 else {
            throw EngineError(
                .invalidField,
                "snapshot insurance fund count \(fundCount) is not market count + 1 (\(marketCount + 1))"
            )
        }
        engine.insuranceFunds = []
        for fund in 0..<fundCount {
            engine.insuranceFunds.append(Money(raw: try reader.read("insuranceFunds[\(fund)]")))
        }
        engine.feePool = Money(raw: try reader.read("feePool"))
        engine.totalDeposits = MoneySum(raw: try reader.read("totalDeposits"))
        engine.totalWithdrawals = MoneySum(raw: try reader.read("totalWithdrawals"))
        engine.socializedLoss = MoneySum(raw: try reader.read("socializedLoss"))
        engine.badDebt = MoneySum(raw: try reader.read("badDebt"))
        engine.eventCount = try reader.read("eventCount")
        engine.sweepPending = try reader.tag("sweepPending", cases: 2) == 1
        guard reader.remaining == 0 else {
            throw EngineError(.invalidField, "snapshot payload has \(reader.remaining) unread bytes at its end")
        }
        let restoredHash = engine.stateHash
        guard restoredHash == recordedHash else {
            throw EngineError(
                .invalidField,
                "snapshot state hash \(recordedHash) does not match the restored state's \(restoredHash)"
            )
        }
        self = engine
    }
}

/// FNV-1a 64 over snapshot payloads (the same function as the state hash, over bytes).
private enum SnapshotChecksum {
    static func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
        return value
    }
}

/// Appends little-endian fields to a byte buffer.
private struct SnapshotWriter {
    var bytes: [UInt8] = []

    mutating func reserve(_ count: Int) { bytes.reserveCapacity(count) }

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        var remaining = value
        for _ in 0..<(T.bitWidth / 8) {
            bytes.append(UInt8(truncatingIfNeeded: remaining))
            remaining = remaining >> 8
        }
    }

    mutating func write(_ text: String) {
        let utf8 = Array(text.utf8)
        write(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    mutating func write(_ flag: Bool) { write(UInt8(flag ? 1 : 0)) }

    mutating func write(_ spec: MarketSpec) {
        write(spec.symbol)
        write(UInt8(spec.kind == .linear ? 0 : 1))
        write(spec.tickSize.raw)
        write(spec.stepSize.raw)
        write(spec.contractValue.raw)
        if spec.tiers.bound == .baseQuantity {
            // A size-bounded table (OKX position tiers): the count with its high bit set, then per tier the cap tag,
            // cap, max leverage and rate (25 bytes). Notional tables keep the version-2 bytes unchanged.
            write(UInt32(0x8000_0000) | UInt32(spec.tiers.sizeTiers.count))
            for tier in spec.tiers.sizeTiers {
                write(tier.sizeCap != nil)
                write(tier.sizeCap?.raw ?? 0)
                write(tier.maxLeverage.raw)
                write(tier.maintenanceMarginRate.raw)
            }
        } else {
            write(UInt32(spec.tiers.tiers.count))
            for tier in spec.tiers.tiers {
                write(tier.notionalFloor.raw)
                write(tier.notionalCap != nil)
                write(tier.notionalCap?.raw ?? 0)
                write(tier.maxLeverage.raw)
                write(tier.maintenanceMarginRate.raw)
                write(tier.maintenanceDeduction.raw)
            }
        }
        write(spec.tierSource)
        write(spec.marginModel != nil)
        if let model = spec.marginModel { write(model) }
    }

    mutating func write(_ model: MarginModel) {
        switch model {
        case .tiered: write(UInt8(0))
        case .hyperliquid: write(UInt8(1))
        case .dydx(let initialPpm, let maintenancePpm, let lowerCap, let upperCap):
            write(UInt8(2))
            write(initialPpm)
            write(maintenancePpm)
            write(lowerCap.raw)
            write(upperCap.raw)
        case .drift(let initialBps, let maintenanceBps, let imfFactor):
            write(UInt8(3))
            write(initialBps)
            write(maintenanceBps)
            write(imfFactor)
        }
    }

    mutating func write(_ profile: VenueProfile) {
        write(SnapshotTags.tag(profile.id))
        write(profile.marginModel)
        write(UInt8(profile.liquidationTrigger == .markPrice ? 0 : 1))
        switch profile.liquidationProcedure {
        case .full: write(UInt8(0))
        case .partialSteps(let fraction, let thresholdNotional):
            write(UInt8(1))
            write(fraction.raw)
            write(thresholdNotional.raw)
        case .tierStepDown: write(UInt8(2))
        case .perSweepLimit(let maxNotionalPerSweep, let minNotional):
            write(UInt8(3))
            write(maxNotionalPerSweep.raw)
            write(minNotional.raw)
        case .blockLimits(let portion, let minimum, let perAccount, let maxLoss):
            write(UInt8(4))
            write(portion.raw)
            write(minimum.raw)
            write(perAccount.raw)
            write(maxLoss.raw)
        }
        write(profile.liquidationFee.rate.raw)
        write(SnapshotTags.tag(profile.liquidationFee.recipient))
        write(profile.liquidationFee.cappedAtRemainingMargin)
        write(profile.liquidationFee.takesRemainingMargin)
        write(profile.closingFeeRate.raw)
        write(UInt8(profile.maintenanceBasis == .liquidationPrice ? 0 : 1))
        write(UInt8(profile.insuranceFundScope == .shared ? 0 : 1))
        write(SnapshotTags.tag(profile.autoDeleveraging.ranking))
        write(SnapshotTags.tag(profile.autoDeleveraging.price))
        switch profile.funding.formula {
        case .premiumPlusClampedInterest(let interest, let clamp, let cap):
            write(UInt8(0))
            write(interest.raw)
            write(clamp.raw)
            write(cap.raw)
        case .clampedPremium(let cap):
            write(UInt8(1))
            write(cap.raw)
        case .twapSpread(let offsetDenominator, let cap):
            write(UInt8(2))
            write(offsetDenominator)
            write(cap.raw)
        }
        write(profile.funding.intervalSeconds)
        write(profile.funding.rateIntervalSeconds)
        write(UInt8(profile.funding.basis == .mark ? 0 : 1))
        write(UInt32(profile.sources.count))
        for source in profile.sources { write(source) }
    }
}

/// The fixed order of enum cases in the format (a new case goes at the end of its list and gets the next tag;
/// the writers below are exhaustive switches, so a new case does not compile until it has a tag).
private enum SnapshotTags {
    static func tag(_ venue: VenueID) -> UInt8 {
        switch venue {
        case .binance: 0
        case .bybit: 1
        case .okx: 2
        case .hyperliquid: 3
        case .dydx: 4
        case .drift: 5
        case .bitmex: 6
        case .generic: 7
        }
    }

    static func tag(_ recipient: LiquidationFee.Recipient) -> UInt8 {
        switch recipient {
        case .insuranceFund: 0
        case .liquidator: 1
        case .feePool: 2
        }
    }

    static func tag(_ ranking: AutoDeleveragingRule.Ranking) -> UInt8 {
        switch ranking {
        case .pnlTimesLeverage: 0
        case .pnlTimesMarginRatio: 1
        case .unrealizedPnlAndLeverage: 2
        case .pseudoRandom: 3
        case .socializeProRata: 4
        }
    }

    static func tag(_ price: AutoDeleveragingRule.PriceSource) -> UInt8 {
        switch price {
        case .bankruptcy: 0
        case .mark: 1
        case .oracle: 2
        }
    }

    static let feeRecipients: [LiquidationFee.Recipient] = [.insuranceFund, .liquidator, .feePool]
    static let rankings: [AutoDeleveragingRule.Ranking] = [
        .pnlTimesLeverage, .pnlTimesMarginRatio, .unrealizedPnlAndLeverage, .pseudoRandom, .socializeProRata,
    ]
    static let adlPrices: [AutoDeleveragingRule.PriceSource] = [.bankruptcy, .mark, .oracle]
    static let venues: [VenueID] = [.binance, .bybit, .okx, .hyperliquid, .dydx, .drift, .bitmex, .generic]
}

/// Reads little-endian fields from a byte slice; every read names the field it was reading when bytes run out.
private struct SnapshotReader {
    private let bytes: ArraySlice<UInt8>
    private var offset: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.offset = bytes.startIndex
    }

    var remaining: Int { bytes.endIndex - offset }

    mutating func bytes(_ count: Int, _ field: @autoclosure () -> String) throws(EngineError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw EngineError(
                .invalidField,
                "snapshot is truncated: \(field()) needs \(count) bytes at offset \(offset - bytes.startIndex), "
                    + "\(remaining) left"
            )
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func read<T: FixedWidthInteger>(_ field: @autoclosure () -> String) throws(EngineError) -> T {
        let slice = try bytes(T.bitWidth / 8, field())
        var value: T = 0
        var shift = 0
        for byte in slice {
            value |= T(truncatingIfNeeded: byte) << shift
            shift += 8
        }
        return value
    }

    /// Fails when `count` records of at least `recordBytes` each cannot fit in the bytes left (a corrupt count
    /// must not make the reader allocate gigabytes).
    func require(_ count: Int, recordBytes: Int, _ field: String) throws(EngineError) {
        guard count <= remaining / recordBytes else {
            throw EngineError(
                .invalidField,
                "snapshot \(field) \(count) needs at least \(count) × \(recordBytes) bytes, \(remaining) left"
            )
        }
    }

    mutating func tag(_ field: @autoclosure () -> String, cases: Int) throws(EngineError) -> Int {
        let value = Int(try read(field()) as UInt8)
        guard value < cases else {
            throw EngineError(.invalidField, "snapshot \(field()) tag \(value) is not one of 0..<\(cases)")
        }
        return value
    }

    mutating func readString(_ field: String) throws(EngineError) -> String {
        let count = Int(try read(field) as UInt32)
        let slice = try bytes(count, field)
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw EngineError(.invalidField, "snapshot \(field) is not valid UTF-8")
        }
        return text
    }

    mutating func readSpec(_ field: String) throws(EngineError) -> MarketSpec {
        let symbol = try readString("\(field).symbol")
        let kind: ContractKind = try tag("\(field).kind", cases: 2) == 0 ? .linear : .inverse
        let tick = Price(raw: try read("\(field).tickSize"))
        let step = Quantity(raw: try read("\(field).stepSize"))
        let contractValue = Money(raw: try read("\(field).contractValue"))
        let countField: UInt32 = try read("\(field).tiers count")
        let sizeBounded = countField & 0x8000_0000 != 0
        let tierCount = sizeBounded ? 0 : Int(countField)
        try require(tierCount, recordBytes: 41, "\(field).tiers count")
        var sizeTiers: [PositionSizeTier] = []
        if sizeBounded {
            let count = Int(countField & 0x7FFF_FFFF)
            try require(count, recordBytes: 25, "\(field).sizeTiers count")
            for index in 0..<count {
                let name = "\(field).sizeTiers[\(index)]"
                let hasCap = try tag("\(name).sizeCap", cases: 2) == 1
                let cap = Quantity(raw: try read("\(name).sizeCap"))
                sizeTiers.append(
                    PositionSizeTier(
                        sizeCap: hasCap ? cap : nil,
                        maxLeverage: Leverage(raw: try read("\(name).maxLeverage")),
                        maintenanceMarginRate: Rate(raw: try read("\(name).maintenanceMarginRate"))
                    )
                )
            }
        }
        var tiers: [MarginTier] = []
        for index in 0..<tierCount {
            let name = "\(field).tiers[\(index)]"
            let floor = Money(raw: try read("\(name).notionalFloor"))
            let hasCap = try tag("\(name).notionalCap", cases: 2) == 1
            let cap = Money(raw: try read("\(name).notionalCap"))
            tiers.append(
                MarginTier(
                    notionalFloor: floor,
                    notionalCap: hasCap ? cap : nil,
                    maxLeverage: Leverage(raw: try read("\(name).maxLeverage")),
                    maintenanceMarginRate: Rate(raw: try read("\(name).maintenanceMarginRate")),
                    maintenanceDeduction: Money(raw: try read("\(name).maintenanceDeduction"))
                )
            )
        }
        let table: MarginTierTable
        do {
            table = sizeBounded ? try MarginTierTable(sizeTiers: sizeTiers) : try MarginTierTable(tiers: tiers)
        } catch {
            throw EngineError(.invalidField, "snapshot \(field).tiers: \(error.message)")
        }
        let source = try readString("\(field).tierSource")
        let model = try tag("\(field).marginModel", cases: 2) == 1 ? try readMarginModel("\(field).marginModel") : nil
        return MarketSpec(
            symbol: symbol,
            kind: kind,
            tickSize: tick,
            stepSize: step,
            contractValue: contractValue,
            tiers: table,
            tierSource: source,
            marginModel: model
        )
    }

    mutating func readMarginModel(_ field: String) throws(EngineError) -> MarginModel {
        switch try tag(field, cases: 4) {
        case 0: return .tiered
        case 1: return .hyperliquid
        case 2:
            return .dydx(
                initialMarginPpm: try read("\(field).initialMarginPpm"),
                maintenanceFractionPpm: try read("\(field).maintenanceFractionPpm"),
                openInterestLowerCap: Money(raw: try read("\(field).openInterestLowerCap")),
                openInterestUpperCap: Money(raw: try read("\(field).openInterestUpperCap"))
            )
        default:
            return .drift(
                initialRatioBps: try read("\(field).initialRatioBps"),
                maintenanceRatioBps: try read("\(field).maintenanceRatioBps"),
                imfFactor: try read("\(field).imfFactor")
            )
        }
    }

    mutating func readProfile(_ field: String, version: UInt32) throws(EngineError) -> VenueProfile {
        let id = SnapshotTags.venues[try tag("\(field).id", cases: SnapshotTags.venues.count)]
        let model = try readMarginModel("\(field).marginModel")
        let trigger: LiquidationTrigger =
            try tag("\(field).liquidationTrigger", cases: 2) == 0 ? .markPrice : .oraclePrice
        let procedure: LiquidationProcedure
        switch try tag("\(field).liquidationProcedure", cases: version >= 2 ? 5 : 4) {
        case 0: procedure = .full
        case 1:
            procedure = .partialSteps(
                fraction: Rate(raw: try read("\(field).liquidationProcedure.fraction")),
                thresholdNotional: Money(raw: try read("\(field).liquidationProcedure.thresholdNotional"))
            )
        case 2: procedure = .tierStepDown
        case 3:
            procedure = .perSweepLimit(
                maxNotionalPerSweep: Money(raw: try read("\(field).liquidationProcedure.maxNotionalPerSweep")),
                minNotional: Money(raw: try read("\(field).liquidationProcedure.minNotional"))
            )
        default:
            procedure = .blockLimits(
                positionPortion: Rate(raw: try read("\(field).liquidationProcedure.positionPortion")),
                minPositionNotional: Money(raw: try read("\(field).liquidationProcedure.minPositionNotional")),
                maxNotionalPerAccount: Money(raw: try read("\(field).liquidationProcedure.maxNotionalPerAccount")),
                maxInsuranceLossPerAccount: Money(
                    raw: try read("\(field).liquidationProcedure.maxInsuranceLossPerAccount")
                )
            )
        }
        let fee = LiquidationFee(
            rate: Rate(raw: try read("\(field).liquidationFee.rate")),
            recipient: SnapshotTags.feeRecipients[
                try tag("\(field).liquidationFee.recipient", cases: SnapshotTags.feeRecipients.count)
            ],
            cappedAtRemainingMargin: try tag("\(field).liquidationFee.cappedAtRemainingMargin", cases: 2) == 1,
            takesRemainingMargin: version >= 2
                ? try tag("\(field).liquidationFee.takesRemainingMargin", cases: 2) == 1 : false
        )
        let closingFeeRate = Rate(raw: try read("\(field).closingFeeRate"))
        let basis: MaintenanceBasis =
            try tag("\(field).maintenanceBasis", cases: 2) == 0 ? .liquidationPrice : .entryValue
        let scope: InsuranceFundScope = try tag("\(field).insuranceFundScope", cases: 2) == 0 ? .shared : .perMarket
        let ranking = SnapshotTags.rankings[
            try tag("\(field).autoDeleveraging.ranking", cases: SnapshotTags.rankings.count)
        ]
        let adlPrice = SnapshotTags.adlPrices[
            try tag("\(field).autoDeleveraging.price", cases: SnapshotTags.adlPrices.count)
        ]
        let formula: FundingRule.Formula
        switch try tag("\(field).funding.formula", cases: 3) {
        case 0:
            formula = .premiumPlusClampedInterest(
                interest: Rate(raw: try read("\(field).funding.interest")),
                clamp: Rate(raw: try read("\(field).funding.clamp")),
                cap: Rate(raw: try read("\(field).funding.cap"))
            )
        case 1: formula = .clampedPremium(cap: Rate(raw: try read("\(field).funding.cap")))
        default:
            formula = .twapSpread(
                offsetDenominator: try read("\(field).funding.offsetDenominator"),
                cap: Rate(raw: try read("\(field).funding.cap"))
            )
        }
        let interval: Int64 = try read("\(field).funding.intervalSeconds")
        let rateInterval: Int64 = try read("\(field).funding.rateIntervalSeconds")
        let fundingBasis: FundingRule.Basis = try tag("\(field).funding.basis", cases: 2) == 0 ? .mark : .oracle
        let sourceCount = Int(try read("\(field).sources count") as UInt32)
        try require(sourceCount, recordBytes: 4, "\(field).sources count")
        var sources: [String] = []
        for index in 0..<sourceCount { sources.append(try readString("\(field).sources[\(index)]")) }
        return VenueProfile(
            id: id,
            marginModel: model,
            liquidationTrigger: trigger,
            liquidationProcedure: procedure,
            liquidationFee: fee,
            closingFeeRate: closingFeeRate,
            maintenanceBasis: basis,
            insuranceFundScope: scope,
            autoDeleveraging: AutoDeleveragingRule(ranking: ranking, price: adlPrice),
            funding: FundingRule(
                formula: formula,
                intervalSeconds: interval,
                rateIntervalSeconds: rateInterval,
                basis: fundingBasis
            ),
            sources: sources
        )
    }
}
