import Foundation
import HDL
@testable import HDLSim
import Testing

/// The committed testbenches of the examples are what the generator writes
/// today, and they pass under Icarus.
@Suite struct VerilogTestbenchTests {
    static let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("testbenches")

    @Test(arguments: Examples.all.map(\.name))
    func committedTestbenchIsUpToDate(_ name: String) throws {
        let netlist = try #require(Examples.named(name)).make().elaborate()
        let report = try DifferentialHarness.randomRun(netlist, cycles: 200, seed: 1, engines: [.interpreter])
        let folder = VerilogTestbench.folder(for: netlist, replaying: report.run, designDirectory: "../../rtl/examples/\(name)")
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.committed.appendingPathComponent(name).path).sorted()
        #expect(names == folder.files.map(\.name).sorted())
        for file in folder.files {
            let committed = try? String(contentsOf: Self.committed.appendingPathComponent(name).appendingPathComponent(file.name), encoding: .utf8)
            #expect(committed == file.contents, "testbenches/\(name)/\(file.name) is stale; run: swift run pqa testbench --example \(name)")
        }
    }

    @Test(.enabled(if: toolAvailable("iverilog")), arguments: Examples.all.map(\.name))
    func testbenchPassesUnderIcarus(_ name: String) throws {
        let netlist = try #require(Examples.named(name)).make().elaborate()
        let report = try DifferentialHarness.randomRun(netlist, cycles: 200, seed: 1, engines: [.interpreter])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-tb-\(UUID().uuidString)")
        try VerilogTestbench.folder(for: netlist, replaying: report.run).write(to: directory)
        let output = try ExternalTool.run("sh", ["run_icarus.sh"], in: directory)
        #expect(output.contains("\(report.run.cycles - report.run.firstCheckedCycle) passed, 0 failed"), "\(output)")
        #expect(!output.contains("warning"), "\(output)")
        try? FileManager.default.removeItem(at: directory)
    }
}
