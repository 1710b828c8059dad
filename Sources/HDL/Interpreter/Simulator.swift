/// One interface to every simulation engine (the interpreter here; Verilator
/// and Icarus in HDLSim), so a test body is written once
/// and runs on the interpreter, on Verilator and on Icarus alike.
///
/// Time advances only in `step`: each call is one rising clock edge. Inputs
/// poked before a step are sampled at that edge; outputs peeked before it show
/// the combinational result of the current inputs and state.
public protocol Simulator: AnyObject {
    /// The design being simulated.
    var netlist: Netlist { get }
    /// Clock edges so far.
    var cycle: Int { get }
    /// Drives an input port.
    func poke(_ port: String, _ value: BitVector) throws(SimulationError)
    /// Reads a port (or, where the engine supports it, a named internal signal).
    func peek(_ name: String) throws(SimulationError) -> BitVector
    /// Advances `cycles` rising clock edges.
    func step(_ cycles: Int)
    /// Holds reset high for `cycles` edges, then low.
    func reset(cycles: Int)
    /// Starts writing a VCD waveform to `path`.
    func startTrace(writingTo path: String) throws
    /// Stops tracing and closes the waveform.
    func stopTrace()
}

extension Simulator {
    /// Names of the top-level ports, including `rst` when the design has one.
    public var portNames: [String] { (netlist.usesReset ? ["rst"] : []) + netlist.ports.map(\.name) }

    /// Drives an input port with an integer that must fit its type.
    public func poke(_ port: String, _ value: Int) throws(SimulationError) {
        let type = port == "rst" ? SignalType.bool : netlist.port(named: port)?.type
        guard let type else { throw .unknownSignal(name: port, design: netlist.name, known: portNames) }
        guard let bits = BitVector(width: type.width, exactly: value, signed: type.isSigned) else {
            throw .valueDoesNotFit(port: port, value: String(value), type: type.description)
        }
        try poke(port, bits)
    }

    /// Reads a port as an integer with the port's signedness (unsigned for
    /// internal signals); `Int.min` when it does not fit an `Int`.
    public func peekInt(_ name: String) throws(SimulationError) -> Int {
        let value = try peek(name)
        let signed = netlist.port(named: name)?.type.isSigned ?? false
        return (signed ? value.signedValue : value.unsignedValue.flatMap { Int(exactly: $0) }) ?? Int.min
    }
}
