import Foundation
import HDL
import HDLSim
import PQ
@testable import PQA
import Testing

@Suite struct PQAGeneratorTests {
    /// The repository's root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let committed = root.appendingPathComponent("rtl/pqa_default")

    /// The committed folder holds exactly the generated files, plus the SVG
    /// rendering of each timing diagram; with the renderer installed, each
    /// SVG must be what it renders now.
    @Test func committedDefaultDesignIsUpToDate() throws {
        let files = try PQAGenerator.files(for: .default)
        let diagrams = files.files.map(\.name).filter { $0.hasSuffix(".wavedrom.json") }
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.committed.path).sorted()
        let renderings = diagrams.map { String($0.dropLast(".wavedrom.json".count)) + ".svg" }
        #expect(names.filter { !renderings.contains($0) } == files.files.map(\.name).sorted(), "rtl/pqa_default is stale; run: swift run pqa generate")
        for file in files.files {
            let committed = try? String(contentsOf: Self.committed.appendingPathComponent(file.name), encoding: .utf8)
            #expect(committed == file.contents, "rtl/pqa_default/\(file.name) is stale; run: swift run pqa generate")
        }
        guard ExternalTool.locate(WaveDrom.renderer) != nil else { return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-diagrams-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        try files.write(to: folder)
        for svg in try WaveDrom.render(in: folder, files: diagrams) ?? [] {
            let fresh = try String(contentsOf: folder.appendingPathComponent(svg), encoding: .utf8)
            let committed = try? String(contentsOf: Self.committed.appendingPathComponent(svg), encoding: .utf8)
            #expect(committed == fresh, "rtl/pqa_default/\(svg) is stale; run: swift run pqa generate")
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
        let facts = object?["facts"] as? [String: Any]
        #expect(object?["top"] as? String == "pqa_core")
        let streams = facts?["streams"] as? [[String: Any]]
        #expect(streams?.first?["name"] as? String == "s_axis_load")
        #expect((streams?.first?["fields"] as? [[String: Any]])?.map { $0["name"] as? String } == ["kind", "index", "address", "data", "padding"])
        #expect(streams?.allSatisfy { ($0["tdataBits"] as? Int).map { $0 % 8 == 0 } == true } == true)
        #expect((object?["ports"] as? [[String: Any]])?.contains { $0["name"] as? String == "m_axis_out_tdata" } == true)
        #expect((object?["ports"] as? [[String: Any]])?.contains { $0["name"] as? String == "error" } == true)
        let drivers = object?["drivers"] as? [String: String]
        #expect(drivers == ["header": "pqa_core.h", "python": "pqa_driver.py"])
        #expect(Set(files.files.map(\.name)).isSuperset(of: ["pqa_core.h", "pqa_driver.py", "timing-load.wavedrom.json"]))
    }

    /// The data sheet states what the manifest's facts say: every register
    /// (address, bits, range, reset), every error code, every load kind,
    /// every field of every stream, and the load beats of the largest layer.
    @Test(arguments: [0, 3, 7] as [UInt64])
    func datasheetAndManifestCarryTheSameFacts(seed: UInt64) throws {
        let configuration = seed == 0 ? PQAConfiguration.default : try randomConfiguration(seed: seed)
        let files = try PQAGenerator.files(for: configuration)
        let manifest = try #require(files.files.first { $0.name == "manifest.json" }?.contents)
        let sheet = try #require(files.files.first { $0.name == "datasheet.md" }?.contents)
        let facts = try #require((try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as? [String: Any])?["facts"] as? [String: Any])
        for register in facts["registers"] as? [[String: Any]] ?? [] {
            let row = "| \(register["address"] ?? "") | `\(register["name"] ?? "")` | \(register["bits"] ?? "") | "
                + "\(register["minimum"] ?? "") ... \(register["maximum"] ?? "") | \(register["reset"] ?? "") |"
            #expect(sheet.contains(row), "seed \(seed): \(row)")
        }
        for error in facts["errors"] as? [[String: Any]] ?? [] {
            #expect(sheet.contains("| \(error["hex"] ?? "") | \(error["meaning"] ?? "") |"), "seed \(seed): error \(error["hex"] ?? "")")
        }
        for kind in facts["loadKinds"] as? [[String: Any]] ?? [] {
            #expect(sheet.contains("| \(kind["kind"] ?? "") | \(kind["name"] ?? "") | \(kind["wordsPerBeat"] ?? "") | \(kind["index"] ?? "") |"))
        }
        for stream in facts["streams"] as? [[String: Any]] ?? [] {
            #expect(sheet.contains("### `\(stream["name"] ?? "")` (\(stream["direction"] ?? ""), tdata \(stream["tdataBits"] ?? "") bits)"))
            for field in stream["fields"] as? [[String: Any]] ?? [] {
                let low = field["low"] as? Int ?? 0, bits = field["bits"] as? Int ?? 0
                #expect(sheet.contains("| [\(low + bits - 1):\(low)] | \(field["name"] ?? "") | \(field["meaning"] ?? "") |"))
            }
        }
        let largest = (facts["timing"] as? [String: Any])?["largestLayer"] as? [String: Any]
        let total = try #require(largest?["totalLoadBeats"] as? Int)
        #expect(sheet.contains("\(total) load beats"))
        for rule in facts["rules"] as? [String] ?? [] { #expect(sheet.contains("- \(rule)")) }
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
        let committed = PQAGeneratorTests.root.appendingPathComponent("testbenches/pqa_default")
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
