public import ArgumentParser
import Foundation
public import FulcrumAnalytics
import FulcrumCore
import FulcrumIO
import FulcrumLab

/// `fulcrum heatmap`: notional that would be liquidated at each price level, and where it would exhaust the book.
public struct HeatmapCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "heatmap",
        abstract: "Liquidation heatmap: notional liquidated at each price level and liquidity-exhaustion points.",
        discussion: """
            Longs liquidate below the reference price, shorts above; the cumulative flow runs from the reference \
            outward and a level is "exhausted" when that flow exceeds the book depth between the reference and the \
            level.

            --positions FILE.csv: the Hyperliquid 2025-10-10 file (open rows of --asset; leverage is not in the \
            file, so --assumed-leverage applies to all; blank entries use the mark) or side,entry,size,leverage \
            rows. Each liquidation price comes from --venue's rules (isolated margin at the leverage); the depth is \
            a flat --depth USD per bucket.

            --scenario FILE.json: a cascade-lab scenario (the file `fulcrum stress --scenario` reads). The \
            population is the lab's, generated from --seed (the same seed gives the same positions as stress), with \
            the lab's liquidation prices; the depth is the book walk on the scenario's order book (times its \
            depthScale) around the reference (default its startPrice). --venue re-targets the scenario as stress \
            does. Pool liquidity models (constantProduct, virtualAMM) have no book and are refused.

            --csv prints the buckets: lower,upper,long_notional,short_notional,cumulative,cumulative_depth,exhausted.
            """
    )

    @Option(help: "Positions CSV (Hyperliquid layout).")
    public var positions: String?

    @Option(help: "Cascade-lab scenario JSON (population and order book from the lab).")
    public var scenario: String?

    @Option(help: "Random seed of the --scenario population (default 1, as stress).")
    public var seed: UInt64 = 1

    @Option(help: "Venue whose rules give the liquidation prices (default hyperliquid; with --scenario: its own).")
    public var venue: String?

    @Option(help: "Asset / market (default BTC).")
    public var asset: String = "BTC"

    @Option(help: "Reference price (default: the file's mark, else the mean entry).")
    public var price: String?

    @Option(name: .customLong("bucket"), help: "Bucket width as a fraction of the reference (default 0.005).")
    public var bucket: String = "0.005"

    @Option(help: "Buckets on each side of the reference (default 60).")
    public var buckets: Int = 60

    @Option(help: "--positions: book depth absorbed per bucket, USD (default 5000000).")
    public var depth: String?

    @Option(name: .customLong("assumed-leverage"), help: "Leverage for files without one (default 10).")
    public var assumedLeverage: String = "10"

    @OptionGroup public var format: AnalyticsOutputOptions

    public init() {}

    public func run() throws {
        print(try output(), terminator: "")
    }

    /// The command's output for the parsed options.
    public func output() throws -> String {
        let (map, count) = try evaluate()
        if let report = format.report {
            try ReportFile.write(html(map, count), toReportPath: report)
        }
        if format.csv {
            var text = "lower,upper,long_notional,short_notional,cumulative,cumulative_depth,exhausted\n"
            for b in map.buckets {
                text += "\(b.lower),\(b.upper),\(b.longNotional),\(b.shortNotional),\(b.cumulative),"
                text += "\(b.cumulativeDepth),\(b.exhausted)\n"
            }
            return text
        }
        if format.json {
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
            let width: Rate = try AnalyticsOptions.decimal(bucket, option: "--bucket")
            guard width.isPositive else { throw AnalyticsInputError("--bucket \"\(bucket)\" must be positive") }
            let given: Price? =
                try price.map { p throws(AnalyticsInputError) in try AnalyticsOptions.decimal(p, option: "--price") }
            if let given, !given.isPositive {
                throw AnalyticsInputError("--price \"\(price ?? "")\" must be positive")
            }
            let loaded = try scenario.map { try scenarioPositions($0) } ?? positionsFile(positions ?? "")
            guard let reference = given ?? loaded.reference else {
                throw AnalyticsInputError("--positions \"\(positions ?? "")\" has no open positions")
            }
            let bucketWidth = Price.maximum(Price(raw: 1), try reference.times(width, rounding: .up))
            let map = try LiquidationHeatmap.build(
                positions: loaded.positions,
                reference: reference,
                bucketWidth: bucketWidth,
                bucketsPerSide: buckets,
                depth: loaded.depth
            )
            return (map, loaded.positions.count)
        } catch let error as AnalyticsInputError {
            throw ValidationError(error.message)
        } catch let error as AnalyticsError {
            throw ValidationError(error.message)
        } catch let error as ArithmeticError {
            throw ValidationError("\(error)")
        }
    }

    /// Positions with their liquidation prices, a default reference and the depth to test them against.
    struct Loaded {
        var positions: [HeatmapPosition]
        var reference: Price?
        var depth: HeatmapDepth
    }

    /// `--positions`: a CSV's rows, liquidation prices from `--venue`'s rules, a flat `--depth`.
    func positionsFile(_ path: String) throws -> Loaded {
        let profile = try AnalyticsOptions.venue(venue ?? "hyperliquid")
        let spec = try AnalyticsOptions.market(asset, venue: profile)
        let lev: Leverage = try AnalyticsOptions.decimal(assumedLeverage, option: "--assumed-leverage")
        guard lev.isPositive else {
            throw AnalyticsInputError("--assumed-leverage \"\(assumedLeverage)\" must be positive")
        }
        let depthMoney: Money = try AnalyticsOptions.decimal(depth ?? "5000000", option: "--depth")
        let loaded: (rows: [AnalyticsHeatmapCSV.Row], reference: Price?)
        do {
            loaded = try AnalyticsHeatmapCSV.load(URL(fileURLWithPath: path), asset: asset, assumedLeverage: lev)
        } catch {
            throw AnalyticsInputError("--positions \"\(path)\": \(error)")
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
                    "--positions \"\(path)\": position \(row.side) \(row.size) @ \(row.entry): \(error)"
                )
            }
        }
        var reference = loaded.reference
        if reference == nil, !loaded.rows.isEmpty {
            var sum = MoneySum()
            for row in loaded.rows { sum += Money(raw: row.entry.raw) }
            // Mean entry, truncated: only positions the chart around it.
            reference = Price(raw: Int64(sum.raw / Int128(loaded.rows.count)))
        }
        return Loaded(positions: solved, reference: reference, depth: .perBucket(depthMoney))
    }

    /// `--scenario`: the lab's population for `--seed` with the lab's liquidation prices, and the lab's book.
    func scenarioPositions(_ path: String) throws -> Loaded {
        guard depth == nil else {
            throw AnalyticsInputError("--depth \"\(depth ?? "")\" applies to --positions; --scenario uses its book")
        }
        do {
            var lab = try LabScenarioFile.load(path: path)
            if let venue { lab = try lab.onVenue(venue) }
            let book: HeatmapDepth
            switch lab.liquidity.model {
            case .book(let bids, let asks):
                let scale = lab.liquidity.depthScale
                book =
                    scale == 1
                    ? .book(bids: bids, asks: asks)
                    : .book(
                        bids: try bids.scaled(by: scale),
                        asks: try asks.scaled(by: scale)
                    )
            case .constantProduct, .virtualAMM:
                throw AnalyticsInputError(
                    "--scenario \"\(path)\": liquidity.model is a pool, not a book; the heatmap needs a book"
                )
            }
            let population = try MonteCarloRunner.population(
                scenario: lab,
                seed: seed,
                threads: ProcessInfo.processInfo.activeProcessorCount
            )
            var positions: [HeatmapPosition] = []
            positions.reserveCapacity(population.count)
            for i in 0..<population.count where population.isOpen(i) && population.liquidationPrices[i] > 0 {
                positions.append(
                    HeatmapPosition(
                        side: population.side(i),
                        size: Quantity(raw: population.sizes[i]),
                        liquidationPrice: Price(raw: population.liquidationPrices[i])
                    )
                )
            }
            return Loaded(positions: positions, reference: lab.startPrice, depth: book)
        } catch let error as LabFileError {
            throw AnalyticsInputError("--scenario \"\(path)\": \(error)")
        } catch let error as LabError {
            throw AnalyticsInputError("--scenario \"\(path)\": \(error)")
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
