import Foundation
import FulcrumCore
import Testing

@testable import FulcrumLab

@Suite("Reports")
struct ReportTests {
    func outcome() throws -> (Scenario, StressDriver.Outcome) {
        var scenario = try Scenario.builtIn()
        scenario.population.count = 3_000
        scenario.steps = 200
        let outcome = try StressDriver.run(scenario: scenario, paths: Array(0..<3), seed: 1, threads: 2, traces: true)
        return (scenario, outcome)
    }

    @Test func htmlContainsEveryChart() throws {
        let (scenario, outcome) = try outcome()
        let report = LabReport(
            scenario: scenario,
            summary: MonteCarloSummary(paths: outcome.metrics, accounts: outcome.population.count, seconds: 1),
            trace: outcome.trace,
            controlTrace: outcome.controlTrace,
            population: outcome.population
        )
        let html = report.html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for id in ["price", "liquidations", "insurance", "heatmap", "distributions"] {
            #expect(html.contains("<section id=\"\(id)\"><svg"), "missing chart \(id)")
        }
        #expect(html.contains("without feedback (control)"))
        #expect(!html.contains("<script"))
        #expect(html.components(separatedBy: "<polyline").count >= 6)
    }

    @Test func jsonHasTheRequiredKeys() throws {
        let (scenario, outcome) = try outcome()
        let json = LabReport(
            scenario: scenario,
            summary: MonteCarloSummary(paths: outcome.metrics, accounts: outcome.population.count, seconds: 0.5)
        ).json()
        for key in [
            "\"paths\":3", "\"accounts\":3000", "\"amplification\":{\"mean\":", "\"p50\":", "\"p95\":", "\"max\":",
            "\"liquidatedNotional\":{\"mean\":", "\"liquidations\":{\"mean\":", "\"badDebt\":{\"mean\":", "\"p99\":",
            "\"insuranceDepletionProbability\":", "\"adlProbability\":", "\"seconds\":0.5",
        ] {
            #expect(json.contains(key), "missing \(key)")
        }
        #expect(json.hasPrefix("{") && json.hasSuffix("}"))
    }

    @Test func csvHasOneRowPerStep() throws {
        let (scenario, outcome) = try outcome()
        let trace = try #require(outcome.trace)
        let lines = LabReport.csv(trace: trace).split(separator: "\n")
        #expect(lines.count == scenario.steps + 2)  // header + step 0 … steps
        #expect(lines[0].hasPrefix("step,exogenous,traded,mark"))
    }

    @Test func distributionPercentilesAreNearestRank() {
        let d = Distribution((1...100).map(Double.init).reversed())
        #expect(d.p50 == 50)
        #expect(d.p95 == 95)
        #expect(d.p99 == 99)
        #expect(d.max == 100)
        #expect(d.mean == 50.5)
    }
}
