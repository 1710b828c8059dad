import ArgumentParser
import HDL
import PQCommands

/// The `pqa` command line.
@main
struct PQA: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pqa",
        abstract: "Generate, simulate and measure product-quantization accelerators.",
        version: VerilogEmitter.generatorVersion,
        subcommands: [Run.self, Generate.self, Cosim.self, Simulate.self, Testbench.self, Synth.self, Pnr.self, Explore.self, Compare.self, ReferenceCommand.self, PQCommand.self, NetworkCommand.self, Bench.self]
    )
}
