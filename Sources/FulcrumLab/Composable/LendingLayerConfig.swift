public import FulcrumCore

/// The lending layer of a cascade scenario: Aave-v3-rules markets whose keepers trade on the same liquidity as the
/// perpetual liquidations. Fields are documented with units and defaults in `docs/SCENARIO.md`.
public struct LendingLayerConfig: Sendable, Hashable {
    /// The markets (at least one).
    public var markets: [LendingMarketConfig]
    /// Gas cost of one liquidation transaction (quote), paid by the keeper.
    public var gasCost: Money
    /// Smallest profit after gas a keeper accepts (quote): smaller liquidations are left undone.
    public var minimumProfit: Money
    /// Most lending liquidations per step across all markets (block space).
    public var maxLiquidationsPerStep: Int
    /// Backstop (safety module / insurance) for lenders' deficits (quote): one fund when ``sharing`` is
    /// ``PoolSharing/shared``, split equally per market when isolated.
    public var backstop: Money
    /// Whether markets share lenders and backstop.
    public var sharing: PoolSharing
    /// Base reserve of the constant-product pool that ``LendingAssetSource/ammLP`` collateral claims (traded-asset
    /// units; the quote leg is this × the start price). `nil`: the scenario's constant-product AMM depth × depth
    /// scale (required when the liquidity is an order book or a vAMM).
    public var lpPoolBaseReserve: Quantity?

    /// Creates a configuration.
    public init(
        markets: [LendingMarketConfig],
        gasCost: Money = Money(raw: 20 * 100_000_000),
        minimumProfit: Money = .zero,
        maxLiquidationsPerStep: Int = 50,
        backstop: Money = .zero,
        sharing: PoolSharing = .shared,
        lpPoolBaseReserve: Quantity? = nil
    ) {
        self.markets = markets
        self.gasCost = gasCost
        self.minimumProfit = minimumProfit
        self.maxLiquidationsPerStep = maxLiquidationsPerStep
        self.backstop = backstop
        self.sharing = sharing
        self.lpPoolBaseReserve = lpPoolBaseReserve
    }

    /// Checks every field.
    ///
    /// - Throws: ``LabError`` naming the field and value.
    public func validate() throws(LabError) {
        guard !markets.isEmpty, markets.count <= 16 else {
            throw LabError("lending.markets has \(markets.count) entries; must be 1...16")
        }
        var names = Set<String>()
        for (i, m) in markets.enumerated() {
            try m.validate(index: i)
            guard names.insert(m.name).inserted else {
                throw LabError("lending.markets[\(i)].name \(m.name) is repeated")
            }
        }
        guard !gasCost.isNegative else { throw LabError("lending.gasCost \(gasCost) must be ≥ 0") }
        guard !minimumProfit.isNegative else { throw LabError("lending.minimumProfit \(minimumProfit) must be ≥ 0") }
        guard maxLiquidationsPerStep >= 1 else {
            throw LabError("lending.maxLiquidationsPerStep \(maxLiquidationsPerStep) must be ≥ 1")
        }
        guard !backstop.isNegative else { throw LabError("lending.backstop \(backstop) must be ≥ 0") }
        if let base = lpPoolBaseReserve, !base.isPositive {
            throw LabError("lending.lpPoolBaseReserve \(base) must be positive")
        }
    }
}
