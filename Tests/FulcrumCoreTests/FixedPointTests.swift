import FulcrumCore
import Testing

@Suite("Fixed point")
struct FixedPointTests {
    @Test func decimalSumIsExact() throws {
        let a = try Money(parsing: "0.1")
        let b = try Money(parsing: "0.2")
        #expect((a + b).description == "0.3")
    }
}
