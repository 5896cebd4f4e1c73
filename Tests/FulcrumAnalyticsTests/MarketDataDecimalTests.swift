import FulcrumIO
import Testing

struct MarketDataDecimalTests {
    static func parse(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { MarketDataDecimal.parseFixed($0, from: 0, to: bytes.count) }
    }

    @Test(arguments: [
        // Values as they appear in the shared Binance files (float artefacts rounded half-even to 8 decimals).
        ("103319.73000000001", Int64(10_331_973_000_000)),
        ("9.657e-05", 9_657),
        ("103263.55043478", 10_326_355_043_478),
        ("0.0001", 10_000),
        ("-0.00015178", -15_178),
        ("3.5904000000000003", 359_040_000),
        ("0.000000005", 0),  // tie → even (0)
        ("0.000000015", 2),  // tie → even (2)
        ("0.0000000150000001", 2),  // above the tie → up
        ("-0.000000025", -2),
        ("1e3", 100_000_000_000),
        ("42", 4_200_000_000),
    ])
    func parsesAndRoundsHalfEven(text: String, raw: Int64) {
        #expect(Self.parse(text) == raw)
    }

    @Test(arguments: ["", "-", "abc", "1.2.3", "1e", "99999999999999999999"])
    func rejectsNonNumbers(text: String) {
        #expect(Self.parse(text) == nil)
    }
}
