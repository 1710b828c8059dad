import ArgumentParser
import Foundation
import HDL
import HDLSim
import PQ
import PQAFlow

/// `pqa compare`: PQA against the MAC-array baseline for a network's table-3 points.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare PQA with the MAC-array baseline at each table-3 point of a network: area, Fmax, cycles per inference, performance per area and its ratio.",
        discussion: "Synthesis results are cached in --cache, so a second run (or one after an interruption) redoes nothing.")

    @Option(name: .long, help: "resnet20, kws or emnist.")
    var network: String

    @Option(name: .long, help: "Synthesis target for area: xilinx7, ecp5 or ice40 (default xilinx7, or the device's family).")
    var target: SynthesisTarget?

    @Option(name: .long, help: "A Lattice device (25k, 45k, 85k, up5k) to place and route on for Fmax; without it both run at --nominal-mhz.")
    var device: PlaceAndRouteDevice?

    @Option(name: .long, help: "Memory bandwidth for table and weight loads, in bits per cycle (default: one load beat per cycle).")
    var loadBitsPerCycle: Int?

    @Flag(name: .long, help: "Load each layer before it runs instead of while the previous one runs.")
    var serialLoads = false

    @Option(name: .long, help: "The clock assumed when no device is given, in MHz.")
    var nominalMhz = 100.0

    @Option(name: .long, help: "PQA distance metric: l2, l1 or chebyshev.")
    var metric = "l2"

    @Option(name: .long, help: "Designs measured at once.")
    var jobs = 2

    @Option(name: .long, help: "Write the table as Markdown to this file (e.g. docs/comparison-resnet20.md).")
    var markdown: String?

    @Option(name: .long, help: "Folder of cached measurements.")
    var cache = ".pqa-cache/measurements"

    @Option(name: .long, help: "Path of workloads.json.")
    var workloads = "reference/workloads.json"

    func validate() throws {
        if let device, let target, device.target != target {
            throw ValidationError("--device \(device.rawValue) is an \(device.target.rawValue) device, but --target is \(target.rawValue); "
                                  + "area and Fmax must come from one family: use --target \(device.target.rawValue)")
        }
        if let loadBitsPerCycle, loadBitsPerCycle < 1 { throw ValidationError("--load-bits-per-cycle must be at least 1, got \(loadBitsPerCycle)") }
        guard DistanceMetric(rawValue: metric) != nil else { throw ValidationError("--metric must be l2, l1 or chebyshev, got '\(metric)'") }
        guard jobs >= 1 && jobs <= 64 else { throw ValidationError("--jobs must be 1...64, got \(jobs)") }
        guard nominalMhz > 0 && nominalMhz <= 1000 else { throw ValidationError("--nominal-mhz must be in (0, 1000], got \(nominalMhz)") }
    }

    func run() throws {
        var options = ComparisonOptions()
        options.target = target ?? device?.target ?? .xilinx7
        options.device = device
        options.schedule = try NetworkSchedule(overlapLoads: !serialLoads, loadBitsPerCycle: loadBitsPerCycle)
        options.nominalMHz = nominalMhz
        options.metric = DistanceMetric(rawValue: metric) ?? .l2
        options.jobs = jobs
        let start = Date()
        let rows = try Comparison.run(network: network, workloads: Workloads.read(from: URL(fileURLWithPath: workloads)), options: options,
                                      cache: MeasurementCache(directory: URL(fileURLWithPath: cache)))
        print(ComparisonReport.text(rows))
        print(String(format: "(%.0f s)", Date().timeIntervalSince(start)))
        if let markdown {
            let command = (["pqa"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
            let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let yosys = (try? ExternalTool.run("yosys", ["-V"], in: here))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "Yosys"
            let text = ComparisonReport.markdown(rows, network: network, options: options, command: command, tools: yosys)
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: markdown).deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: URL(fileURLWithPath: markdown), atomically: true, encoding: .utf8)
            print("wrote \(markdown)")
        }
    }
}
