import Foundation
import Testing
@testable import HDL

/// The FPGA flow inputs written beside a design: FuseSoC core, SDC and XDC
/// constraints, Yosys script. (FuseSoC and Yosys reading them is tested in
/// HDLSimTests, which has the tool runner.)
@Suite struct FlowFilesTests {
    /// A counter instantiated beside a ROM: two Verilog files, one image,
    /// a clock and a reset.
    static func romDesign() throws -> DesignFiles {
        DesignFiles(top: try TestModule("rom_counter") { m in
            let address = m.input("address", .unsigned(2))
            m.output("data", .unsigned(8)) <== m.rom("digits", .unsigned(8), contents: [3, 1, 4, 1]).read(address: address)
            let counter = m.instance(Counter(width: 4), name: "u_counter")
            counter["enable"] <== m.input("enable", .bool)
            m.output("count", .unsigned(4)) <== counter["count"]
        }.elaborate())
    }

    static func text(_ files: DesignFiles, _ name: String) throws -> String {
        try #require(files.files.first { $0.name == name }?.contents, "no file \(name)")
    }

    @Test(arguments: [(200.0, "5.000"), (156.25, "6.400"), (333, "3.003"), (100, "10.000"), (0.1, "10000.000"), (1000, "1.000")])
    func clockPeriodIsOneThousandOverMegahertz(_ megahertz: Double, _ period: String) throws {
        var files = try Self.romDesign()
        let flow = try files.addFlowFiles(clockMHz: megahertz)
        #expect(flow.period == period)
        for name in [flow.sdcFile, flow.xdcFile] {
            let text = try Self.text(files, name)
            #expect(text.contains("\ncreate_clock -name clk -period \(period) [get_ports clk]\n"), "\(text)")
            #expect(text.contains("# clk: \(FlowFiles.megahertz(megahertz)) MHz, rising edge.\n"))
            #expect(text.contains("\nset_false_path -from [get_ports rst]\n"))
        }
    }

    @Test func defaultClockIs200MegahertzForXilinx() throws {
        var files = try Self.romDesign()
        let flow = try files.addFlowFiles()
        #expect(flow.clockMHz == 200 && flow.period == "5.000" && flow.family == .xilinx7)
        #expect(flow.names == ["rom_counter.core", "rom_counter.sdc", "rom_counter.xdc", "synth_rom_counter.ys"])
        #expect(Array(files.files.suffix(4).map(\.name)) == flow.names)
        #expect(flow.vlnv == "pqa:generated:rom_counter:\(VerilogEmitter.generatorVersion)")
    }

    @Test func coreListsEveryVerilogFileInOrderAndTheImages() throws {
        var files = try Self.romDesign()
        let flow = try files.addFlowFiles()
        #expect(files.verilogFiles == ["counter_width4.v", "rom_counter.v"])
        let core = try Self.text(files, flow.coreFile)
        #expect(core.hasPrefix("CAPI=2:\n"))
        #expect(core.contains("\nname: \(flow.vlnv)\n"))
        let rtl = "  rtl:\n    file_type: verilogSource-2005\n    files:\n" + files.verilogFiles.map { "      - \($0)\n" }.joined()
        #expect(core.contains(rtl), "\(core)")
        #expect(core.contains("    file_type: user\n    files:\n      - rom_counter_digits.hex: {copyto: rom_counter_digits.hex}\n"))
        #expect(core.contains("  constraints_sdc:\n    file_type: SDC\n    files:\n      - rom_counter.sdc\n"))
        #expect(core.contains("  constraints_xdc:\n    file_type: xdc\n    files:\n      - rom_counter.xdc\n"))
        #expect(!core.contains(".f\n"))
        for target in ["default", "lint", "synth"] { #expect(core.contains("\n  \(target):\n")) }
        #expect(core.components(separatedBy: "    toplevel: rom_counter\n").count == 4)
        #expect(core.contains("    default_tool: verilator\n"))
        #expect(core.contains("        mode: lint-only\n        verilator_options: [\"-Wall\"]\n"))
        #expect(core.contains("    default_tool: yosys\n"))
        #expect(core.contains("      yosys:\n        arch: xilinx\n"))
    }

    @Test(arguments: FPGAFamily.allCases)
    func yosysScriptReadsEveryFileThenSynthesizesForTheFamily(_ family: FPGAFamily) throws {
        var files = try Self.romDesign()
        let flow = try files.addFlowFiles(family: family)
        let script = try Self.text(files, flow.yosysScript)
        let commands = script.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        // ECP5 reads the Verilog with the define that selects its block RAM primitives.
        let read = family == .ecp5 ? "read_verilog -DPQA_ECP5" : "read_verilog"
        #expect(commands == files.verilogFiles.map { "\(read) \($0)" } + [family.yosysCommand(top: "rom_counter"), "stat"])
        for other in FPGAFamily.allCases where other != family {
            #expect(script.contains("#   \(other.yosysCommand(top: "rom_counter"))"))
        }
        #expect(try Self.text(files, flow.coreFile).contains("        arch: \(family.edalizeArch)\n"))
        #expect(try Self.text(files, flow.coreFile).contains("yosys_read_options: [\"-DPQA_ECP5\"]") == (family == .ecp5))
    }

    @Test func yosysCommandsAreTheFlowsPhrasing() {
        #expect(FPGAFamily.xilinx7.yosysCommand(top: "t") == "synth_xilinx -flatten -top t")
        #expect(FPGAFamily.ecp5.yosysCommand(top: "t") == "synth_ecp5 -flatten -top t")
        #expect(FPGAFamily.ice40.yosysCommand(top: "t") == "synth_ice40 -flatten -dsp -top t")
    }

    @Test func flowFilesAreByteIdenticalAcrossElaborations() throws {
        var first = try Self.romDesign(), second = try Self.romDesign()
        try first.addFlowFiles(clockMHz: 125)
        try second.addFlowFiles(clockMHz: 125)
        #expect(first.files.map(\.name) == second.files.map(\.name))
        #expect(first.files.map(\.contents) == second.files.map(\.contents))
    }

    @Test func designWithoutRegistersHasNoClockToConstrain() throws {
        var files = DesignFiles(top: try TestModule("wires") { m in
            m.output("y", .unsigned(4)) <== m.input("a", .unsigned(4)) ^ m.input("b", .unsigned(4))
        }.elaborate())
        let flow = try files.addFlowFiles()
        let sdc = try Self.text(files, flow.sdcFile)
        #expect(!sdc.contains("create_clock") && !sdc.contains("set_false_path"))
        #expect(sdc.contains("# wires has no registers, so no clock to constrain.\n"))
        #expect(try !Self.text(files, flow.coreFile).contains("memory_images"))
    }

    @Test func registersWithoutResetLeaveResetOut() throws {
        var files = DesignFiles(top: try TestModule("delay") { m in
            let delayed = m.register("delayed", .unsigned(4), reset: nil)
            delayed <== m.input("a", .unsigned(4))
            m.output("y", .unsigned(4)) <== delayed
        }.elaborate())
        let flow = try files.addFlowFiles()
        let xdc = try Self.text(files, flow.xdcFile)
        #expect(xdc.contains("\ncreate_clock -name clk -period 5.000 [get_ports clk]\n"))
        #expect(!xdc.contains("rst"))
    }

    @Test(arguments: [0, -200, 0.05, 1001, 1e9, .nan, .infinity] as [Double])
    func absurdClockIsRejectedNamingTheField(_ megahertz: Double) throws {
        var files = try Self.romDesign()
        let count = files.files.count
        #expect {
            try files.addFlowFiles(clockMHz: megahertz)
        } throws: { error in
            guard case .invalid(let field, let value, _) = error as? FlowFilesError else { return false }
            return field == "clockMHz" && value == FlowFiles.megahertz(megahertz)
                && "\(error)".contains("give the clock frequency in MHz, from 0.1 to 1000")
        }
        #expect(files.files.count == count)
    }

    @Test(arguments: ["", "9lives", "a-b", "top module", "caf\u{E9}"])
    func topNameMustBeAnIdentifier(_ name: String) {
        #expect(throws: FlowFilesError.invalid(
            field: "top", value: "'\(name)'",
            fix: "name the top module with letters, digits and underscores, starting with a letter or underscore")) {
            _ = try FlowFiles(top: name)
        }
    }

    @Test func coreVersionIsTheGeneratorsWhenItReadsAsOne() {
        #expect(FlowFiles.coreVersion("0.1.0") == "0.1.0")
        #expect(FlowFiles.coreVersion("12.0.7") == "12.0.7")
        for odd in ["0.1", "0.1.0-dev", "a.b.c", "1..0", "", "1.0.0.0"] {
            #expect(FlowFiles.coreVersion(odd) == "1.0.0", "\(odd)")
        }
    }
}
