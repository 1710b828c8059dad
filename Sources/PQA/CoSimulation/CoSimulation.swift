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
        let p = parameters.configuration.parallelism, bits = parameters.configuration.formats.output.bits
        let outputs = try layer.outputs(columns: Matrix(rowArrays: columns))
        var expected: [BitVector] = []
        for row in 0..<columns.count {
            let values = (0..<layer.shape.cout).map { outputs[row, $0] }
            for chunk in 0..<ceilDivide(layer.shape.cout, p.outVec) {
                expected.append(Lanes.pack((0..<p.outVec).map { lane in
                    chunk * p.outVec + lane < values.count ? values[chunk * p.outVec + lane] : 0
                }, bits: bits))
            }
        }
        expectedBeats = expected
    }

    var beatsPerInputColumn: Int { inputBeats.count / columns.count }
    var beatsPerOutputColumn: Int { expectedBeats.count / columns.count }
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
        var timings: [LayerTiming] = []
        let report = try DifferentialHarness.run(netlist, seed: seed, engines: engines) { context in
            let measured = try drive(context, layers: layers, traffic: traffic)
            if timings.isEmpty {  // the reference engine runs first
                timings = zip(layers, measured).map { layer, cycles in
                    LayerTiming(measured: cycles, bound: CycleModel(parameters).bound(layer.layer.shape, columns: layer.columns.count))
                }
            }
        }
        return Report(harness: report, timings: timings)
    }

    /// The body the harness runs on each engine; returns each layer's cycles.
    private func drive(_ context: HarnessContext, layers: [CoSimulationLayer], traffic: Traffic) throws -> [Int] {
        let sim = context.simulator
        sim.reset(cycles: 2)
        let loads = layers.flatMap { layer in
            (layer.program?.loadBeats ?? []).enumerated().map { ($1, $0 == (layer.program?.loadBeats.count ?? 0) - 1) }
        }
        let loadable = sim.netlist.port(named: "s_axis_load_tvalid") != nil
        let inputs = layers.flatMap { layer in
            layer.inputBeats.enumerated().map { ($1, ($0 + 1) % layer.beatsPerInputColumn == 0) }
        }
        let expected = layers.flatMap { layer in
            layer.expectedBeats.enumerated().map { ($1, ($0 + 1) % layer.beatsPerOutputColumn == 0) }
        }
        let inputLayerEnds = layers.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1.inputBeats.count) }
        let outputLayerEnds = layers.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1.expectedBeats.count) }
        var loaded = 0, sent = 0, received = 0
        var firstInputCycle: [Int] = [], lastOutputCycle: [Int] = []
        // A design that moves no beat for this long is stuck.
        let patience = 2_000 + 8 * parameters.periodMax * parameters.groupsMax
        var lastProgress = 0, stuck = false
        var random = context.random
        var cycle = -1
        while received < expected.count {
            cycle += 1
            if cycle - lastProgress > patience {
                stuck = true
                break
            }
            let offerLoad = loaded < loads.count && random.nextDouble() < traffic.inputProbability
            let offerInput = sent < inputs.count && random.nextDouble() < traffic.inputProbability
            let takeOutput = random.nextDouble() < traffic.outputProbability
            if loadable { try sim.poke("s_axis_load_tvalid", offerLoad ? 1 : 0) }
            if loaded < loads.count {
                try sim.poke("s_axis_load_tdata", loads[loaded].0)
                try sim.poke("s_axis_load_tlast", loads[loaded].1 ? 1 : 0)
            }
            try sim.poke("s_axis_act_tvalid", offerInput ? 1 : 0)
            if sent < inputs.count {
                try sim.poke("s_axis_act_tdata", inputs[sent].0)
                try sim.poke("s_axis_act_tlast", inputs[sent].1 ? 1 : 0)
            }
            try sim.poke("m_axis_out_tready", takeOutput ? 1 : 0)
            let loadReady = try loadable && !sim.peek("s_axis_load_tready").isZero
            let inputReady = try !sim.peek("s_axis_act_tready").isZero
            let outputValid = try !sim.peek("m_axis_out_tvalid").isZero
            if (offerLoad && loadReady) || (offerInput && inputReady) || (takeOutput && outputValid) { lastProgress = cycle }
            if offerLoad && loadReady { loaded += 1 }
            if offerInput && inputReady {
                if inputLayerEnds.firstIndex(where: { sent < $0 }) == firstInputCycle.count { firstInputCycle.append(cycle) }
                sent += 1
            }
            if takeOutput && outputValid {
                let (beat, last) = expected[received]
                try context.check("m_axis_out_tdata", expected: beat, actual: sim.peek("m_axis_out_tdata"), note: "output beat \(received)")
                try context.check("m_axis_out_tlast", expected: BitVector(width: 1, truncating: last ? 1 as UInt64 : 0),
                                  actual: sim.peek("m_axis_out_tlast"), note: "output beat \(received)")
                received += 1
                if outputLayerEnds.contains(received) { lastOutputCycle.append(cycle) }
            }
            sim.step(1)
        }
        if !stuck {
            // Everything delivered: the core reports idle on the next cycle.
            try sim.poke("s_axis_act_tvalid", 0)
            if loadable { try sim.poke("s_axis_load_tvalid", 0) }
            try context.expect("idle", 1)
        }
        if stuck {
            context.fail("m_axis_out_tvalid", expected: "\(expected.count) output beats",
                         actual: "\(received), then no beat moved for \(patience) cycles (loaded \(loaded)/\(loads.count), sent \(sent)/\(inputs.count))")
        }
        return zip(firstInputCycle, lastOutputCycle).map { $1 - $0 + 1 }
    }
}
