public import ArgumentParser

/// `fulcrum bench`: run the standard performance workloads and print items/s, ns/item and bytes/account.
public struct BenchCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run the standard performance workloads (liqprice, cross-check, backtest-year, cascade)."
    )

    public init() {}

    public func run() throws {
        throw ValidationError("fulcrum bench is not built yet")
    }
}
