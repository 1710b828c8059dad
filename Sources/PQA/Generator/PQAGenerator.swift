import Foundation
import HDL
import PQ

/// Writes a generated accelerator: its Verilog and filelist, the FPGA flow
/// inputs (FuseSoC core, SDC and XDC clock constraints, Yosys script; see
/// `FlowFiles`), the configuration it came from, a machine-readable
/// `manifest.json`, a Markdown data sheet with WaveDrom timing diagrams,
/// and its drivers: a C99 header and a Python module.
public enum PQAGenerator {
    /// Every file of the design for `configuration` (with its baked `layer`
    /// for a fixed-table design), its clock constrained to `clockMHz`.
    public static func files(for configuration: PQAConfiguration, layer: IntegerPQLayer? = nil,
                             clockMHz: Double = FlowFiles.defaultClockMHz) throws -> DesignFiles {
        let core = try PQACore(configuration, layer: layer)
        let netlist = try core.elaborate()
        var files = DesignFiles(top: netlist)
        let flow = try files.addFlowFiles(clockMHz: clockMHz)
        let facts = DesignFacts(core.design)
        let drivers = DriverFiles(top: netlist.name)
        let diagrams = WaveDrom.diagrams(core.design)
        files.add("configuration.json", contents: try configuration.json())
        files.add("manifest.json", contents: try Manifest(core.design, facts: facts, netlist: netlist, flow: flow, drivers: drivers,
                                                          diagrams: diagrams).json())
        files.add("datasheet.md", contents: Datasheet(core.design, facts: facts, netlist: netlist, flow: flow, drivers: drivers,
                                                      diagrams: diagrams).markdown)
        for diagram in diagrams { files.add(diagram.file, contents: diagram.json) }
        files.add(drivers.header, contents: CHeader.contents(core.design, top: netlist.name))
        files.add(drivers.python, contents: PythonDriver.contents(core.design, top: netlist.name))
        return files
    }
}

/// The names of a design's drivers.
struct DriverFiles: Encodable {
    /// The C99 header, `TOP.h`.
    let header: String
    /// The Python module, `pqa_driver.py`.
    let python: String

    init(top: String) {
        header = "\(top).h"
        python = "pqa_driver.py"
    }
}

/// The machine-readable description of a generated design: its files,
/// configuration, widths and ports, and every fact of its data sheet (`facts`).
struct Manifest: Encodable {
    struct PortEntry: Encodable {
        let name: String
        let direction: String
        let bits: Int
    }

    let generator: String
    let top: String
    let files: [String]
    let flowFiles: [String]
    let drivers: DriverFiles
    let timingDiagrams: [String]
    let clockMHz: Double
    let configuration: PQAConfiguration
    let widths: HardwareWidths
    let ports: [PortEntry]
    let memories: [String: Int]
    let facts: DesignFacts

    init(_ design: PQAParameters, facts: DesignFacts, netlist: Netlist, flow: FlowFiles, drivers: DriverFiles, diagrams: [WaveDrom.Diagram]) {
        let p = design.configuration.parallelism
        generator = "pqa \(VerilogEmitter.generatorVersion)"
        top = netlist.name
        files = DesignFiles(top: netlist).verilogFiles
        flowFiles = flow.names
        self.drivers = drivers
        timingDiagrams = diagrams.map(\.file)
        clockMHz = flow.clockMHz
        configuration = design.configuration
        widths = design.widths
        ports = [PortEntry(name: "clk", direction: "input", bits: 1), PortEntry(name: "rst", direction: "input", bits: 1)]
            + netlist.ports.map { PortEntry(name: $0.name, direction: $0.direction.rawValue, bits: $0.type.width) }
        memories = ["column_buffer_words": 2 * design.columnWords, "prototype_banks": p.nsVec * p.npVec,
                    "prototype_bank_words": 2 * design.prototypeWords, "table_banks": p.nsVec,
                    "table_bank_words": 2 * design.tableWords, "bias_words": 2 * design.biasWords,
                    "output_fifo_depth": design.outputFIFODepth, "storage_bits": design.storageBits]
        self.facts = facts
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
