/// Inline SVG charts for the HTML report (self-contained: no scripts, no external resources).
enum SVGChart {
    static let width = 860.0
    static let height = 260.0
    static let left = 70.0
    static let right = 20.0
    static let top = 30.0
    static let bottom = 30.0

    static func number(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        return r == r.rounded() ? String(Int64(r)) : "\(r)"
    }

    static func label(_ x: Double) -> String {
        let a = Swift.abs(x)
        if a >= 1e9 { return number(x / 1e9) + "B" }
        if a >= 1e6 { return number(x / 1e6) + "M" }
        if a >= 1e4 { return number(x / 1e3) + "k" }
        if a >= 1 || a == 0 { return number(x) }
        return "\((x * 10_000).rounded() / 10_000)"
    }

    static func escape(_ s: String) -> String {
        s.replacingAll("&", "&amp;").replacingAll("<", "&lt;").replacingAll(">", "&gt;").replacingAll("\"", "&quot;")
    }

    static func frame(
        title: String,
        yMin: Double,
        yMax: Double,
        xMax: Double,
        xLabel: String,
        xMin: Double = 0
    ) -> String {
        var s =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" "
        s += "height=\"\(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\">"
        s += "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#fff\"/>"
        s += "<text x=\"\(Int(left))\" y=\"18\" font-size=\"14\" font-weight=\"bold\">\(escape(title))</text>"
        let plotBottom = height - bottom
        s += "<line x1=\"\(left)\" y1=\"\(plotBottom)\" x2=\"\(width - right)\" y2=\"\(plotBottom)\" stroke=\"#999\"/>"
        s += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(plotBottom)\" stroke=\"#999\"/>"
        for k in 0...4 {
            let v = yMin + (yMax - yMin) * Double(k) / 4
            let y = plotBottom - (plotBottom - top) * Double(k) / 4
            s +=
                "<text x=\"\(left - 6)\" y=\"\(number(y + 4))\" font-size=\"10\" text-anchor=\"end\">\(label(v))</text>"
            s +=
                "<line x1=\"\(left)\" y1=\"\(number(y))\" x2=\"\(width - right)\" y2=\"\(number(y))\" stroke=\"#eee\"/>"
        }
        for k in 0...4 {
            let v = xMin + (xMax - xMin) * Double(k) / 4
            let x = left + (width - left - right) * Double(k) / 4
            s +=
                "<text x=\"\(number(x))\" y=\"\(height - 12)\" font-size=\"10\" text-anchor=\"middle\">\(label(v))</text>"
        }
        s +=
            "<text x=\"\(width - right)\" y=\"\(height - 2)\" font-size=\"10\" text-anchor=\"end\">\(escape(xLabel))</text>"
        return s
    }

    /// A line chart of several series over the same x range.
    static func lines(
        title: String,
        series: [(name: String, color: String, values: [Double])],
        xLabel: String
    ) -> String {
        let all = series.flatMap(\.values).filter(\.isFinite)
        var yMin = all.min() ?? 0
        var yMax = all.max() ?? 1
        if yMax - yMin < 1e-12 {
            yMin -= 1
            yMax += 1
        }
        let pad = (yMax - yMin) * 0.05
        yMin -= pad
        yMax += pad
        let n = series.map(\.values.count).max() ?? 1
        var s = frame(title: title, yMin: yMin, yMax: yMax, xMax: Double(Swift.max(1, n - 1)), xLabel: xLabel)
        let plotW = width - left - right
        let plotH = height - top - bottom
        for (k, line) in series.enumerated() {
            var points = ""
            let stride = Swift.max(1, line.values.count / 1_500)
            var i = 0
            while i < line.values.count {
                let x = left + plotW * Double(i) / Double(Swift.max(1, n - 1))
                let y = top + plotH * (1 - (line.values[i] - yMin) / (yMax - yMin))
                points += number(x) + "," + number(y) + " "
                i += stride
            }
            s += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.5\" points=\"\(points)\"/>"
            s +=
                "<rect x=\"\(number(left + 10 + Double(k) * 220))\" y=\"\(number(top + 4))\" width=\"12\" height=\"3\" fill=\"\(line.color)\"/>"
            s +=
                "<text x=\"\(number(left + 26 + Double(k) * 220))\" y=\"\(number(top + 9))\" font-size=\"11\">\(escape(line.name))</text>"
        }
        return s + "</svg>"
    }

    /// A bar chart of one series (bars at each x).
    static func bars(
        title: String,
        values: [Double],
        color: String,
        xLabel: String,
        xRange: (Double, Double)? = nil
    )
        -> String
    {
        let yMax = Swift.max(1e-12, values.filter(\.isFinite).max() ?? 1)
        let range = xRange ?? (0, Double(Swift.max(1, values.count - 1)))
        var s = frame(title: title, yMin: 0, yMax: yMax, xMax: range.1, xLabel: xLabel, xMin: range.0)
        let plotW = width - left - right
        let plotH = height - top - bottom
        let w = Swift.max(1, plotW / Double(Swift.max(1, values.count)))
        for (i, v) in values.enumerated() where v > 0 {
            let h = plotH * v / yMax
            let x = left + plotW * Double(i) / Double(Swift.max(1, values.count))
            s +=
                "<rect x=\"\(number(x))\" y=\"\(number(top + plotH - h))\" width=\"\(number(w))\" height=\"\(number(h))\" fill=\"\(color)\"/>"
        }
        return s + "</svg>"
    }

    /// A histogram of values in `bins` equal bins.
    static func histogram(title: String, values: [Double], bins: Int, color: String, xLabel: String) -> String {
        guard let lo = values.min(), let hi = values.max() else {
            return bars(title: title, values: [], color: color, xLabel: xLabel)
        }
        var counts = [Double](repeating: 0, count: bins)
        let span = Swift.max(1e-12, hi - lo)
        for v in values { counts[Swift.min(bins - 1, Int((v - lo) / span * Double(bins)))] += 1 }
        return bars(
            title: title + " (\(label(lo)) … \(label(hi)))",
            values: counts,
            color: color,
            xLabel: xLabel + " (path count per bin)",
            xRange: (lo, hi)
        )
    }

    /// A heatmap: rows × columns of intensities, with row and column labels.
    static func heatmap(title: String, cells: [[Double]], rowLabels: [String], columnLabels: [String]) -> String {
        let rows = cells.count
        let columns = cells.first?.count ?? 0
        let h = 40.0 + Double(rows) * 22 + 30
        var s =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(h))\" width=\"\(Int(width))\" "
        s +=
            "height=\"\(Int(h))\" role=\"img\" aria-label=\"\(escape(title))\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
        s += "<text x=\"\(Int(left))\" y=\"18\" font-size=\"14\" font-weight=\"bold\">\(escape(title))</text>"
        let maxValue = Swift.max(1e-12, cells.flatMap { $0 }.max() ?? 1)
        let cw = (width - left - right) / Double(Swift.max(1, columns))
        for r in 0..<rows {
            let y = 30.0 + Double(r) * 22
            s +=
                "<text x=\"\(left - 6)\" y=\"\(number(y + 15))\" font-size=\"10\" text-anchor=\"end\">\(escape(rowLabels[r]))</text>"
            for c in 0..<columns where cells[r][c] > 0 {
                // Square-root intensity so small clusters stay visible.
                let t = (cells[r][c] / maxValue).squareRoot()
                let red = Int(255 - 55 * t)
                let green = Int(245 - 215 * t)
                let blue = Int(235 - 205 * t)
                s +=
                    "<rect x=\"\(number(left + Double(c) * cw))\" y=\"\(number(y))\" width=\"\(number(cw))\" height=\"20\" "
                s +=
                    "fill=\"rgb(\(red),\(green),\(blue))\"><title>\(escape(rowLabels[r])) \(escape(columnLabels[c])): \(label(cells[r][c]))</title></rect>"
            }
        }
        let labelEvery = Swift.max(1, columns / 10)
        for c in Swift.stride(from: 0, to: columns, by: labelEvery) {
            s += "<text x=\"\(number(left + (Double(c) + 0.5) * cw))\" y=\"\(number(h - 10))\" font-size=\"10\" "
            s += "text-anchor=\"middle\">\(escape(columnLabels[c]))</text>"
        }
        return s + "</svg>"
    }
}

extension String {
    /// Replaces every occurrence of `target` with `replacement` (no Foundation).
    func replacingAll(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        out += rest
        return out
    }
}
