public import Foundation
import FulcrumCore
public import FulcrumProofs

/// Reads the accounts to commit from a state JSON file.
///
/// Accepted shape (decimal strings for money, so nothing passes through binary floating point):
/// `{"accounts": [{"id": 1, "equity": "123.45", "maintenanceMargin": "10"}, …]}`. The replay report's field
/// names are accepted as aliases: `account` for `id`, `crossEquity` for `equity`, `crossMaintenance` for
/// `maintenanceMargin` (see docs/PROOFS.md for converting `fulcrum replay --json` output).
public enum ProofStateFile {
    /// Parses the accounts of a state file's bytes.
    ///
    /// - Throws: ``ProofError`` (`.invalidInput`) naming the field (`accounts[3].equity`) and the value.
    public static func accounts(from data: Data) throws(ProofError) -> [LiabilityAccount] {
        do {
            return try JSONDecoder().decode(StateDocument.self, from: data).accounts.map(\.account)
        } catch let error as ProofError {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            throw ProofError(.invalidInput, "\(path(context.codingPath + [key])) is missing")
        } catch let DecodingError.typeMismatch(_, context) {
            throw ProofError(.invalidInput, "\(path(context.codingPath)) has the wrong type")
        } catch let DecodingError.valueNotFound(_, context) {
            throw ProofError(.invalidInput, "\(path(context.codingPath)) is null")
        } catch {
            throw ProofError(.invalidInput, "state is not valid JSON")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        var text = "state"
        for key in keys {
            if let index = key.intValue { text += "[\(index)]" } else { text += ".\(key.stringValue)" }
        }
        return text == "state" ? text : String(text.dropFirst("state.".count))
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    struct StateDocument: Decodable {
        var accounts: [Row]
    }

    struct Row: Decodable {
        var account: LiabilityAccount

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            let here = ProofStateFile.path(decoder.codingPath)
            let idKey = try Self.key(in: container, ["id", "account"], at: here)
            let id: UInt64
            do {
                id = try container.decode(UInt64.self, forKey: idKey)
            } catch {
                throw ProofError(.invalidInput, "\(here).\(idKey.stringValue) must be a non-negative integer")
            }
            let equity = try Self.money(container, ["equity", "crossEquity"], at: here)
            let maintenance = try Self.money(container, ["maintenanceMargin", "crossMaintenance"], at: here)
            account = LiabilityAccount(id: id, equity: equity, maintenanceMargin: maintenance)
        }

        static func key(in container: KeyedDecodingContainer<Key>, _ names: [String], at here: String) throws -> Key {
            guard let name = names.first(where: { container.contains(Key(stringValue: $0)) }) else {
                throw ProofError(.invalidInput, "\(here).\(names[0]) is missing")
            }
            return Key(stringValue: name)
        }

        static func money(_ container: KeyedDecodingContainer<Key>, _ names: [String], at here: String) throws -> Money
        {
            let key = try key(in: container, names, at: here)
            let field = "\(here).\(key.stringValue)"
            guard let text = try? container.decode(String.self, forKey: key) else {
                let shown = (try? container.decode(Double.self, forKey: key)).map { " \($0)" } ?? ""
                throw ProofError(
                    .invalidInput,
                    "\(field)\(shown) must be a decimal string such as \"123.45\" (JSON numbers lose precision)"
                )
            }
            do {
                return try Money(parsing: text, field: field)
            } catch {
                throw ProofError(.invalidInput, error.message)
            }
        }
    }
}
