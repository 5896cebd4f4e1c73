import Foundation
import FulcrumCore
import Testing

@testable import FulcrumLab

/// `--sweep` and the per-path CSV of a multi-venue run report every venue, not only the main one (issue 3).
@Suite("Cascade lab: sweeps and per-path rows of several venues")
struct MultiVenueSweepTests {
    /// The two-venue scenario of ``MultiVenueTests``, shorter: 800 + 800 accounts, 100 steps.
    func twoVenues() throws -> Scenario {
        var s = try MultiVenueTests().twoVenues(lag: 1)
        s.population.count = 800
        s.steps = 100
        s.linkedVenues[0].scenario.population.count = 800
        s.linkedVenues[0].scenario.steps = 100
        return s
    }

    func sweepReport(_ s: Scenario) throws -> LabReport {
        let points = try StressDriver.sweep(
            scenario: s,
            parameter: "depthScale",
            low: 0.5,
            high: 4,
            count: 2,
            paths: 2,
            seed: 8,
            threads: 2
        )
        return LabReport(scenario: s, summary: points[0].summary, sweep: points)
    }

    @Test func everySweepPointCarriesEveryVenue() throws {
        let s = try twoVenues()
        let report = try sweepReport(s)
        #expect(report.sweep.count == 2)
        for point in report.sweep {
            #expect(point.summary.linkedVenues.count == 1)
            #expect(point.summary.linkedVenues[0].paths.count == 2)
        }
        // The parameter is set on the main venue: its depth changes, the thin venue's own depth does not, but the
        // thin venue still sees the deeper main venue through the arbitrage.
        let deepAmplification = report.sweep.map(\.summary.amplification.mean)
        #expect(deepAmplification[1] <= deepAmplification[0])

        let json = report.json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let sweep = try #require(object["sweep"] as? [String: Any])
        let points = try #require(sweep["points"] as? [[String: Any]])
        #expect(points.count == 2)
        for (k, point) in points.enumerated() {
            let venues = try #require(point["venues"] as? [[String: Any]])
            #expect(venues.map { $0["name"] as? String } == ["deep", "thin"])
            let thin = try #require(venues[1]["amplification"] as? [String: Any])
            let mean = try #require(thin["mean"] as? Double)
            #expect(mean == report.sweep[k].summary.linkedVenues[0].amplification.mean)
        }

        let text = report.terminalTable()
        #expect(text.contains("sweep depthScale, every venue (set on deep"))
        #expect(text.contains("thin amplif."))
        #expect(report.html().contains("id=\"sweep-venues\""))
    }

    @Test func venuePathsCSVHasOneRowPerVenueAndPath() throws {
        let s = try twoVenues()
        let pops = try MonteCarloRunner.populations(scenario: s, seed: 8, threads: 2)
        let metrics = try MonteCarloRunner.run(
            scenario: s,
            population: pops[0],
            paths: [0, 1, 2],
            seed: 8,
            threads: 2,
            linkedPopulations: Array(pops.dropFirst())
        )
        let summary = MonteCarloSummary(paths: metrics, accounts: pops[0].count, seconds: 0)
        let csv = LabReport(scenario: s, summary: summary).venuePathsCSV()
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines.count == 1 + 2 * 3)
        #expect(lines[0].hasPrefix("venue,path,exogenous_move,total_move,amplification,"))
        let thinRows = lines.dropFirst().filter { $0.hasPrefix("thin,") }
        #expect(thinRows.count == 3)
        for (row, path) in zip(thinRows, summary.linkedVenues[0].paths) {
            let cells = row.split(separator: ",").map(String.init)
            #expect(cells[1] == "\(path.path)")
            #expect(Double(cells[4]) == path.amplification)
            #expect(cells[9] == "\(path.badDebt)")
        }
        // The main venue's rows are `paths.csv`'s rows with the venue name in front.
        let deepRows = lines.dropFirst().filter { $0.hasPrefix("deep,") }.map { String($0.dropFirst("deep,".count)) }
        let mainRows = LabReport(scenario: s, summary: summary).pathsCSV().split(separator: "\n").dropFirst()
        #expect(deepRows == mainRows.map(String.init))
    }

    @Test func singleVenueReportsHaveNoVenueParts() throws {
        var s = try Scenario.builtIn()
        s.population.count = 500
        s.steps = 60
        let report = try sweepReport(s)
        #expect(report.venuePathsCSV().isEmpty)
        #expect(report.venueSweepTable().isEmpty)
        #expect(report.venueSweepHTML().isEmpty)
        #expect(!report.json().contains("\"venues\""))
    }
}
