import HDL
import HDLSim
import PQ
@testable import PQA
import Testing

/// Bad host input on the default design, one class of the issue per case:
/// each raises its error code on `error`, and a good layer sent next
/// (without reset) computes bit-exactly, its commit clearing the code. The
/// bad values are the issue's own (ls 10 on a maximum of 9, np 17, shift 32,
/// multiplier 65537, cout 65, ...), on Verilator (the interpreter where it is not installed).
@Suite(.serialized) struct CoreErrorTests {
    /// A bad stimulus: the phases a host sends before the good layer.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// The code the good layer's phase raises before its commit clears it.
        var goodRaises: CoreErrorCode? = nil
        let make: @Sendable (Fixture) throws -> [HostPhase]
        var testDescription: String { name }
    }

    /// The design and two layers: `bad`, the source of the bad stimulus, and `good`, sent after it.
    struct Fixture {
        let parameters: PQAParameters
        let bad, good: IntegerPQLayer
        let badColumns, goodColumns: [[Int]]

        /// `bad`'s program for its columns, each beat with its `tlast`.
        var badProgram: [(beat: BitVector, last: Bool)] {
            get throws {
                let beats = try LayerProgram(bad, columns: badColumns.count, parameters: parameters).loadBeats
                return beats.enumerated().map { ($1, $0 == beats.count - 1) }
            }
        }

        /// `bad`'s columns, `tlast` on each column's last beat.
        var badActivations: [(beat: BitVector, last: Bool)] {
            get throws { try badColumns.flatMap { try HostPhase.columnBeats($0, shape: bad.shape, parameters: parameters) } }
        }

        /// `bad`'s program with register `register` set to `value`, and its columns: the layer is refused with `code`.
        func refused(_ register: LayerRegister, _ value: Int, _ code: CoreErrorCode) throws -> [HostPhase] {
            let layout = parameters.loadBeat
            let load = try badProgram.map { beat, last in
                let fields = layout.fields(of: beat)
                guard fields.kind == LoadBeatKind.layerRegister.rawValue, fields.address == register.rawValue else { return (beat, last) }
                return (layout.beat(kind: 0, index: 0, address: register.rawValue, data: BitVector(width: 32, truncating: value)), last)
            }
            return [HostPhase(what: "\(register) = \(value)", load: load, activations: try badActivations, raises: code)]
        }

        /// A good layer phase of `layer`.
        func phase(_ layer: IntegerPQLayer, _ columns: [[Int]], _ what: String) throws -> HostPhase {
            try HostPhase.layer(layer, columns: columns, parameters: parameters, what)
        }
    }

    static let cases: [Case] = [
        // The good layer's first register beat shows it: the unfinished load is dropped.
        Case(name: "load without tlast", goodRaises: .missingLast) { f in
            [HostPhase(what: "load without tlast", load: try f.badProgram.map { ($0.beat, false) })]
        },
        Case(name: "ls 0") { try $0.refused(.ls, 0, .registerOutOfRange(address: LayerRegister.ls.rawValue)) },
        Case(name: "np 0") { try $0.refused(.np, 0, .registerOutOfRange(address: LayerRegister.np.rawValue)) },
        Case(name: "ns above the maximum") { try $0.refused(.ns, 65, .registerOutOfRange(address: LayerRegister.ns.rawValue)) },
        Case(name: "columns 0") { try $0.refused(.columns, 0, .registerOutOfRange(address: LayerRegister.columns.rawValue)) },
        Case(name: "ls 10 on a maximum of 9") { try $0.refused(.ls, 10, .registerOutOfRange(address: LayerRegister.ls.rawValue)) },
        Case(name: "np 17") { try $0.refused(.np, 17, .registerOutOfRange(address: LayerRegister.np.rawValue)) },
        Case(name: "shift 32") { try $0.refused(.shift, 32, .registerOutOfRange(address: LayerRegister.shift.rawValue)) },
        Case(name: "multiplier 65537") { try $0.refused(.multiplier, 65_537, .registerOutOfRange(address: LayerRegister.multiplier.rawValue)) },
        Case(name: "multiplier 0") { try $0.refused(.multiplier, 0, .registerOutOfRange(address: LayerRegister.multiplier.rawValue)) },
        Case(name: "cout 65") { try $0.refused(.cout, 65, .registerOutOfRange(address: LayerRegister.cout.rawValue)) },
        Case(name: "relu 2") { try $0.refused(.relu, 2, .registerOutOfRange(address: LayerRegister.relu.rawValue)) },
        Case(name: "missing register beats") { f in
            let load = try f.badProgram.filter { f.parameters.loadBeat.fields(of: $0.beat).kind != LoadBeatKind.layerRegister.rawValue }
            return [HostPhase(what: "no register beats", load: load, activations: try f.badActivations, raises: .registerMissing(address: 0))]
        },
        Case(name: "one register missing") { f in
            let load = try f.badProgram.filter {
                let fields = f.parameters.loadBeat.fields(of: $0.beat)
                return fields.kind != LoadBeatKind.layerRegister.rawValue || fields.address != LayerRegister.shift.rawValue
            }
            return [HostPhase(what: "no shift beat", load: load, raises: .registerMissing(address: LayerRegister.shift.rawValue))]
        },
        Case(name: "early tlast") { f in
            // tlast halfway through the table beats commits too few of them;
            // the rest of the program then commits with no registers (a
            // failure too, the first one's code stays).
            let program = try f.badProgram, tables = f.parameters.loadBeat
            let firstTable = program.firstIndex { tables.fields(of: $0.beat).kind == LoadBeatKind.table.rawValue } ?? 0
            let cut = (firstTable + program.count) / 2
            return [HostPhase(what: "tlast halfway", load: program[..<cut].map(\.beat).enumerated().map { ($1, $0 == cut - 1) },
                              raises: .beatCount(kind: LoadBeatKind.table.rawValue)),
                    HostPhase(what: "the rest of the program", load: Array(program[cut...]), activations: try f.badActivations,
                              raises: .beatCount(kind: LoadBeatKind.table.rawValue))]
        },
        Case(name: "a beat outside the memories") { f in
            let layout = f.parameters.loadBeat
            let load = try f.badProgram.map { beat, last in
                let fields = layout.fields(of: beat)
                guard fields.kind == LoadBeatKind.table.rawValue else { return (beat, last) }
                return (layout.beat(kind: fields.kind, index: f.parameters.tableGrouping.indexCount, address: fields.address, data: fields.data), last)
            }
            return [HostPhase(what: "table index past the memories", load: load, raises: .badBeat)]
        },
        Case(name: "extra activation column") { f in
            var phase = try f.phase(f.bad, f.badColumns, "a good layer, one column too many")
            phase.activations += try HostPhase.columnBeats(f.badColumns[0], shape: f.bad.shape, parameters: f.parameters)
            phase.raises = .activationWithoutLayer
            return [phase]
        },
        Case(name: "activations before any layer") { f in
            [HostPhase(what: "columns with no layer", activations: try f.badActivations, raises: .activationWithoutLayer)]
        },
        Case(name: "early activation tlast") { f in
            // Column 0 once with tlast on its first beat, then every column right.
            var phase = try f.phase(f.bad, f.badColumns, "a good layer, a column cut short first")
            let column = try HostPhase.columnBeats(f.badColumns[0], shape: f.bad.shape, parameters: f.parameters)
            phase.activations = [(column[0].beat, true)] + phase.activations
            phase.raises = .activationLast
            return [phase]
        },
        Case(name: "late activation tlast") { f in
            // Column 0 once without its tlast, then column 1 (dropped up to its tlast), then every column right.
            var phase = try f.phase(f.bad, f.badColumns, "a good layer, a column without tlast first")
            let first = try HostPhase.columnBeats(f.badColumns[0], shape: f.bad.shape, parameters: f.parameters)
            let second = try HostPhase.columnBeats(f.badColumns[1], shape: f.bad.shape, parameters: f.parameters)
            phase.activations = first.map { ($0.beat, false) } + second + phase.activations
            phase.raises = .activationLast
            return [phase]
        },
    ]

    /// A tree design refuses an Np that is not a power of two and a load
    /// missing a tree beat; a good tree layer follows each.
    @Test func aTreeDesignRefusesBadTrees() throws {
        var configuration = PQAConfiguration.default
        configuration.encoder = .tree
        configuration.maxima = .init(ls: 9, np: 16, ns: 8, cout: 8, columns: 4)
        configuration.parallelism = .init(lsVec: 3, npVec: 16, nsVec: 2, outVec: 4)
        let cosim = try CoSimulation(configuration)
        var random = RandomLayer(seed: 13)
        let bad = try random.layer(try PQShape(ls: 9, np: 16, ns: 8, cout: 8), for: configuration)
        let good = try random.layer(try PQShape(ls: 5, np: 8, ns: 5, cout: 7), for: configuration)
        let activation = configuration.formats.activation
        let fixture = Fixture(parameters: cosim.parameters, bad: bad, good: good, badColumns: random.columns(2, shape: bad.shape, format: activation),
                              goodColumns: random.columns(2, shape: good.shape, format: activation))
        let layout = cosim.parameters.loadBeat
        let program = try fixture.badProgram
        let lastTree = try #require(program.lastIndex { layout.fields(of: $0.beat).kind == LoadBeatKind.prototypes.rawValue })
        var phases = try fixture.refused(.np, 12, .registerOutOfRange(address: LayerRegister.np.rawValue))
        phases.append(try fixture.phase(good, fixture.goodColumns, "a good tree layer"))
        phases[phases.count - 1].clears = true
        phases.append(HostPhase(what: "a tree beat missing", load: program.enumerated().filter { $0.offset != lastTree }.map(\.element),
                                raises: .beatCount(kind: LoadBeatKind.prototypes.rawValue)))
        var after = try fixture.phase(good, fixture.goodColumns, "the good tree layer after")
        after.clears = true
        phases.append(after)
        let report = try DifferentialHarness.run(cosim.netlist, seed: 13, engines: Engine.installed.contains(.verilator) ? [.verilator] : [.interpreter]) {
            try play(phases, in: $0)
        }
        #expect(report.passed, "\(report.failure?.description ?? "")")
    }

    @Test(arguments: cases)
    func badInputRaisesItsCodeAndAGoodLayerFollows(_ stimulus: Case) throws {
        let cosim = try CoSimulation(.default)
        var random = RandomLayer(seed: 12)
        let bad = try random.layer(try PQShape(ls: 9, np: 16, ns: 8, cout: 20), for: .default)
        let good = try random.layer(try PQShape(ls: 7, np: 11, ns: 5, cout: 17), for: .default)
        let fixture = Fixture(parameters: cosim.parameters, bad: bad, good: good,
                              badColumns: random.columns(2, shape: bad.shape, format: PQAConfiguration.default.formats.activation),
                              goodColumns: random.columns(2, shape: good.shape, format: PQAConfiguration.default.formats.activation))
        var after = try fixture.phase(good, fixture.goodColumns, "the good layer after")
        after.raises = stimulus.goodRaises
        after.clears = true
        let phases = try stimulus.make(fixture) + [after]
        // Verilator alone where installed: on the default design it runs these in a third of the interpreter's time
        // (the two engines are compared cycle by cycle on the random configurations and in MACArrayErrorTests).
        let engines: [Engine] = Engine.installed.contains(.verilator) ? [.verilator] : [.interpreter]
        let report = try DifferentialHarness.run(cosim.netlist, seed: 12, engines: engines) { context in
            try play(phases, in: context)
        }
        let passed = report.passed
        #expect(passed, "\(stimulus.name): \(report.failure?.description ?? "")")
    }
}
