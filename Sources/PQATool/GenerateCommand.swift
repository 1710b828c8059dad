import ArgumentParser
import Foundation
import HDL
import PQ
import PQA

/// `pqa generate`: writes a design (the accelerator by default, or an example).
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a design: the PQA accelerator (default, or --config FILE) or an example of the DSL.",
        discussion: """
            Without options it writes the built-in accelerator to rtl/pqa_default/: Verilog, filelist, \
            FPGA flow inputs (FuseSoC core, SDC and XDC clock constraints, Yosys script), \
            configuration.json, manifest.json, datasheet.md with WaveDrom timing diagrams (rendered to SVG when \
            yowasp-wavedrom is installed), and the drivers: a C99 header (pqa_core.h) and a Python module (pqa_driver.py). \
            The folder is replaced as a whole, never left half-written.
            """)

    @Option(name: .long, help: "Accelerator configuration (JSON); see rtl/pqa_default/configuration.json for the format.")
    var config: String?

    @Option(name: .long, help: "Bake this integer PQ layer folder into a fixed-table design (ROM images, no load stream).")
    var layer: String?

    @Option(name: .long, help: "The MAC-array baseline instead: its configuration (JSON), or 'default'.")
    var baseline: String?

    @Option(name: .long, help: "The accelerator's clock in MHz for its SDC and XDC constraints (default 200).")
    var clockMhz: Double?

    @Option(name: .long, help: "An example design of the DSL (see --list-examples).")
    var example: String?

    @Option(name: .long, help: "Output folder (default rtl/pqa_default, or rtl/examples/NAME for an example).")
    var out: String?

    @Flag(name: .long, help: "Regenerate every example into rtl/examples/.")
    var allExamples = false

    @Flag(name: .long, help: "List the example designs and exit.")
    var listExamples = false

    func validate() throws {
        if baseline != nil && (config != nil || layer != nil || example != nil || allExamples) {
            throw ValidationError("--baseline generates the MAC-array baseline alone; drop --config, --layer and --example")
        }
        if (config != nil || layer != nil) && (example != nil || allExamples) {
            throw ValidationError("--config and --layer generate the accelerator; drop --example and --all-examples")
        }
        if clockMhz != nil && (example != nil || allExamples) {
            throw ValidationError("--clock-mhz sets the accelerator's constraints; examples have none, so drop it")
        }
        if allExamples && (out != nil || example != nil) {
            throw ValidationError("--all-examples writes every example to rtl/examples/; drop --example and --out")
        }
        if let example, Examples.named(example) == nil {
            throw ValidationError("unknown example '\(example)'; choose one of: \(Examples.names)")
        }
    }

    func run() throws {
        if listExamples {
            for entry in Examples.all { print("\(entry.name.padding(10)) \(entry.summary)") }
            return
        }
        if allExamples {
            for entry in Examples.all { try write(DesignFiles(top: entry.make().elaborate()), to: "rtl/examples/\(entry.name)") }
            return
        }
        if let example, let entry = Examples.named(example) {
            try write(DesignFiles(top: entry.make().elaborate()), to: out ?? "rtl/examples/\(entry.name)")
            return
        }
        if let baseline {
            try write(MACArrayGenerator.files(for: MACArrayGenerator.configuration(baseline), clockMHz: clockMhz ?? FlowFiles.defaultClockMHz),
                      to: out ?? "rtl/mac_array_default")
            return
        }
        let given = try config.map { try PQAConfiguration.read(from: URL(fileURLWithPath: $0)) }
        guard let layer else {
            try write(PQAGenerator.files(for: given ?? .default, clockMHz: clockMhz ?? FlowFiles.defaultClockMHz), to: out ?? "rtl/pqa_default")
            return
        }
        guard case .integer(let integerLayer) = try LayerFolder.read(from: URL(fileURLWithPath: layer)) else {
            throw CommandFailure("\(layer) holds a float layer; quantize it first (pqa pq learn ... --bits ...)")
        }
        let configuration = given ?? .fixed(for: integerLayer, parallelism: PQAConfiguration.default.parallelism)
        try write(PQAGenerator.files(for: configuration, layer: integerLayer, clockMHz: clockMhz ?? FlowFiles.defaultClockMHz), to: out ?? "rtl/pqa_fixed")
    }

    private func write(_ files: DesignFiles, to path: String) throws {
        let folder = URL(fileURLWithPath: path)
        try files.write(to: folder)
        print("wrote \(files.files.count) files for \(files.topName) to \(path)")
        let diagrams = files.files.map(\.name).filter { $0.hasSuffix(".wavedrom.json") }
        guard !diagrams.isEmpty else { return }
        if let rendered = try WaveDrom.render(in: folder, files: diagrams) {
            print("rendered \(rendered.joined(separator: ", ")) with \(WaveDrom.renderer)")
        } else {
            print("timing diagrams left as WaveDrom JSON: \(WaveDrom.renderer) is not installed (scripts/setup.sh installs it)")
        }
    }
}

extension Examples {
    /// The example names, comma-separated.
    static var names: String { all.map(\.name).joined(separator: ", ") }
}

extension String {
    /// The string followed by spaces up to `width` characters.
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
