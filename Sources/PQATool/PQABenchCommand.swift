import ArgumentParser
import Foundation
import HDLSim
import PQ
import PQA

/// `pqa bench pqa`: generation and build times, and every layer of a network
/// at full size through the default accelerator on Verilator, checked
/// against the golden model: measured cycles, the bound and their ratio.
struct PQABench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pqa",
        abstract: "Generation and Verilator build time of the default accelerator; a network's layers at full size: cycles, bound, ratio.")

    @Option(name: .long, help: "Path of workloads.json.")
    var workloads = "reference/workloads.json"

    @Option(name: .long, help: "Network in workloads.json.")
    var network = "resnet20"

    @Option(name: .long, help: "Run at most this many columns per layer (0: all of them).")
    var columnLimit = 0

    func validate() throws {
        guard columnLimit >= 0 else { throw ValidationError("--column-limit must be 0 (all columns) or more, got \(columnLimit)") }
    }

    func run() throws {
        guard ExternalTool.locate("verilator") != nil else { throw ToolError.missing(tool: "verilator") }
        var start = Date()
        let files = try PQAGenerator.files(for: .default)
        print(String(format: "generate default design: %.2f s (%d files)", Date().timeIntervalSince(start), files.files.count))
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-bench-cache-\(UUID().uuidString)")
        setenv("PQA_CACHE_DIR", cache.path, 1)
        defer { try? FileManager.default.removeItem(at: cache) }
        let cosim = try CoSimulation(.default)
        start = Date()
        let model = try VerilatorSimulator(cosim.netlist)
        print(String(format: "verilator build of the default design: %.1f s (%@)", Date().timeIntervalSince(start), model.buildOutcome.rawValue))

        let layers = try NetworkLayer.layers(of: network, in: Workloads.read(from: URL(fileURLWithPath: workloads)))
        var random = RandomLayer(seed: 1)
        print("layer  Ls Np  Ns Cout columns   measured      bound  ratio  bit-exact  columns/s")
        var totalColumns = 0, totalSeconds = 0.0, worst = 0.0
        for (index, layer) in layers.enumerated() {
            let columns = columnLimit > 0 ? min(columnLimit, layer.columns) : layer.columns
            let golden = try random.layer(layer.shape, for: .default)
            let data = random.columns(columns, shape: layer.shape, format: PQAConfiguration.default.formats.activation)
            let prepared = try CoSimulationLayer(golden, columns: data, parameters: cosim.parameters)
            let begin = Date()
            let report = try cosim.run([prepared], seed: UInt64(index), engines: [.verilator])
            let seconds = Date().timeIntervalSince(begin)
            totalColumns += columns
            totalSeconds += seconds
            let timing = report.timings.first
            let ratio = timing.map { Double($0.measured) / Double($0.bound) } ?? .infinity
            worst = max(worst, ratio)
            let s = layer.shape
            print(String(format: "%5d %3d %2d %3d %4d %7d %10d %10d %6.3f  %-9@ %9.0f", index + 1, s.ls, s.np, s.ns, s.cout, columns,
                         timing?.measured ?? -1, timing?.bound ?? -1, ratio, report.bitExact ? "yes" : "NO", Double(columns) / seconds))
            if !report.bitExact { print("  \(report.harness.failure?.description ?? "")") }
        }
        print(String(format: "worst ratio %.4f; co-simulation %.0f columns/s overall (Verilator driven from Swift, every output checked)",
                     worst, Double(totalColumns) / totalSeconds))
    }
}
