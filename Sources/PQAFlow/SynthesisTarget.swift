import HDL

/// An FPGA family Yosys synthesizes for, with how its cells are counted.
public enum SynthesisTarget: String, CaseIterable, Codable, Sendable {
    /// Xilinx 7-series (`synth_xilinx`).
    case xilinx7
    /// Lattice ECP5 (`synth_ecp5`).
    case ecp5
    /// Lattice iCE40 with UltraPlus DSPs (`synth_ice40 -dsp`).
    case ice40

    /// The FPGA family, which holds the Yosys command the generated scripts
    /// use too.
    public var family: FPGAFamily {
        switch self {
        case .xilinx7: .xilinx7
        case .ecp5: .ecp5
        case .ice40: .ice40
        }
    }

    /// The Yosys synthesis command for top module `top`, flattened or not.
    public func command(top: String, flatten: Bool = true) -> String { family.yosysCommand(top: top, flatten: flatten) }

    /// The resource class of a cell type, for this family.
    public func resource(of cell: String) -> Resource {
        switch self {
        case .xilinx7:
            if cell.hasPrefix("LUT") { return .lut }
            if cell.hasPrefix("FD") { return .flipFlop }
            if cell.hasPrefix("CARRY") { return .carry }
            if cell == "RAMB18E1" { return .blockRAM }
            if cell == "RAMB36E1" { return .blockRAM36 }
            if cell.hasPrefix("DSP48") { return .dsp }
            if cell.hasPrefix("RAM32") || cell.hasPrefix("RAM64") || cell.hasPrefix("RAM128") || cell.hasPrefix("SRL") { return .lutRAM }
        case .ecp5:
            if cell == "LUT4" { return .lut }
            if cell == "TRELLIS_FF" { return .flipFlop }
            if cell == "CCU2C" { return .carry }
            if cell == "DP16KD" || cell == "PDPW16KD" { return .blockRAM }
            if cell.hasPrefix("MULT18") || cell.hasPrefix("ALU54") { return .dsp }
            if cell.hasPrefix("TRELLIS_DPR") { return .lutRAM }
        case .ice40:
            if cell == "SB_LUT4" { return .lut }
            if cell.hasPrefix("SB_DFF") { return .flipFlop }
            if cell == "SB_CARRY" { return .carry }
            if cell.hasPrefix("SB_RAM40") { return .blockRAM }
            if cell == "SB_MAC16" { return .dsp }
        }
        return .other
    }
}

/// Resource classes that synthesis results are counted in.
public enum Resource: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable {
    case lut, flipFlop, carry, lutRAM, blockRAM, blockRAM36, dsp, other
}
