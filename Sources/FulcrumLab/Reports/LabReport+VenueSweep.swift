/// The multi-venue parts of a sweep and of the per-path CSV: every venue's metrics at each sweep point and every
/// venue's per-path row. Nothing here appears for a single-venue scenario.
///
/// A swept parameter is set on the scenario's top level, i.e. the main venue (linked venues keep their own
/// settings); the exogenous path is shared, so `shock` moves every venue. The rows show what that does to each venue,
/// including the linked ones reached only through the arbitrage.
extension LabReport {
    /// Every venue's summary at sweep point `point`, the main venue first.
    func venueSummaries(at point: SweepPoint) -> [MonteCarloSummary] {
        [point.summary] + point.summary.linkedVenues
    }

    /// The per-venue sweep table (empty for a single-venue scenario or without a sweep): one row per point, per
    /// venue the mean amplification, mean bad debt and ADL probability.
    func venueSweepTable() -> String {
        guard scenario.isMultiVenue, let first = sweep.first else { return "" }
        let names = scenario.venueNames
        var header = ["value"]
        for name in names { header += ["\(name) amplif.", "bad debt", "ADL prob."] }
        var rows = [header]
        for point in sweep {
            var row = [LabReport.human(point.value, decimals: 4)]
            let summaries = venueSummaries(at: point)
            for k in names.indices {
                guard k < summaries.count else {
                    row += ["–", "–", "–"]
                    continue
                }
                let s = summaries[k]
                row += [
                    LabReport.human(s.amplification.mean, decimals: 4), LabReport.human(s.badDebt.mean),
                    LabReport.percent(s.adlProbability),
                ]
            }
            rows.append(row)
        }
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows { for (c, cell) in row.enumerated() { widths[c] = Swift.max(widths[c], cell.count) } }
        var out = "\nsweep \(first.parameter), every venue (set on \(names[0]); the exogenous path is shared):\n"
        for row in rows {
            var line = ""
            for (c, cell) in row.enumerated() {
                line += cell + String(repeating: " ", count: widths[c] - cell.count + 2)
            }
            out += line + "\n"
        }
        return out
    }

    /// The `venues` field of sweep point `point` in `--json` (`nil` for a single-venue scenario): per venue its
    /// name and the sweep's metrics.
    func venueSweepJSON(_ point: SweepPoint, dist: (Distribution) -> String) -> String? {
        guard scenario.isMultiVenue else { return nil }
        let names = scenario.venueNames
        let entries = venueSummaries(at: point).enumerated().map { k, s in
            "{\"name\":\(LabReport.quoted(k < names.count ? names[k] : "venue\(k)")),"
                + "\"amplification\":\(dist(s.amplification)),\"badDebt\":\(dist(s.badDebt)),"
                + "\"adlProbability\":\(LabReport.json(s.adlProbability)),"
                + "\"insuranceDepletionProbability\":\(LabReport.json(s.insuranceDepletionProbability))}"
        }
        return "[" + entries.joined(separator: ",") + "]"
    }

    /// The HTML charts of a sweep per venue (empty for a single-venue scenario or without a sweep): mean
    /// amplification and mean bad debt of every venue against the point index.
    func venueSweepHTML() -> String {
        guard scenario.isMultiVenue, let first = sweep.first else { return "" }
        let names = scenario.venueNames
        let colors = ["#c0392b", "#2980b9", "#27ae60", "#8e44ad", "#e67e22", "#16a085", "#2c3e50", "#d35400"]
        func series(_ metric: (MonteCarloSummary) -> Double) -> [(name: String, color: String, values: [Double])] {
            names.indices.map { k in
                (
                    names[k], colors[k % colors.count],
                    sweep.map { point in
                        let summaries = venueSummaries(at: point)
                        return k < summaries.count ? metric(summaries[k]) : .nan
                    }
                )
            }
        }
        var body = "<section id=\"sweep-venues\"><h2>Sweep of \(SVGChart.escape(first.parameter)), every venue</h2>"
        body += SVGChart.lines(
            title: "amplification (mean) per venue vs \(first.parameter)",
            series: series { $0.amplification.mean },
            xLabel: "point index"
        )
        body += SVGChart.lines(
            title: "bad debt (mean) per venue vs \(first.parameter)",
            series: series { $0.badDebt.mean },
            xLabel: "point index"
        )
        return body + "</section>"
    }

    /// Every venue's per-path metrics (`venue,` then the columns of ``pathsCSV()``), the main venue first; empty
    /// for a single-venue scenario (`paths.csv` is then the whole story).
    public func venuePathsCSV() -> String {
        guard scenario.isMultiVenue else { return "" }
        let names = scenario.venueNames
        var out = "venue,path,exogenous_move,total_move,amplification,liquidations,liquidated_accounts,"
        out += "liquidated_notional,worst_slippage,bad_debt,socialized_loss,insurance_min,insurance_end,adl_notional,"
        out += "adl_accounts,quiescence_steps\n"
        for (k, s) in venueSummaries.enumerated() {
            let name = k < names.count ? names[k] : "venue\(k)"
            for p in s.paths {
                out += "\(name),\(p.path),\(p.exogenousMove),\(p.totalMove),\(p.amplification),\(p.liquidations),"
                out += "\(p.liquidatedAccounts),\(p.liquidatedNotional),\(p.worstSlippage),\(p.badDebt),"
                out += "\(p.socializedLoss),\(p.insuranceMinimum),\(p.insuranceEnd),\(p.adlNotional),\(p.adlAccounts),"
                out += "\(p.quiescenceSteps)\n"
            }
        }
        return out
    }
}
