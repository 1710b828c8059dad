import HDL
import HDLSim
import PQ

/// Why an accelerator session could not run a layer.
public enum AcceleratorSessionError: Error, CustomStringConvertible, Equatable {
    /// The engine cannot keep a model alive between calls.
    case unsupportedEngine(Engine)
    /// The configuration has fixed tables: there is nothing to load.
    case fixedTables
    /// Columns were fed with no loaded layer waiting for them.
    case nothingLoaded
    /// The columns fed are not the count the layer was loaded for.
    case columnCountMismatch(loaded: Int, fed: Int)
    /// No beat moved for too long.
    case stalled(cycle: Int, patience: Int, received: Int, expected: Int, loadsLeft: Int, inputsLeft: Int)
    /// An output beat's `tlast` disagrees with the column boundaries.
    case misplacedLast(beat: Int, expected: Bool)

    public var description: String {
        switch self {
        case .unsupportedEngine(let engine):
            "engine \(engine.rawValue) replays recorded runs and cannot hold a session; use verilator or interpreter"
        case .fixedTables:
            "a fixed-table design has no load stream; generate a loadable configuration (tableMode loadable) for a session"
        case .nothingLoaded:
            "columns were fed before any layer was loaded; call load(_:columns:) first"
        case .columnCountMismatch(let loaded, let fed):
            "the layer was loaded for \(loaded) columns but \(fed) were fed; load it with the count you feed"
        case .stalled(let cycle, let patience, let received, let expected, let loadsLeft, let inputsLeft):
            "no beat moved for \(patience) cycles (at cycle \(cycle)): \(received) of \(expected) output beats received, "
                + "\(loadsLeft) load and \(inputsLeft) input beats not accepted; the design or its configuration is wrong"
        case .misplacedLast(let beat, let expected):
            "output beat \(beat) has tlast \(expected ? "low" : "high") where a column \(expected ? "ends" : "goes on"); the design is wrong"
        }
    }
}

/// One generated accelerator kept alive in a simulator across layers and
/// images, driven as a host drives the hardware: ``load(_:columns:)`` queues
/// a layer's program (``LayerProgram``), ``run(columns:)`` feeds the columns
/// of the oldest loaded layer (``ColumnBeats``) and returns its outputs
/// decoded. Queued programs keep flowing into the load stream while columns
/// run, so the next layer loads into the second bank while the current one
/// computes. Inputs are offered every cycle and outputs always taken.
public final class AcceleratorSession {
    /// The design's derived parameters.
    public let parameters: PQAParameters
    /// The engine the model runs on.
    public let engine: Engine
    /// Clock cycles since reset.
    public var cycles: Int { simulator.cycle }

    private let simulator: any Simulator
    private var loadBeats: [(beat: BitVector, last: Bool)] = []
    private var loadsSent = 0
    /// Loaded layers not yet run, each with the end of its program in `loadBeats`.
    private var queued: [(shape: PQShape, columns: Int, loadEnd: Int)] = []
    private let patience: Int

    /// Builds (or takes from the cache) the loadable accelerator of
    /// `configuration` on `engine` (Verilator or the interpreter) and resets it.
    public init(_ configuration: PQAConfiguration, engine: Engine = .verilator) throws {
        guard configuration.tableMode == .loadable else { throw AcceleratorSessionError.fixedTables }
        let core = try PQACore(configuration)
        let netlist = try core.elaborate()
        switch engine {
        case .verilator: simulator = try VerilatorSimulator(netlist)
        case .interpreter: simulator = Interpreter(netlist)
        case .icarus: throw AcceleratorSessionError.unsupportedEngine(engine)
        }
        parameters = core.design
        self.engine = engine
        patience = 2_000 + 8 * parameters.periodMax * parameters.groupsMax
        simulator.reset(cycles: 2)
        try simulator.poke("s_axis_load_tvalid", 0)
        try simulator.poke("s_axis_act_tvalid", 0)
        try simulator.poke("m_axis_out_tready", 1)
    }

    /// Queues the program of `layer` for `columns` columns (checked against
    /// the design); its beats enter the load stream during the next runs.
    public func load(_ layer: IntegerPQLayer, columns: Int) throws {
        let program = try LayerProgram(layer, columns: columns, parameters: parameters)
        loadBeats += program.loadBeats.enumerated().map { ($1, $0 == program.loadBeats.count - 1) }
        queued.append((layer.shape, columns, loadBeats.count))
    }

    /// Feeds `columns` (each `Ns * Ls` or `D` activations) to the oldest
    /// loaded layer and returns its `Cout` outputs per column, as the
    /// hardware produced them. The columns enter from the cycle after the
    /// layer's last load beat moved.
    public func run(columns: [[Int]]) throws -> [[Int]] {
        guard let (shape, count, loadEnd) = queued.first else { throw AcceleratorSessionError.nothingLoaded }
        guard columns.count == count else { throw AcceleratorSessionError.columnCountMismatch(loaded: count, fed: columns.count) }
        queued.removeFirst()
        let inputs = try columns.enumerated().map { try ColumnBeats.input($1, index: $0, shape: shape, parameters: parameters) }
        let beatsPerColumn = inputs.first?.count ?? 1, flatInputs = inputs.flatMap { $0 }
        let outputBeatsPerColumn = ceilDivide(shape.cout, parameters.configuration.parallelism.outVec)
        let expected = count * outputBeatsPerColumn
        var received: [BitVector] = [], sent = 0, lastProgress = simulator.cycle
        // Ports are poked only when what they carry changes: most cycles of a
        // long run only step the clock and read the handshakes.
        var shownLoad = -1, shownInput = -1
        while received.count < expected {
            let offerLoad = loadsSent < loadBeats.count, offerInput = sent < flatInputs.count && loadsSent >= loadEnd
            if shownLoad != (offerLoad ? loadsSent : -2) {
                shownLoad = offerLoad ? loadsSent : -2
                try simulator.poke("s_axis_load_tvalid", offerLoad ? 1 : 0)
                if offerLoad {
                    try simulator.poke("s_axis_load_tdata", loadBeats[loadsSent].beat)
                    try simulator.poke("s_axis_load_tlast", loadBeats[loadsSent].last ? 1 : 0)
                }
            }
            if shownInput != (offerInput ? sent : -2) {
                shownInput = offerInput ? sent : -2
                try simulator.poke("s_axis_act_tvalid", offerInput ? 1 : 0)
                if offerInput {
                    try simulator.poke("s_axis_act_tdata", flatInputs[sent])
                    try simulator.poke("s_axis_act_tlast", (sent + 1) % beatsPerColumn == 0 ? 1 : 0)
                }
            }
            if try offerLoad && !simulator.peek("s_axis_load_tready").isZero {
                loadsSent += 1
                lastProgress = simulator.cycle
            }
            if try offerInput && !simulator.peek("s_axis_act_tready").isZero {
                sent += 1
                lastProgress = simulator.cycle
            }
            if try !simulator.peek("m_axis_out_tvalid").isZero {
                let endsColumn = (received.count + 1) % outputBeatsPerColumn == 0
                guard try simulator.peek("m_axis_out_tlast").isZero != endsColumn else {
                    throw AcceleratorSessionError.misplacedLast(beat: received.count, expected: endsColumn)
                }
                received.append(try simulator.peek("m_axis_out_tdata"))
                lastProgress = simulator.cycle
            }
            simulator.step(1)
            if simulator.cycle - lastProgress > patience {
                throw AcceleratorSessionError.stalled(cycle: simulator.cycle, patience: patience, received: received.count, expected: expected,
                                                      loadsLeft: loadBeats.count - loadsSent, inputsLeft: flatInputs.count - sent)
            }
        }
        try simulator.poke("s_axis_load_tvalid", 0)
        try simulator.poke("s_axis_act_tvalid", 0)
        if loadsSent == loadBeats.count {
            loadBeats.removeAll()
            loadsSent = 0
            queued = queued.map { ($0.shape, $0.columns, 0) }
        }
        return (0..<count).map { column in
            ColumnBeats.outputs(Array(received[(column * outputBeatsPerColumn)..<((column + 1) * outputBeatsPerColumn)]),
                                cout: shape.cout, parameters: parameters)
        }
    }
}
