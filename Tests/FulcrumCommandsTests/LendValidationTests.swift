import Foundation
import FulcrumIO
import FulcrumLending
import Testing

/// Recomputes the recorded Aave v2 health factors in `shared/data` (docs/VALIDATION.md (Lending protocols) reports the numbers).
struct LendValidationTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func locate(_ path: String) -> URL? {
        guard let url = DataDirectory.file(path, packageRoot: packageRoot) else {
            print("NOTICE: \(path) not found under FULCRUM_DATA or ../shared/data; skipping the Aave v2 validation")
            return nil
        }
        return url
    }

    static func relativeError(_ a: UInt128, _ b: UInt128) -> Double {
        let diff = a > b ? a - b : b - a
        return Double(diff) / Double(max(b, 1))
    }

    // credprotocol/Aave-V2-Health-Factor-Dataset: HF = Σ aBalance·price·LT / Σ debt·price per row.
    @Test func credProtocolHealthFactors() throws {
        guard let url = Self.locate("aave-v2-health-factor-credprotocol/0x01acb3804ba9c42111c6e9c127831eb486ca1ac7.csv")
        else {
            #expect(!DataDirectory.isCI, "shared data is required in CI")
            return
        }
        let checks = try LendAaveV2Data.credProtocol(url)
        let errors = checks.map { Self.relativeError($0.recomputed ?? 0, $0.recorded) }
        let exact = errors.filter { $0 < 1e-9 }.count
        let maxError = errors.max() ?? 0
        print(
            "credprotocol: \(checks.count) rows with debt, \(exact) within 1e-9 relative, max relative error \(maxError)"
        )
        #expect(checks.count == 74)
        // 36 of 74 agree to the files' print precision; every other row's per-reserve aToken balance column differs
        // from the file's own aggregate (docs/VALIDATION.md (Lending protocols)), so require at least 40% exact.
        #expect(exact * 10 >= checks.count * 4)
        #expect(maxError < 0.002)  // every row within 0.2% (misses: stale per-reserve balance columns)
    }

    // bhemen/aave-data: recorded HF rounded to 2 dp; recomputed fully from per-asset USD values and via the on-chain
    // ETH totals with a USD-weighted threshold ("hybrid").
    @Test func bhemenHealthFactors() throws {
        guard let dir = Self.locate("aave-v2-user-positions-bhemen") else {
            #expect(!DataDirectory.isCI, "shared data is required in CI")
            return
        }
        let checks = try LendAaveV2Data.bhemen(dir)
        // The recorded HF is rounded to 2 dp (±0.005); allow 0.001 more because the hybrid weights the thresholds by
        // the authors' USD prices rather than Aave's ETH oracle prices.
        let tolerance: UInt128 = 6_000_000_000_000_000
        func within(_ x: UInt128?, _ r: UInt128) -> Bool {
            guard let x else { return false }
            return (x > r ? x - r : r - x) <= tolerance
        }
        let full = checks.filter { within($0.recomputed, $0.recorded) }.count
        let hybrid = checks.filter { within($0.hybrid, $0.recorded) }.count
        let worst =
            checks.map { c -> Double in
                let h = c.hybrid ?? 0
                return Double(h > c.recorded ? h - c.recorded : c.recorded - h) / 1e18
            }.max() ?? 0
        print(
            "bhemen: \(checks.count) rows with debt; full per-asset recompute within 0.006: \(full); hybrid: \(hybrid); worst hybrid abs error \(worst)"
        )
        for c in checks where !within(c.hybrid, c.recorded) {
            print(
                "  miss \(c.file) row \(c.row): recorded \(LendingDecimal.format(c.recorded, decimals: 18)) hybrid \(LendingDecimal.format(c.hybrid ?? 0, decimals: 18)) full \(c.recomputed.map { LendingDecimal.format($0, decimals: 18) } ?? "-")"
            )
        }
        #expect(checks.count > 1_000)
        #expect(hybrid * 100 >= checks.count * 99)
        #expect(full * 2 >= checks.count)
    }
}
