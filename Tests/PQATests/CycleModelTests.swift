import Foundation
import HDL
import HDLSim
import PQ
@testable import PQA
import Testing

/// The cycle model predicts what RTL simulation measures, exactly, and the
/// measured cycles sit at the bound plus the documented latency.
@Suite(.serialized) struct CycleModelTests {
    @Test(arguments: Array(1...12) as [UInt64])
    func modelEqualsMeasurementOnRandomConfigurations(seed: UInt64) throws {
        let configuration = try randomConfiguration(seed: seed)
        let cosim = try CoSimulation(configuration)
        var random = RandomLayer(seed: seed + 100)
        let shape = try random.shape(within: configuration.maxima)
        let layer = try random.layer(shape, for: configuration)
        let columns = random.columns(4, shape: shape, format: configuration.formats.activation)
        let report = try cosim.run([try CoSimulationLayer(layer, columns: columns, parameters: cosim.parameters)],
                                   seed: seed, engines: [.interpreter])
        let model = CycleModel(cosim.parameters)
        #expect(report.timings.map(\.measured) == [model.cycles(shape, columns: 4)], "seed \(seed), shape \(shape)")
    }

    /// Tree encoders: the walk's levels in the latency, one slot per group.
    @Test(arguments: Array(1...6) as [UInt64])
    func modelEqualsMeasurementOnTreeConfigurations(seed: UInt64) throws {
        let configuration = try randomTreeConfiguration(seed: seed)
        let cosim = try CoSimulation(configuration)
        var random = RandomLayer(seed: seed + 100)
        let shape = try random.shape(within: configuration.maxima, encoder: .tree)
        let layer = try random.layer(shape, for: configuration)
        let columns = random.columns(4, shape: shape, format: configuration.formats.activation)
        let report = try cosim.run([try CoSimulationLayer(layer, columns: columns, parameters: cosim.parameters)],
                                   seed: seed, engines: [.interpreter])
        #expect(report.bitExact)
        #expect(report.timings.map(\.measured) == [CycleModel(cosim.parameters).cycles(shape, columns: 4)], "seed \(seed), shape \(shape)")
    }

    /// The ResNet-20 layer shapes of workloads.json (Ls = 9, Np = 16), with a
    /// few columns each, on the default design.
    @Test func resnet20LayersMatchTheModel() throws {
        let workloads = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("reference/workloads.json")
        let shapes = try ResNetShapes.distinct(from: workloads)
        #expect(shapes.count == 5)
        let cosim = try CoSimulation(.default)
        var random = RandomLayer(seed: 20)
        let model = CycleModel(cosim.parameters)
        for shape in shapes {
            let layer = try random.layer(shape, for: .default)
            let columns = random.columns(3, shape: shape, format: PQAConfiguration.default.formats.activation)
            let report = try cosim.run([try CoSimulationLayer(layer, columns: columns, parameters: cosim.parameters)],
                                       seed: 20, engines: [.interpreter])
            let bitExact = report.bitExact
            #expect(bitExact, "\(shape): \(report.harness.failure?.description ?? "")")
            #expect(report.timings.map(\.measured) == [model.cycles(shape, columns: 3)], "\(shape)")
        }
    }
}
