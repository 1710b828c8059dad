import HDL
import HDLSim
import PQ

/// Runs layers through the MAC-array baseline on every engine, checks every
/// output beat bit-exactly against the exact integer product
/// (`IntegerLinearLayer`), and measures the cycles each layer takes.
public struct MACArrayCoSimulation {
    /// One layer: the golden layer, its columns, and its beats.
    public struct Layer: Sendable {
        public let layer: IntegerLinearLayer
        public let columns: [[Int]]
        let beats: StreamLayer

        /// Prepares `layer` and `columns` for hardware `parameters`.
        public init(_ layer: IntegerLinearLayer, columns: [[Int]], parameters: MACArrayParameters) throws {
            guard !columns.isEmpty else {
                throw PQAInterfaceError.invalidArgument(field: "column count", value: "0", allowed: "at least 1")
            }
            let program = try MACArrayProgram(layer, columns: columns.count, parameters: parameters)
            let inputs = try columns.enumerated().flatMap { index, column in
                guard column.count == layer.d else {
                    throw PQAInterfaceError.badColumn(index: index, reason: "has \(column.count) values; the layer needs D = \(layer.d)")
                }
                return try MACArrayProgram.inputBeats(column, index: index, parameters: parameters)
            }
            let expected = try columns.flatMap { try MACArrayProgram.outputBeats(layer.outputs(column: $0), parameters: parameters) }
            self.layer = layer
            self.columns = columns
            beats = StreamLayer(loadBeats: program.loadBeats, inputBeats: inputs, beatsPerInputColumn: inputs.count / columns.count,
                                expectedBeats: expected, beatsPerOutputColumn: expected.count / columns.count)
        }
    }

    public let parameters: MACArrayParameters
    public let netlist: Netlist

    /// A co-simulation of hardware `configuration`.
    public init(_ configuration: MACArrayConfiguration) throws {
        let core = try MACArrayCore(configuration)
        parameters = core.design
        netlist = try core.elaborate()
    }

    /// Runs `layers` back to back (each next layer loads while the previous
    /// computes) on `engines`, with `traffic` from `seed`.
    public func run(_ layers: [Layer], traffic: CoSimulation.Traffic = .init(), seed: UInt64,
                    engines: [Engine] = Engine.installed) throws -> CoSimulation.Report {
        var timings: [CoSimulation.LayerTiming] = [], total = 0
        let model = MACArrayCycleModel(parameters)
        let patience = 2_000 + 8 * parameters.inChunksMax * parameters.outputChunksMax
        let report = try DifferentialHarness.run(netlist, seed: seed, engines: engines) { context in
            let measured = try StreamDriver.drive(context, layers: layers.map(\.beats), traffic: traffic, patience: patience)
            if timings.isEmpty {  // the reference engine runs first
                total = measured.total
                timings = zip(layers, measured.layers).map { layer, cycles in
                    .init(measured: cycles, bound: model.bound(d: layer.layer.d, cout: layer.layer.cout, columns: layer.columns.count))
                }
            }
        }
        return CoSimulation.Report(harness: report, timings: timings, totalCycles: total)
    }
}

extension RandomLayer {
    /// A linear layer of `d x cout` for hardware `configuration`: random
    /// weights, bias and requantization over the full range of every format.
    public mutating func linearLayer(d: Int, cout: Int, for configuration: MACArrayConfiguration) throws -> IntegerLinearLayer {
        let formats = configuration.formats
        let weights = (0..<cout).map { _ in (0..<d).map { _ in value(formats.weight) } }
        let bias = (0..<cout).map { _ in value(formats.bias) }
        let maxMultiplier = (1 << configuration.multiplierBits) - 1
        let multiplier = integer(in: 0...3) == 0 ? maxMultiplier : integer(in: 1...maxMultiplier)
        let shift = integer(in: 0...3) == 0 ? configuration.maxShift : integer(in: 0...configuration.maxShift)
        return try IntegerLinearLayer(weights: weights, bias: bias, formats: formats,
                                      requantization: Requantization(multiplier: multiplier, shift: shift, relu: integer(in: 0...1) == 0))
    }

    /// `count` columns of `d` activations in `format`.
    public mutating func columns(_ count: Int, d: Int, format: IntegerFormat) -> [[Int]] {
        (0..<count).map { _ in (0..<d).map { _ in value(format) } }
    }
}
