import Foundation
import HDL

/// Writes a generated MAC-array baseline: its Verilog, filelist and the
/// configuration it came from.
public enum MACArrayGenerator {
    /// Every file of the baseline for `configuration`.
    public static func files(for configuration: MACArrayConfiguration) throws -> DesignFiles {
        var files = DesignFiles(top: try MACArrayCore(configuration).elaborate())
        files.add("configuration.json", contents: try configuration.json())
        return files
    }

    /// The configuration in `path`, or the built-in default for `"default"`.
    public static func configuration(_ path: String) throws -> MACArrayConfiguration {
        path == "default" ? .default : try MACArrayConfiguration.read(from: URL(fileURLWithPath: path))
    }
}
