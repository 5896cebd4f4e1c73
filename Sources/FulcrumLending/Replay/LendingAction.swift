/// One user or keeper action in a lending event stream. Amounts are exact decimal text in token units (converted
/// with the asset's decimals by the market); `nil` means "all" where the protocol allows it.
public enum LendingAction: Sendable, Hashable {
    /// Deposit (Aave supply, Comet supply of base or collateral, Maker lock, Morpho supply or supplyCollateral).
    case supply(user: String, asset: String, amount: String)
    /// Withdraw (Maker free, Morpho withdraw or withdrawCollateral).
    case withdraw(user: String, asset: String, amount: String?)
    /// Borrow (Comet: withdraw base past zero; Maker: draw DAI).
    case borrow(user: String, asset: String, amount: String)
    /// Repay (Comet: supply base; Maker: wipe).
    case repay(user: String, asset: String, amount: String?)
    /// Oracle update (Aave/Comet: USD with 8 decimals; Maker: DAI per unit; Morpho: loan units per collateral unit).
    case price(asset: String, price: String)
    /// Move the clock (accrue interest / stability fees) — time is carried by ``LendingEvent/time``.
    case accrue
    /// Liquidate (Aave `liquidationCall` with `amount` = debtToCover; Comet `absorb`; Maker `bark`;
    /// Morpho `liquidate` repaying `amount` of loan assets, or everything the collateral allows).
    case liquidate(liquidator: String, user: String, collateralAsset: String, debtAsset: String, amount: String?)
    /// Comet `buyCollateral` for `baseAmount`.
    case buyCollateral(buyer: String, asset: String, baseAmount: String)
    /// Maker `Clipper.take`: `amount` collateral at most at `maxPrice` (DAI per unit).
    case take(auction: Int, amount: String, maxPrice: String)
    /// Maker `Clipper.redo`.
    case redo(auction: Int, keeper: String)
    /// Aave `setUserEMode`.
    case setEMode(user: String, category: UInt8)
}
