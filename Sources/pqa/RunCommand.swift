import ArgumentParser
import Foundation
import HDL
import HDLSim

/// `pqa run`: the main job on the built-in default. For now: generate every
/// example design into rtl/examples/ and check each on every engine.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate the built-in designs, simulate them on every engine and print a summary.")

    @Option(name: .long, help: "Folder for the generated designs.")
    var out = "rtl/examples"

    @Option(name: .long, help: "Random cycles per design.")
    var cycles = 2000

    @Option(name: .long, help: "Seed of the random stimulus.")
    var seed: UInt64 = 1

    func run() throws {
        let engines = Engine.installed
        let skipped = Engine.allCases.filter { !engines.contains($0) }
        if !skipped.isEmpty {
            print("note: \(skipped.map(\.rawValue).joined(separator: ", ")) not installed; run scripts/setup.sh to add it")
        }
        var allAgree = true
        print("design".padding(46) + "files  " + engines.map { $0.rawValue.padding(14) }.joined())
        for entry in Examples.all {
            let netlist = try entry.make().elaborate()
            let files = DesignFiles(top: netlist)
            try files.write(to: URL(fileURLWithPath: out).appendingPathComponent(entry.name))
            let report = try DifferentialHarness.randomRun(netlist, cycles: cycles, seed: seed, engines: engines)
            allAgree = allAgree && report.passed
            let cells = report.results.map { result in
                (result.failure == nil ? "ok " : "FAIL ") + String(format: "%.2fs", result.seconds)
            }
            print(netlist.name.padding(46) + "\(files.files.count)".padding(7) + cells.map { $0.padding(14) }.joined())
            if let failure = report.failure { print("  mismatch: \(failure)") }
        }
        print(allAgree
            ? "all \(Examples.all.count) designs written to \(out)/ and bit-exact on every engine over \(cycles) random cycles (seed \(seed))"
            : "engines disagree: see the mismatches above")
        if !allAgree { throw ExitCode(1) }
    }
}
