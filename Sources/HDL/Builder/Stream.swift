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

/// A valid/ready stream carrying a payload (`Signal` for plain bits, or any
/// port group), with an optional `last` marking the final beat of a packet.
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
public struct Stream<Payload: PortGroup>: PortGroup {
    /// The producer has a beat.
    public let valid: Signal
    /// The consumer takes a beat.
    public let ready: Signal
    /// The payload.
    public let data: Payload
    /// The final beat of a packet, when the stream has one.
    public let last: Signal?

    /// A stream from its signals.
    public init(valid: Signal, ready: Signal, data: Payload, last: Signal?) {
        self.valid = valid
        self.ready = ready
        self.data = data
        self.last = last
    }

    /// A beat moves in this cycle (`valid & ready`).
    public var fire: Signal { valid & ready }

    /// `valid`, the payload and `last` run forward; `ready` runs back.
    public var portSignals: [PortSignal] {
        [PortSignal(valid)] + data.portSignals + (last.map { [PortSignal($0)] } ?? []) + [PortSignal(ready, flipped: true)]
    }

    /// Makes `self` (a sink, e.g. an output port or an instance input) carry
    /// `source`: valid, data and last flow forward, ready flows back. A
    /// source without `last` leaves the sink's `last` to be driven apart.
    public func connect(from source: Stream<Payload>) {
        valid <== source.valid
        data <== source.data
        source.ready <== ready
        if let last, let sourceLast = source.last { last <== sourceLast }
    }
}

extension ModuleBuilder {
    /// A stream of `payload` bits entering the module: `valid`, `data` (and
    /// `last`) are inputs, `ready` is an output.
    public func streamInput(_ prefix: String, _ payload: SignalType, hasLast: Bool = true, naming: StreamNaming = .plain,
                            fileID: String = #fileID, line: Int = #line) -> Stream<Signal> {
        inputs { $0.stream(prefix, payload, hasLast: hasLast, naming: naming, fileID: fileID, line: line) }
    }

    /// A stream of `payload` bits leaving the module: `valid`, `data` (and
    /// `last`) are outputs, `ready` is an input.
    public func streamOutput(_ prefix: String, _ payload: SignalType, hasLast: Bool = true, naming: StreamNaming = .plain,
                             fileID: String = #fileID, line: Int = #line) -> Stream<Signal> {
        outputs { $0.stream(prefix, payload, hasLast: hasLast, naming: naming, fileID: fileID, line: line) }
    }
}

extension Instance {
    /// The child's bit stream whose ports start with `prefix`.
    public func stream(_ prefix: String, naming: StreamNaming = .plain) -> Stream<Signal> {
        let lastName = naming.portName(prefix, "last")
        return Stream(
            valid: port(naming.portName(prefix, "valid")),
            ready: port(naming.portName(prefix, "ready")),
            data: port(naming.portName(prefix, "data")),
            last: module.port(named: lastName) != nil ? port(lastName) : nil)
    }
}
