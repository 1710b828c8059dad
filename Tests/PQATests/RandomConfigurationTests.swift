import HDL
import HDLSim
import PQ
@testable import PQA
import Testing

/// A random but valid hardware configuration from `seed`: small maxima so
/// that simulation stays fast, parallelism that often does not divide them.
func randomConfiguration(seed: UInt64) throws -> PQAConfiguration {
    var random = SeededGenerator(seed: seed &* 7919)
    func pick<T>(_ choices: [T]) -> T { choices[random.nextInt(below: choices.count)] }
    let metric = pick(DistanceMetric.allCases)
    let dataBits = pick([2, 3, 4, 5, 6, 7, 8, 16])
    let signedActivations = random.nextInt(below: 2) == 0
    let formats = LayerFormats(
        activation: try IntegerFormat(bits: dataBits, signed: signedActivations),
        prototype: try IntegerFormat(bits: pick([2, 4, 6, 8, dataBits]), signed: random.nextInt(below: 2) == 0),
        entry: try IntegerFormat(bits: pick([2, 3, 5, 8, 16]), signed: random.nextInt(below: 4) != 0),
        bias: try IntegerFormat(bits: pick([2, 8, 16, 20]), signed: random.nextInt(below: 4) != 0),
        output: try IntegerFormat(bits: pick([2, 4, 8, 16]), signed: random.nextInt(below: 3) != 0))
    let maxima = PQAConfiguration.Maxima(ls: pick([1, 3, 4, 9]), np: pick([1, 5, 8, 12, 16]), ns: pick([1, 3, 5, 7]),
                                         cout: pick([1, 4, 7, 10]), columns: 6)
    return PQAConfiguration(
        maxima: maxima,
        parallelism: .init(lsVec: random.nextInt(in: 1...maxima.ls), npVec: random.nextInt(in: 1...maxima.np),
                           nsVec: random.nextInt(in: 1...maxima.ns), outVec: random.nextInt(in: 1...maxima.cout)),
        formats: formats, multiplierBits: pick([1, 4, 9, 16]), maxShift: pick([0, 3, 12, 20]), metric: metric,
        pipelining: .init(argminLevelsPerStage: pick([0, 1, 2]), adderLevelsPerStage: pick([0, 1, 3])))
}

/// `randomConfiguration(seed:)` with a tree encoder of 1 to 4 levels
/// (`Np = NpVec` a power of two).
func randomTreeConfiguration(seed: UInt64) throws -> PQAConfiguration {
    var configuration = try randomConfiguration(seed: seed)
    var random = SeededGenerator(seed: seed &* 104_729)
    let np = 2 << random.nextInt(below: 4)
    configuration.encoder = .tree
    configuration.maxima.np = np
    configuration.parallelism.npVec = np
    return configuration
}

/// A random configuration (formats, requantization, metric, pipelining)
/// whose prototype memories are large enough for block RAM
/// (`PQAParameters.prototypesInBlockRAM`: 384 words), so the distance units
/// register their inputs; `randomConfiguration`'s maxima are too small for it.
func blockRAMConfiguration(seed: UInt64) throws -> PQAConfiguration {
    var configuration = try randomConfiguration(seed: seed)
    configuration.maxima = .init(ls: 9, np: 16, ns: 32, cout: 6, columns: 4)
    configuration.parallelism = .init(lsVec: 3, npVec: 4, nsVec: 2, outVec: configuration.parallelism.outVec % 6 + 1)
    return configuration
}

/// Co-simulation over many random configurations: two layers of random
/// shapes back to back (the second loading while the first computes), data
/// over each format's full range, random input gaps and output backpressure,
/// every engine installed. Each failure names its seed and a waveform.
@Suite(.serialized) struct RandomConfigurationTests {
    static let seeds = Array(1...50) as [UInt64]

    @Test(arguments: seeds)
    func randomConfigurationIsBitExact(seed: UInt64) throws {
        try checkBitExact(randomConfiguration(seed: seed), seed: seed)
    }

    /// Tree encoders over the same random configurations: thresholds over
    /// the whole activation range, often equal to inputs (both boost the
    /// format's extremes; every third seed draws thresholds from three values).
    @Test(arguments: Array(1...30) as [UInt64])
    func randomTreeConfigurationIsBitExact(seed: UInt64) throws {
        try checkBitExact(randomTreeConfiguration(seed: seed), seed: seed)
    }

    /// Two layers back to back on `configuration`: the largest, then a random
    /// one, with random gaps and backpressure on odd seeds, on every engine
    /// (Icarus every tenth seed).
    private func checkBitExact(_ configuration: PQAConfiguration, seed: UInt64) throws {
        let cosim = try CoSimulation(configuration)
        var random = RandomLayer(seed: seed)
        var layers: [CoSimulationLayer] = []
        for index in 0..<2 {
            let shape = index == 0 ? try PQShape(ls: configuration.maxima.ls, np: configuration.maxima.np,
                                                 ns: configuration.maxima.ns, cout: configuration.maxima.cout)
                                   : try random.shape(within: configuration.maxima, encoder: configuration.encoder)
            let layer = try random.layer(shape, for: configuration, fewPrototypeValues: seed % 3 == 0)
            let columns = random.columns(Int(seed % 3) + 1, shape: shape, format: configuration.formats.activation)
            layers.append(try CoSimulationLayer(layer, columns: columns, parameters: cosim.parameters))
        }
        let traffic = seed % 2 == 0 ? CoSimulation.Traffic() : CoSimulation.Traffic(inputProbability: 0.6, outputProbability: 0.5)
        let engines = Engine.installed.filter { $0 != .icarus || seed % 10 == 0 }
        let report = try cosim.run(layers, traffic: traffic, seed: seed, engines: engines)
        let json = try configuration.json()
        let bitExact = report.bitExact
        #expect(bitExact, "seed \(seed), configuration \(json): \(report.harness.failure?.description ?? "")")
    }

    /// Configurations whose prototypes are in block RAM (the distance units'
    /// inputs registered), on the compiled engines.
    @Test(arguments: [1, 2] as [UInt64])
    func blockRAMConfigurationIsBitExact(seed: UInt64) throws {
        let configuration = try blockRAMConfiguration(seed: seed)
        let cosim = try CoSimulation(configuration)
        #expect(cosim.parameters.prototypesInBlockRAM)
        var random = RandomLayer(seed: seed)
        let layers = try [configuration.maxima.ns, 5].map { ns in
            let layer = try random.layer(try PQShape(ls: 9, np: 16, ns: ns, cout: configuration.maxima.cout), for: configuration)
            return try CoSimulationLayer(layer, columns: random.columns(2, shape: layer.shape, format: configuration.formats.activation),
                                         parameters: cosim.parameters)
        }
        let report = try cosim.run(layers, seed: seed, engines: Engine.installed.filter { $0 != .icarus })
        #expect(report.bitExact, "seed \(seed): \(report.harness.failure?.description ?? "")")
    }

    /// The smallest layers (one beat of each memory kind) after the largest,
    /// back to back: their commits check the beat counts derived from their
    /// registers at the earliest cycle the load port allows, while the
    /// bank's counts of the layer before differ.
    @Test(arguments: [3, 4, 5, 6] as [UInt64])
    func smallestLayersCommitAtOnce(seed: UInt64) throws {
        let configuration = try randomConfiguration(seed: seed)
        let cosim = try CoSimulation(configuration)
        var random = RandomLayer(seed: seed)
        let maxima = configuration.maxima, smallest = try PQShape(ls: 1, np: 1, ns: 1, cout: 1)
        let shapes = [try PQShape(ls: maxima.ls, np: maxima.np, ns: maxima.ns, cout: maxima.cout), smallest, smallest, smallest]
        let layers = try shapes.map { shape in
            try CoSimulationLayer(try random.layer(shape, for: configuration),
                                  columns: random.columns(1, shape: shape, format: configuration.formats.activation), parameters: cosim.parameters)
        }
        let counts = CycleModel(cosim.parameters).loadBeatCounts(smallest)
        #expect([counts.prototypes, counts.tables, counts.bias] == [1, 1, 1])
        let report = try cosim.run(layers, seed: seed, engines: [.interpreter])
        #expect(report.bitExact, "seed \(seed): \(report.harness.failure?.description ?? "")")
    }

    /// A layer change to a layer with fewer encode cycles than the running
    /// layer has output chunks: the next slot must wait for the last lookup.
    @Test(arguments: Array(1...10) as [UInt64])
    func layerChangeWaitsForTheLastLookup(seed: UInt64) throws {
        let formats = LayerFormats(activation: try .unsigned(4), prototype: try .unsigned(4), entry: try .signed(5),
                                   bias: try .signed(8), output: try .signed(6))
        let configuration = PQAConfiguration(
            maxima: .init(ls: 4, np: 4, ns: 7, cout: 8, columns: 4), parallelism: .init(lsVec: 1, npVec: 1, nsVec: 1, outVec: 1),
            formats: formats, multiplierBits: 5, maxShift: 6, metric: .l1,
            pipelining: .init(argminLevelsPerStage: 0, adderLevelsPerStage: 0))
        let cosim = try CoSimulation(configuration)
        var random = RandomLayer(seed: seed)
        let first = try random.layer(try PQShape(ls: 4, np: 4, ns: 7, cout: 8), for: configuration)
        let second = try random.layer(try PQShape(ls: 1, np: 2, ns: 2, cout: 3), for: configuration)
        let layers = try [first, second].map { layer in
            try CoSimulationLayer(layer, columns: random.columns(Int(seed % 4) + 1, shape: layer.shape, format: formats.activation),
                                  parameters: cosim.parameters)
        }
        let report = try cosim.run(layers, seed: seed, engines: Engine.installed.filter { $0 != .icarus })
        let bitExact = report.bitExact
        #expect(bitExact, "seed \(seed): \(report.harness.failure?.description ?? "")")
    }
}
