import FulcrumCore

/// The terminal summary table.
extension LabReport {
    /// A plain-text summary table: amplification, liquidations, slippage, bad debt, insurance fund, ADL, quiescence.
    public func terminalTable() -> String {
        let s = summary
        let first = s.paths.first
        var rows: [(String, String)] = [
            ("scenario", scenario.name),
            (
                "paths × accounts × steps",
                "\(s.paths.count) × \(LabReport.human(Double(s.accounts))) × \(scenario.steps)"
            ),
            ("feedback", scenario.feedback ? "on" : "off (control run)"),
            (
                "amplification (total ÷ exogenous move)",
                "mean \(LabReport.human(s.amplification.mean, decimals: 3))  p50 \(LabReport.human(s.amplification.p50, decimals: 3))  "
                    + "p95 \(LabReport.human(s.amplification.p95, decimals: 3))  max \(LabReport.human(s.amplification.max, decimals: 3))"
            ),
            (
                "liquidated notional",
                "mean \(LabReport.human(s.liquidatedNotional.mean))  p95 \(LabReport.human(s.liquidatedNotional.p95))"
            ),
            ("liquidations (orders)", "mean \(LabReport.human(s.liquidations.mean, decimals: 1))"),
            (
                "worst slippage",
                "mean \(LabReport.percent(s.worstSlippage.mean))  max \(LabReport.percent(s.worstSlippage.max))"
            ),
            (
                "bad debt",
                "mean \(LabReport.human(s.badDebt.mean))  p95 \(LabReport.human(s.badDebt.p95))  p99 \(LabReport.human(s.badDebt.p99))"
            ),
            (
                "insurance fund start / min / end",
                "\(LabReport.human(Double(scenario.insuranceFund.raw) / 1e8)) / "
                    + "\(LabReport.human(s.insuranceMinimum.mean)) (mean) / "
                    + "\(LabReport.human(s.paths.map { Double($0.insuranceEnd.raw) / 1e8 }.reduce(0, +) / Double(Swift.max(1, s.paths.count)))) (mean)"
            ),
            ("insurance depletion probability", LabReport.percent(s.insuranceDepletionProbability)),
            (
                "ADL notional",
                "mean \(LabReport.human(s.adlNotional.mean))  probability \(LabReport.percent(s.adlProbability))"
            ),
            (
                "ADL accounts hit",
                "mean \(LabReport.human(Double(s.paths.map(\.adlAccounts).reduce(0, +)) / Double(Swift.max(1, s.paths.count)), decimals: 1))"
            ),
            (
                "time to quiescence (steps)",
                "mean \(LabReport.human(Double(s.paths.map(\.quiescenceSteps).reduce(0, +)) / Double(Swift.max(1, s.paths.count)), decimals: 1))"
            ),
        ]
        if let first {
            rows.append(
                (
                    "path 0: exogenous / total move",
                    "\(LabReport.percent(first.exogenousMove)) / \(LabReport.percent(first.totalMove))"
                )
            )
            rows.append(("path 0: invalid-oracle steps (no liquidation)", "\(first.invalidOracleSteps)"))
        }
        rows.append(("seconds", LabReport.human(s.seconds, decimals: 2)))
        let width = rows.map { $0.0.count }.max() ?? 0
        var out = ""
        for (k, v) in rows {
            out += k + String(repeating: " ", count: width - k.count) + "  " + v + "\n"
        }
        if !sweep.isEmpty {
            out += "\nsweep \(sweep[0].parameter):\n"
            out += "value            amplification.mean  badDebt.mean      adlProbability  insuranceDepletion\n"
            for p in sweep {
                let cols = [
                    LabReport.human(p.value, decimals: 4), LabReport.human(p.summary.amplification.mean, decimals: 4),
                    LabReport.human(p.summary.badDebt.mean), LabReport.percent(p.summary.adlProbability),
                    LabReport.percent(p.summary.insuranceDepletionProbability),
                ]
                let widths = [17, 20, 18, 16, 0]
                var line = ""
                for (c, w) in zip(cols, widths) { line += c + String(repeating: " ", count: Swift.max(1, w - c.count)) }
                out += line + "\n"
            }
        }
        out += venueSweepTable()  // multi-venue sweeps only
        if let contagion { out += contagion.terminalTable() }  // lending layer
        out += lendingDistributionsTable()  // lending layer
        out += venuesTable()  // multi-venue runs only
        return out
    }

    /// The per-step CSV of a trace (header + one row per step).
    public static func csv(trace: PathTrace) -> String {
        var out =
            "step,exogenous,traded,mark,oracle_valid,liquidations,liquidated_notional,insurance_fund,bad_debt,adl_notional,depth_multiplier\n"
        for i in trace.exogenous.indices {
            out += "\(i),\(trace.exogenous[i]),\(trace.traded[i]),\(trace.mark[i]),\(trace.oracleValid[i] ? 1 : 0),"
            out += "\(trace.liquidations[i]),\(trace.liquidatedNotional[i]),\(trace.insurance[i]),\(trace.badDebt[i]),"
            out += "\(trace.adlNotional[i]),\(trace.depthMultiplier[i])\n"
        }
        return out
    }

    /// The per-path metrics CSV (one row per path).
    public func pathsCSV() -> String {
        var out = "path,exogenous_move,total_move,amplification,liquidations,liquidated_accounts,liquidated_notional,"
        out +=
            "worst_slippage,bad_debt,socialized_loss,insurance_min,insurance_end,adl_notional,adl_accounts,quiescence_steps\n"
        for p in summary.paths {
            out +=
                "\(p.path),\(p.exogenousMove),\(p.totalMove),\(p.amplification),\(p.liquidations),\(p.liquidatedAccounts),"
            out += "\(p.liquidatedNotional),\(p.worstSlippage),\(p.badDebt),\(p.socializedLoss),\(p.insuranceMinimum),"
            out += "\(p.insuranceEnd),\(p.adlNotional),\(p.adlAccounts),\(p.quiescenceSteps)\n"
        }
        return out
    }
}
