import HDL

/// What happened in a simulation, cycle by cycle: the inputs applied at each
/// clock edge and the outputs seen just before it. Recorded on one engine,
/// replayed on another and compared.
public struct RecordedRun: Sendable {
    /// Input names in a fixed order (`rst` first when present).
    public let inputNames: [String]
    /// Output names in declaration order.
    public let outputNames: [String]
    /// Per cycle, the value of each input (same order as `inputNames`).
    public private(set) var inputs: [[BitVector]] = []
    /// Per cycle, the value of each output before the edge.
    public internal(set) var outputs: [[BitVector]] = []

    /// An empty recording for `netlist`'s ports.
    public init(for netlist: Netlist) {
        inputNames = (netlist.usesReset ? ["rst"] : []) + netlist.inputs.map(\.name)
        outputNames = netlist.outputs.map(\.name)
    }

    mutating func append(inputs: [BitVector], outputs: [BitVector]) {
        self.inputs.append(inputs)
        self.outputs.append(outputs)
    }

    /// Number of recorded cycles.
    public var cycles: Int { inputs.count }

    /// The first cycle whose outputs are compared: the one after the first
    /// reset edge (before it, a four-state simulator rightly shows unknown
    /// register values), or 0 for a design without reset.
    public var firstCheckedCycle: Int {
        guard inputNames.first == "rst" else { return 0 }
        return (inputs.firstIndex { !$0[0].isZero } ?? -1) + 1
    }
}

/// Wraps a simulator and records every cycle it runs: the inputs in force at
/// each edge and the outputs just before it.
public final class RecordingSimulator: Simulator {
    /// The engine doing the work.
    public let engine: any Simulator
    /// The recording so far.
    public private(set) var run: RecordedRun
    private var current: [String: BitVector]

    /// Records what `engine` does from now on; inputs start at zero.
    public init(_ engine: any Simulator) throws(SimulationError) {
        self.engine = engine
        run = RecordedRun(for: engine.netlist)
        current = [:]
        for name in run.inputNames {
            let width = name == "rst" ? 1 : engine.netlist.port(named: name)?.type.width ?? 1
            current[name] = .zero(width: width)
            try engine.poke(name, .zero(width: width))
        }
    }

    public var netlist: Netlist { engine.netlist }
    public var cycle: Int { engine.cycle }

    public func poke(_ port: String, _ value: BitVector) throws(SimulationError) {
        try engine.poke(port, value)
        current[port] = value
    }

    public func peek(_ name: String) throws(SimulationError) -> BitVector { try engine.peek(name) }

    public func step(_ cycles: Int) {
        for _ in 0..<cycles {
            let inputs = run.inputNames.map { current[$0] ?? .zero(width: 1) }
            let outputs = run.outputNames.map { (try? engine.peek($0)) ?? .zero(width: 1) }
            run.append(inputs: inputs, outputs: outputs)
            engine.step(1)
        }
    }

    public func reset(cycles: Int) {
        if netlist.usesReset { try? poke("rst", 1) }
        step(cycles)
        if netlist.usesReset { try? poke("rst", 0) }
    }

    public func startTrace(writingTo path: String) throws { try engine.startTrace(writingTo: path) }
    public func stopTrace() { engine.stopTrace() }
}
