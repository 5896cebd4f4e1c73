public import FulcrumCore

/// A borrower's position for `lend health`: collateral and debt legs with prices and risk parameters.
///
/// Amounts, prices and fractions are 8-decimal fixed point. Per protocol, `ltv`/`liquidationThreshold`/
/// `liquidationBonus` mean: Aave — LTV, threshold and bonus (a bonus below 1 is the premium, `0.05`; at or above
/// 1 it is Aave's stored form, `1.05`); Compound III — borrow collateral factor, liquidate collateral factor,
/// liquidation factor; Morpho — the threshold is the LLTV; Maker — the threshold is `1/mat` unless
/// `parameters["liquidationRatio"]` gives `mat`.
public struct LendingPosition: Sendable, Hashable {
    /// One collateral asset.
    public struct Collateral: Sendable, Hashable {
        /// Asset symbol.
        public var asset: String
        /// Amount in token units.
        public var amount: Quantity
        /// Price in the base currency (USD).
        public var price: Price
        /// Loan-to-value (fraction).
        public var ltv: Rate
        /// Liquidation threshold (fraction).
        public var liquidationThreshold: Rate
        /// Liquidation bonus (see the type's note).
        public var liquidationBonus: Rate

        /// Creates a leg.
        public init(
            asset: String,
            amount: Quantity,
            price: Price,
            ltv: Rate,
            liquidationThreshold: Rate,
            liquidationBonus: Rate
        ) {
            self.asset = asset
            self.amount = amount
            self.price = price
            self.ltv = ltv
            self.liquidationThreshold = liquidationThreshold
            self.liquidationBonus = liquidationBonus
        }
    }

    /// One debt asset.
    public struct Debt: Sendable, Hashable {
        /// Asset symbol.
        public var asset: String
        /// Amount owed in token units.
        public var amount: Quantity
        /// Price in the base currency (USD).
        public var price: Price

        /// Creates a leg.
        public init(asset: String, amount: Quantity, price: Price) {
            self.asset = asset
            self.amount = amount
            self.price = price
        }
    }

    /// Collateral legs, in file order.
    public var collateral: [Collateral]
    /// Debt legs, in file order.
    public var debt: [Debt]
    /// Protocol-specific numbers (`liquidationProtocolFee`, `storeFrontPriceFactor`, `chop`, `tip`, `chip`,
    /// `liquidationRatio`, `hole`).
    public var parameters: [String: Rate]

    /// Creates a position.
    public init(collateral: [Collateral], debt: [Debt], parameters: [String: Rate] = [:]) {
        self.collateral = collateral
        self.debt = debt
        self.parameters = parameters
    }
}
