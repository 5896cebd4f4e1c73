import FulcrumCore

/// One Aave account: scaled balances per asset, collateral flags and e-mode category.
public struct AaveUser: Sendable, Hashable {
    /// Scaled aToken balances by asset.
    public var scaledSupply: [String: UInt128] = [:]
    /// Scaled variable-debt balances by asset.
    public var scaledDebt: [String: UInt128] = [:]
    /// Assets enabled as collateral.
    public var collateralEnabled: Set<String> = []
    /// E-mode category (0 = none).
    public var eModeCategory: UInt8 = 0

    /// An empty account.
    public init() {}
}
