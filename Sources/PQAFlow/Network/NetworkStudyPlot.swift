import Foundation

extension NetworkStudyReport {
    /// A line plot of integer test accuracy (%) against bits: one colour per
    /// Np, one dash pattern per variant (solid quantization-aware, long
    /// dashes fine-tuned, short dashes refit, dots neither), and the float
    /// network as a horizontal black line on the same axes.
    public static func svg(_ result: NetworkStudy.Result) -> String {
        let width = 800.0, height = 520.0, left = 70.0, right = 240.0, top = 40.0, bottom = 60.0
        let bits = Array(Set(result.points.map(\.bits))).sorted(), nps = Array(Set(result.points.map(\.np))).sorted()
        let x0 = Double(bits.first ?? 2), x1 = Double(max(bits.last ?? 8, (bits.first ?? 2) + 1))
        let lowest = min(result.points.map(\.integer).min() ?? 0, result.float) * 100
        let y0 = max(0, (lowest / 10).rounded(.down) * 10), y1 = 100.0
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (width - left - right) }
        func py(_ y: Double) -> Double { height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var svg = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            "<text x=\"\(f((left + width - right) / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">\(result.network): test accuracy of the integer PQ network against bits</text>",
        ]
        for b in bits {
            svg.append("<line x1=\"\(f(px(Double(b))))\" y1=\"\(f(top))\" x2=\"\(f(px(Double(b))))\" y2=\"\(f(height - bottom))\" stroke=\"#eee\"/>")
            svg.append("<text x=\"\(f(px(Double(b))))\" y=\"\(f(height - bottom + 18))\" text-anchor=\"middle\">\(b)</text>")
        }
        for y in stride(from: y0, through: y1, by: 10) {
            svg.append("<line x1=\"\(f(left))\" y1=\"\(f(py(y)))\" x2=\"\(f(width - right))\" y2=\"\(f(py(y)))\" stroke=\"#eee\"/>")
            svg.append("<text x=\"\(f(left - 6))\" y=\"\(f(py(y) + 4))\" text-anchor=\"end\">\(Int(y))</text>")
        }
        svg.append("<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width - left - right))\" height=\"\(f(height - top - bottom))\" fill=\"none\" stroke=\"black\"/>")
        svg.append("<text x=\"\(f((left + width - right) / 2))\" y=\"\(f(height - 18))\" text-anchor=\"middle\">bits of activations, prototypes, table entries and outputs</text>")
        svg.append("<text transform=\"translate(20 \(f((top + height - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">test accuracy (%)</text>")
        svg.append("<line x1=\"\(f(left))\" y1=\"\(f(py(100 * result.float)))\" x2=\"\(f(width - right))\" y2=\"\(f(py(100 * result.float)))\" stroke=\"black\" stroke-width=\"2\"/>")
        let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]
        // Dash patterns: none for fine-tuned, dashes for refit, dots for neither.
        var legend: [(String, String, String)] = [("float network", "black", "")]
        for (i, np) in nps.enumerated() {
            let colour = colours[i % colours.count]
            for (variant, dash) in [(NetworkStudy.Variant.quantizationAware, ""), (.fineTuned, "6 3"), (.refit, "2 3"), (.plain, "1 5")] {
                let series = result.points.filter { $0.np == np && $0.variant == variant }.sorted { $0.bits < $1.bits }
                guard !series.isEmpty else { continue }
                let name = variant.rawValue
                let path = series.map { "\(f(px(Double($0.bits)))),\(f(py(100 * $0.integer)))" }.joined(separator: " ")
                svg.append("<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>")
                for p in series {
                    svg.append("<circle cx=\"\(f(px(Double(p.bits))))\" cy=\"\(f(py(100 * p.integer)))\" r=\"3\" fill=\"\(colour)\">"
                               + "<title>Np \(np), \(name), \(p.bits) bits: \(String(format: "%.2f", 100 * p.integer))%</title></circle>")
                }
                legend.append(("Np \(np), \(name)", colour, dash))
            }
        }
        for (i, entry) in legend.enumerated() {
            let y = top + 10 + Double(i) * 20, x = width - right + 15
            svg.append("<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 28))\" y2=\"\(f(y))\" stroke=\"\(entry.1)\" stroke-width=\"\(i == 0 ? 2 : 1.5)\"\(entry.2.isEmpty ? "" : " stroke-dasharray=\"\(entry.2)\"")/>")
            svg.append("<text x=\"\(f(x + 34))\" y=\"\(f(y + 4))\">\(entry.0)</text>")
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }
}
