import FulcrumCore

/// The `--json` output.
extension LabReport {
    /// One JSON object with the required keys (`paths`, `accounts`, `amplification` {mean,p50,p95,max},
    /// `liquidatedNotional` {mean,p95}, `liquidations` {mean}, `badDebt` {mean,p95,p99},
    /// `insuranceDepletionProbability`, `adlProbability`, `seconds`) plus more detail.
    public func json() -> String {
        let s = summary
        func dist(_ d: Distribution) -> String {
            "{\"mean\":\(LabReport.json(d.mean)),\"p50\":\(LabReport.json(d.p50)),\"p95\":\(LabReport.json(d.p95)),"
                + "\"p99\":\(LabReport.json(d.p99)),\"min\":\(LabReport.json(d.min)),\"max\":\(LabReport.json(d.max))}"
        }
        var fields: [String] = [
            "\"scenario\":\(LabReport.quoted(scenario.name))",
            "\"paths\":\(s.paths.count)",
            "\"accounts\":\(s.accounts)",
            "\"steps\":\(scenario.steps)",
            "\"feedback\":\(scenario.feedback)",
            "\"amplification\":\(dist(s.amplification))",
            "\"liquidatedNotional\":\(dist(s.liquidatedNotional))",
            "\"liquidations\":\(dist(s.liquidations))",
            "\"badDebt\":\(dist(s.badDebt))",
            "\"worstSlippage\":\(dist(s.worstSlippage))",
            "\"insuranceFund\":{\"start\":\"\(scenario.insuranceFund)\",\"minimum\":\(dist(s.insuranceMinimum))}",
            "\"adlNotional\":\(dist(s.adlNotional))",
            "\"insuranceDepletionProbability\":\(LabReport.json(s.insuranceDepletionProbability))",
            "\"adlProbability\":\(LabReport.json(s.adlProbability))",
            "\"seconds\":\(LabReport.json(s.seconds))",
        ]
        if !sweep.isEmpty {
            let points = sweep.map { p in
                "{\"value\":\(LabReport.json(p.value)),\"amplification\":\(dist(p.summary.amplification)),"
                    + "\"badDebt\":\(dist(p.summary.badDebt)),\"adlProbability\":\(LabReport.json(p.summary.adlProbability)),"
                    + "\"insuranceDepletionProbability\":\(LabReport.json(p.summary.insuranceDepletionProbability))"
                    + (venueSweepJSON(p, dist: dist).map { ",\"venues\":" + $0 } ?? "") + "}"
            }
            fields.append(
                "\"sweep\":{\"parameter\":\(LabReport.quoted(sweep[0].parameter)),\"points\":[\(points.joined(separator: ","))]}"
            )
        }
        if let contagion { fields.append("\"contagion\":" + contagion.json()) }  // lending layer
        if !s.lending.isEmpty { fields.append("\"lending\":" + lendingDistributionsJSON()) }  // lending layer
        fields += venuesJSONFields(dist: dist)  // multi-venue runs only
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        JSONText.quoted(text)
    }
}
