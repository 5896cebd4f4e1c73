import FulcrumCore
import FulcrumEngine
import FulcrumIO

/// Building commands from request bodies, shared by the single-write routes and `POST /v1/batch`.
extension WriteCommand {
    /// The members of a `POST /v1/fills` body.
    static let fillFields = ["market", "buyer", "seller", "size", "price", "buyerFee", "sellerFee"]
    /// The members of a `POST /v1/prices` body.
    static let pricesFields = ["market", "index", "mark"]
    /// The members of a `POST /v1/funding` body.
    static let fundingFields = ["market", "premium", "rate", "markTwap", "oracleTwap"]

    /// A matched trade from a `POST /v1/fills` body (`extra` members, e.g. a batch item's `type`, are allowed).
    static func fill(_ object: RequestObject, extra: [String] = []) throws(APIError) -> WriteCommand {
        try object.only(fillFields + extra)
        return .trade(
            market: try object.symbol("market"),
            buyer: try object.account("buyer"),
            seller: try object.account("seller"),
            size: try object.decimal("size"),
            price: try object.decimal("price"),
            buyerFee: try object.optionalDecimal("buyerFee") ?? .zero,
            sellerFee: try object.optionalDecimal("sellerFee") ?? .zero
        )
    }

    /// An oracle update from a `POST /v1/prices` body: index and/or mark (their sign is checked when applied,
    /// after the market: an unknown market answers 422 first).
    static func prices(_ object: RequestObject, extra: [String] = []) throws(APIError) -> WriteCommand {
        try object.only(pricesFields + extra)
        let index: Price? = try object.optionalDecimal("index")
        let mark: Price? = try object.optionalDecimal("mark")
        guard index != nil || mark != nil else {
            throw .badRequest("missing-field", field: "index", value: nil, "send index, mark or both")
        }
        return .prices(market: try object.symbol("market"), index: index, mark: mark)
    }

    /// A funding payment from a `POST /v1/funding` body.
    static func funding(_ object: RequestObject, extra: [String] = []) throws(APIError) -> WriteCommand {
        try object.only(fundingFields + extra)
        let inputs = FundingInputs(
            premium: try object.optionalDecimal("premium") ?? .zero,
            markTWAP: try object.optionalDecimal("markTwap") ?? .zero,
            oracleTWAP: try object.optionalDecimal("oracleTwap") ?? .zero,
            rateOverride: try object.optionalDecimal("rate")
        )
        return .funding(market: try object.symbol("market"), inputs: inputs)
    }
}
