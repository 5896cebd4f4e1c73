import Foundation
import FulcrumIO
import Testing

/// Locates files in `../shared/data`; a missing file prints a notice and skips, or fails when `CI=true`.
enum SharedData {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func file(_ relativePath: String) -> URL? {
        if let url = DataDirectory.file(relativePath, packageRoot: packageRoot) { return url }
        if DataDirectory.isCI {
            Issue.record("shared data file \(relativePath) is missing (CI=true)")
        } else {
            print("NOTICE: skipping, shared data file \(relativePath) not found (set FULCRUM_DATA)")
        }
        return nil
    }

    static let minuteBars = "binance-btcusdt-perp-1m-klp61/btcusdt_1m_mark_index_mid_spot_2025-05-09_2026-05-09.csv.gz"
    static let funding8h = "binance-btcusdt-perp-1m-klp61/btcusdt_funding_8h_2025-05-10_2026-05-09.csv"
    static let crashSlice =
        "binance-btcusdt-perp-1m-klp61/btcusdt_1m_mark_index_mid_spot_2025-10-09_2025-10-12_crash.csv"
    static let hyperliquidPositions =
        "hyperliquid-2025-10-10-positions-conejo/positions_FINAL_btc_sol_2025-10-10T2115_2127.csv"
}
