import Foundation
import HDL
import HDLSim
import PQ
@testable import PQA
import Testing

/// The cocotb testbench of the default design (testbenches/pqa_default_cocotb)
/// is what `pqa testbench --cocotb` writes, and passes on Icarus Verilog and
/// on Verilator: cocotbext-axi streams through the Python driver, two layers
/// back to back, random gaps and backpressure, every output against the
/// golden model's. Needs the pinned cocotb and cocotbext-axi (scripts/setup.sh).
@Suite(.serialized) struct CocotbTestbenchTests {
    static let folder = PQAGeneratorTests.root.appendingPathComponent("testbenches/pqa_default_cocotb")

    static func standard() throws -> CocotbTestbench {
        try CocotbTestbench.standard(.default, designDirectory: "../../rtl/pqa_default",
                                     verilogFiles: PQAGenerator.files(for: .default).verilogFiles, seed: 1)
    }

    @Test func committedTestbenchIsUpToDate() throws {
        for (name, contents) in try Self.standard().files {
            let committed = try? String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
            #expect(committed == contents, "testbenches/pqa_default_cocotb/\(name) is stale; run: swift run pqa testbench --cocotb")
        }
    }

    /// Whether the pinned cocotb and cocotbext-axi import (in CI they must: setup.sh installed them).
    static let installed = toolRuns("python3", ["-c", "import cocotb, cocotbext.axi, numpy"]) && toolRuns("make")

    @Test(.enabled(if: installed, "cocotb or cocotbext-axi is not installed: scripts/setup.sh installs \(CocotbTestbench.pins.joined(separator: " and "))"),
          arguments: ["icarus", "verilator"])
    func committedTestbenchPasses(simulator: String) throws {
        let versions = try ExternalTool.run("python3", ["-c", "import importlib.metadata as m; print(f\"cocotb=={m.version('cocotb')} cocotbext-axi=={m.version('cocotbext-axi')}\")"],
                                            in: FileManager.default.temporaryDirectory)
        #expect(versions.trimmingCharacters(in: .whitespacesAndNewlines) == CocotbTestbench.pins.joined(separator: " "),
                "the testbench is pinned to \(CocotbTestbench.pins); run scripts/setup.sh")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-cocotb-\(simulator)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, contents) in try Self.standard().files {
            try contents.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let design = PQAGeneratorTests.committed.path
        let output = try ExternalTool.run("make", ["SIM=\(simulator)", "DESIGN=\(design)", "BUILD_ARGS=-j2"], in: directory)
        #expect(output.contains("TESTS=1 PASS=1 FAIL=0"), "\(simulator): \(output.suffix(3000))")
    }
}
