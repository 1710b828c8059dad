import Foundation
import HDL
import PQ

/// Writes a generated accelerator: its Verilog and filelist, the FPGA flow
/// inputs (FuseSoC core, SDC and XDC clock constraints, Yosys script; see
/// `FlowFiles`), the configuration it came from, a machine-readable
/// `manifest.json` and a Markdown data sheet.
public enum PQAGenerator {
    /// Every file of the design for `configuration` (with its baked `layer`
    /// for a fixed-table design), its clock constrained to `clockMHz`.
    public static func files(for configuration: PQAConfiguration, layer: IntegerPQLayer? = nil,
                             clockMHz: Double = FlowFiles.defaultClockMHz) throws -> DesignFiles {
        let core = try PQACore(configuration, layer: layer)
        let netlist = try core.elaborate()
        var files = DesignFiles(top: netlist)
        let flow = try files.addFlowFiles(clockMHz: clockMHz)
        files.add("configuration.json", contents: try configuration.json())
        files.add("manifest.json", contents: try Manifest(core.design, netlist: netlist, flow: flow).json())
        files.add("datasheet.md", contents: Datasheet(core.design, netlist: netlist, flow: flow).markdown)
        return files
    }
}

/// The machine-readable description of a generated design.
struct Manifest: Encodable {
    struct PortEntry: Encodable {
        let name: String
        let direction: String
        let bits: Int
    }

    struct Field: Encodable {
        let name: String
        let low: Int
        let bits: Int
        let meaning: String
    }

    let generator: String
    let top: String
    let files: [String]
    let flowFiles: [String]
    let clockMHz: Double
    let configuration: PQAConfiguration
    let widths: HardwareWidths
    let ports: [PortEntry]
    let loadBeat: [Field]
    let layerRegisters: [String]
    let activationBeat: String
    let outputBeat: String
    let memories: [String: Int]
    let latency: String
    let cyclesOfLargestLayer: [String: Int]

    init(_ design: PQAParameters, netlist: Netlist, flow: FlowFiles) {
        let c = design.configuration, p = c.parallelism
        generator = "pqa \(VerilogEmitter.generatorVersion)"
        top = netlist.name
        files = DesignFiles(top: netlist).verilogFiles
        flowFiles = flow.names
        clockMHz = flow.clockMHz
        configuration = c
        widths = design.widths
        ports = [PortEntry(name: "clk", direction: "input", bits: 1), PortEntry(name: "rst", direction: "input", bits: 1)]
            + netlist.ports.map { PortEntry(name: $0.name, direction: $0.direction.rawValue, bits: $0.type.width) }
        var low = 0
        loadBeat = [("kind", design.loadBeat.kindBits, LoadBeatKind.allCases.map { "\($0.rawValue) \($0.description)" }.joined(separator: ", ")),
                    ("index", design.loadBeat.indexBits, "memory bank: prototypes s%NsVec*NpVec + p%NpVec; table s%NsVec"),
                    ("address", design.loadBeat.addressBits, "word within the bank (see LayerProgram) or the layer register"),
                    ("data", design.loadBeat.dataBits, "the word: lanes of LsVec prototype values, OutVec entries or OutVec biases")]
            .map { name, bits, meaning in
                defer { low += bits }
                return Field(name: name, low: low, bits: bits, meaning: meaning)
            }
        layerRegisters = LayerRegister.allCases.map { "\($0.rawValue): \($0)" }
        activationBeat = "\(p.nsVec * p.lsVec) lanes of \(c.formats.activation); lane s*\(p.lsVec)+l holds element k*\(p.lsVec)+l of subspace g*\(p.nsVec)+s; beats ordered by group g, then chunk k"
        outputBeat = "\(p.outVec) lanes of \(c.formats.output); lane o of beat j holds channel j*\(p.outVec)+o; tlast on a column's last beat"
        memories = ["column_buffer_words": 2 * design.columnWords, "prototype_banks": p.nsVec * p.npVec,
                    "prototype_bank_words": 2 * design.prototypeWords, "table_banks": p.nsVec,
                    "table_bank_words": 2 * design.tableWords, "bias_words": 2 * design.biasWords,
                    "output_fifo_depth": design.outputFIFODepth, "storage_bits": design.storageBits]
        latency = "columns x ceil(Ns/NsVec) x max(ceil(Ls/LsVec) x ceil(Np/NpVec), ceil(Cout/OutVec)) + ceil(Ns/NsVec) x ceil(Ls/LsVec) + min(ceil(Ls/LsVec) x ceil(Np/NpVec), ceil(Cout/OutVec)) + \(CycleModel(design).pipelineLatency - 1)"
        let model = CycleModel(design)
        let largest = try? PQShape(ls: c.maxima.ls, np: c.maxima.np, ns: c.maxima.ns, cout: c.maxima.cout)
        cyclesOfLargestLayer = largest.map { shape in
            ["slot": model.slot(shape), "per_column_bound": model.bound(shape, columns: 1), "latency": model.latency(shape)]
        } ?? [:]
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
