import ArgumentParser
import Foundation
import HDL
import HDLSim
import PQ
import PQA

/// `pqa testbench`: writes a self-checking Verilog testbench folder.
struct Testbench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a design with a self-checking Verilog testbench (vectors from the interpreter) for a plain Verilog flow.",
        discussion: "Without --example it writes the default accelerator running one small random layer checked against the golden model.")

    @Option(name: .long, help: "An example design (see pqa generate --list-examples).")
    var example: String?

    @Option(name: .long, help: "Output folder; with it the design is copied in. By default testbenches/NAME, compiling the design from rtl/.")
    var out: String?

    @Option(name: .long, help: "Random cycles for an example.")
    var cycles = 200

    @Option(name: .long, help: "Seed of the stimulus.")
    var seed: UInt64 = 1

    @Flag(name: .long, help: """
        A cocotb testbench of the accelerator instead: cocotbext-axi streams driven through the design's Python driver, \
        two layers back to back, random gaps and backpressure (testbenches/pqa_default_cocotb; run: make SIM=icarus or SIM=verilator).
        """)
    var cocotb = false

    @Option(name: .long, help: "With --cocotb: the accelerator configuration (JSON); needs --out, where the design is written too.")
    var config: String?

    func validate() throws {
        guard cycles >= 1 else { throw ValidationError("--cycles must be at least 1, got \(cycles)") }
        if cocotb && example != nil { throw ValidationError("--cocotb tests the accelerator; drop --example") }
        if config != nil && !cocotb { throw ValidationError("--config is for --cocotb; the Verilog testbench runs the default design") }
        if config != nil && out == nil { throw ValidationError("--config needs --out: the design is written there beside its testbench") }
        if let example, Examples.named(example) == nil {
            throw ValidationError("unknown example '\(example)'; choose one of: \(Examples.names)")
        }
    }

    func run() throws {
        if cocotb { return try writeCocotb() }
        let folder: DesignFiles
        let name: String
        if let example, let entry = Examples.named(example) {
            let netlist = try entry.make().elaborate()
            let report = try DifferentialHarness.randomRun(netlist, cycles: cycles, seed: seed, engines: [.interpreter])
            name = entry.name
            folder = VerilogTestbench.folder(for: netlist, replaying: report.run, designDirectory: out == nil ? "../../rtl/examples/\(name)" : nil)
        } else {
            let cosim = try CoSimulation(.default)
            var random = RandomLayer(seed: seed)
            let shape = try PQShape(ls: 9, np: 16, ns: 8, cout: 20)
            let layer = try random.layer(shape, for: .default)
            let columns = random.columns(2, shape: shape, format: PQAConfiguration.default.formats.activation)
            let report = try cosim.run([try CoSimulationLayer(layer, columns: columns, parameters: cosim.parameters)], seed: seed,
                                       engines: [.interpreter])
            guard report.bitExact else { throw CommandFailure("the interpreter disagrees with the golden model: \(report.harness.failure?.description ?? "")") }
            name = "pqa_default"
            folder = VerilogTestbench.folder(for: cosim.netlist, replaying: report.harness.run, designDirectory: out == nil ? "../../rtl/pqa_default" : nil)
        }
        let path = out ?? "testbenches/\(name)"
        try folder.write(to: URL(fileURLWithPath: path))
        print("wrote \(folder.files.count) files to \(path); run: sh \(path)/run_icarus.sh")
    }

    /// `--cocotb`: the testbench beside the committed default design, or with its own copy of the design under `--out`.
    private func writeCocotb() throws {
        let configuration = try config.map { try PQAConfiguration.read(from: URL(fileURLWithPath: $0)) } ?? .default
        let design = try PQAGenerator.files(for: configuration)
        let path = out ?? "testbenches/pqa_default_cocotb"
        let testbench = try CocotbTestbench.standard(configuration, designDirectory: out == nil ? "../../rtl/pqa_default" : "design",
                                                     verilogFiles: design.verilogFiles, seed: seed)
        var folder = DesignFiles(named: "pqa_core")
        for (name, contents) in testbench.files { folder.add(name, contents: contents) }
        try folder.write(to: URL(fileURLWithPath: path))
        if out != nil { try design.write(to: URL(fileURLWithPath: path).appendingPathComponent("design")) }
        print("wrote \(testbench.files.count) files to \(path); run: make -C \(path) SIM=icarus (or SIM=verilator); needs \(CocotbTestbench.pins.joined(separator: ", "))")
    }
}
