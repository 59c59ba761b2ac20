import Foundation

/// One mode's recall@k curve: the points (k, recall@k) to draw, k ascending.
public struct RecallCurve: Sendable, Equatable {
    /// One point of a curve.
    public struct Point: Sendable, Equatable {
        public var k: Int
        public var recall: Double
        public init(k: Int, recall: Double) {
            self.k = k
            self.recall = recall
        }
    }

    /// The mode's name, shown in the legend.
    public var mode: String
    /// The points, k ascending.
    public var points: [Point]

    public init(mode: String, points: [Point]) {
        self.mode = mode
        self.points = points.sorted { $0.k < $1.k }
    }

    /// A curve from recall@1, recall@2, … in order (`recall[i]` is recall@(i + 1)), as `Metrics.recallCurve` gives.
    public init(mode: String, recall: [Double]) {
        self.init(mode: mode, points: recall.enumerated().map { Point(k: $0.offset + 1, recall: $0.element) })
    }
}

/// Draws recall@k curves as a self-contained SVG line chart (hand-written SVG text, no dependencies), so a benchmark
/// run leaves a picture that any browser or `rsvg-convert` shows.
public enum RecallPlot {
    /// Okabe–Ito colours (distinguishable with colour-blindness), paired with dash patterns for grey-scale prints.
    private static let styles: [(color: String, dash: String?)] = [
        ("#0072B2", nil), ("#D55E00", "8 4"), ("#009E73", "2 3"), ("#CC79A7", "10 3 2 3"),
        ("#E69F00", "5 5"), ("#56B4E9", "1 2"), ("#000000", "12 4"),
    ]

    /// The curves of `report`, modes in display order; a report without curves (e.g. decoded from JSON) falls back
    /// to its recall@1, @3, @5 and @10 measures.
    public static func curves(of report: BenchReport) -> [RecallCurve] {
        report.orderedModes.compactMap { mode in
            if let recall = report.recallCurves[mode], !recall.isEmpty {
                return RecallCurve(mode: mode, recall: recall)
            }
            guard let m = report.modes[mode] else { return nil }
            return RecallCurve(mode: mode, points: [
                .init(k: 1, recall: m.recallAt1), .init(k: 3, recall: m.recallAt3),
                .init(k: 5, recall: m.recallAt5), .init(k: 10, recall: m.recallAt10),
            ])
        }
    }

    /// The SVG document for `report`'s recall curves.
    public static func svg(_ report: BenchReport, title: String = "Recall@k by retrieval mode",
                           subtitle: String? = nil) -> String {
        let answerable = subtitle ?? "\(report.questions) questions; share of answerable ones with a relevant passage in the top k"
        return svg(curves: curves(of: report), title: title, subtitle: answerable)
    }

    /// The SVG document: a line chart of recall (0…1) against k (1…10 or more), one line per curve, with a legend.
    public static func svg(curves: [RecallCurve], title: String = "Recall@k by retrieval mode",
                           subtitle: String? = nil) -> String {
        // Canvas and plot area.
        let legendWidth = 176.0, width = 590.0 + 22 + legendWidth + 14, height = 470.0
        let left = 72.0, right = 590.0, top = subtitle == nil ? 62.0 : 78.0, bottom = 400.0
        let maxK = max(10, curves.flatMap { $0.points.map(\.k) }.max() ?? 10)
        // Half a step of padding on each side keeps the markers at k = 1 and k = maxK off the axis lines.
        let step = (right - left) / Double(maxK)
        func x(_ k: Int) -> Double { left + step * (Double(k) - 0.5) }
        func y(_ recall: Double) -> Double { bottom - (bottom - top) * min(max(recall, 0), 1) }

        var svg: [String] = []
        svg.append(##"<?xml version="1.0" encoding="UTF-8"?>"##)
        svg.append(##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(f(width))" height="\##(f(height))" "##
            + ##"viewBox="0 0 \##(f(width)) \##(f(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">"##)
        svg.append("<title>\(escape(title))</title>")
        svg.append(##"<rect x="0" y="0" width="\##(f(width))" height="\##(f(height))" fill="#ffffff"/>"##)

        // Title and subtitle.
        svg.append(##"<text x="\##(f((left + right) / 2))" y="32" text-anchor="middle" font-size="19" "##
            + ##"font-weight="bold" fill="#222222">\##(escape(title))</text>"##)
        if let subtitle {
            svg.append(##"<text x="\##(f((left + right) / 2))" y="54" text-anchor="middle" font-size="12.5" "##
                + ##"fill="#555555">\##(escape(subtitle))</text>"##)
        }

        // Grid and y ticks (0.0 … 1.0 every 0.1, labels every 0.2).
        svg.append(##"<g id="grid" stroke-width="1">"##)
        for step in 0...10 {
            let value = Double(step) / 10
            let major = step % 2 == 0
            svg.append(##"<line x1="\##(f(left))" y1="\##(f(y(value)))" x2="\##(f(right))" y2="\##(f(y(value)))" "##
                + ##"stroke="\##(major ? "#dddddd" : "#f0f0f0")"/>"##)
        }
        for k in 1...maxK {
            svg.append(##"<line x1="\##(f(x(k)))" y1="\##(f(top))" x2="\##(f(x(k)))" y2="\##(f(bottom))" stroke="#f3f3f3"/>"##)
        }
        svg.append("</g>")

        // Axes, ticks and tick labels.
        svg.append(##"<g id="axes" stroke="#333333" stroke-width="1.2" fill="#333333" font-size="12.5">"##)
        svg.append(##"<line x1="\##(f(left))" y1="\##(f(bottom))" x2="\##(f(right))" y2="\##(f(bottom))"/>"##)
        svg.append(##"<line x1="\##(f(left))" y1="\##(f(top))" x2="\##(f(left))" y2="\##(f(bottom))"/>"##)
        for step in stride(from: 0, through: 10, by: 2) {
            let value = Double(step) / 10
            svg.append(##"<line x1="\##(f(left - 5))" y1="\##(f(y(value)))" x2="\##(f(left))" y2="\##(f(y(value)))"/>"##)
            svg.append(##"<text x="\##(f(left - 9))" y="\##(f(y(value) + 4.5))" text-anchor="end" "##
                + ##"stroke="none">\##(String(format: "%.1f", value))</text>"##)
        }
        for k in 1...maxK {
            svg.append(##"<line x1="\##(f(x(k)))" y1="\##(f(bottom))" x2="\##(f(x(k)))" y2="\##(f(bottom + 5))"/>"##)
            svg.append(##"<text x="\##(f(x(k)))" y="\##(f(bottom + 20))" text-anchor="middle" stroke="none">\##(k)</text>"##)
        }
        svg.append("</g>")

        // Axis labels.
        svg.append(##"<text x="\##(f((left + right) / 2))" y="\##(f(bottom + 46))" text-anchor="middle" "##
            + ##"font-size="14" fill="#222222">k (passages retrieved)</text>"##)
        svg.append(##"<text x="0" y="0" transform="translate(22 \##(f((top + bottom) / 2))) rotate(-90)" "##
            + ##"text-anchor="middle" font-size="14" fill="#222222">recall@k</text>"##)

        // One line per curve, with point markers (their <title> is a hover tooltip). Drawn last to first, so the
        // first mode (the default one) stays on top where lines overlap.
        for (index, curve) in curves.enumerated().reversed() {
            let style = styles[index % styles.count]
            let points = curve.points.filter { $0.recall.isFinite && $0.k >= 1 }
            guard !points.isEmpty else { continue }
            let path = points.map { "\(f(x($0.k))),\(f(y($0.recall)))" }.joined(separator: " ")
            svg.append(##"<g id="curve-\##(index + 1)" class="curve">"##)
            svg.append(##"<polyline points="\##(path)" fill="none" stroke="\##(style.color)" stroke-width="2.6" "##
                + ##"stroke-linejoin="round" stroke-linecap="round"\##(style.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>"##)
            for point in points {
                svg.append(##"<circle cx="\##(f(x(point.k)))" cy="\##(f(y(point.recall)))" r="4" fill="\##(style.color)" "##
                    + ##"stroke="#ffffff" stroke-width="1.2"><title>\##(escape(curve.mode)): recall@\##(point.k) = "##
                    + ##"\##(String(format: "%.3f", point.recall))</title></circle>"##)
            }
            svg.append("</g>")
        }

        // Legend, right of the plot: a sample of each line and the mode's name with its recall at the largest k.
        if !curves.isEmpty {
            let legendX = right + 22, rowHeight = 24.0
            let legendHeight = 34 + rowHeight * Double(curves.count)
            let lastKs = Set(curves.compactMap { $0.points.last?.k })
            let legendTitle = lastKs.count == 1 ? "mode (recall@\(lastKs.first ?? maxK))" : "mode (last recall)"
            svg.append(##"<g id="legend" font-size="13">"##)
            svg.append(##"<rect x="\##(f(legendX))" y="\##(f(top))" width="\##(f(legendWidth))" height="\##(f(legendHeight))" rx="4" "##
                + ##"fill="#ffffff" stroke="#cccccc"/>"##)
            svg.append(##"<text x="\##(f(legendX + 12))" y="\##(f(top + 20))" font-weight="bold" fill="#222222">\##(escape(legendTitle))</text>"##)
            for (index, curve) in curves.enumerated() {
                let style = styles[index % styles.count]
                let rowY = top + 40 + rowHeight * Double(index)
                let last = curve.points.last.map { String(format: " (%.2f)", $0.recall) } ?? ""
                svg.append(##"<line x1="\##(f(legendX + 12))" y1="\##(f(rowY - 4))" x2="\##(f(legendX + 44))" "##
                    + ##"y2="\##(f(rowY - 4))" stroke="\##(style.color)" stroke-width="2.6" stroke-linecap="round"\##(style.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>"##)
                svg.append(##"<circle cx="\##(f(legendX + 28))" cy="\##(f(rowY - 4))" r="4" fill="\##(style.color)" "##
                    + ##"stroke="#ffffff" stroke-width="1.2"/>"##)
                svg.append(##"<text x="\##(f(legendX + 52))" y="\##(f(rowY))" fill="#222222">"##
                    + ##"\##(escape(truncated(curve.mode)))\##(last)</text>"##)
            }
            svg.append("</g>")
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// Writes `svg` to `path` (UTF-8), creating missing parent folders.
    public static func write(_ svg: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try Data(svg.utf8).write(to: url, options: .atomic)
        } catch {
            throw KZQAError.invalidArgument("cannot write the plot \(path): \(error.localizedDescription)")
        }
    }

    /// A coordinate with at most two decimals and no trailing zeros.
    private static func f(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.2f", rounded)
            .replacingOccurrences(of: ##"0+$"##, with: "", options: .regularExpression)
    }

    /// Shortens long mode names so they fit the legend.
    private static func truncated(_ name: String) -> String {
        name.count <= 9 ? name : String(name.prefix(8)) + "…"
    }

    /// Escapes text for SVG character data and attribute values.
    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                // Control characters are not allowed in XML 1.0; drop them.
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
