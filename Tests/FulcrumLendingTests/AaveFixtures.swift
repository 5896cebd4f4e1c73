@testable import FulcrumLending

/// The aave-dao/aave-v3-origin test listing (`tests/mocks/AaveV3TestListing.sol`, per lending.md §1.8): USDX (6 dec,
/// $1), WBTC (8 dec, $27,000), WETH (18 dec, $1,800); LTV 82.5%, LT 86%, bonus 5%, RF 10%, protocol fee 10%;
/// rates: optimal 45%, base 0, slope1 4%, slope2 60%.
enum AaveFixtures {
    static let e6: UInt128 = 1_000_000
    static let e8: UInt128 = 100_000_000
    static let e18: UInt128 = 1_000_000_000_000_000_000

    static func pool(_ version: AaveVersion, protocolFee: UInt128 = 1_000) throws -> AavePool {
        var pool = AavePool(version: version)
        let strategy = try AaveRateStrategy(optimalUsageBps: 4_500, baseBps: 0, slope1Bps: 400, slope2Bps: 6_000)
        for (symbol, decimals, price) in [("USDX", 6, 1 * e8), ("WBTC", 8, 27_000 * e8), ("WETH", 18, 1_800 * e8)] {
            let config = try AaveReserveConfig(
                symbol: symbol,
                decimals: decimals,
                ltv: 8_250,
                liquidationThreshold: 8_600,
                liquidationBonus: 10_500,
                reserveFactor: 1_000,
                liquidationProtocolFee: protocolFee,
                rateStrategy: strategy
            )
            try pool.listReserve(config, price: price)
        }
        try pool.supply(user: "lender", asset: "USDX", amount: 1_000_000 * e6)
        return pool
    }

    /// `wethAmount` WETH supplied, `usdx` borrowed, then WETH repriced to `price`.
    static func position(_ version: AaveVersion, weth: UInt128, usdx: UInt128, price: UInt128) throws -> AavePool {
        var pool = try pool(version)
        try pool.supply(user: "alice", asset: "WETH", amount: weth)
        try pool.borrow(user: "alice", asset: "USDX", amount: usdx)
        try pool.setPrice("WETH", price)
        return pool
    }
}
