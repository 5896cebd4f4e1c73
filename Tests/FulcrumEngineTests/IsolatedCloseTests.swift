import FulcrumCore
import FulcrumEngine
import Testing

private typealias F = Fixture

/// A trade that closes an isolated position is held to the same rule as one that reduces it: the pool must not end
/// with negative equity. Found by the lab on OKX rules (`VenueTests.everyLinearVenueRunsTheDefaultScenario`): a
/// deleveraging agent closed an isolated long below its bankruptcy price, and the deficit moved into the wallet of a
/// flat account (invariant 4 of ``ClearingEngine/checkInvariants()``), a loss neither covered nor socialized.
@Suite("Closing an isolated position past bankruptcy")
struct IsolatedCloseTests {
    /// Account 1 opens 10 long at 100 isolated with 20× leverage (isolated margin 50, bankruptcy price 95) against
    /// account 2; account 3 is a bystander; the mark then falls to `mark`.
    private func opened(mark: String) throws -> ClearingEngine {
        var engine = try F.engine(deposits: ["100000", "1000", "1000", "1000"])
        try F.step(&engine, .setMarginMode(account: F.a(1), market: F.btc, mode: .isolated))
        try F.step(&engine, F.trade(1, 2, "10", "100"))
        #expect(engine.position(F.a(1), F.btc).isolatedMargin == F.money("50"))
        try F.step(&engine, .markPrice(market: F.btc, price: F.price(mark)))
        return engine
    }

    @Test func aCloseBelowBankruptcyIsRefusedAndChangesNothing() throws {
        var engine = try opened(mark: "100")
        let before = engine.stateHash
        // Selling 10 at 94.9 realizes −51 against an isolated margin of 50.
        F.expectRejected(&engine, F.trade(2, 1, "10", "94.9"), .insufficientMargin, mentioning: "negative equity")
        #expect(engine.stateHash == before)
        #expect(engine.balances[1] == F.money("950"))
        try engine.checkInvariants()
    }

    @Test func aCloseAtBankruptcyIsAcceptedAndLeavesTheWalletWhole() throws {
        var engine = try opened(mark: "100")
        // At 95 the loss is exactly the isolated margin: the pool ends at zero, the wallet keeps 950.
        try F.step(&engine, F.trade(2, 1, "10", "95"))
        #expect(engine.position(F.a(1), F.btc).size == .zero)
        #expect(engine.balances[1] == F.money("950"))
        try engine.checkInvariants()
    }

    @Test func aPartialReductionBelowBankruptcyWasAlreadyRefused() throws {
        var engine = try opened(mark: "100")
        F.expectRejected(&engine, F.trade(2, 1, "5", "80"), .insufficientMargin, mentioning: "negative equity")
    }
}
