import Foundation
import HDL

/// Writes a generated MAC-array baseline: its Verilog and filelist, the
/// FPGA flow inputs (FuseSoC core, SDC/XDC clock constraint, Yosys script)
/// and the configuration it came from.
public enum MACArrayGenerator {
    /// Every file of the baseline for `configuration`, its clock constrained to `clockMHz`.
    public static func files(for configuration: MACArrayConfiguration, clockMHz: Double = FlowFiles.defaultClockMHz) throws -> DesignFiles {
        var files = DesignFiles(top: try MACArrayCore(configuration).elaborate())
        try files.addFlowFiles(clockMHz: clockMHz)
        files.add("configuration.json", contents: try configuration.json())
        return files
    }

    /// The configuration in `path`, or the built-in default for `"default"`.
    public static func configuration(_ path: String) throws -> MACArrayConfiguration {
        path == "default" ? .default : try MACArrayConfiguration.read(from: URL(fileURLWithPath: path))
    }
}
