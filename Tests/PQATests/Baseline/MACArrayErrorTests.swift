import HDL
import HDLSim
import PQ
@testable import PQA
import Testing

/// The baseline shares the PQA core's load port and column intake: the same
/// checks raise the same codes (its registers by their own addresses,
/// weights as kind 1), and a good layer follows bit-exactly without reset.
@Suite(.serialized) struct MACArrayErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        var goodRaises: CoreErrorCode? = nil
        let make: @Sendable (Fixture) throws -> [HostPhase]
        var testDescription: String { name }
    }

    struct Fixture {
        let parameters: MACArrayParameters
        let layer: IntegerLinearLayer
        let columns: [[Int]]

        var program: [(beat: BitVector, last: Bool)] {
            get throws {
                let beats = try MACArrayProgram(layer, columns: columns.count, parameters: parameters).loadBeats
                return beats.enumerated().map { ($1, $0 == beats.count - 1) }
            }
        }

        var activations: [(beat: BitVector, last: Bool)] {
            get throws {
                try columns.flatMap { column in
                    let beats = try MACArrayProgram.inputBeats(column, parameters: parameters)
                    return beats.enumerated().map { ($1, $0 == beats.count - 1) }
                }
            }
        }

        /// The layer as a good phase: program, columns and the exact outputs.
        func phase(_ what: String) throws -> HostPhase {
            let expected = try columns.flatMap { column in
                let beats = try MACArrayProgram.outputBeats(layer.outputs(column: column), parameters: parameters)
                return beats.enumerated().map { ($1, $0 == beats.count - 1) }
            }
            return HostPhase(what: what, load: try program, activations: try activations, expected: expected)
        }

        /// The load with its weight beats (in order) changed by `change`,
        /// given them and the beats of one channel's row; its commit fails on the weights' beat count.
        func weightsChanged(_ what: String, _ change: ([BitVector], Int) -> [BitVector]) throws -> HostPhase {
            let weightsKind = MACArrayLoadBeatKind.weights.rawValue
            let beats = try program.map(\.beat)
            let isWeight = { (beat: BitVector) in parameters.loadBeat.fields(of: beat).kind == weightsKind }
            guard let first = beats.firstIndex(where: isWeight), let last = beats.lastIndex(where: isWeight) else {
                preconditionFailure("a load without weight beats")
            }
            let rowLength = ceilDivide(layer.d, parameters.configuration.parallelism.inVec)
            let changed = Array(beats[..<first]) + change(Array(beats[first...last]), rowLength) + Array(beats[(last + 1)...])
            return HostPhase(what: what, load: changed.enumerated().map { ($1, $0 == changed.count - 1) },
                             raises: .beatCount(kind: weightsKind))
        }

        func refused(_ register: MACRegister, _ value: Int) throws -> [HostPhase] {
            let layout = parameters.loadBeat
            let load = try program.map { beat, last in
                let fields = layout.fields(of: beat)
                guard fields.kind == 0, fields.address == register.rawValue else { return (beat, last) }
                return (layout.beat(kind: 0, index: 0, address: register.rawValue, data: BitVector(width: 32, truncating: value)), last)
            }
            return [HostPhase(what: "\(register) = \(value)", load: load, activations: try activations,
                              raises: .registerOutOfRange(address: register.rawValue))]
        }
    }

    static let cases: [Case] = [
        Case(name: "d 0") { try $0.refused(.d, 0) },
        Case(name: "cout above the maximum") { try $0.refused(.cout, 8) },
        Case(name: "load without tlast", goodRaises: .missingLast) { f in
            [HostPhase(what: "load without tlast", load: try f.program.map { ($0.beat, false) })]
        },
        Case(name: "early tlast") { f in
            let program = try f.program, cut = program.count / 2
            return [HostPhase(what: "tlast halfway through the weights", load: program[..<cut].map(\.beat).enumerated().map { ($1, $0 == cut - 1) },
                              raises: .beatCount(kind: MACArrayLoadBeatKind.weights.rawValue))]
        },
        // The weights are counted as rows of ceil(D / InVec) beats: a whole row
        // short, and one beat past whole rows, both fail.
        Case(name: "a row of weights missing") { f in
            try [f.weightsChanged("the last channel's weight beats left out") { weights, rowLength in weights.dropLast(rowLength) }]
        },
        Case(name: "a weight beat too many") { f in
            try [f.weightsChanged("the first weight beat twice") { weights, _ in [weights[0]] + weights }]
        },
        Case(name: "unknown beat kind") { f in
            let layout = f.parameters.loadBeat
            let load = try f.program.map { beat, last in
                let fields = layout.fields(of: beat)
                guard fields.kind == MACArrayLoadBeatKind.bias.rawValue else { return (beat, last) }
                return (layout.beat(kind: 3, index: 0, address: fields.address, data: fields.data), last)
            }
            return [HostPhase(what: "kind 3", load: load, raises: .badBeat)]
        },
        Case(name: "extra activation column") { f in
            var phase = try f.phase("one column too many")
            let extra = try MACArrayProgram.inputBeats(f.columns[0], parameters: f.parameters)
            phase.activations += extra.enumerated().map { ($1, $0 == extra.count - 1) }
            phase.raises = .activationWithoutLayer
            return [phase]
        },
        Case(name: "early activation tlast") { f in
            var phase = try f.phase("a column cut short first")
            phase.activations = [(try f.activations[0].beat, true)] + phase.activations
            phase.raises = .activationLast
            return [phase]
        },
    ]

    @Test(arguments: cases)
    func badInputRaisesItsCodeAndAGoodLayerFollows(_ stimulus: Case) throws {
        let formats = LinearFormats(activation: try .unsigned(4), weight: try .signed(5), bias: try .signed(9), output: try .signed(6))
        let configuration = MACArrayConfiguration(maxima: .init(d: 11, cout: 7, columns: 4), parallelism: .init(inVec: 4, outVec: 3),
                                                  formats: formats, multiplierBits: 5, maxShift: 6, adderLevelsPerStage: 1, multipliers: .luts)
        let cosim = try MACArrayCoSimulation(configuration)
        var random = RandomLayer(seed: 21)
        let bad = Fixture(parameters: cosim.parameters, layer: try random.linearLayer(d: 11, cout: 7, for: configuration),
                          columns: random.columns(2, d: 11, format: formats.activation))
        let good = Fixture(parameters: cosim.parameters, layer: try random.linearLayer(d: 6, cout: 5, for: configuration),
                           columns: random.columns(2, d: 6, format: formats.activation))
        var after = try good.phase("the good layer after")
        after.raises = stimulus.goodRaises
        after.clears = true
        let phases = try stimulus.make(bad) + [after]
        let report = try DifferentialHarness.run(cosim.netlist, seed: 21, engines: Engine.installed.filter { $0 != .icarus }) { context in
            try play(phases, in: context)
        }
        let passed = report.passed
        #expect(passed, "\(stimulus.name): \(report.failure?.description ?? "")")
    }
}
