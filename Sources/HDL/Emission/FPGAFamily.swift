/// An FPGA family Yosys synthesizes for. Its Yosys command is written here
/// once, for the generated synthesis scripts (`FlowFiles`) and for the
/// synthesis runs of the flows, so both always say the same thing.
public enum FPGAFamily: String, CaseIterable, Sendable {
    /// Xilinx 7-series.
    case xilinx7
    /// Lattice ECP5.
    case ecp5
    /// Lattice iCE40 UltraPlus (with its DSP blocks).
    case ice40

    /// The Yosys synthesis command for top module `top`: flattened, or
    /// keeping the module hierarchy (for per-module utilization).
    public func yosysCommand(top: String, flatten: Bool = true) -> String {
        switch self {
        case .xilinx7: "synth_xilinx\(flatten ? " -flatten" : "") -top \(top)"
        case .ecp5: "synth_ecp5 \(flatten ? "-flatten" : "-noflatten") -top \(top)"
        case .ice40: "synth_ice40 \(flatten ? "-flatten" : "-noflatten") -dsp -top \(top)"
        }
    }

    /// The Verilog macro that selects the family's block RAM primitives in the
    /// emitted Verilog (see `BlockRAMPrimitives`); synthesis defines it.
    public var primitiveDefine: String? {
        switch self {
        case .ecp5: "PQA_ECP5"
        case .xilinx7, .ice40: nil
        }
    }

    /// `read_verilog` with the family's define, for Yosys scripts.
    public var readVerilog: String { "read_verilog" + (primitiveDefine.map { " -D\($0)" } ?? "") }

    /// The value of the `arch` option of edalize's Yosys backend, which
    /// FuseSoC runs for a Yosys target.
    public var edalizeArch: String {
        switch self {
        case .xilinx7: "xilinx"
        case .ecp5: "ecp5"
        case .ice40: "ice40"
        }
    }

    /// The family's name as its vendor writes it.
    public var displayName: String {
        switch self {
        case .xilinx7: "Xilinx 7-series"
        case .ecp5: "Lattice ECP5"
        case .ice40: "Lattice iCE40 UltraPlus"
        }
    }
}
