import Foundation
import HDLSim
import PQ
import PQA
@testable import PQAFlow
import Testing

/// The network cycle model against RTL simulation of scaled networks: the
/// layers of each network in workloads.json with their Ls and Np, Ns and
/// Cout capped and three columns each, run back to back with their loads.
@Suite(.serialized) struct NetworkCycleModelTests {
    static let workloads = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("reference/workloads.json")

    /// The first three distinct layer shapes of `network`, scaled down.
    static func scaledLayers(_ network: String) throws -> [NetworkLayer] {
        var shapes: [PQShape] = []
        for layer in try NetworkLayer.layers(of: network, in: Workloads.read(from: workloads)) {
            let s = layer.shape
            let scaled = try PQShape(ls: s.ls, np: s.np, ns: min(s.ns, 6), cout: min(s.cout, 10))
            if !shapes.contains(scaled) { shapes.append(scaled) }
        }
        return shapes.prefix(3).map { NetworkLayer(shape: $0, columns: 3) }
    }

    static func configuration(for layers: [NetworkLayer]) throws -> PQAConfiguration {
        let formats = LayerFormats(activation: try .unsigned(4), prototype: try .unsigned(4), entry: try .signed(6),
                                   bias: try .signed(10), output: try .signed(6))
        return PQAConfiguration(
            maxima: .init(ls: layers.map(\.shape.ls).max() ?? 1, np: layers.map(\.shape.np).max() ?? 1,
                          ns: layers.map(\.shape.ns).max() ?? 1, cout: layers.map(\.shape.cout).max() ?? 1, columns: 3),
            parallelism: .init(lsVec: 3, npVec: 4, nsVec: 2, outVec: 4), formats: formats, multiplierBits: 6, maxShift: 8,
            metric: .l1, pipelining: .init(argminLevelsPerStage: 1, adderLevelsPerStage: 1))
    }

    @Test(arguments: ["resnet20", "kws", "emnist"])
    func pqaComputeCyclesAreExactAndTotalsClose(network: String) throws {
        let layers = try Self.scaledLayers(network)
        let configuration = try Self.configuration(for: layers)
        let cosim = try CoSimulation(configuration)
        var random = RandomLayer(seed: 6)
        // Each layer alone: compute cycles plus latency, exactly.
        let model = NetworkCycleModel.pqa(layers, parameters: cosim.parameters)
        var stimuli: [CoSimulationLayer] = []
        for (layer, predicted) in zip(layers, model.layers) {
            let golden = try random.layer(layer.shape, for: configuration)
            let stimulus = try CoSimulationLayer(golden, columns: random.columns(3, shape: layer.shape, format: configuration.formats.activation),
                                                 parameters: cosim.parameters)
            stimuli.append(stimulus)
            let alone = try cosim.run([stimulus], seed: 6, engines: [.interpreter])
            #expect(alone.timings.map(\.measured) == [predicted.compute + predicted.latency], "\(network) \(layer.shape)")
        }
        // Back to back, loads overlapped: the whole run against the model.
        let run = try cosim.run(stimuli, seed: 6, engines: [.interpreter])
        let bitExact = run.bitExact
        #expect(bitExact)
        let error = Double(model.totalCycles - run.totalCycles) / Double(run.totalCycles)
        print("\(network): measured \(run.totalCycles) cycles, model \(model.totalCycles) (\(String(format: "%+.1f", 100 * error)) %)")
        #expect(abs(error) < 0.02, "\(network): measured \(run.totalCycles), model \(model.totalCycles)")
    }

    @Test func baselineTotalsAreClose() throws {
        let layers = try Self.scaledLayers("resnet20")
        let pqa = try Self.configuration(for: layers)
        let configuration = MACArrayConfiguration.matching(pqa, parallelism: .init(inVec: 6, outVec: 4))
        let cosim = try MACArrayCoSimulation(configuration)
        var random = RandomLayer(seed: 7)
        let stimuli = try layers.map { layer in
            let d = layer.shape.inputLength
            return try MACArrayCoSimulation.Layer(random.linearLayer(d: d, cout: layer.shape.cout, for: configuration),
                                                  columns: random.columns(3, d: d, format: configuration.formats.activation),
                                                  parameters: cosim.parameters)
        }
        let run = try cosim.run(stimuli, seed: 7, engines: [.interpreter])
        let model = NetworkCycleModel.macArray(layers, parameters: cosim.parameters)
        let error = Double(model.totalCycles - run.totalCycles) / Double(run.totalCycles)
        print("baseline: measured \(run.totalCycles) cycles, model \(model.totalCycles) (\(String(format: "%+.1f", 100 * error)) %)")
        #expect(abs(error) < 0.02)
    }

    @Test func scheduleChangesTheTotal() throws {
        let layers = try NetworkLayer.layers(of: "resnet20", in: Workloads.read(from: Self.workloads))
        let parameters = try PQAParameters(.default)
        let overlapped = NetworkCycleModel.pqa(layers, parameters: parameters)
        let serial = NetworkCycleModel.pqa(layers, parameters: parameters, schedule: try .init(overlapLoads: false))
        let narrow = NetworkCycleModel.pqa(layers, parameters: parameters, schedule: try .init(overlapLoads: true, loadBitsPerCycle: 8))
        #expect(throws: PQAConfigurationError.invalid(field: "loadBitsPerCycle", value: "0", rule: "must be at least 1 bit per cycle")) {
            try NetworkSchedule(loadBitsPerCycle: 0)
        }
        #expect(overlapped.computeCycles == serial.computeCycles)
        #expect(serial.totalCycles == overlapped.computeCycles + overlapped.layers.reduce(0) { $0 + $1.latency } + overlapped.loadCycles)
        #expect(overlapped.totalCycles < serial.totalCycles)
        #expect(narrow.totalCycles > overlapped.totalCycles)
        // Layer 1 of ResNet-20 (Ls 9, Np 16, Ns 16, Cout 16): 8 registers; prototypes 3 to a
        // beat, 16 subspaces x ceil(16 / 3) = 96 beats; table rows 2 to a beat, 16 prototypes x
        // 4 groups x ceil(4 / 2) = 128 beats; one bias beat (one word a beat: 521).
        #expect(overlapped.layers[0].loadBeats == 8 + 96 + 128 + 1)
    }
}
