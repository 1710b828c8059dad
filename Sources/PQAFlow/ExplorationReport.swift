import Foundation
import PQA

/// The outputs of a sweep: CSV, JSON and the Pareto front of cycles against
/// area as an SVG plot.
public enum ExplorationReport {
    /// The CSV columns, in order.
    public static let columns = [
        "id", "metric", "activation_bits", "prototype_bits", "entry_bits", "ls_vec", "np_vec", "ns_vec", "out_vec",
        "lut", "ff", "carry", "lut_ram", "bram18", "bram36", "dsp", "area_lut_eq", "fmax_mhz", "cycles", "compute_cycles", "pareto",
    ]

    /// One row per result, sorted by cycles then area, with a header.
    public static func csv(_ results: [ExplorationResult]) -> String {
        let front = Set(paretoFront(results).map(\.id))
        let rows = sorted(results).map { r -> String in
            let c = r.configuration, p = c.parallelism, f = c.formats
            let counts = [Resource.lut, .flipFlop, .carry, .lutRAM, .blockRAM, .blockRAM36, .dsp].map { "\(r.resources[$0] ?? 0)" }
            return ([r.id, c.metric.rawValue, "\(f.activation.bits)", "\(f.prototype.bits)", "\(f.entry.bits)",
                     "\(p.lsVec)", "\(p.npVec)", "\(p.nsVec)", "\(p.outVec)"] + counts
                    + [String(format: "%.1f", r.area), r.fmaxMHz.map { String(format: "%.1f", $0) } ?? "", "\(r.cycles)",
                       "\(r.computeCycles)", front.contains(r.id) ? "yes" : "no"]).joined(separator: ",")
        }
        return ([columns.joined(separator: ",")] + rows).joined(separator: "\n") + "\n"
    }

    /// Pretty, sorted JSON of the results.
    public static func json(_ results: [ExplorationResult]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(sorted(results)), as: UTF8.self) + "\n"
    }

    /// The results no other beats in both cycles and area, by increasing cycles.
    public static func paretoFront(_ results: [ExplorationResult]) -> [ExplorationResult] {
        var front: [ExplorationResult] = []
        for result in sorted(results) where front.last.map({ result.area < $0.area }) ?? true {
            front.append(result)
        }
        return front
    }

    private static func sorted(_ results: [ExplorationResult]) -> [ExplorationResult] {
        results.sorted { ($0.cycles, $0.area, $0.id) < ($1.cycles, $1.area, $1.id) }
    }

    /// A log-log plot of area against cycles per inference: every point in
    /// grey, the Pareto front in red and joined by a line.
    public static func svg(_ results: [ExplorationResult], title: String) -> String {
        let width = 720.0, height = 480.0, left = 80.0, right = 20.0, top = 40.0, bottom = 60.0
        let xs = results.map { log10(Double(max(1, $0.cycles))) }, ys = results.map { log10(max(1, $0.area)) }
        let (x0, x1) = padded(xs.min() ?? 0, xs.max() ?? 1), (y0, y1) = padded(ys.min() ?? 0, ys.max() ?? 1)
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (width - left - right) }
        func py(_ y: Double) -> Double { height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom) }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        var svg = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">",
                   "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
                   "<text x=\"\(number(width / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">\(escape(title))</text>"]
        for decade in Int(x0.rounded(.down))...Int(x1.rounded(.up)) where Double(decade) >= x0 && Double(decade) <= x1 {
            svg.append("<line x1=\"\(number(px(Double(decade))))\" y1=\"\(number(top))\" x2=\"\(number(px(Double(decade))))\" y2=\"\(number(height - bottom))\" stroke=\"#ddd\"/>")
            svg.append("<text x=\"\(number(px(Double(decade))))\" y=\"\(number(height - bottom + 18))\" text-anchor=\"middle\">1e\(decade)</text>")
        }
        for decade in Int(y0.rounded(.down))...Int(y1.rounded(.up)) where Double(decade) >= y0 && Double(decade) <= y1 {
            svg.append("<line x1=\"\(number(left))\" y1=\"\(number(py(Double(decade))))\" x2=\"\(number(width - right))\" y2=\"\(number(py(Double(decade))))\" stroke=\"#ddd\"/>")
            svg.append("<text x=\"\(number(left - 6))\" y=\"\(number(py(Double(decade)) + 4))\" text-anchor=\"end\">1e\(decade)</text>")
        }
        svg.append("<rect x=\"\(number(left))\" y=\"\(number(top))\" width=\"\(number(width - left - right))\" height=\"\(number(height - top - bottom))\" fill=\"none\" stroke=\"black\"/>")
        svg.append("<text x=\"\(number(width / 2))\" y=\"\(number(height - 16))\" text-anchor=\"middle\">cycles per inference (log)</text>")
        svg.append("<text transform=\"translate(18 \(number(height / 2))) rotate(-90)\" text-anchor=\"middle\">area, LUT-equivalents (log)</text>")
        let front = paretoFront(results)
        let path = front.map { "\(number(px(log10(Double(max(1, $0.cycles))))))),\(number(py(log10(max(1, $0.area)))))" }
        if path.count > 1 { svg.append("<polyline points=\"\(path.joined(separator: " "))\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"1.5\"/>") }
        let frontIDs = Set(front.map(\.id))
        for result in sorted(results) {
            let onFront = frontIDs.contains(result.id), p = result.configuration.parallelism, f = result.configuration.formats
            let label = "\(result.id): LsVec \(p.lsVec) NpVec \(p.npVec) NsVec \(p.nsVec) OutVec \(p.outVec), \(result.configuration.metric.rawValue), "
                + "\(f.activation.bits)/\(f.entry.bits) bits, \(result.cycles) cycles, \(Int(result.area)) LUT-eq"
            svg.append("<circle cx=\"\(number(px(log10(Double(max(1, result.cycles))))))\" cy=\"\(number(py(log10(max(1, result.area)))))\" r=\"\(onFront ? 5 : 3.5)\" "
                       + "fill=\"\(onFront ? "#c0392b" : "#888")\"><title>\(escape(label))</title></circle>")
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// A range around `low...high` (in log10 units) with a margin, never empty.
    private static func padded(_ low: Double, _ high: Double) -> (Double, Double) {
        let margin = max(0.05, (high - low) * 0.08)
        return (low - margin, high + margin)
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
