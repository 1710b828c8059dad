import ArgumentParser
import Foundation
import HDL
import HDLSim

extension Engine: ExpressibleByArgument {}

/// `pqa simulate`: runs an example under random stimulus on one or all engines.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate an example under seeded random stimulus and compare the engines cycle by cycle.")

    @Option(name: .long, help: "The example design (see pqa generate --list-examples).")
    var example: String

    @Option(name: .long, help: "interpreter, icarus or all.")
    var engine: String = "all"

    @Option(name: .long, help: "Clock cycles to run.")
    var cycles: Int = 1000

    @Option(name: .long, help: "Seed of the random stimulus.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Write the interpreter's waveform to this VCD file.")
    var vcd: String?

    func validate() throws {
        guard cycles >= 1 else { throw ValidationError("--cycles must be at least 1, got \(cycles)") }
        guard engine == "all" || Engine(rawValue: engine) != nil else {
            throw ValidationError("unknown engine '\(engine)'; choose all, \(Engine.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard Examples.named(example) != nil else {
            throw ValidationError("unknown example '\(example)'; choose one of: \(Examples.names)")
        }
    }

    func run() throws {
        let engines = engine == "all" ? Engine.allCases : [Engine(rawValue: engine) ?? .interpreter]
        for engine in engines {
            if let tool = engine.tool, ExternalTool.locate(tool) == nil { throw ToolError.missing(tool: tool) }
        }
        let netlist = try (Examples.named(example)?.make() ?? Counter()).elaborate()
        let report = try DifferentialHarness.randomRun(netlist, cycles: cycles, seed: seed, engines: engines,
                                                       waveform: vcd.map { URL(fileURLWithPath: $0) })
        print(SimulationSummary(report, cycles: cycles).text)
        if !report.passed { throw ExitCode(1) }
    }
}

/// The one-screen report of a differential run.
struct SimulationSummary {
    let text: String

    init(_ report: DifferentialHarness.Report, cycles: Int) {
        var lines = [
            "design       \(report.design)",
            "stimulus     \(cycles) random cycles, seed \(report.seed), outputs checked from cycle \(report.run.firstCheckedCycle)",
        ]
        for result in report.results {
            let rate = result.engine == .interpreter ? String(format: " (%.0f cycles/s)", Double(report.run.cycles) / max(result.seconds, 1e-9)) : ""
            let verdict = result.failure.map { "MISMATCH: \($0)" }
                ?? (result.engine == .interpreter ? "reference" : "agrees on every cycle")
            lines.append("\(result.engine.rawValue.padding(13))\(verdict), \(String(format: "%.3f", result.seconds)) s\(rate)")
        }
        lines.append("result       \(report.passed ? "all engines agree" : "engines disagree")")
        text = lines.joined(separator: "\n")
    }
}
