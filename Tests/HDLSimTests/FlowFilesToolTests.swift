import Foundation
import HDL
import HDLSim
import Testing

/// The flow files HDL writes (see HDLTests/FlowFilesTests for their text)
/// are read by the tools they are for. Like every tool test they run always
/// in CI (where a missing tool fails them, naming scripts/setup.sh) and
/// elsewhere when the tools are installed.
@Suite struct FlowFilesToolTests {
    /// A counter instantiated beside a ROM: two Verilog files and a
    /// `$readmemh` image.
    static func romDesign() throws -> (DesignFiles, FlowFiles) {
        var files = DesignFiles(top: try InlineModule(moduleName: "rom_counter") { m in
            let address = m.input("address", .unsigned(2))
            m.output("data", .unsigned(8)) <== m.rom("digits", .unsigned(8), contents: [3, 1, 4, 1]).read(address: address)
            let counter = m.instance(Counter(width: 4), name: "u_counter")
            counter["enable"] <== m.input("enable", .bool)
            m.output("count", .unsigned(4)) <== counter["count"]
        }.elaborate())
        let flow = try files.addFlowFiles()
        return (files, flow)
    }

    static func temporary(_ label: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("pqa-\(label)-\(UUID().uuidString)")
    }

    /// `fusesoc` with the design's folder as its only core library.
    @discardableResult
    static func fuseSoC(_ arguments: [String], cores: URL) throws -> String {
        try ExternalTool.run("fusesoc", ["--cores-root", cores.path] + arguments, in: cores)
    }

    @Test(.enabled(if: toolAvailable("fusesoc")))
    func fuseSoCReadsTheCoreAndListsEveryFile() throws {
        let (files, flow) = try Self.romDesign()
        let cores = Self.temporary("fusesoc"), work = Self.temporary("fusesoc-work")
        defer { for folder in [cores, work] { try? FileManager.default.removeItem(at: folder) } }
        try files.write(to: cores)

        let info = try Self.fuseSoC(["core-info", flow.vlnv], cores: cores)
        #expect(info.contains(flow.vlnv), "\(info)")
        for target in ["default", "lint", "synth"] {
            #expect(info.split(separator: "\n").contains { $0.hasPrefix(target) && $0.contains(" : ") }, "\(info)")
        }

        // Setting up the synth target exports its files and writes them into an EDAM description.
        try Self.fuseSoC(["run", "--setup", "--target", "synth", "--work-root", work.path, flow.vlnv], cores: cores)
        let edamName = flow.vlnv.replacingOccurrences(of: ":", with: "_") + ".eda.yml"
        let edam = try String(contentsOf: work.appendingPathComponent(edamName), encoding: .utf8)
        #expect(edam.contains("toplevel: rom_counter"))
        #expect(edam.contains("arch: xilinx"))
        for name in files.verilogFiles + ["rom_counter_digits.hex", flow.sdcFile, flow.xdcFile] {
            #expect(edam.contains("\(name)\n"), "\(name) missing from \(edamName):\n\(edam)")
        }
        #expect(edam.components(separatedBy: "file_type: verilogSource-2005").count - 1 == files.verilogFiles.count)
        #expect(edam.contains("file_type: SDC") && edam.contains("file_type: xdc") && edam.contains("file_type: user"))
        // The ROM image lands where the tools run, so $readmemh finds it.
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("rom_counter_digits.hex").path))
    }

    @Test(.enabled(if: toolAvailable("verilator") && toolAvailable("fusesoc")))
    func lintTargetRunsVerilatorCleanThroughFuseSoC() throws {
        let (files, flow) = try Self.romDesign()
        let cores = Self.temporary("fusesoc"), work = Self.temporary("fusesoc-lint")
        defer { for folder in [cores, work] { try? FileManager.default.removeItem(at: folder) } }
        try files.write(to: cores)
        let output = try Self.fuseSoC(["run", "--target", "lint", "--work-root", work.path, flow.vlnv], cores: cores)
        #expect(!output.contains("%Warning") && !output.contains("%Error"), "\(output)")
    }

    @Test(.enabled(if: toolAvailable("yosys")))
    func yosysScriptSynthesizesTheDesign() throws {
        let (files, flow) = try Self.romDesign()
        let folder = Self.temporary("yosys-script")
        defer { try? FileManager.default.removeItem(at: folder) }
        try files.write(to: folder)
        let output = try ExternalTool.run("yosys", ["-s", flow.yosysScript], in: folder)
        #expect(output.contains("Executing SYNTH_XILINX pass"), "\(output.suffix(2000))")
        #expect(output.contains("Number of cells:"), "\(output.suffix(2000))")
        #expect(!output.contains("ERROR"), "\(output.suffix(2000))")
    }
}
