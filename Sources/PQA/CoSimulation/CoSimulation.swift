import Foundation
import HDL
import HDLSim
import PQ

/// One layer of a co-simulation: the golden layer, its columns and what the
/// golden model says they produce.
public struct CoSimulationLayer: Sendable {
    public let layer: IntegerPQLayer
    public let columns: [[Int]]
    /// The load beats; nil for a fixed-table design, whose layer is baked in.
    let program: LayerProgram?
    let inputBeats: [BitVector]
    let expectedBeats: [BitVector]

    /// Prepares `layer` and `columns` for hardware `parameters`.
    public init(_ layer: IntegerPQLayer, columns: [[Int]], parameters: PQAParameters) throws {
        self.layer = layer
        self.columns = columns
        program = parameters.configuration.tableMode == .loadable
            ? try LayerProgram(layer, columns: columns.count, parameters: parameters) : nil
        guard !columns.isEmpty else {
            throw PQAInterfaceError.invalidArgument(field: "column count", value: "0", allowed: "at least 1")
        }
        inputBeats = try columns.enumerated().flatMap { try ColumnBeats.input($1, index: $0, shape: layer.shape, parameters: parameters) }
        let outputs = try layer.outputs(columns: Matrix(rowArrays: columns))
        let expected = (0..<columns.count).flatMap { row in
            ColumnBeats.output((0..<layer.shape.cout).map { outputs[row, $0] }, parameters: parameters)
        }
        expectedBeats = expected
    }

    /// The layer as beats on the core's streams.
    var beats: StreamLayer {
        StreamLayer(loadBeats: program?.loadBeats ?? [], inputBeats: inputBeats, beatsPerInputColumn: inputBeats.count / columns.count,
                    expectedBeats: expectedBeats, beatsPerOutputColumn: expectedBeats.count / columns.count)
    }
}

/// Runs layers through the generated accelerator on every engine, checks
/// every output beat bit-exactly against the golden model, and measures the
/// cycles each layer takes.
public struct CoSimulation {
    /// Stimulus timing.
    public struct Traffic: Sendable {
        /// Chance that the producer offers a beat in a cycle (1: no gaps).
        public var inputProbability: Double
        /// Chance that the output consumer is ready in a cycle (1: no backpressure).
        public var outputProbability: Double
        public init(inputProbability: Double = 1, outputProbability: Double = 1) {
            self.inputProbability = inputProbability
            self.outputProbability = outputProbability
        }
    }

    /// What one layer took.
    public struct LayerTiming: Sendable {
        /// Cycles from the layer's first activation beat accepted to its last output beat.
        public let measured: Int
        /// `columns x groups x slot` for the layer's shape and the parallelism.
        public let bound: Int
    }

    /// The result on every engine.
    public struct Report: Sendable {
        public let harness: DifferentialHarness.Report
        /// Per layer timing, from the reference engine's run.
        public let timings: [LayerTiming]
        /// Cycles of the whole run, from reset to the last output beat (loads included).
        public let totalCycles: Int
        public var bitExact: Bool { harness.passed }
    }

    public let parameters: PQAParameters
    public let netlist: Netlist

    /// A co-simulation of hardware `configuration` (with its baked `layer`
    /// for a fixed-table design).
    public init(_ configuration: PQAConfiguration, layer: IntegerPQLayer? = nil) throws {
        let core = try PQACore(configuration, layer: layer)
        parameters = core.design
        netlist = try core.elaborate()
    }

    /// Runs `layers` back to back (each next layer loads while the previous
    /// computes) on `engines`, with `traffic` from `seed`.
    public func run(_ layers: [CoSimulationLayer], traffic: Traffic = Traffic(), seed: UInt64,
                    engines: [Engine] = Engine.installed) throws -> Report {
        var timings: [LayerTiming] = [], total = 0
        let report = try DifferentialHarness.run(netlist, seed: seed, engines: engines) { context in
            let patience = 2_000 + 8 * parameters.periodMax * parameters.groupsMax
            let measured = try StreamDriver.drive(context, layers: layers.map(\.beats), traffic: traffic, patience: patience)
            if timings.isEmpty {  // the reference engine runs first
                total = measured.total
                timings = zip(layers, measured.layers).map { layer, cycles in
                    LayerTiming(measured: cycles, bound: CycleModel(parameters).bound(layer.layer.shape, columns: layer.columns.count))
                }
            }
        }
        return Report(harness: report, timings: timings, totalCycles: total)
    }
}
