import Foundation
import HDL
import HDLSim

/// What synthesis produced: cell counts by type and by resource, the area
/// figure, and how it was obtained.
public struct SynthesisReport: Codable, Sendable {
    public let design: String
    public let target: SynthesisTarget
    /// Every cell type and its count, as Yosys's `stat` reports them.
    public let cells: [String: Int]
    /// Counts per resource class.
    public let resources: [Resource: Int]
    /// The weighted area in LUT-equivalents (see `AreaWeights`).
    public let area: Double
    public let weights: AreaWeights
    /// Tool, version and command.
    public let tool: String
    public let command: String
    public let seconds: Double

    /// A short table.
    public var text: String {
        var lines = ["design     \(design)", "target     \(target.rawValue) (\(tool), \(String(format: "%.1f", seconds)) s)"]
        for resource in Resource.allCases where resource != .other {
            lines.append("\(resource.rawValue.padding(toWidth: 10)) \(resources[resource] ?? 0)")
        }
        lines.append(String(format: "area       %.0f LUT-equivalents", area) + " (\(weights.summary))")
        lines.append("command    \(command)")
        return lines.joined(separator: "\n")
    }
}

/// Runs Yosys on a design and counts what it built.
public enum Synthesis {
    /// Synthesizes `files` (top `files.topName`) for `target` with the Yosys
    /// binary `yosys` (the newest installed by default), weighting its area
    /// with `weights` (the target's standard weights by default).
    public static func run(_ files: DesignFiles, target: SynthesisTarget, yosys: String = SynthesisTool.preferredYosys,
                           weights: AreaWeights? = nil) throws -> SynthesisReport {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-synth-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        return try run(files, target: target, yosys: yosys, weights: weights ?? .standard(for: target), in: directory, writeNetlist: false)
    }

    /// Synthesizes in `directory` (created); with `writeNetlist`, also writes
    /// the mapped netlist there as `netlist.json` for nextpnr.
    static func run(_ files: DesignFiles, target: SynthesisTarget, yosys: String, weights: AreaWeights,
                    in directory: URL, writeNetlist: Bool) throws -> SynthesisReport {
        try files.write(to: directory)
        // Yosys 0.70 keeps `$scopeinfo` cells (where flattened modules were) that nextpnr cannot place.
        let script = "\(target.family.readVerilog) \(files.verilogFiles.joined(separator: " ")); \(target.command(top: files.topName)); delete t:$scopeinfo; tee -q -o stat.json stat -json"
            + (writeNetlist ? "; write_json netlist.json" : "")
        let start = Date()
        let version = try SynthesisTool.yosysVersion(yosys, in: directory)
        try ExternalTool.run(yosys, ["-q", "-p", script], in: directory)
        let seconds = Date().timeIntervalSince(start)
        let cells = try parseStatistics(Data(contentsOf: directory.appendingPathComponent("stat.json")))
        var resources: [Resource: Int] = [:]
        for (cell, count) in cells { resources[target.resource(of: cell), default: 0] += count }
        let area = weights.area(resources)
        return SynthesisReport(design: files.topName, target: target, cells: cells, resources: resources, area: area,
                               weights: weights, tool: version, command: "yosys -p \"\(script)\"", seconds: seconds)
    }

    /// The design-wide cell counts from `stat -json` output.
    static func parseStatistics(_ data: Data) throws -> [String: Int] {
        struct Statistics: Decodable {
            struct Module: Decodable {
                let numCellsByType: [String: Int]?
                enum CodingKeys: String, CodingKey { case numCellsByType = "num_cells_by_type" }
            }
            let design: Module?
            let modules: [String: Module]?
        }
        let statistics = try JSONDecoder().decode(Statistics.self, from: data)
        if let cells = statistics.design?.numCellsByType { return cells }
        return statistics.modules?.values.first?.numCellsByType ?? [:]
    }
}

extension String {
    fileprivate func padding(toWidth width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
