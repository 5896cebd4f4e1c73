/// Self-contained HTML reports with inline SVG charts (no scripts, no external resources).
public enum AnalyticsHTML {
    /// One line of a chart.
    public struct Series: Sendable {
        /// Legend name.
        public var name: String
        /// Points `(x, y)`, x increasing.
        public var points: [(x: Double, y: Double)]
        /// CSS colour.
        public var color: String

        /// Creates a series.
        public init(name: String, points: [(x: Double, y: Double)], color: String) {
            self.name = name
            self.points = points
            self.color = color
        }
    }

    /// A full HTML page: a title, a summary table of `(label, value)` rows, then the given sections (SVG or HTML).
    public static func page(title: String, summary: [(String, String)], sections: [(String, String)]) -> String {
        var html = """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
            td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}
            td:first-child{text-align:left}svg{background:#fff;border:1px solid #ddd}</style></head><body>
            <h1>\(escape(title))</h1><table>
            """
        for (label, value) in summary { html += "<tr><td>\(escape(label))</td><td>\(escape(value))</td></tr>" }
        html += "</table>"
        for (heading, body) in sections { html += "<h2>\(escape(heading))</h2>\(body)" }
        return html + "</body></html>\n"
    }

    /// An HTML table from a header and rows (all text escaped).
    public static func table(header: [String], rows: [[String]]) -> String {
        var html = "<table><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        for row in rows { html += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }
        return html + "</table>"
    }

    /// A line chart as inline SVG; long series are thinned to at most `maxPoints` points each.
    public static func lineChart(
        _ series: [Series],
        xLabel: String,
        yLabel: String,
        width: Int = 900,
        height: Int = 320,
        maxPoints: Int = 1_500
    ) -> String {
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        guard let first = all.first else { return "<p>(no data)</p>" }
        var minX = first.x
        var maxX = first.x
        var minY = first.y
        var maxY = first.y
        for p in all {
            minX = min(minX, p.x)
            maxX = max(maxX, p.x)
            minY = min(minY, p.y)
            maxY = max(maxY, p.y)
        }
        if maxX == minX { maxX = minX + 1 }
        if maxY == minY { maxY = minY + 1 }
        let left = 80.0
        let right = 20.0
        let top = 20.0
        let bottom = 40.0
        let w = Double(width) - left - right
        let h = Double(height) - top - bottom
        func sx(_ x: Double) -> Double { left + (x - minX) / (maxX - minX) * w }
        func sy(_ y: Double) -> Double { top + (1 - (y - minY) / (maxY - minY)) * h }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\">"
        svg += "<line x1=\"\(left)\" y1=\"\(top + h)\" x2=\"\(left + w)\" y2=\"\(top + h)\" stroke=\"#999\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + h)\" stroke=\"#999\"/>"
        for k in 0...4 {
            let y = minY + (maxY - minY) * Double(k) / 4
            svg += "<text x=\"\(left - 6)\" y=\"\(sy(y) + 4)\" font-size=\"11\" text-anchor=\"end\">\(short(y))</text>"
            let x = minX + (maxX - minX) * Double(k) / 4
            svg +=
                "<text x=\"\(sx(x))\" y=\"\(top + h + 16)\" font-size=\"11\" text-anchor=\"middle\">\(short(x))</text>"
        }
        svg += "<text x=\"\(left + w / 2)\" y=\"\(Double(height) - 6)\" font-size=\"12\" text-anchor=\"middle\">"
        svg += "\(escape(xLabel))</text>"
        svg += "<text x=\"14\" y=\"\(top + h / 2)\" font-size=\"12\" transform=\"rotate(-90 14 \(top + h / 2))\" "
        svg += "text-anchor=\"middle\">\(escape(yLabel))</text>"
        for (index, s) in series.enumerated() {
            let step = max(1, s.points.count / maxPoints)
            var path = ""
            for (i, p) in s.points.enumerated() where (i % step == 0 || i == s.points.count - 1) && p.y.isFinite {
                path += (path.isEmpty ? "M" : "L") + "\(round1(sx(p.x))),\(round1(sy(p.y)))"
            }
            svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.5\"/>"
            svg += "<text x=\"\(left + 10)\" y=\"\(top + 14 + Double(index) * 14)\" font-size=\"12\" "
            svg += "fill=\"\(s.color)\">\(escape(s.name))</text>"
        }
        return svg + "</svg>"
    }

    /// A horizontal-axis bar chart (e.g. notional per price bucket), bars up for `positive`, down for `negative`.
    public static func barChart(
        labels: [Double],
        up: [Double],
        down: [Double],
        upName: String,
        downName: String,
        xLabel: String,
        width: Int = 900,
        height: Int = 360
    ) -> String {
        guard !labels.isEmpty else { return "<p>(no data)</p>" }
        let peak = max(up.max() ?? 0, down.max() ?? 0, 1e-12)
        let left = 60.0
        let w = Double(width) - left - 20
        let mid = Double(height) / 2
        let barWidth = w / Double(labels.count)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\">"
        svg += "<line x1=\"\(left)\" y1=\"\(mid)\" x2=\"\(left + w)\" y2=\"\(mid)\" stroke=\"#999\"/>"
        for index in labels.indices {
            let x = left + Double(index) * barWidth
            let hu = (index < up.count ? up[index] : 0) / peak * (mid - 30)
            let hd = (index < down.count ? down[index] : 0) / peak * (mid - 30)
            svg += "<rect x=\"\(round1(x))\" y=\"\(round1(mid - hu))\" width=\"\(round1(max(1, barWidth - 1)))\" "
            svg += "height=\"\(round1(hu))\" fill=\"#2a7\"/>"
            svg += "<rect x=\"\(round1(x))\" y=\"\(round1(mid))\" width=\"\(round1(max(1, barWidth - 1)))\" "
            svg += "height=\"\(round1(hd))\" fill=\"#c33\"/>"
        }
        for k in 0...4 {
            let index = min(labels.count - 1, k * (labels.count - 1) / 4)
            let x = left + (Double(index) + 0.5) * barWidth
            svg += "<text x=\"\(round1(x))\" y=\"\(Double(height) - 6)\" font-size=\"11\" text-anchor=\"middle\">"
            svg += "\(short(labels[index]))</text>"
        }
        svg += "<text x=\"\(left + 4)\" y=\"16\" font-size=\"12\" fill=\"#2a7\">\(escape(upName))</text>"
        svg += "<text x=\"\(left + 4)\" y=\"\(Double(height) - 24)\" font-size=\"12\" fill=\"#c33\">"
        svg += "\(escape(downName)) (\(escape(xLabel)))</text>"
        return svg + "</svg>"
    }

    /// HTML-escapes text.
    public static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func round1(_ x: Double) -> String { "\((x * 10).rounded() / 10)" }

    static func short(_ x: Double) -> String {
        let magnitude = abs(x)
        if magnitude >= 1e9 { return "\((x / 1e8).rounded() / 10)B" }
        if magnitude >= 1e6 { return "\((x / 1e5).rounded() / 10)M" }
        if magnitude >= 1e4 { return "\((x / 1e2).rounded() / 10)k" }
        if magnitude >= 1 { return "\((x * 100).rounded() / 100)" }
        return "\((x * 10_000).rounded() / 10_000)"
    }
}
