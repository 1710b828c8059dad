import Foundation
import HDL
import HDLSim
import PQ
@testable import PQA
import Testing

@Suite struct PQAGeneratorTests {
    static let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rtl/pqa_default")

    @Test func committedDefaultDesignIsUpToDate() throws {
        let files = try PQAGenerator.files(for: .default)
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.committed.path).sorted()
        #expect(names == files.files.map(\.name).sorted(), "rtl/pqa_default is stale; run: swift run pqa generate")
        for file in files.files {
            let committed = try? String(contentsOf: Self.committed.appendingPathComponent(file.name), encoding: .utf8)
            #expect(committed == file.contents, "rtl/pqa_default/\(file.name) is stale; run: swift run pqa generate")
        }
    }

    @Test func generationIsDeterministic() throws {
        let configuration = try randomConfiguration(seed: 4)
        #expect(try PQAGenerator.files(for: configuration).files.map(\.contents) == PQAGenerator.files(for: configuration).files.map(\.contents))
    }

    @Test func manifestDescribesTheDesign() throws {
        let files = try PQAGenerator.files(for: .default)
        let manifest = try #require(files.files.first { $0.name == "manifest.json" }?.contents)
        let object = try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as? [String: Any]
        #expect(object?["top"] as? String == "pqa_core")
        #expect((object?["loadBeat"] as? [[String: Any]])?.map { $0["name"] as? String } == ["kind", "index", "address", "data"])
        #expect((object?["ports"] as? [[String: Any]])?.contains { $0["name"] as? String == "m_axis_out_tdata" } == true)
    }

    @Test func flowFilesComeWithTheDesignAndItsManifest() throws {
        let files = try PQAGenerator.files(for: .default, clockMHz: 250)
        let names = ["pqa_core.core", "pqa_core.sdc", "pqa_core.xdc", "synth_pqa_core.ys"]
        #expect(Set(names).isSubset(of: Set(files.files.map(\.name))))
        let xdc = try #require(files.files.first { $0.name == "pqa_core.xdc" }?.contents)
        #expect(xdc.contains("create_clock -name clk -period 4.000 [get_ports clk]"))
        let manifest = try #require(files.files.first { $0.name == "manifest.json" }?.contents)
        let object = try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as? [String: Any]
        #expect(object?["flowFiles"] as? [String] == names)
        #expect(object?["clockMHz"] as? Double == 250)
        let core = try #require(files.files.first { $0.name == "pqa_core.core" }?.contents)
        for verilog in files.verilogFiles { #expect(core.contains("      - \(verilog)\n")) }
        #expect(throws: FlowFilesError.self) { try PQAGenerator.files(for: .default, clockMHz: 0) }
    }

    @Test func fixedDesignCoreCopiesItsROMImages() throws {
        var random = RandomLayer(seed: 9)
        let layer = try random.layer(try PQShape(ls: 9, np: 16, ns: 6, cout: 10), for: .default)
        let files = try PQAGenerator.files(for: .fixed(for: layer, parallelism: PQAConfiguration.default.parallelism), layer: layer)
        let images = files.files.map(\.name).filter { $0.hasSuffix(".hex") }
        let core = try #require(files.files.first { $0.name == "pqa_core.core" }?.contents)
        #expect(!images.isEmpty)
        for image in images { #expect(core.contains("      - \(image): {copyto: \(image)}\n")) }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CI"] == "true" || ExternalTool.locate("verilator") != nil))
    func generatedDesignsLintClean() throws {
        for configuration in [PQAConfiguration.default] + (1...6).map({ try? randomConfiguration(seed: $0) }).compactMap({ $0 }) {
            let files = try PQAGenerator.files(for: configuration)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-lint-\(UUID().uuidString)")
            try files.write(to: folder)
            let output = try ExternalTool.run("verilator", ["--lint-only", "-Wall", "--top-module", "pqa_core"] + files.verilogFiles, in: folder)
            #expect(output.isEmpty, "\(output)")
            try? FileManager.default.removeItem(at: folder)
        }
    }
}

/// The committed testbench of the default accelerator is up to date and
/// passes under Icarus.
@Suite struct AcceleratorTestbenchTests {
    @Test func committedAcceleratorTestbenchIsUpToDateAndPasses() throws {
        let cosim = try CoSimulation(.default)
        var random = RandomLayer(seed: 1)
        let shape = try PQShape(ls: 9, np: 16, ns: 8, cout: 20)
        let layer = try random.layer(shape, for: .default)
        let columns = random.columns(2, shape: shape, format: PQAConfiguration.default.formats.activation)
        let report = try cosim.run([try CoSimulationLayer(layer, columns: columns, parameters: cosim.parameters)], seed: 1, engines: [.interpreter])
        let bitExact = report.bitExact
        #expect(bitExact)
        let folder = VerilogTestbench.folder(for: cosim.netlist, replaying: report.harness.run, designDirectory: "../../rtl/pqa_default")
        let committed = PQAGeneratorTests.committed.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("testbenches/pqa_default")
        for file in folder.files {
            let text = try? String(contentsOf: committed.appendingPathComponent(file.name), encoding: .utf8)
            #expect(text == file.contents, "testbenches/pqa_default/\(file.name) is stale; run: swift run pqa testbench")
        }
        guard ProcessInfo.processInfo.environment["CI"] == "true" || ExternalTool.locate("iverilog") != nil else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-tb-\(UUID().uuidString)")
        try VerilogTestbench.folder(for: cosim.netlist, replaying: report.harness.run).write(to: directory)
        let output = try ExternalTool.run("sh", ["run_icarus.sh"], in: directory)
        #expect(output.contains(" passed, 0 failed"), "\(output)")
        try? FileManager.default.removeItem(at: directory)
    }
}
