import Foundation
import HDL
import HDLSim
import PQ
@testable import PQA
import Testing

/// A random but valid MAC-array configuration from `seed`: small maxima,
/// parallelism that often does not divide them, 2- to 16-bit formats.
func randomMACArrayConfiguration(seed: UInt64) throws -> MACArrayConfiguration {
    var random = SeededGenerator(seed: seed &* 104_729)
    func pick<T>(_ choices: [T]) -> T { choices[random.nextInt(below: choices.count)] }
    let formats = LinearFormats(
        activation: try IntegerFormat(bits: pick([2, 3, 4, 6, 8, 16]), signed: random.nextInt(below: 2) == 0),
        weight: try IntegerFormat(bits: pick([2, 3, 5, 8, 16]), signed: random.nextInt(below: 4) != 0),
        bias: try IntegerFormat(bits: pick([2, 8, 16, 24]), signed: random.nextInt(below: 4) != 0),
        output: try IntegerFormat(bits: pick([2, 4, 8, 16]), signed: random.nextInt(below: 3) != 0))
    let maxima = MACArrayConfiguration.Maxima(d: pick([1, 5, 9, 18, 27]), cout: pick([1, 3, 7, 10]), columns: 6)
    return MACArrayConfiguration(
        maxima: maxima,
        parallelism: .init(inVec: random.nextInt(in: 1...min(maxima.d, 12)), outVec: random.nextInt(in: 1...maxima.cout)),
        formats: formats, multiplierBits: pick([1, 4, 9, 16]), maxShift: pick([0, 3, 12, 20]),
        adderLevelsPerStage: pick([0, 1, 2]), multipliers: pick(MACArrayConfiguration.Multipliers.allCases))
}

/// The baseline is bit-exact against the exact integer product, and its
/// cycles equal its model.
@Suite(.serialized) struct MACArrayTests {
    /// Two layers back to back (the second of a random smaller shape, loading
    /// while the first computes), full-range data, gaps and backpressure on
    /// odd seeds, every engine (Icarus on every fifth seed).
    @Test(arguments: Array(1...20) as [UInt64])
    func randomConfigurationIsBitExact(seed: UInt64) throws {
        let configuration = try randomMACArrayConfiguration(seed: seed)
        let cosim = try MACArrayCoSimulation(configuration)
        var random = RandomLayer(seed: seed)
        let maxima = configuration.maxima
        let shapes = [(maxima.d, maxima.cout), (random.integer(in: 1...maxima.d), random.integer(in: 1...maxima.cout))]
        let layers = try shapes.map { d, cout in
            try MACArrayCoSimulation.Layer(random.linearLayer(d: d, cout: cout, for: configuration),
                                           columns: random.columns(Int(seed % 3) + 1, d: d, format: configuration.formats.activation),
                                           parameters: cosim.parameters)
        }
        let traffic = seed % 2 == 0 ? CoSimulation.Traffic() : CoSimulation.Traffic(inputProbability: 0.6, outputProbability: 0.5)
        let engines = Engine.installed.filter { $0 != .icarus || seed % 5 == 0 }
        let report = try cosim.run(layers, traffic: traffic, seed: seed, engines: engines)
        let json = try configuration.json()
        let bitExact = report.bitExact
        #expect(bitExact, "seed \(seed), configuration \(json): \(report.harness.failure?.description ?? "")")
    }

    /// Weights in block RAM (the lanes register their inputs): bit-exact and
    /// cycle-exact on the compiled engines.
    @Test(arguments: [1, 2] as [UInt64])
    func weightsInBlockRAMAreBitExact(seed: UInt64) throws {
        var configuration = try randomMACArrayConfiguration(seed: seed)
        configuration.maxima = .init(d: 576, cout: 16, columns: 4)
        configuration.parallelism = .init(inVec: 6, outVec: 4)
        let cosim = try MACArrayCoSimulation(configuration)
        #expect(cosim.parameters.weightsInBlockRAM)
        var random = RandomLayer(seed: seed)
        let layers = try [(576, 16), (100, 5)].map { d, cout in
            try MACArrayCoSimulation.Layer(random.linearLayer(d: d, cout: cout, for: configuration),
                                           columns: random.columns(2, d: d, format: configuration.formats.activation), parameters: cosim.parameters)
        }
        let report = try cosim.run(layers, seed: seed, engines: Engine.installed.filter { $0 != .icarus })
        #expect(report.bitExact, "seed \(seed): \(report.harness.failure?.description ?? "")")
        let model = MACArrayCycleModel(cosim.parameters)
        #expect(report.timings.first?.measured == model.cycles(d: 576, cout: 16, columns: 2))
    }

    @Test(arguments: Array(1...10) as [UInt64])
    func cyclesEqualTheModel(seed: UInt64) throws {
        let configuration = try randomMACArrayConfiguration(seed: seed + 50)
        let cosim = try MACArrayCoSimulation(configuration)
        var random = RandomLayer(seed: seed)
        let d = random.integer(in: 1...configuration.maxima.d), cout = random.integer(in: 1...configuration.maxima.cout)
        let layer = try random.linearLayer(d: d, cout: cout, for: configuration)
        let columns = random.columns(4, d: d, format: configuration.formats.activation)
        let report = try cosim.run([MACArrayCoSimulation.Layer(layer, columns: columns, parameters: cosim.parameters)],
                                   seed: seed, engines: [.interpreter])
        let model = MACArrayCycleModel(cosim.parameters), json = try configuration.json()
        let bitExact = report.bitExact
        #expect(bitExact, "seed \(seed): \(report.harness.failure?.description ?? "")")
        #expect(report.timings.map(\.measured) == [model.cycles(d: d, cout: cout, columns: 4)],
                "seed \(seed), D \(d), Cout \(cout), \(json)")
    }

    /// A single-beat column (D <= InVec) and one output beat: a pass per
    /// cycle, which the output credits must sustain.
    @Test func onePassPerCycleRunsAtFullRate() throws {
        let formats = LinearFormats(activation: try .signed(8), weight: try .signed(8), bias: try .signed(16), output: try .signed(8))
        let configuration = MACArrayConfiguration(maxima: .init(d: 8, cout: 4, columns: 64), parallelism: .init(inVec: 8, outVec: 4),
                                                  formats: formats, multiplierBits: 8, maxShift: 12, adderLevelsPerStage: 1)
        let cosim = try MACArrayCoSimulation(configuration)
        var random = RandomLayer(seed: 3)
        let layer = try random.linearLayer(d: 8, cout: 4, for: configuration)
        let report = try cosim.run([MACArrayCoSimulation.Layer(layer, columns: random.columns(64, d: 8, format: formats.activation),
                                                               parameters: cosim.parameters)], seed: 3, engines: [.interpreter])
        let bitExact = report.bitExact
        #expect(bitExact, "\(report.harness.failure?.description ?? "")")
        #expect(report.timings.map(\.measured) == [MACArrayCycleModel(cosim.parameters).cycles(d: 8, cout: 4, columns: 64)])
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CI"] == "true" || ExternalTool.locate("verilator") != nil))
    func baselinesAreLintClean() throws {
        let configurations = try [MACArrayConfiguration.default] + (1...5).map { try randomMACArrayConfiguration(seed: $0) }
        for configuration in configurations {
            let files = try MACArrayGenerator.files(for: configuration)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-lint-\(UUID().uuidString)")
            try files.write(to: folder)
            defer { try? FileManager.default.removeItem(at: folder) }
            let output = try ExternalTool.run("verilator", ["--lint-only", "-Wall", "--top-module", "mac_array_core"] + files.verilogFiles, in: folder)
            let json = try configuration.json()
            #expect(output.isEmpty, "\(json): \(output)")
        }
    }

    @Test func invalidConfigurationsNameTheField() throws {
        var configuration = MACArrayConfiguration.default
        configuration.parallelism.inVec = 0
        #expect(throws: PQAConfigurationError.invalid(field: "parallelism.inVec", value: "0", rule: "must be 1...576")) {
            try configuration.validate()
        }
        configuration = .default
        configuration.formats.activation = try .unsigned(16)
        configuration.formats.weight = try .signed(16)
        configuration.multiplierBits = 32
        configuration.maxima.d = 60_000
        #expect { try configuration.validate() } throws: { "\($0)".contains("'multiplierBits' is 32") }
        configuration = .default
        configuration.formats.output = try IntegerFormat(bits: 24, signed: true)
        #expect { try configuration.validate() } throws: { "\($0)".contains("formats.output.bits") }
    }
}
