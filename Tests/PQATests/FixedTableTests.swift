import Foundation
import HDL
import HDLSim
import PQ
@testable import PQA
import Testing

/// Fixed-table designs: the layer baked into ROM images, no load stream,
/// columns streamed without end; bit-exact on every engine.
@Suite(.serialized) struct FixedTableTests {
    @Test(arguments: Array(1...8) as [UInt64])
    func fixedDesignIsBitExact(seed: UInt64) throws {
        let base = try randomConfiguration(seed: seed + 60)
        var random = RandomLayer(seed: seed)
        let shape = try random.shape(within: base.maxima)
        let layer = try random.layer(shape, for: base, fewPrototypeValues: seed % 2 == 0)
        let configuration = PQAConfiguration.fixed(for: layer, parallelism: base.parallelism)
        let cosim = try CoSimulation(configuration, layer: layer)
        #expect(cosim.netlist.port(named: "s_axis_load_tdata") == nil)
        let columns = random.columns(Int(seed % 4) + 2, shape: shape, format: configuration.formats.activation)
        let traffic = seed % 2 == 0 ? CoSimulation.Traffic() : CoSimulation.Traffic(inputProbability: 0.7, outputProbability: 0.6)
        let report = try cosim.run([try CoSimulationLayer(layer, columns: columns, parameters: cosim.parameters)],
                                   traffic: traffic, seed: seed, engines: Engine.installed.filter { $0 != .icarus || seed == 1 })
        let bitExact = report.bitExact
        #expect(bitExact, "seed \(seed): \(report.harness.failure?.description ?? "")")
        if seed % 2 == 0 {
            #expect(report.timings.map(\.measured) == [CycleModel(cosim.parameters).cycles(shape, columns: columns.count)])
        }
    }

    @Test func modeAndLayerMustAgree() throws {
        var random = RandomLayer(seed: 5)
        let layer = try random.layer(try PQShape(ls: 9, np: 16, ns: 4, cout: 8), for: .default)
        #expect(throws: PQAConfigurationError.self) { try PQACore(.default, layer: layer) }
        var fixed = PQAConfiguration.fixed(for: layer, parallelism: PQAConfiguration.default.parallelism)
        #expect(throws: PQAConfigurationError.self) { try PQACore(fixed) }
        fixed.maxima.ls = 4
        #expect(throws: (any Error).self) { try PQACore(fixed, layer: layer) }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CI"] == "true" || ExternalTool.locate("verilator") != nil))
    func fixedDesignLintsCleanWithItsImages() throws {
        var random = RandomLayer(seed: 9)
        let layer = try random.layer(try PQShape(ls: 9, np: 16, ns: 6, cout: 10), for: .default)
        let files = try PQAGenerator.files(for: .fixed(for: layer, parallelism: PQAConfiguration.default.parallelism), layer: layer)
        #expect(files.files.contains { $0.name.hasSuffix(".hex") })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-fixed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try files.write(to: folder)
        let output = try ExternalTool.run("verilator", ["--lint-only", "-Wall", "--top-module", "pqa_core"] + files.verilogFiles, in: folder)
        #expect(output.isEmpty, "\(output)")
    }
}
