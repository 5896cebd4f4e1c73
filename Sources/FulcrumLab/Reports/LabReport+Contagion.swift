import FulcrumCore

/// The contagion report of the lending layer: a terminal table, JSON, and an HTML section with an SVG chart of bad
/// debt per market split by cause and the lenders' loss under shared versus isolated pools.
extension ContagionReport {
    private static func quote(_ sum: MoneySum) -> Double { Double(sum.raw) / 1e8 }
    private static func units(_ raw: Int128) -> Double { Double(raw) / 1e8 }

    /// The table's column titles after the market name.
    static let columnTitles = [
        "liqs", "skipped", "seized(units)", "seized($)", "bad debt(units)", "bad debt($)", "exogenous", "cascade",
        "derived", "loss shared", "loss isolated", "contagion",
    ]
    /// Width of the market-name column (left-aligned; longer names are cut).
    static let nameWidth = 30

    /// One table line: `name` left-aligned in ``nameWidth``, then each cell right-aligned in its width.
    static func tableLine(_ name: String, _ cells: [String], widths: [Int]) -> String {
        let cut = name.count > nameWidth ? String(name.prefix(nameWidth)) : name
        var s = cut + String(repeating: " ", count: nameWidth - cut.count)
        for (cell, width) in zip(cells, widths) {
            s += "  " + String(repeating: " ", count: Swift.max(0, width - cell.count)) + cell
        }
        return s + "\n"
    }

    /// The cells of one market's row, in ``columnTitles`` order.
    private static func cells(_ row: Row) -> [String] {
        let m = row.metrics
        var cells = [
            "\(m.liquidations)", "\(m.skippedUnprofitable)",
            LabReport.human(units(m.collateralSeizedUnits), decimals: 2), LabReport.human(quote(m.collateralSeized)),
            LabReport.human(units(m.badDebtUnits), decimals: 2), LabReport.human(quote(m.badDebt)),
        ]
        for cause in ContagionCause.allCases {
            cells.append(LabReport.human(quote(m.badDebtByCause[cause] ?? MoneySum())))
        }
        cells += [
            LabReport.human(quote(row.lenderLossShared)), LabReport.human(quote(row.lenderLossIsolated)),
            LabReport.human(quote(row.contagionShared)),
        ]
        return cells
    }

    /// A fixed-width table, one row per market; each column is as wide as its widest cell or title, and the header
    /// goes through the same layout as the rows, so the two always line up.
    public func terminalTable() -> String {
        var s = "\nLending layer (contagion; pools: \(sharing.rawValue), backstop \(backstop))\n"
        let table = rows.map(Self.cells)
        var widths = Self.columnTitles.map(\.count)
        for cells in table {
            for (k, cell) in cells.enumerated() { widths[k] = Swift.max(widths[k], cell.count) }
        }
        s += Self.tableLine("market", Self.columnTitles, widths: widths)
        for (row, cells) in zip(rows, table) {
            let m = row.metrics
            s += Self.tableLine(row.market, cells, widths: widths)
            if m.loopers > 0 || m.unwinds > 0 {
                s +=
                    "  loops: \(m.loopers) borrowers bought \(LabReport.human(Self.units(m.loopBoughtUnits), decimals: 2))"
                s += " units; unwinds \(m.unwinds) sold \(LabReport.human(Self.units(m.unwoundUnits), decimals: 2))\n"
            }
        }
        let reached = contagionReached
        s += "contagion reached (shared pools): " + (reached.isEmpty ? "none" : reached.joined(separator: ", ")) + "\n"
        return s
    }

    /// The report as a JSON object (money as decimal strings, units as numbers of whole tokens).
    public func json() -> String {
        var parts: [String] = []
        for row in rows {
            let m = row.metrics
            let causes = ContagionCause.allCases.map {
                "\(LabReport.quoted($0.rawValue)):\(LabReport.quoted("\(m.badDebtByCause[$0] ?? MoneySum())"))"
            }
            parts.append(
                "{\"market\":\(LabReport.quoted(row.market)),\"collateral\":\(LabReport.quoted(row.collateral)),"
                    + "\"debt\":\(LabReport.quoted(row.debt)),\"liquidations\":\(m.liquidations),"
                    + "\"skippedUnprofitable\":\(m.skippedUnprofitable),\"heldOnStaleOracle\":\(m.heldOnStaleOracle),"
                    + "\"collateralSeizedUnits\":\(LabReport.json(Self.units(m.collateralSeizedUnits))),"
                    + "\"collateralSeized\":\(LabReport.quoted("\(m.collateralSeized)")),"
                    + "\"badDebtUnits\":\(LabReport.json(Self.units(m.badDebtUnits))),"
                    + "\"badDebt\":\(LabReport.quoted("\(m.badDebt)")),\"badDebtByCause\":{\(causes.joined(separator: ","))},"
                    + "\"keeperProfit\":\(LabReport.quoted("\(m.keeperProfit)")),\"loopers\":\(m.loopers),"
                    + "\"unwinds\":\(m.unwinds),\"lenderLossShared\":\(LabReport.quoted("\(row.lenderLossShared)")),"
                    + "\"lenderLossIsolated\":\(LabReport.quoted("\(row.lenderLossIsolated)")),"
                    + "\"contagionShared\":\(LabReport.quoted("\(row.contagionShared)"))}"
            )
        }
        let reached = contagionReached.map { LabReport.quoted($0) }.joined(separator: ",")
        return "{\"sharing\":\(LabReport.quoted(sharing.rawValue)),\"backstop\":\(LabReport.quoted("\(backstop)")),"
            + "\"markets\":[\(parts.joined(separator: ","))],\"contagionReached\":[\(reached)]}"
    }

    /// An HTML section: the table and a stacked bar chart (bad debt by cause, then lenders' loss shared and
    /// isolated, per market).
    public func htmlSection() -> String {
        let colors: [ContagionCause: String] = [
            .exogenous: "#888", .cascadeImpact: "#c0392b", .derivedPrice: "#8e44ad",
        ]
        let width = 760.0
        let rowHeight = 54.0
        let left = 200.0
        let height = 40 + rowHeight * Double(rows.count)
        var maxValue = 1e-12
        for row in rows {
            maxValue = Swift.max(
                maxValue,
                Self.quote(row.metrics.badDebt),
                Self.quote(row.lenderLossShared),
                Self.quote(row.lenderLossIsolated)
            )
        }
        let scale = (width - left - 20) / maxValue
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\">"
        svg += "<text x=\"10\" y=\"16\" font-size=\"13\">Bad debt by cause (top bar), lenders' loss shared (middle) "
        svg += "and isolated (bottom), quote</text>"
        for (k, row) in rows.enumerated() {
            let y = 30 + rowHeight * Double(k)
            svg +=
                "<text x=\"10\" y=\"\(SVGChart.number(y + 22))\" font-size=\"12\">\(SVGChart.escape(row.market))</text>"
            var x = left
            for cause in ContagionCause.allCases {
                let w = Self.quote(row.metrics.badDebtByCause[cause] ?? MoneySum()) * scale
                guard w > 0 else { continue }
                svg += "<rect x=\"\(SVGChart.number(x))\" y=\"\(SVGChart.number(y))\" width=\"\(SVGChart.number(w))\" "
                svg += "height=\"14\" fill=\"\(colors[cause] ?? "#000")\"><title>\(cause.rawValue)</title></rect>"
                x += w
            }
            let shared = Self.quote(row.lenderLossShared) * scale
            let isolated = Self.quote(row.lenderLossIsolated) * scale
            svg += "<rect x=\"\(Int(left))\" y=\"\(SVGChart.number(y + 16))\" width=\"\(SVGChart.number(shared))\" "
            svg += "height=\"14\" fill=\"#2980b9\"><title>lenders' loss, shared</title></rect>"
            svg += "<rect x=\"\(Int(left))\" y=\"\(SVGChart.number(y + 32))\" width=\"\(SVGChart.number(isolated))\" "
            svg += "height=\"14\" fill=\"#27ae60\"><title>lenders' loss, isolated</title></rect>"
        }
        svg += "</svg>"
        return "<section id=\"contagion\"><h2>Lending layer: contagion</h2>"
            + "<p>Grey: exogenous move; red: cascade price impact; purple: derived-price loss. Blue: lenders' loss with "
            + "one shared pool and backstop; green: isolated per-market pools.</p>" + svg
            + "<pre>\(SVGChart.escape(terminalTable()))</pre></section>"
    }
}

/// The lending layer's Monte Carlo distributions (every path, not only path 0): bad debt and liquidations per
/// market (mean, p95, p99) and the probability that shared-pool contagion reached the market.
extension LabReport {
    /// Market names in `lending.markets` order (`market K` when the scenario has fewer).
    private func lendingName(_ k: Int) -> String {
        if let markets = scenario.lending?.markets, k < markets.count { return markets[k].name }
        return "market \(k)"
    }

    /// The lending distributions as a fixed-width table (empty without lending markets).
    public func lendingDistributionsTable() -> String {
        guard !summary.lending.isEmpty else { return "" }
        let titles = [
            "bad debt mean", "p95", "p99", "liqs mean", "p95", "p99", "contagion reached",
        ]
        var table: [[String]] = []
        for d in summary.lending {
            table.append([
                LabReport.human(d.badDebt.mean), LabReport.human(d.badDebt.p95), LabReport.human(d.badDebt.p99),
                LabReport.human(d.liquidations.mean, decimals: 1), LabReport.human(d.liquidations.p95),
                LabReport.human(d.liquidations.p99), LabReport.percent(d.contagionProbability),
            ])
        }
        var widths = titles.map(\.count)
        for cells in table {
            for (k, cell) in cells.enumerated() { widths[k] = Swift.max(widths[k], cell.count) }
        }
        var s = "\nLending layer over \(summary.paths.count) paths (bad debt in quote)\n"
        s += ContagionReport.tableLine("market", titles, widths: widths)
        for (d, cells) in zip(summary.lending, table) {
            s += ContagionReport.tableLine(lendingName(d.market), cells, widths: widths)
        }
        return s
    }

    /// The lending distributions as a JSON array (`[]` without lending markets).
    public func lendingDistributionsJSON() -> String {
        func dist(_ d: Distribution) -> String {
            "{\"mean\":\(LabReport.json(d.mean)),\"p50\":\(LabReport.json(d.p50)),\"p95\":\(LabReport.json(d.p95)),"
                + "\"p99\":\(LabReport.json(d.p99)),\"min\":\(LabReport.json(d.min)),\"max\":\(LabReport.json(d.max))}"
        }
        let items = summary.lending.map { d in
            "{\"market\":\(LabReport.quoted(lendingName(d.market))),\"badDebt\":\(dist(d.badDebt)),"
                + "\"liquidations\":\(dist(d.liquidations)),"
                + "\"contagionProbability\":\(LabReport.json(d.contagionProbability))}"
        }
        return "[" + items.joined(separator: ",") + "]"
    }

    /// An HTML section with the lending distributions table (empty without lending markets).
    public func lendingDistributionsHTML() -> String {
        guard !summary.lending.isEmpty else { return "" }
        var rows = ""
        for d in summary.lending {
            let cells = [
                lendingName(d.market), LabReport.human(d.badDebt.mean), LabReport.human(d.badDebt.p95),
                LabReport.human(d.badDebt.p99), LabReport.human(d.liquidations.mean, decimals: 1),
                LabReport.human(d.liquidations.p95), LabReport.human(d.liquidations.p99),
                LabReport.percent(d.contagionProbability),
            ]
            rows += "<tr>" + cells.map { "<td>\(SVGChart.escape($0))</td>" }.joined() + "</tr>"
        }
        return "<section id=\"lending-distributions\"><h2>Lending layer over \(summary.paths.count) paths</h2>"
            + "<table><tr><th>market</th><th>bad debt mean</th><th>p95</th><th>p99</th><th>liquidations mean</th>"
            + "<th>p95</th><th>p99</th><th>contagion reached</th></tr>" + rows + "</table></section>"
    }
}
