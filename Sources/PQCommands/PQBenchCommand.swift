import ArgumentParser
import Foundation
import PQ

/// `pqa bench pq`: the golden model's throughput and accuracy report.
public struct PQBenchCommand: ParsableCommand {
    /// The command\'s name, help text and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "pq",
        abstract: "Measure the PQ reference model: encode and layer throughput, accuracy on workload shapes.",
        discussion: "Build with -c release for meaningful figures.")

    @Option(help: "Path of workloads.json (networks and table3_points).")
    var workloads = "reference/workloads.json"

    @Option(help: "Rows in the throughput runs.")
    var rows: Int = 8192

    @Option(help: "Seed of the generated data.")
    var seed: UInt64 = 1

    @Flag(help: "Skip the accuracy report.")
    var throughputOnly = false

    /// Creates the command with default option values (the parser fills them in).

    public init() {}

    /// Runs the command; throws an error whose message names the file or option at fault.

    public func run() throws {
        var options = PQBenchmarks.Options()
        guard rows >= 1 else {
            throw CommandError.invalidOption(option: "--rows", value: "\(rows)", allowed: "at least 1")
        }
        options.rows = rows
        options.seed = seed
        let start = ContinuousClock.now
        let lines: [String]
        if throughputOnly {
            lines = try PQBenchmarks.throughput(options: options)
        } else {
            lines = try PQBenchmarks.run(workloads: URL(fileURLWithPath: workloads), options: options)
        }
        lines.forEach { print($0) }
        print("total time: \(ContinuousClock.now - start)")
    }
}
