import FulcrumCore
import FulcrumIO

/// The body of `POST /v1/batch`: `{"items":[{"type":"fill",…},{"type":"prices",…},…]}`, validated whole before
/// anything is applied.
///
/// Each item is the body of its single-write route plus a `type`: `fill` (`POST /v1/fills`), `prices`
/// (`POST /v1/prices`), `funding` (`POST /v1/funding`), `deposit` and `withdrawal` (the account's deposits and
/// withdrawals, with the account as an `account` member instead of the path). A malformed item answers 400 naming
/// the field as `items[3].price`; then nothing is applied.
struct WriteBatch: Sendable {
    /// Most items in one batch.
    static let maxItems = 256
    /// The item types, in the order the documentation lists them.
    static let types = ["fill", "prices", "funding", "deposit", "withdrawal"]

    /// The commands, in body order.
    var commands: [WriteCommand]

    /// Parses and validates a batch body.
    ///
    /// - Throws: ``APIError`` 400 naming `items` or `items[i].field`.
    init(_ object: RequestObject) throws(APIError) {
        try object.only(["items"])
        guard let member = object["items"] else {
            throw .badRequest("missing-field", field: "items", value: nil, "items is required")
        }
        guard case .array(let values) = member else {
            throw .badRequest(
                "invalid-type",
                field: "items",
                value: RequestObject.shown(member),
                "items must be an array of 1–\(Self.maxItems) write objects"
            )
        }
        guard !values.isEmpty, values.count <= Self.maxItems else {
            throw .badRequest(
                "out-of-range",
                field: "items",
                value: String(values.count),
                "items must hold 1–\(Self.maxItems) writes (got \(values.count))"
            )
        }
        var commands: [WriteCommand] = []
        commands.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            do throws(APIError) {
                commands.append(try Self.command(value))
            } catch {
                throw Self.located(error, index: index)
            }
        }
        self.commands = commands
    }

    /// One item as a command.
    private static func command(_ value: EventJSONValue) throws(APIError) -> WriteCommand {
        guard case .object = value else {
            throw .badRequest(
                "invalid-type",
                field: nil,
                value: RequestObject.shown(value),
                "an item must be an object"
            )
        }
        let object = try RequestObject(value: value)
        let type = try object.string("type")
        let extra = ["type"]
        switch type {
        case "fill":
            return try WriteCommand.fill(object, extra: extra)
        case "prices":
            return try WriteCommand.prices(object, extra: extra)
        case "funding":
            return try WriteCommand.funding(object, extra: extra)
        case "deposit":
            try object.only(["type", "account", "amount"])
            return .deposit(account: try object.account("account"), amount: try object.decimal("amount"))
        case "withdrawal":
            try object.only(["type", "account", "amount"])
            return .withdraw(account: try object.account("account"), amount: try object.decimal("amount"))
        default:
            throw .badRequest(
                "invalid-enum",
                field: "type",
                value: type,
                "type must be one of \(types.joined(separator: ", "))"
            )
        }
    }

    /// `error` with its field placed inside item `index` (`price` → `items[3].price`).
    static func located(_ error: APIError, index: Int) -> APIError {
        var located = error
        let item = "items[\(index)]"
        located.field = error.field.map { item + "." + $0 } ?? item
        located.message = item + ": " + error.message
        return located
    }
}
