import Foundation
public import FulcrumLending

/// The lending events JSONL codec and replay driver (`fulcrum lend replay`). Format: docs/LENDING.md.
///
/// Setup lines (`reserve`, `eMode` for Aave; `market`, `asset` for Compound III; `ilk` for Maker; `market` for
/// Morpho) build the protocol state; action lines (`supply`, `withdraw`, `borrow`, `repay`, `price`, `accrue`,
/// `liquidate`, `buyCollateral`, `take`, `redo`, `setEMode`) are applied in order through
/// ``FulcrumLending/LendingMarket/apply(_:)``. A malformed line is an error naming the line; an action the protocol
/// rejects is recorded with its reason and leaves the state unchanged.
public enum LendEventFile {
    /// One processed line.
    public struct Outcome: Sendable, Hashable {
        /// 1-based line number.
        public var line: Int
        /// The effect, or `nil` when rejected.
        public var effect: LendingEffect?
        /// The rejection reason, when rejected.
        public var rejection: String?
    }

    /// The result of a replay.
    public struct Result: Sendable {
        /// Outcomes of the action lines, in order.
        public var outcomes: [Outcome]
        /// The final state.
        public var market: LendingMarket?
        /// Number of rejected actions.
        public var rejected: Int { outcomes.filter { $0.rejection != nil }.count }
    }

    /// Replays `text` (JSON lines) under `kind`.
    public static func replay(_ text: String, protocol kind: LendingProtocolKind) throws -> Result {
        var market: LendingMarket?
        var outcomes: [Outcome] = []
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let ctx = "line \(number)"
            guard let data = line.data(using: .utf8),
                let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            else { throw LendFileError("\(ctx): not a JSON object: \(line.prefix(80))") }
            let type = try LendJSON.string(object, "type", context: ctx)
            if try LendSetup.apply(type, object, protocol: kind, market: &market, context: ctx) { continue }
            guard market != nil else { throw LendFileError("\(ctx): \(type) before any market setup line") }
            let event = try action(type, object, context: ctx)
            do {
                let effect = try market!.apply(event)
                outcomes.append(Outcome(line: number, effect: effect, rejection: nil))
            } catch let error as LendingError {
                outcomes.append(Outcome(line: number, effect: nil, rejection: error.description))
            } catch {
                outcomes.append(Outcome(line: number, effect: nil, rejection: "\(error)"))
            }
        }
        return Result(outcomes: outcomes, market: market)
    }

    static func action(_ type: String, _ o: [String: Any], context ctx: String) throws -> LendingEvent {
        let time: UInt64? = try LendJSON.integer(o, "time", context: ctx).map { UInt64($0) }
        func str(_ key: String) throws -> String { try LendJSON.string(o, key, context: ctx) }
        func amount(_ key: String = "amount") throws -> String? {
            let t = try LendJSON.decimalText(o[key], field: key, context: ctx)
            return t == "max" ? nil : t
        }
        func required(_ key: String = "amount") throws -> String {
            guard let t = try amount(key) else { throw LendFileError("\(ctx): missing \(key)") }
            return t
        }
        let action: LendingAction
        switch type {
        case "supply": action = .supply(user: try str("user"), asset: try str("asset"), amount: try required())
        case "withdraw": action = .withdraw(user: try str("user"), asset: try str("asset"), amount: try amount())
        case "borrow": action = .borrow(user: try str("user"), asset: try str("asset"), amount: try required())
        case "repay": action = .repay(user: try str("user"), asset: try str("asset"), amount: try amount())
        case "price": action = .price(asset: try str("asset"), price: try required("price"))
        case "accrue":
            guard time != nil else { throw LendFileError("\(ctx): accrue needs a time") }
            action = .accrue
        case "liquidate":
            action = .liquidate(
                liquidator: (o["liquidator"] as? String) ?? "liquidator",
                user: try str("user"),
                collateralAsset: (o["collateralAsset"] as? String) ?? "",
                debtAsset: (o["debtAsset"] as? String) ?? "",
                amount: try amount()
            )
        case "buyCollateral":
            action = .buyCollateral(
                buyer: (o["buyer"] as? String) ?? "buyer",
                asset: try str("asset"),
                baseAmount: try required("baseAmount")
            )
        case "take":
            guard let id = try LendJSON.integer(o, "auction", context: ctx) else {
                throw LendFileError("\(ctx): missing auction")
            }
            action = .take(auction: id, amount: try required(), maxPrice: try required("maxPrice"))
        case "redo":
            guard let id = try LendJSON.integer(o, "auction", context: ctx) else {
                throw LendFileError("\(ctx): missing auction")
            }
            action = .redo(auction: id, keeper: (o["keeper"] as? String) ?? "keeper")
        case "setEMode":
            guard let c = try LendJSON.integer(o, "category", context: ctx), c <= 255 else {
                throw LendFileError("\(ctx): category must be 0...255")
            }
            action = .setEMode(user: try str("user"), category: UInt8(c))
        default:
            throw LendFileError("\(ctx): unknown type \"\(type)\"")
        }
        return LendingEvent(time: time, action: action)
    }
}
