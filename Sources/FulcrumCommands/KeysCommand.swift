public import ArgumentParser
import Foundation
import FulcrumServer
import FulcrumStore

/// `fulcrum keys`: manage API keys of `fulcrum serve`.
public struct KeysCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage API keys of `fulcrum serve`.",
        subcommands: [KeysCreateCommand.self]
    )

    public init() {}
}

/// `fulcrum keys create`: print a new API key once (only its SHA-256 is stored).
public struct KeysCreateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an API key and print it once (only its SHA-256 is stored).",
        discussion: "Roles: trader (needs --account; only that account), oracle (prices, funding), operator, read-only."
    )

    @Option(help: "trader, oracle, operator or read-only.")
    public var role: String

    @Option(help: "The account a trader key is scoped to.")
    public var account: Int64?

    @Option(help: "Directory of the SQLite log.")
    public var data = "./fulcrum-data"

    @Option(help: "postgres://… instead of SQLite.")
    public var database: String?

    public init() {}

    public func validate() throws {
        guard let parsed = APIKeyRole(rawValue: role) else {
            throw ValidationError("--role \"\(role)\" must be trader, oracle, operator or read-only")
        }
        if parsed == .trader, account == nil { throw ValidationError("--role trader needs --account ID") }
        if parsed != .trader, let account {
            throw ValidationError("--account \(account) is only for trader keys (role \(role))")
        }
        if let account, account < 0 || account > Int64(UInt32.max) {
            throw ValidationError("--account \(account) must be in 0...\(UInt32.max)")
        }
    }

    public func run() throws {
        guard let parsed = APIKeyRole(rawValue: role) else { throw ExitCode(2) }
        let (account, data, database) = (account, data, database)
        do {
            let key = try ServeBlocking.run {
                let issued = try APIKeys.issue(
                    role: parsed,
                    account: account,
                    createdAtMilliseconds: ServeBlocking.nowMilliseconds()
                )
                let log = try await EventLogFactory.open(databaseURL: database, dataDirectory: data, fsync: .full)
                do {
                    try await log.insertAPIKey(issued.record)
                } catch {
                    try? await log.close()
                    throw error
                }
                try await log.close()
                return issued.key
            }
            print(key)
        } catch {
            ServeBlocking.printError("fulcrum keys create: \(error)")
            throw ExitCode(1)
        }
    }
}
