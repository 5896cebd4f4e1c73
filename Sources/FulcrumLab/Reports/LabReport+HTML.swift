import FulcrumCore

/// The `--report PATH.html` output.
extension LabReport {
    /// One self-contained HTML page with inline SVG charts: price with and without feedback, liquidation volume per
    /// step, the population's liquidation-price heatmap, insurance fund and bad debt over time, Monte Carlo
    /// distributions, and sweep curves when a sweep ran. No scripts, no external resources.
    public func html() -> String {
        var body = ""
        body += "<h1>Fulcrum cascade lab</h1>"
        body += "<p>\(SVGChart.escape(scenario.name))</p>"
        body += "<pre>\(SVGChart.escape(terminalTable()))</pre>"
        let step = scenario.stepSeconds == 60 ? "minutes" : "steps of \(scenario.stepSeconds) s"
        if let trace {
            var series: [(name: String, color: String, values: [Double])] = [
                ("with feedback (traded)", "#c0392b", trace.traded),
                ("exogenous", "#7f8c8d", trace.exogenous),
            ]
            if let controlTrace { series.append(("without feedback (control)", "#2980b9", controlTrace.traded)) }
            body +=
                "<section id=\"price\">"
                + SVGChart.lines(title: "Price with and without feedback (path 0)", series: series, xLabel: step)
            body += "</section>"
            body += "<section id=\"liquidations\">"
            body += SVGChart.bars(
                title: "Liquidation volume per step (notional, path 0)",
                values: trace.liquidatedNotional,
                color: "#8e44ad",
                xLabel: step
            )
            body += "</section><section id=\"insurance\">"
            body += SVGChart.lines(
                title: "Insurance fund and bad debt over time (path 0)",
                series: [
                    ("insurance fund", "#27ae60", trace.insurance), ("cumulative bad debt", "#c0392b", trace.badDebt),
                    ("cumulative ADL notional", "#e67e22", trace.adlNotional),
                ],
                xLabel: step
            )
            body += "</section>"
        }
        if let population {
            body += "<section id=\"heatmap\">" + heatmap(population) + "</section>"
        }
        body += "<section id=\"distributions\">"
        body += SVGChart.histogram(
            title: "Monte Carlo: amplification over \(summary.paths.count) paths",
            values: summary.amplification.sorted,
            bins: 30,
            color: "#c0392b",
            xLabel: "amplification"
        )
        body += SVGChart.histogram(
            title: "Monte Carlo: bad debt over \(summary.paths.count) paths",
            values: summary.badDebt.sorted,
            bins: 30,
            color: "#2c3e50",
            xLabel: "bad debt"
        )
        body += "</section>"
        if let first = sweep.first {
            let xs = sweep.map(\.value)
            body +=
                "<section id=\"sweep\"><h2>Sweep of \(SVGChart.escape(first.parameter)) from \(xs.first ?? 0) to \(xs.last ?? 0)</h2>"
            body += SVGChart.lines(
                title: "amplification (mean) vs \(first.parameter)",
                series: [("amplification", "#c0392b", sweep.map(\.summary.amplification.mean))],
                xLabel: "point index"
            )
            body += SVGChart.lines(
                title: "bad debt (mean) and ADL probability vs \(first.parameter)",
                series: [
                    ("bad debt", "#2c3e50", sweep.map(\.summary.badDebt.mean)),
                    (
                        "ADL probability × max bad debt", "#e67e22",
                        sweep.map { $0.summary.adlProbability * (sweep.map(\.summary.badDebt.mean).max() ?? 1) }
                    ),
                ],
                xLabel: "point index"
            )
            body += "</section>"
        }
        body += venueSweepHTML()  // multi-venue sweeps only
        if let contagion { body += contagion.htmlSection() }  // lending layer
        body += lendingDistributionsHTML()  // lending layer
        body += venuesHTML(xLabel: step)  // multi-venue runs only
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Fulcrum cascade lab report</title>
            <style>body{font-family:system-ui,sans-serif;max-width:900px;margin:20px auto;color:#222}
            pre{background:#f6f6f6;padding:10px;font-size:12px;overflow-x:auto}section{margin:18px 0}svg{display:block}</style>
            </head><body>
            """ + body + "</body></html>\n"
    }

    /// The population's liquidation prices as a heatmap: rows are leverage bands (margin ÷ notional at entry),
    /// columns 1 % bins of distance from the start price, cells the notional at risk.
    func heatmap(_ population: AccountBook) -> String {
        let bands: [(String, Double)] = [
            ("≤2×", 2), ("2–5×", 5), ("5–10×", 10), ("10–20×", 20), ("20–50×", 50), (">50×", 1e18),
        ]
        let lowest = -40
        let columns = 80
        var cells = [[Double]](repeating: [Double](repeating: 0, count: columns), count: bands.count)
        let start = Double(scenario.startPrice.raw)
        for i in 0..<population.count where population.sizes[i] > 0 && population.liquidationPrices[i] > 0 {
            let notional = Double(population.sizes[i]) * Double(population.entries[i]) / 1e16
            let leverage = notional / Swift.max(1e-9, Double(population.margins[i]) / 1e8)
            let distance = (Double(population.liquidationPrices[i]) - start) / start * 100
            let c = Int(distance.rounded(.down)) - lowest
            guard c >= 0, c < columns else { continue }
            let r = bands.firstIndex { leverage <= $0.1 } ?? bands.count - 1
            cells[r][c] += notional
        }
        let labels = (0..<columns).map { "\($0 + lowest)%" }
        return SVGChart.heatmap(
            title: "Liquidation-price heatmap: notional by leverage band and distance from start price",
            cells: cells,
            rowLabels: bands.map(\.0),
            columnLabels: labels
        )
    }
}
