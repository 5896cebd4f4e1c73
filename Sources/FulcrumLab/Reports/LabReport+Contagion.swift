import FulcrumCore

/// The contagion report of the lending layer: a terminal table, JSON, and an HTML section with an SVG chart of bad
/// debt per market split by cause and the lenders' loss under shared versus isolated pools.
extension ContagionReport {
    private static func quote(_ sum: MoneySum) -> Double { Double(sum.raw) / 1e8 }
    private static func units(_ raw: Int128) -> Double { Double(raw) / 1e8 }

    /// A fixed-width table, one row per market.
    public func terminalTable() -> String {
        var s = "\nLending layer (contagion; pools: \(sharing.rawValue), backstop \(backstop))\n"
        s +=
            "market                          liqs  skipped  seized(units)     seized($)   bad debt(units)   bad debt($)"
            + "   exogenous   cascade   derived   loss shared  loss isolated  contagion\n"
        for row in rows {
            let m = row.metrics
            func pad(_ text: String, _ n: Int) -> String {
                " " + (text.count >= n ? text : String(repeating: " ", count: n - text.count) + text)
            }
            let name = row.market.count > 30 ? String(row.market.prefix(30)) : row.market
            s += name + String(repeating: " ", count: Swift.max(1, 31 - name.count))
            s += pad("\(m.liquidations)", 5) + pad("\(m.skippedUnprofitable)", 9)
            s += pad(LabReport.human(Self.units(m.collateralSeizedUnits), decimals: 2), 15)
            s += pad(LabReport.human(Self.quote(m.collateralSeized)), 14)
            s += pad(LabReport.human(Self.units(m.badDebtUnits), decimals: 2), 18)
            s += pad(LabReport.human(Self.quote(m.badDebt)), 14)
            for cause in ContagionCause.allCases {
                s += pad(LabReport.human(Self.quote(m.badDebtByCause[cause] ?? MoneySum())), 10)
            }
            s += pad(LabReport.human(Self.quote(row.lenderLossShared)), 14)
            s += pad(LabReport.human(Self.quote(row.lenderLossIsolated)), 15)
            s += pad(LabReport.human(Self.quote(row.contagionShared)), 11) + "\n"
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
