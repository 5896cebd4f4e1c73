public import ArgumentParser
import Foundation
public import FulcrumAnalytics
import FulcrumCore
import FulcrumIO

/// `fulcrum heatmap`: notional that would be liquidated at each price level, and where it would exhaust the book.
public struct HeatmapCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "heatmap",
        abstract: "Liquidation heatmap: notional liquidated at each price level and liquidity-exhaustion points.",
        discussion: """
            Each position's liquidation price comes from the venue's rules (isolated margin at its leverage). \
            Longs liquidate below the reference price, shorts above; the cumulative flow runs from the reference \
            outward and a level is "exhausted" when that flow exceeds --depth (USD of book depth per bucket) times \
            the buckets between the reference and the level.

            --positions: the Hyperliquid 2025-10-10 file (open rows of --asset; leverage is not in the file, so \
            --assumed-leverage applies to all; blank entries use the mark) or --scenario FILE with \
            side,entry,size,leverage rows.
            """
    )

    @Option(help: "Positions CSV (Hyperliquid layout).")
    public var positions: String?

    @Option(help: "Scenario CSV: side,entry,size,leverage.")
    public var scenario: String?

    @Option(help: "Venue whose rules give the liquidation prices (default hyperliquid).")
    public var venue: String = "hyperliquid"

    @Option(help: "Asset / market (default BTC).")
    public var asset: String = "BTC"

    @Option(help: "Reference price (default: the file's mark, else the mean entry).")
    public var price: String?

    @Option(name: .customLong("bucket"), help: "Bucket width as a fraction of the reference (default 0.005).")
    public var bucket: String = "0.005"

    @Option(help: "Buckets on each side of the reference (default 60).")
    public var buckets: Int = 60

    @Option(help: "Book depth absorbed per bucket, USD (default 5000000).")
    public var depth: String = "5000000"

    @Option(name: .customLong("assumed-leverage"), help: "Leverage for files without one (default 10).")
    public var assumedLeverage: String = "10"

    @Flag(help: "Print one JSON object.")
    public var json = false

    @Flag(help: "Print the buckets as CSV.")
    public var csv = false

    @Option(help: "Write a self-contained HTML report to this path.")
    public var report: String?

    public init() {}

    public func run() throws {
        print(try output(), terminator: "")
    }

    /// The command's output for the parsed options.
    public func output() throws -> String {
        let (map, count) = try evaluate()
        if let report {
            try ReportFile.write(html(map, count), toReportPath: report)
        }
        if csv {
            var text = "lower,upper,long_notional,short_notional,cumulative,cumulative_depth,exhausted\n"
            for b in map.buckets {
                text += "\(b.lower),\(b.upper),\(b.longNotional),\(b.shortNotional),\(b.cumulative),"
                text += "\(b.cumulativeDepth),\(b.exhausted)\n"
            }
            return text
        }
        if json {
            var o = AnalyticsJSON()
            o.set("reference", .number(map.reference.description))
            o.set("positions", .int(count))
            o.set("outOfRange", .int(map.outOfRange))
            o.set("longExhaustion", map.longExhaustion.map { .number($0.description) } ?? .null)
            o.set("shortExhaustion", map.shortExhaustion.map { .number($0.description) } ?? .null)
            o.set(
                "buckets",
                .array(
                    map.buckets.map { b in
                        var j = AnalyticsJSON()
                        j.set("lower", .number(b.lower.description))
                        j.set("upper", .number(b.upper.description))
                        j.set("long", .number(b.longNotional.description))
                        j.set("short", .number(b.shortNotional.description))
                        j.set("cumulative", .number(b.cumulative.description))
                        j.set("exhausted", .bool(b.exhausted))
                        return .object(j)
                    }
                )
            )
            return o.render() + "\n"
        }
        var text = "reference \(map.reference), \(count) positions (\(map.outOfRange) outside the range)\n"
        text += "long exhaustion point: \(map.longExhaustion.map(\.description) ?? "none")\n"
        text += "short exhaustion point: \(map.shortExhaustion.map(\.description) ?? "none")\n"
        for b in map.buckets where !b.longNotional.isZero || !b.shortNotional.isZero {
            text += "\(b.lower)–\(b.upper)  long \(b.longNotional)  short \(b.shortNotional)"
            text += "  cumulative \(b.cumulative)\(b.exhausted ? "  EXHAUSTED" : "")\n"
        }
        return text
    }

    /// Loads the positions, solves their liquidation prices and builds the map.
    public func evaluate() throws -> (LiquidationHeatmap, Int) {
        do {
            guard (positions == nil) != (scenario == nil) else {
                throw AnalyticsInputError("give exactly one of --positions and --scenario")
            }
            let path = positions ?? scenario ?? ""
            let option = positions != nil ? "--positions" : "--scenario"
            let profile = try AnalyticsOptions.venue(venue)
            let spec = try AnalyticsOptions.market(asset, venue: profile)
            let lev: Leverage = try AnalyticsOptions.decimal(assumedLeverage, option: "--assumed-leverage")
            guard lev.isPositive else {
                throw AnalyticsInputError("--assumed-leverage \"\(assumedLeverage)\" must be positive")
            }
            let width: Rate = try AnalyticsOptions.decimal(bucket, option: "--bucket")
            guard width.isPositive else { throw AnalyticsInputError("--bucket \"\(bucket)\" must be positive") }
            let depthMoney: Money = try AnalyticsOptions.decimal(depth, option: "--depth")
            let loaded: (rows: [AnalyticsHeatmapCSV.Row], reference: Price?)
            do {
                loaded = try AnalyticsHeatmapCSV.load(URL(fileURLWithPath: path), asset: asset, assumedLeverage: lev)
            } catch {
                throw AnalyticsInputError("\(option) \"\(path)\": \(error)")
            }
            var solved: [HeatmapPosition] = []
            for row in loaded.rows {
                do {
                    let quote = try profile.liquidationQuote(
                        LiquidationPriceInput(
                            side: row.side,
                            entryPrice: row.entry,
                            size: row.size,
                            margin: .leverage(row.leverage)
                        ),
                        market: spec
                    )
                    if let liquidation = quote.liquidationPrice {
                        solved.append(HeatmapPosition(side: row.side, size: row.size, liquidationPrice: liquidation))
                    }
                } catch {
                    throw AnalyticsInputError(
                        "\(option) \"\(path)\": position \(row.side) \(row.size) @ \(row.entry): \(error)"
                    )
                }
            }
            let reference: Price
            if let price {
                reference = try AnalyticsOptions.decimal(price, option: "--price")
            } else if let fileReference = loaded.reference {
                reference = fileReference
            } else if !loaded.rows.isEmpty {
                var sum = MoneySum()
                for row in loaded.rows { sum += Money(raw: row.entry.raw) }
                // Mean entry, truncated: only positions the chart around it.
                reference = Price(raw: Int64(sum.raw / Int128(loaded.rows.count)))
            } else {
                throw AnalyticsInputError("\(option) \"\(path)\" has no open positions")
            }
            let bucketWidth = Price.maximum(Price(raw: 1), try reference.times(width, rounding: .up))
            let map = try LiquidationHeatmap.build(
                positions: solved,
                reference: reference,
                bucketWidth: bucketWidth,
                bucketsPerSide: buckets,
                depthPerBucket: depthMoney
            )
            return (map, solved.count)
        } catch let error as AnalyticsInputError {
            throw ValidationError(error.message)
        } catch let error as AnalyticsError {
            throw ValidationError(error.message)
        } catch let error as ArithmeticError {
            throw ValidationError("\(error)")
        }
    }

    func html(_ map: LiquidationHeatmap, _ count: Int) -> String {
        let mids = map.buckets.map { (Double($0.lower.raw) + Double($0.upper.raw)) / 2e8 }
        let chart = AnalyticsHTML.barChart(
            labels: mids,
            up: map.buckets.map { Double($0.shortNotional.raw) / 1e8 },
            down: map.buckets.map { Double($0.longNotional.raw) / 1e8 },
            upName: "shorts liquidated (USD, above the reference)",
            downName: "longs liquidated (USD, below the reference)",
            xLabel: "price"
        )
        let cumulative = AnalyticsHTML.lineChart(
            [
                .init(
                    name: "cumulative forced flow",
                    points: zip(mids, map.buckets).map { ($0, Double($1.cumulative.raw) / 1e8) },
                    color: "#c33"
                ),
                .init(
                    name: "cumulative book depth",
                    points: zip(mids, map.buckets).map { ($0, Double($1.cumulativeDepth.raw) / 1e8) },
                    color: "#26a"
                ),
            ],
            xLabel: "price",
            yLabel: "USD"
        )
        return AnalyticsHTML.page(
            title: "fulcrum heatmap",
            summary: [
                ("reference", map.reference.description),
                ("positions", "\(count) (\(map.outOfRange) outside the range)"),
                ("long exhaustion point", map.longExhaustion?.description ?? "none"),
                ("short exhaustion point", map.shortExhaustion?.description ?? "none"),
            ],
            sections: [("Liquidations by price", chart), ("Cumulative flow against depth", cumulative)]
        )
    }
}
