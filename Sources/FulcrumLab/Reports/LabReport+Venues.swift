import FulcrumCore

/// The multi-venue parts of the reports: per-venue metrics (terminal, JSON), the cross-venue arbitrage and basis,
/// per-venue traded prices (CSV, HTML). Nothing here appears for a single-venue scenario.
extension LabReport {
    /// Every venue's summary, the main venue first (the main venue's is the report's own summary).
    var venueSummaries: [MonteCarloSummary] { [summary] + summary.linkedVenues }

    /// Venue `k`'s population size: the summary's for the main venue (it follows `--accounts`), the scenario's for
    /// a linked venue.
    func accounts(_ k: Int) -> Int {
        k == 0 ? summary.accounts : scenario.venueScenarios[k].population.count
    }

    /// The `venues` and `crossVenue` JSON fields (empty for a single-venue scenario).
    func venuesJSONFields(dist: (Distribution) -> String) -> [String] {
        guard scenario.isMultiVenue else { return [] }
        let scenarios = scenario.venueScenarios
        let names = scenario.venueNames
        var venues: [String] = []
        for (k, s) in venueSummaries.enumerated() where k < scenarios.count {
            let v = scenarios[k]
            let ends = Distribution(s.paths.map { Double($0.insuranceEnd.raw) / 1e8 })
            venues.append(
                "{\"name\":\(LabReport.quoted(names[k])),\"venue\":\(LabReport.quoted(v.venue.rawValue)),"
                    + "\"market\":\(LabReport.quoted(v.market.symbol)),\"accounts\":\(accounts(k)),"
                    + "\"amplification\":\(dist(s.amplification)),\"liquidatedNotional\":\(dist(s.liquidatedNotional)),"
                    + "\"liquidations\":\(dist(s.liquidations)),\"badDebt\":\(dist(s.badDebt)),"
                    + "\"insuranceFund\":{\"start\":\"\(v.insuranceFund)\",\"minimum\":\(dist(s.insuranceMinimum)),"
                    + "\"end\":\(dist(ends))},\"adlNotional\":\(dist(s.adlNotional)),"
                    + "\"adlProbability\":\(LabReport.json(s.adlProbability)),"
                    + "\"insuranceDepletionProbability\":\(LabReport.json(s.insuranceDepletionProbability))}"
            )
        }
        let a = scenario.crossVenueArbitrage
        var cross =
            "{\"enabled\":\(a.enabled),\"lagSteps\":\(a.lagSteps),\"strength\":\(LabReport.json(a.strength)),"
            + "\"capacityPerStep\":\"\(a.capacityPerStep)\",\"thresholdBps\":\(LabReport.json(a.thresholdBps))"
        if let basis = summary.maxBasis { cross += ",\"maxBasis\":\(dist(basis))" }
        if let volume = summary.arbitrageVolume { cross += ",\"arbitrageVolume\":\(dist(volume))" }
        cross += "}"
        return ["\"venues\":[\(venues.joined(separator: ","))]", "\"crossVenue\":\(cross)"]
    }

    /// The per-venue terminal table (empty for a single-venue scenario).
    func venuesTable() -> String {
        guard scenario.isMultiVenue else { return "" }
        let scenarios = scenario.venueScenarios
        let names = scenario.venueNames
        var rows: [[String]] = [
            [
                "venue", "rules/market", "accounts", "amplif. mean", "p95", "liq. notional mean", "liqs mean",
                "bad debt mean", "p95", "insurance start / min / end (mean)", "ADL notional mean", "ADL prob.",
            ]
        ]
        for (k, s) in venueSummaries.enumerated() where k < scenarios.count {
            let v = scenarios[k]
            let n = Double(Swift.max(1, s.paths.count))
            let end = s.paths.map { Double($0.insuranceEnd.raw) / 1e8 }.reduce(0, +) / n
            rows.append([
                names[k], "\(v.venue.rawValue) \(v.market.symbol)", LabReport.human(Double(accounts(k))),
                LabReport.human(s.amplification.mean, decimals: 3), LabReport.human(s.amplification.p95, decimals: 3),
                LabReport.human(s.liquidatedNotional.mean), LabReport.human(s.liquidations.mean, decimals: 1),
                LabReport.human(s.badDebt.mean), LabReport.human(s.badDebt.p95),
                "\(LabReport.human(Double(v.insuranceFund.raw) / 1e8)) / \(LabReport.human(s.insuranceMinimum.mean)) / "
                    + LabReport.human(end),
                LabReport.human(s.adlNotional.mean), LabReport.percent(s.adlProbability),
            ])
        }
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows { for (c, cell) in row.enumerated() { widths[c] = Swift.max(widths[c], cell.count) } }
        var out = "\nvenues over \(summary.paths.count) paths (the rows above are \(names[0])'s):\n"
        for row in rows {
            var line = ""
            for (c, cell) in row.enumerated() {
                line += cell + String(repeating: " ", count: widths[c] - cell.count + 2)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        let a = scenario.crossVenueArbitrage
        out +=
            "cross-venue arbitrage: "
            + (a.enabled
                ? "lag \(a.lagSteps) steps, strength \(LabReport.human(a.strength, decimals: 2)), capacity "
                    + "\(a.capacityPerStep) base/step, threshold \(LabReport.human(a.thresholdBps, decimals: 1)) bp"
                : "off")
            + "\n"
        if let basis = summary.maxBasis {
            out +=
                "max basis (traded max ÷ min − 1): mean \(LabReport.percent(basis.mean))  p95 "
                + "\(LabReport.percent(basis.p95))  max \(LabReport.percent(basis.max))\n"
        }
        if let volume = summary.arbitrageVolume {
            out +=
                "arbitrage volume (base): mean \(LabReport.human(volume.mean, decimals: 2))  p95 "
                + "\(LabReport.human(volume.p95, decimals: 2))\n"
        }
        return out
    }

    /// Path 0's traded price per venue: `step,exogenous,traded_<venue>…,basis` (basis = max ÷ min − 1).
    public func venuesCSV() -> String {
        guard let first = venueTraces.first else { return "" }
        let names = scenario.venueNames
        var out = "step,exogenous"
        for k in venueTraces.indices { out += ",traded_" + (k < names.count ? names[k] : "venue\(k)") }
        out += ",basis\n"
        for i in first.exogenous.indices {
            out += "\(i),\(first.exogenous[i])"
            var low = Double.infinity
            var high = -Double.infinity
            for t in venueTraces {
                let p = i < t.traded.count ? t.traded[i] : .nan
                out += ",\(p)"
                low = Swift.min(low, p)
                high = Swift.max(high, p)
            }
            out += ",\(high / low - 1)\n"
        }
        return out
    }

    /// The HTML section with every venue's traded price and the exogenous price (path 0), and the Monte Carlo
    /// distributions of amplification and bad debt per venue.
    func venuesHTML(xLabel: String) -> String {
        guard scenario.isMultiVenue else { return "" }
        let colors = ["#c0392b", "#2980b9", "#27ae60", "#8e44ad", "#e67e22", "#16a085", "#d35400", "#2c3e50"]
        let names = scenario.venueNames
        var body = "<section id=\"venues\"><h2>Venues linked by arbitrage</h2>"
        if let first = venueTraces.first {
            var series: [(name: String, color: String, values: [Double])] = []
            for (k, t) in venueTraces.enumerated() {
                series.append(
                    ("\(k < names.count ? names[k] : "venue\(k)") (traded)", colors[k % colors.count], t.traded)
                )
            }
            series.append(("exogenous", "#7f8c8d", first.exogenous))
            body += SVGChart.lines(title: "Traded price per venue (path 0)", series: series, xLabel: xLabel)
        }
        for (k, s) in venueSummaries.enumerated() where k < names.count {
            body += SVGChart.histogram(
                title: "\(names[k]): amplification over \(s.paths.count) paths",
                values: s.amplification.sorted,
                bins: 30,
                color: colors[k % colors.count],
                xLabel: "amplification"
            )
            body += SVGChart.histogram(
                title: "\(names[k]): bad debt over \(s.paths.count) paths",
                values: s.badDebt.sorted,
                bins: 30,
                color: colors[k % colors.count],
                xLabel: "bad debt"
            )
        }
        if let basis = summary.maxBasis {
            body += SVGChart.histogram(
                title: "Max cross-venue basis over \(summary.paths.count) paths",
                values: basis.sorted,
                bins: 30,
                color: "#2c3e50",
                xLabel: "max basis (fraction)"
            )
        }
        return body + "</section>"
    }
}
