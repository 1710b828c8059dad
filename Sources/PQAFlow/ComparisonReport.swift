import Foundation

/// A comparison as a terminal table and as a Markdown document.
public enum ComparisonReport {
    /// One line per design per point, then the ratio.
    public static func text(_ rows: [ComparisonRow]) -> String {
        var lines = [header.joined(separator: " | ")]
        for row in rows {
            lines.append(contentsOf: [cells(row, row.pqa, clock: row.pqaClockMHz, ratio: String(format: "%.2fx", row.ratio)),
                                      cells(row, row.baseline, clock: row.baselineClockMHz, ratio: "")]
                .map { $0.joined(separator: " | ") })
        }
        return lines.joined(separator: "\n")
    }

    /// A Markdown document: how the numbers were made, the table, and what it says.
    public static func markdown(_ rows: [ComparisonRow], network: String, options: ComparisonOptions, command: String, tools: String) -> String {
        let clock = options.device.map {
            "Fmax from nextpnr on the Lattice device `\($0.rawValue)` (small-pin wrapper); a point where a design does not fit it runs both at \(Int(options.nominalMHz)) MHz"
        }
            ?? "both designs at a nominal \(Int(options.nominalMHz)) MHz (no place and route)"
        let weights = Resource.allCases.compactMap { resource -> String? in
            guard let weight = AreaWeights.standard.weights[resource], weight > 0 else { return nil }
            return "\(resource.rawValue) \(weight)"
        }.joined(separator: ", ")
        let timing = options.schedule.loadBitsPerCycle.map { "at \($0) bits per cycle" } ?? "at one beat per cycle"
        let loads = (options.schedule.overlapLoads ? "overlapped with the previous layer " : "before each layer ") + timing
        var lines: [String] = [
            "# PQA against a MAC-array baseline: \(network)",
            "",
            "Made by `\(command)` with \(tools).",
            "",
            "- Each table-3 point of `reference/workloads.json` sets Ls, Np and, where given, the prototype (activation) and table-entry bits (8 otherwise).",
            "- PQA: \(options.metric.rawValue.uppercased()) distance, LsVec = Ls, NpVec = min(Np, 16), OutVec 16, NsVec in \(options.pqaSubspaceParallelism); "
                + "baseline: the same activations, weights as wide as the table entries, OutVec 16, InVec in \(options.baselineInputParallelism), "
                + "multipliers from LUTs or DSP blocks. "
                + "Each side keeps its candidate with the best performance per area. Both hold the network's largest layer and load the next layer while running.",
            "- Area: Yosys `\(options.target.rawValue)` cells weighted into LUT-equivalents (\(weights)).",
            "- Cycles: one inference of the whole network from the network cycle model (compute exact against RTL), table and weight loads \(loads).",
            "- Clock: \(clock). Performance per area = inferences/s per 1000 LUT-equivalents; ratio = PQA / baseline.",
            "",
            "| " + header.joined(separator: " | ") + " |",
            "|" + String(repeating: "---|", count: header.count),
        ]
        for row in rows {
            lines.append("| " + cells(row, row.pqa, clock: row.pqaClockMHz, ratio: String(format: "**%.2fx**", row.ratio)).joined(separator: " | ") + " |")
            lines.append("| " + cells(row, row.baseline, clock: row.baselineClockMHz, ratio: "").joined(separator: " | ") + " |")
        }
        let best = rows.max { $0.ratio < $1.ratio }
        lines += ["", best.map { String(format: "Best ratio: %.2fx at Ls %d, Np %d, %d/%d bits. ", $0.ratio, $0.ls, $0.np, $0.activationBits, $0.entryBits) } ?? "",
                  "PQA designs using DSP blocks: \(rows.filter { ($0.pqa.resources[.dsp] ?? 0) > 0 }.count) of \(rows.count)."]
        return lines.joined(separator: "\n") + "\n"
    }

    static let header = ["point", "design", "parallelism", "LUT", "FF", "BRAM18/36", "DSP", "area (LUT-eq)", "Fmax (MHz)", "cycles/inference",
                         "inferences/s per kLUT-eq", "ratio"]

    static func cells(_ row: ComparisonRow, _ design: ComparedDesign, clock: Double, ratio: String) -> [String] {
        let r = design.resources
        return ["Ls \(row.ls) Np \(row.np) \(row.activationBits)/\(row.entryBits)b", design.design, design.parallelism,
                "\(r[.lut] ?? 0)", "\(r[.flipFlop] ?? 0)", "\(r[.blockRAM] ?? 0)/\(r[.blockRAM36] ?? 0)", "\(r[.dsp] ?? 0)",
                String(format: "%.0f", design.area), design.fmaxMHz.map { String(format: "%.1f", $0) } ?? (design.fmaxProblem == nil ? "-" : "does not fit"),
                "\(design.cycles)", String(format: "%.2f", design.performancePerArea(at: clock)), ratio]
    }
}
