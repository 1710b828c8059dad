import HDL
import HDLSim
import PQ
@testable import PQA
import Testing

/// Small configurations for co-simulation.
func smallConfiguration(metric: DistanceMetric = .l2, bits: Int = 4, signed: Bool = false) throws -> PQAConfiguration {
    let formats = LayerFormats(
        activation: try IntegerFormat(bits: bits, signed: signed), prototype: try IntegerFormat(bits: bits, signed: signed),
        entry: try .signed(bits), bias: try .signed(bits + 2), output: try .signed(bits))
    return PQAConfiguration(
        maxima: .init(ls: 5, np: 6, ns: 5, cout: 7, columns: 8),
        parallelism: .init(lsVec: 2, npVec: 4, nsVec: 2, outVec: 3),
        formats: formats, multiplierBits: 6, maxShift: 9, metric: metric,
        pipelining: .init(argminLevelsPerStage: 1, adderLevelsPerStage: 1))
}

@Suite struct CoSimulationTests {
    @Test func oneSmallLayerIsBitExact() throws {
        let configuration = try smallConfiguration()
        let cosim = try CoSimulation(configuration)
        var random = RandomLayer(seed: 1)
        let shape = try PQShape(ls: 5, np: 6, ns: 5, cout: 7)
        let layer = try random.layer(shape, for: configuration)
        let columns = random.columns(3, shape: shape, format: configuration.formats.activation)
        let report = try cosim.run([try CoSimulationLayer(layer, columns: columns, parameters: cosim.parameters)], seed: 1, engines: [.interpreter])
        let bitExact = report.bitExact
        #expect(bitExact, "\(report.harness.failure?.description ?? "")")
        print(report.timings)
    }
}
