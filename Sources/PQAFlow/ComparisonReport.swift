import Foundation

/// A comparison as a terminal table and as a Markdown document.
public enum ComparisonReport {
    /// The tools, device and speed grade, then two lines per point (PQA,
    /// then the baseline) with both ratios.
    public static func text(_ rows: [ComparisonRow], options: ComparisonOptions) -> String {
        var lines = ["Measured with \(tools(rows, options)).", header.joined(separator: " | ")]
        for row in rows {
            lines.append(cells(row, row.pqa, ratios: true).joined(separator: " | "))
            lines.append(cells(row, row.baseline, ratios: false).joined(separator: " | "))
        }
        return lines.joined(separator: "\n")
    }

    /// A Markdown document: how the numbers were made, the kept designs,
    /// the best ratios, and every candidate.
    public static func markdown(_ rows: [ComparisonRow], comparison: Comparison, command: String) -> String {
        let options = comparison.options
        var lines = ["# PQA against a MAC-array baseline: \(comparison.network)" + (options.placement == nil ? " (nominal clock)" : ", at measured clocks"),
                     "", "Made by `\(command)` with \(tools(rows, options)).", "", "## How the numbers were made", ""]
        lines += method(comparison).map { "- " + $0 }
        lines += ["", "## PQA and the baseline, each side's best candidate", "",
                  "| " + header.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: header.count)]
        for row in rows {
            lines.append("| " + cells(row, row.pqa, ratios: true).joined(separator: " | ") + " |")
            lines.append("| " + cells(row, row.baseline, ratios: false).joined(separator: " | ") + " |")
        }
        lines.append("")
        for weighting in AreaWeighting.allCases {
            guard let best = rows.filter({ $0.ratio(weighting) != nil }).max(by: { ($0.ratio(weighting) ?? 0) < ($1.ratio(weighting) ?? 0) }),
                  let ratio = best.ratio(weighting), let pqaClock = best.pqa.clock, let baselineClock = best.baseline.clock else { continue }
            lines.append("- Best ratio in \(weighting.unit): " + String(format: "**%.2fx**", ratio) + " at \(best.point) (PQA \(best.pqa.hardware.parallelism) at "
                         + String(format: "%.1f MHz", pqaClock.mhz) + ", baseline \(best.baseline.hardware.parallelism) at "
                         + String(format: "%.1f MHz", baselineClock.mhz) + ").")
        }
        let notes = rows.flatMap { row in [row.pqa, row.baseline].compactMap { design in
            design.clock?.reason.map { "- \(row.point), \(design.design): \($0)." }
        } }
        if !notes.isEmpty { lines += ["", "Clocks not from the design itself:", ""] + notes }
        lines += ["", "## Every candidate, each at its own clock", "",
                  "Each design timed at its own smallest replica that fits; the kept one of each side is in bold.", ""]
        lines += candidateTable(rows)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The tools that made the figures: Yosys, and nextpnr with the device it placed on.
    static func tools(_ rows: [ComparisonRow], _ options: ComparisonOptions) -> String {
        let designs = rows.flatMap(\.candidates)
        let yosys = Set(designs.map(\.synthesisTool)).sorted().joined(separator: ", ")
        guard let placement = options.placement else { return yosys }
        let nextpnr = Set(designs.compactMap { $0.clock?.placeAndRoute?.tool }).sorted().joined(separator: ", ")
        return "\(yosys) and \(nextpnr.isEmpty ? "nextpnr" : nextpnr) (\(placement.device.target == .ecp5 ? "nextpnr-ecp5" : "nextpnr-ice40")) "
            + "on the \(deviceName(placement.device)), speed grade -\(placement.speedGrade), placement seed \(placement.seed), "
            + String(format: "target clock %.0f MHz", placement.targetMHz)
    }

    static func deviceName(_ device: PlaceAndRouteDevice) -> String {
        switch device {
        case .up5k: "Lattice iCE40 UP5K (SG48)"
        case .ecp5_25k: "Lattice ECP5 LFE5U-25F (CABGA381)"
        case .ecp5_45k: "Lattice ECP5 LFE5U-45F (CABGA381)"
        case .ecp5_85k: "Lattice ECP5 LFE5U-85F (CABGA381)"
        }
    }

    /// The method, one bullet each.
    static func method(_ comparison: Comparison) -> [String] {
        let options = comparison.options, c = options.candidates
        let allPoints = comparison.points.map(\.number)
        let loads = (options.schedule.overlapLoads ? "overlapped with the previous layer " : "before each layer ")
            + (options.schedule.loadBitsPerCycle.map { "at \($0) bits per cycle" } ?? "at one beat per cycle")
        var clock: String
        if let placement = options.placement {
            clock = "each design placed and routed by nextpnr in a small-pin wrapper (inputs and outputs registered) on the "
                + "\(deviceName(placement.device)) at speed grade -\(placement.speedGrade); Fmax is nextpnr's for the routed design. "
                + "A design that does not fit the device"
            if let limit = placement.maxUtilization {
                clock += ", or fills more than \(Int((100 * limit).rounded())) % of its logic, flip-flops or LUT-RAM after packing "
                    + "(block RAM and DSP blocks need only fit),"
            }
            clock += " is timed as a replica with 1/f of its lanes, each lane as it is (PQA gives up subspace lanes with their subspaces, "
                + "then output lanes with their channels; the baseline output lanes, then input lanes), f the smallest power of two that fits"
                + (options.minimumScale > 1 ? " from \(options.minimumScale) up (every design is first timed at 1/\(options.minimumScale))" : "") + "; "
                + "the two designs compared at a point are timed at the same f. Area is always the full design's"
        } else {
            clock = String(format: "every design at a nominal %.0f MHz (no place and route)", options.nominalMHz)
        }
        return [
            "Points: table-3 point\(allPoints.count == 1 ? "" : "s") \(allPoints.map(String.init).joined(separator: ", ")) of `\(comparison.network)` "
                + "in `reference/workloads.json` (Ls, Np and, where given, prototype and table-entry bits; 8 otherwise). "
                + "Both designs hold the network's largest layer and load the next layer while running.",
            "Candidates: PQA with \(options.encoder == .tree ? "a tree encoder (MADDNESS), LsVec = min(16, Ls), NpVec = Np" : "\(options.metric.rawValue.uppercased()) distance, LsVec = min(16, Ls), NpVec = min(16, Np)"), NsVec in \(c.pqaNsVec), "
                + "OutVec in \(c.pqaOutVec); the baseline with the same activations, weights as wide as the table entries, InVec in \(c.baselineInVec), "
                + "OutVec in \(c.baselineOutVec), multipliers from \(c.baselineMultipliers.map { $0 == .luts ? "LUTs" : "DSP blocks" }.joined(separator: " or ")) "
                + "(parallelism clipped to the layer). Each side keeps the candidate with the best performance per area in "
                + "\(options.rankBy.unit) at its own clock.",
            "Area: Yosys `\(options.target.command(top: "TOP").split(separator: " ").first ?? "")` of each design at full parallelism, "
                + "raw counts in the table, weighted two ways: (1) \(AreaWeighting.lutEquivalents.explanation(target: options.target)); "
                + "(2) \(AreaWeighting.pqaModelCLBs.explanation(target: options.target)).",
            "Cycles: one inference of the whole network from the network cycle model (compute exact against RTL), table and weight loads \(loads).",
            "Clock: \(clock).",
            "Performance per area: inferences per second per 1000 units of area; ratio: PQA's over the baseline's, in each unit.",
        ]
    }

    static let header = ["point", "design", "parallelism", "LUT", "FF", "carry", "LUT-RAM", "BRAM18/36", "DSP", "LUT-eq", "CLB",
                         "clock (MHz)", "timed as", "cycles/inference", "inf/s per kLUT-eq", "inf/s per kCLB", "ratio LUT-eq", "ratio CLB"]

    static func cells(_ row: ComparisonRow, _ design: ComparedDesign, ratios: Bool) -> [String] {
        func ratio(_ weighting: AreaWeighting) -> String {
            guard ratios else { return "" }
            return row.ratio(weighting).map { String(format: "**%.2fx**", $0) } ?? "-"
        }
        return [row.point, design.design, design.hardware.parallelism] + counts(design)
            + [String(format: "%.0f", design.area(.lutEquivalents)), String(format: "%.0f", design.area(.pqaModelCLBs)),
               design.clock.map { String(format: "%.1f", $0.mhz) } ?? "-", timing(design), "\(design.cycles)",
               performance(design, .lutEquivalents), performance(design, .pqaModelCLBs), ratio(.lutEquivalents), ratio(.pqaModelCLBs)]
    }

    static func counts(_ design: ComparedDesign) -> [String] {
        let r = design.resources
        return ["\(r[.lut] ?? 0)", "\(r[.flipFlop] ?? 0)", "\(r[.carry] ?? 0)", "\(r[.lutRAM] ?? 0)", "\(r[.blockRAM] ?? 0)/\(r[.blockRAM36] ?? 0)",
                "\(r[.dsp] ?? 0)"]
    }

    static func performance(_ design: ComparedDesign, _ weighting: AreaWeighting) -> String {
        design.performancePerArea(weighting).map { String(format: "%.2f", $0) } ?? "-"
    }

    /// `itself (TRELLIS_COMB 62 %)`, `1/4: NsVec 4 ...; Ls 9 ... (TRELLIS_COMB 70 %)`, `nominal` or `not timed`.
    static func timing(_ design: ComparedDesign) -> String {
        guard let clock = design.clock else { return "not timed" }
        guard clock.placeAndRoute != nil else { return "nominal" }
        let fill = clock.fill.map { " (\($0))" } ?? ""
        return clock.scale == 1 ? "itself\(fill)" : "1/\(clock.scale): \(clock.replica ?? "")\(fill)"
    }

    static func candidateTable(_ rows: [ComparisonRow]) -> [String] {
        let columns = ["point", "design", "parallelism", "LUT", "FF", "carry", "LUT-RAM", "BRAM18/36", "DSP", "LUT-eq", "CLB", "clock (MHz)",
                       "timed as", "cycles/inference", "inf/s per kLUT-eq", "inf/s per kCLB", "synthesis s", "nextpnr s"]
        var lines = ["| " + columns.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: columns.count)]
        for row in rows {
            for design in row.candidates {
                let kept = design.hardware == row.pqa.hardware || design.hardware == row.baseline.hardware
                let parallelism = kept ? "**\(design.hardware.parallelism)**" : design.hardware.parallelism
                let cells = [row.point, design.design, parallelism] + counts(design)
                    + [String(format: "%.0f", design.area(.lutEquivalents)), String(format: "%.0f", design.area(.pqaModelCLBs)),
                       design.clock.map { String(format: "%.1f", $0.mhz) } ?? "-", design.clock == nil ? (design.clockProblem ?? "not timed") : timing(design),
                       "\(design.cycles)", performance(design, .lutEquivalents), performance(design, .pqaModelCLBs),
                       String(format: "%.0f", design.synthesisSeconds), design.clock?.placeAndRoute.map { String(format: "%.0f", $0.seconds) } ?? "-"]
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
        }
        return lines
    }
}
