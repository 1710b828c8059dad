import Foundation
import HDL
import HDLSim

/// What synthesis built for one instance of a design's hierarchy, itself and
/// everything below it. Identical siblings (`u_lane_0` ... `u_lane_15`, one
/// module) share a row.
public struct InstanceUtilization: Codable, Sendable {
    /// `u_encoder/u_subspace_0..3`: the instance path, siblings as a range.
    public let path: String
    public let module: String
    /// Levels below the top (the top is 0).
    public let depth: Int
    /// Instances the row stands for.
    public let count: Int
    /// Per instance, everything below it included.
    public let resources: [Resource: Int]
    /// Per instance, in LUT-equivalents.
    public let area: Double
}

/// Utilization per module instance from a synthesis that keeps the
/// hierarchy, beside the totals of the usual flattened synthesis.
public struct HierarchyReport: Codable, Sendable {
    /// The flattened synthesis (the figures every other report uses).
    public let flattened: SynthesisReport
    /// Depth first, the top first.
    public let instances: [InstanceUtilization]
    /// Tool, version and command of the synthesis that kept the hierarchy.
    public let tool: String
    public let command: String
    public let seconds: Double

    /// The synthesis step of `command` (`synth_ecp5 -noflatten -top pqa_core`).
    var hierarchyStep: String {
        command.split(separator: ";").dropFirst().first.map { $0.trimmingCharacters(in: .whitespaces) } ?? command
    }

    /// A table: one row per instance (identical siblings together), indented by depth.
    public var text: String {
        let columns: [Resource] = [.lut, .flipFlop, .carry, .lutRAM, .blockRAM, .blockRAM36, .dsp]
        let names = ["LUT", "FF", "carry", "LUT-RAM", "BRAM18", "BRAM36", "DSP"]
        let labels = instances.map { String(repeating: "  ", count: $0.depth) + ($0.path.split(separator: "/").last.map(String.init) ?? $0.path) }
        let labelWidth = max(8, labels.map(\.count).max() ?? 0), moduleWidth = max(6, instances.map(\.module.count).max() ?? 0)
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        func right(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        var lines = ["\(pad("instance", labelWidth))  \(pad("module", moduleWidth))      n" + names.map { right($0, 9) }.joined() + "      area"]
        for (label, row) in zip(labels, instances) {
            lines.append("\(pad(label, labelWidth))  \(pad(row.module, moduleWidth))  \(right("\(row.count)", 5))"
                         + columns.map { right("\(row.resources[$0] ?? 0)", 9) }.joined() + right(String(format: "%.0f", row.area), 10))
        }
        let flat = flattened.resources
        lines.append("\(pad("flattened", labelWidth))  \(pad(flattened.design, moduleWidth))      1"
                     + columns.map { right("\(flat[$0] ?? 0)", 9) }.joined() + right(String(format: "%.0f", flattened.area), 10))
        lines.append("")
        lines.append("Rows are per instance (n instances alike), everything below included, from \(hierarchyStep) (\(tool), \(String(format: "%.1f", seconds)) s);")
        lines.append("the flattened row from \(flattened.command.split(separator: ";").dropFirst().first.map { $0.trimmingCharacters(in: .whitespaces) } ?? flattened.command). Area in LUT-equivalents (\(flattened.weights.summary)).")
        return lines.joined(separator: "\n")
    }
}

extension Synthesis {
    /// Synthesizes `top` twice for `target`: flattened (the totals) and
    /// keeping its module hierarchy (the per-instance rows).
    public static func perModule(_ top: Netlist, target: SynthesisTarget, yosys: String = SynthesisTool.preferredYosys,
                                 weights: AreaWeights? = nil) throws -> HierarchyReport {
        let weights = weights ?? .standard(for: target)
        let files = DesignFiles(top: top)
        let flattened = try run(files, target: target, yosys: yosys, weights: weights)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-synth-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try files.write(to: directory)
        let script = "\(target.family.readVerilog) \(files.verilogFiles.joined(separator: " ")); \(target.command(top: top.name, flatten: false)); "
            + "tee -q -o stat.json stat -json -top \(top.name)"
        let start = Date()
        let version = try SynthesisTool.yosysVersion(yosys, in: directory)
        try ExternalTool.run(yosys, ["-q", "-p", script], in: directory)
        let seconds = Date().timeIntervalSince(start)
        let moduleCells = try parseModuleStatistics(Data(contentsOf: directory.appendingPathComponent("stat.json")))
        let modules = Set(top.hierarchy.map(\.name))

        // Per module: its own cells by resource, then everything below it.
        var own: [String: [Resource: Int]] = [:]
        for (module, cells) in moduleCells {
            for (cell, count) in cells where !modules.contains(cell) { own[module, default: [:]][target.resource(of: cell), default: 0] += count }
        }
        var inclusive: [String: [Resource: Int]] = [:]
        for netlist in top.hierarchy {  // children before parents
            var total = own[netlist.name] ?? [:]
            for instance in netlist.instances {
                for (resource, count) in inclusive[instance.module.name] ?? [:] { total[resource, default: 0] += count }
            }
            inclusive[netlist.name] = total
        }
        func area(_ resources: [Resource: Int]) -> Double { weights.area(resources) }
        var rows: [InstanceUtilization] = []
        func visit(_ netlist: Netlist, path: String, depth: Int, count: Int) {
            let resources = inclusive[netlist.name] ?? [:]
            rows.append(InstanceUtilization(path: path, module: netlist.name, depth: depth, count: count, resources: resources,
                                            area: area(resources)))
            for group in siblingGroups(netlist.instances) {
                visit(group.module, path: path.isEmpty ? group.label : "\(path)/\(group.label)", depth: depth + 1, count: group.count)
            }
        }
        visit(top, path: top.name, depth: 0, count: 1)
        return HierarchyReport(flattened: flattened, instances: rows, tool: version, command: "yosys -p \"\(script)\"", seconds: seconds)
    }

    /// Runs of instances of one module named `prefix_i`, `prefix_i+1`, ...:
    /// one group each, labelled `prefix_first..last`.
    static func siblingGroups(_ instances: [InstanceSpec]) -> [(label: String, module: Netlist, count: Int)] {
        var groups: [(label: String, module: Netlist, count: Int)] = []
        var index = 0
        while index < instances.count {
            let first = instances[index]
            guard let (prefix, number) = numbered(first.name) else {
                groups.append((first.name, first.module, 1))
                index += 1
                continue
            }
            var end = index + 1
            while end < instances.count, instances[end].module.name == first.module.name,
                  let (nextPrefix, nextNumber) = numbered(instances[end].name), nextPrefix == prefix, nextNumber == number + end - index {
                end += 1
            }
            let label = end - index == 1 ? first.name : "\(first.name)..\(number + end - index - 1)"
            groups.append((label, first.module, end - index))
            index = end
        }
        return groups
    }

    /// `u_lane_12` as (`u_lane`, 12).
    private static func numbered(_ name: String) -> (String, Int)? {
        guard let underscore = name.lastIndex(of: "_"), let number = Int(name[name.index(after: underscore)...]) else { return nil }
        return (String(name[..<underscore]), number)
    }

    /// Each module's own cell counts from `stat -json` (module names without Yosys's leading backslash).
    static func parseModuleStatistics(_ data: Data) throws -> [String: [String: Int]] {
        struct Statistics: Decodable {
            struct Module: Decodable {
                let numCellsByType: [String: Int]?
                enum CodingKeys: String, CodingKey { case numCellsByType = "num_cells_by_type" }
            }
            let modules: [String: Module]?
        }
        let statistics = try JSONDecoder().decode(Statistics.self, from: data)
        var cells: [String: [String: Int]] = [:]
        for (name, module) in statistics.modules ?? [:] {
            cells[name.hasPrefix("\\") ? String(name.dropFirst()) : name] = module.numCellsByType ?? [:]
        }
        return cells
    }
}
