/// How the ports of a stream are named.
public enum StreamNaming: Sendable {
    /// `in_valid`, `in_ready`, `in_data`, `in_last`.
    case plain
    /// AXI4-Stream: `s_axis_tvalid`, `s_axis_tready`, `s_axis_tdata`, `s_axis_tlast`.
    case axi

    func portName(_ prefix: String, _ field: String) -> String {
        switch self {
        case .plain: "\(prefix)_\(field)"
        case .axi: "\(prefix)_t\(field)"
        }
    }
}

/// A valid/ready stream carrying `data`, with an optional `last` marking the
/// final beat of a packet.
///
/// The handshake rule: a beat moves on a rising clock edge where `valid` and
/// `ready` are both high. A producer raises `valid` without waiting for
/// `ready`, and once it has raised `valid` it holds `valid`, `data` and `last`
/// steady until the beat moves.
///
/// ```
///  clk    _/‾\_/‾\_/‾\_/‾\_
///  valid  __/‾‾‾‾‾‾‾‾‾\____
///  ready  ______/‾‾‾‾‾\____
///  data   --< A     >------
///                  ^ beat A moves here
/// ```
public struct Stream {
    /// The producer has a beat.
    public let valid: Signal
    /// The consumer takes a beat.
    public let ready: Signal
    /// The payload.
    public let data: Signal
    /// The final beat of a packet, when the stream has one.
    public let last: Signal?

    /// A beat moves in this cycle (`valid & ready`).
    public var fire: Signal { valid & ready }

    /// Makes `self` (a sink, e.g. an output port or an instance input) carry
    /// `source`: valid, data and last flow forward, ready flows back.
    public func connect(from source: Stream) {
        valid <== source.valid
        data <== source.data
        source.ready <== ready
        if let last, let sourceLast = source.last { last <== sourceLast }
    }
}

extension ModuleBuilder {
    /// A stream entering the module: `valid`, `data` (and `last`) are inputs,
    /// `ready` is an output.
    public func streamInput(_ prefix: String, _ payload: SignalType, hasLast: Bool = true, naming: StreamNaming = .plain,
                            fileID: String = #fileID, line: Int = #line) -> Stream {
        Stream(
            valid: input(naming.portName(prefix, "valid"), .bool, fileID: fileID, line: line),
            ready: output(naming.portName(prefix, "ready"), .bool, fileID: fileID, line: line),
            data: input(naming.portName(prefix, "data"), payload, fileID: fileID, line: line),
            last: hasLast ? input(naming.portName(prefix, "last"), .bool, fileID: fileID, line: line) : nil)
    }

    /// A stream leaving the module: `valid`, `data` (and `last`) are outputs,
    /// `ready` is an input.
    public func streamOutput(_ prefix: String, _ payload: SignalType, hasLast: Bool = true, naming: StreamNaming = .plain,
                             fileID: String = #fileID, line: Int = #line) -> Stream {
        Stream(
            valid: output(naming.portName(prefix, "valid"), .bool, fileID: fileID, line: line),
            ready: input(naming.portName(prefix, "ready"), .bool, fileID: fileID, line: line),
            data: output(naming.portName(prefix, "data"), payload, fileID: fileID, line: line),
            last: hasLast ? output(naming.portName(prefix, "last"), .bool, fileID: fileID, line: line) : nil)
    }
}

extension Instance {
    /// The child's stream whose ports start with `prefix`.
    public func stream(_ prefix: String, naming: StreamNaming = .plain) -> Stream {
        let lastName = naming.portName(prefix, "last")
        return Stream(
            valid: port(naming.portName(prefix, "valid")),
            ready: port(naming.portName(prefix, "ready")),
            data: port(naming.portName(prefix, "data")),
            last: module.port(named: lastName) != nil ? port(lastName) : nil)
    }
}
