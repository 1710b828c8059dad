import Foundation
import HDL
import HDLSim
import Testing

/// Every example and many random designs pass `verilator --lint-only -Wall`
/// and `iverilog -g2005 -Wall` with no waivers.
@Suite struct VerilogLintTests {
    static func designs() throws -> [DesignFiles] {
        var designs = try Examples.all.map { DesignFiles(top: try $0.make().elaborate()) }
        for seed in 0..<25 as Range<UInt64> {
            designs.append(DesignFiles(top: try RandomExpressionTree(seed: seed).elaborate()))
        }
        designs.append(DesignFiles(top: try ArgminTree(inputs: 12, width: 5, signed: true, levelsPerStage: 1).elaborate()))
        designs.append(DesignFiles(top: try StreamFIFO(depth: 1, width: 1).elaborate()))
        return designs
    }

    @Test(.enabled(if: toolAvailable("verilator")))
    func verilatorLintIsClean() throws {
        for design in try Self.designs() {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-lint-\(UUID().uuidString)")
            try design.write(to: directory)
            let output = try ExternalTool.run("verilator", ["--lint-only", "-Wall", "--top-module", design.topName] + design.verilogFiles,
                                              in: directory)
            #expect(output.isEmpty, "\(design.topName): \(output)")
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test(.enabled(if: toolAvailable("iverilog")))
    func icarusCompilesCleanly() throws {
        for design in try Self.designs() {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-iverilog-\(UUID().uuidString)")
            try design.write(to: directory)
            let output = try ExternalTool.run("iverilog", ["-g2005", "-Wall", "-o", "/dev/null", "-s", design.topName] + design.verilogFiles,
                                              in: directory)
            #expect(output.isEmpty, "\(design.topName): \(output)")
            try? FileManager.default.removeItem(at: directory)
        }
    }
}
