public import ArgumentParser
import Foundation
import FulcrumAnalytics
import FulcrumCore
import FulcrumEngine
import FulcrumIO

/// `fulcrum scan`: after each oracle update, the accounts within a distance of liquidation and their trigger prices.
public struct ScanCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract:
            "After each oracle update, the accounts within PCT of liquidation and the exact price that triggers each.",
        discussion: """
            Replays --events (the fulcrum-events JSON-lines format of replay and generate-events) through the \
            clearing engine. After each mark or index update of a market whose venue triggers on that price, it \
            lists the accounts with an open position there whose liquidation price is within --within percent of \
            the current price, nearest first. The price is the first tick at which the engine's own margin \
            metrics (equity < maintenance, cross pool or isolated position, other markets unchanged) would \
            liquidate the account. --every N scans every Nth update.
            """
    )

    @Option(help: "Events file (JSON lines with a header).")
    public var events: String

    @Option(help: "Distance to liquidation in percent (e.g. 5 or 5%).")
    public var within: String

    @Option(help: "Scan every Nth oracle update (default 1).")
    public var every: Int = 1

    @Option(help: "Most accounts listed per update (default 20).")
    public var limit: Int = 20

    @OptionGroup public var format: AnalyticsOutputOptions

    public init() {}

    public func run() throws {
        print(try output(), terminator: "")
    }

    /// One scanned update.
    struct Update {
        var line: Int
        var symbol: String
        var entries: [ScanEntry]
    }

    /// The command's output for the parsed options.
    public func output() throws -> String {
        let updates = try evaluate()
        if let report = format.report {
            try ReportFile.write(html(updates), toReportPath: report)
        }
        if format.json {
            var o = AnalyticsJSON()
            o.set("events", .string(events))
            o.set("within", .double(try fraction()))
            o.set(
                "updates",
                .array(
                    updates.map { u in
                        var j = AnalyticsJSON()
                        j.set("line", .int(u.line))
                        j.set("market", .string(u.symbol))
                        j.set("price", .number(u.entries.first?.price.description ?? "0"))
                        j.set(
                            "accounts",
                            .array(
                                u.entries.map { e in
                                    var a = AnalyticsJSON()
                                    a.set("account", .int(Int(e.account.raw)))
                                    a.set("size", .number(e.size.description))
                                    a.set("mode", .string(e.mode.rawValue))
                                    a.set("liquidationPrice", .number(e.liquidationPrice.description))
                                    a.set("distance", .double(e.distance))
                                    return .object(a)
                                }
                            )
                        )
                        return .object(j)
                    }
                )
            )
            return o.render() + "\n"
        }
        var text = format.csv ? "line,market,price,account,side,size,mode,liquidation_price,distance\n" : ""
        for u in updates {
            if !format.csv, let first = u.entries.first {
                text += "line \(u.line) \(u.symbol) @ \(first.price): \(u.entries.count) account(s) within\n"
            }
            for e in u.entries {
                let side = e.size.isNegative ? "short" : "long"
                if format.csv {
                    text += "\(u.line),\(u.symbol),\(e.price),\(e.account),\(side),\(e.size.magnitude),"
                    text += "\(e.mode.rawValue),\(e.liquidationPrice),\(e.distance)\n"
                } else {
                    text += "  account \(e.account) \(side) \(e.size.magnitude) \(e.mode.rawValue): liquidated at "
                    text += "\(e.liquidationPrice) (\((e.distance * 10_000).rounded() / 100) %)\n"
                }
            }
        }
        return text
    }

    /// The HTML report: accounts within reach after each scanned update, and the nearest of them.
    func html(_ updates: [Update]) -> String {
        let counts = AnalyticsHTML.lineChart(
            [
                .init(
                    name: "accounts within --within",
                    points: updates.map { (Double($0.line), Double($0.entries.count)) },
                    color: "#c33"
                )
            ],
            xLabel: "event line",
            yLabel: "accounts"
        )
        let rows = updates.compactMap { u -> [String]? in
            guard let e = u.entries.first else { return nil }
            return [
                "\(u.line)", u.symbol, "\(e.price)", "\(e.account)", "\(e.liquidationPrice)",
                "\((e.distance * 10_000).rounded() / 100) %",
            ]
        }
        return AnalyticsHTML.page(
            title: "fulcrum scan",
            summary: [("events", events), ("within", within), ("updates listed", "\(updates.count)")],
            sections: [
                ("Accounts within reach after each update", counts),
                (
                    "Nearest account per update",
                    AnalyticsHTML.table(
                        header: ["line", "market", "price", "account", "liquidation price", "distance"],
                        rows: rows
                    )
                ),
            ]
        )
    }

    func fraction() throws(AnalyticsInputError) -> Double {
        let text = within.hasSuffix("%") ? String(within.dropLast()) : within
        let percent = try AnalyticsOptions.double(text, option: "--within")
        guard percent >= 0 else { throw AnalyticsInputError("--within \"\(within)\" must not be negative") }
        return percent / 100
    }

    /// Replays the file and scans after oracle updates.
    func evaluate() throws -> [Update] {
        let share: Double
        do { share = try fraction() } catch { throw ValidationError(error.message) }
        guard every > 0 else { throw ValidationError("--every \(every) must be positive") }
        guard limit > 0 else { throw ValidationError("--limit \(limit) must be positive") }
        var engine = ClearingEngine()
        // The liquidation index, so a scan visits only the accounts a move could reach. It is updated after each
        // event that touches a few accounts; an event that moves every holder (funding) or every account marks it
        // stale instead, and a stale index is rebuilt once before the next scan (one rebuild costs about what
        // re-keying every holder costs, and several such events usually fall between two scans).
        var index = LiquidationIndex()
        var stale = true
        var codec = EventCodec()
        var sawHeader = false
        var oracleUpdates = 0
        var updates: [Update] = []
        var effects: [Effect] = []
        do {
            try EventLineReader(url: URL(fileURLWithPath: events)).forEachLine { number, bytes in
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
                let value: EventJSONValue
                do throws(EventJSONSyntaxError) { value = try EventJSONValue.parse(bytes) } catch {
                    throw EventDecodeError(line: number, field: "json", message: error.message)
                }
                if !sawHeader {
                    guard EventCodec.isHeader(value) else {
                        throw EventDecodeError(
                            line: number,
                            field: "type",
                            message: "the first line must be the header"
                        )
                    }
                    let header = try EventCodec.decodeHeader(value, line: number)
                    if let venue = header.venue { codec.defaultVenue = venue }
                    sawHeader = true
                    return
                }
                let event = try codec.decode(value, line: number, engine: engine)
                effects.removeAll(keepingCapacity: true)
                do throws(EngineError) { try engine.apply(event, effects: &effects) } catch {
                    throw EventDecodeError(line: number, field: "event", message: "rejected by the engine: \(error)")
                }
                if !stale {
                    switch LiquidationIndex.touchedAccounts(by: event, effects: effects) {
                    case .holders, .accountsAndHolders, .all: stale = true
                    case .none, .accounts, .price: index.update(after: event, effects: effects, in: engine)
                    }
                }
                let market: MarketID
                switch event {
                case .markPrice(let m, _):
                    guard engine.profiles[m.index].liquidationTrigger == .markPrice else { return }
                    market = m
                case .indexPrice(let m, _):
                    guard engine.profiles[m.index].liquidationTrigger == .oraclePrice else { return }
                    market = m
                default:
                    return
                }
                oracleUpdates += 1
                guard oracleUpdates % every == 0 else { return }
                if stale {
                    index.refreshAll(in: engine)
                    stale = false
                }
                let entries = try LiquidationScanner.scan(
                    engine: engine,
                    index: index,
                    market: market,
                    within: share
                )
                if !entries.isEmpty {
                    updates.append(
                        Update(
                            line: number,
                            symbol: engine.specs[market.index].symbol,
                            entries: Array(entries.prefix(limit))
                        )
                    )
                }
            }
        } catch let error as EventDecodeError {
            throw ValidationError("--events \"\(events)\" line \(error.line) \(error.field): \(error.message)")
        } catch let error as AnalyticsError {
            throw ValidationError(error.message)
        } catch {
            throw ValidationError("--events \"\(events)\": \(error.localizedDescription)")
        }
        return updates
    }
}
