/// Makes the fields of a `PortGroup`: in a module, its input or output ports;
/// in a parent, the ports of an instance or named wires. The same group
/// initializer runs in every case, so a boundary's ports are declared once.
///
/// Field names join the enclosing groups' names with `_`: field `valid` of
/// group `codes` is the port `codes_valid`.
public struct PortFields {
    enum Role {
        /// Ports of the module being built: its inputs (an input group) or outputs.
        case ports(PortDirection)
        /// The ports of a child instance, seen from the parent.
        case instance(Instance)
        /// Named wires in the module being built.
        case wires
    }

    let builder: ModuleBuilder
    let role: Role
    let prefix: String
    let flipped: Bool

    init(_ builder: ModuleBuilder, _ role: Role, prefix: String = "", flipped: Bool = false) {
        self.builder = builder
        self.role = role
        self.prefix = prefix
        self.flipped = flipped
    }

    private func fullName(_ name: String) -> String { prefix.isEmpty ? name : "\(prefix)_\(name)" }

    /// The field `name` of type `type`.
    public func callAsFunction(_ name: String, _ type: SignalType, fileID: String = #fileID, line: Int = #line) -> Signal {
        let name = fullName(name)
        switch role {
        case .ports(let direction):
            let isInput = (direction == .input) != flipped
            return isInput ? builder.input(name, type, fileID: fileID, line: line) : builder.output(name, type, fileID: fileID, line: line)
        case .instance(let instance):
            let signal = instance.port(name, fileID: fileID, line: line)
            if signal.type != type && !builder.isInvalid(signal) {
                builder.error("port '\(name)' of '\(instance.module.name)' is \(signal.type), but its group declares \(type)",
                              at: SourceLocation(fileID: fileID, line: line))
            }
            return signal
        case .wires:
            return builder.wire(name, type, fileID: fileID, line: line)
        }
    }

    /// A `Bool` field.
    public func bool(_ name: String, fileID: String = #fileID, line: Int = #line) -> Signal {
        self(name, .bool, fileID: fileID, line: line)
    }

    /// Fields `name_0` ... `name_{count-1}`, all of `type`.
    public func array(_ name: String, count: Int, _ type: SignalType, fileID: String = #fileID, line: Int = #line) -> [Signal] {
        (0..<count).map { self("\(name)_\($0)", type, fileID: fileID, line: line) }
    }

    /// A nested group whose fields are prefixed with `name`.
    public func group<Group: PortGroup>(_ name: String, _ make: (PortFields) -> Group) -> Group {
        make(PortFields(builder, role, prefix: fullName(name), flipped: flipped))
    }

    /// Nested groups `name_0` ... `name_{count-1}`.
    public func groups<Group: PortGroup>(_ name: String, count: Int, _ make: (PortFields) -> Group) -> [Group] {
        (0..<count).map { index in group("\(name)_\(index)", make) }
    }

    /// Fields that run against the group's direction (a stream's `ready`).
    public func flipped<Group: PortGroup>(_ make: (PortFields) -> Group) -> Group {
        make(PortFields(builder, role, prefix: prefix, flipped: !flipped))
    }

    /// A stream named `name` whose payload is a group: `name_valid`,
    /// `name_ready` (flipped), the payload's fields under `name_`, and
    /// `name_last` when `hasLast`.
    public func stream<Payload: PortGroup>(_ name: String, hasLast: Bool = true, naming: StreamNaming = .plain,
                                           fileID: String = #fileID, line: Int = #line,
                                           payload: (PortFields) -> Payload) -> Stream<Payload> {
        let fields = PortFields(builder, role, prefix: fullName(name), flipped: flipped)
        let control = PortFields(builder, role, prefix: prefix, flipped: flipped)
        func field(_ field: String) -> Signal { control.bool(naming.portName(name, field), fileID: fileID, line: line) }
        return Stream(valid: field("valid"), ready: control.flipped { $0.bool(naming.portName(name, "ready"), fileID: fileID, line: line) },
                      data: payload(fields), last: hasLast ? field("last") : nil)
    }

    /// A stream named `name` carrying `type` in `name_data` (`name_tdata` with AXI naming).
    public func stream(_ name: String, _ type: SignalType, hasLast: Bool = true, naming: StreamNaming = .plain,
                       fileID: String = #fileID, line: Int = #line) -> Stream<Signal> {
        let data = PortFields(builder, role, prefix: prefix, flipped: flipped)
        return stream(name, hasLast: hasLast, naming: naming, fileID: fileID, line: line) { _ in
            data(naming.portName(name, "data"), type, fileID: fileID, line: line)
        }
    }
}

extension ModuleBuilder {
    /// The group `make` declares, as input ports of this module (its flipped
    /// fields as outputs).
    public func inputs<Group: PortGroup>(prefix: String = "", _ make: (PortFields) -> Group) -> Group {
        make(PortFields(self, .ports(.input), prefix: prefix))
    }

    /// The group `make` declares, as output ports of this module (its flipped
    /// fields as inputs).
    public func outputs<Group: PortGroup>(prefix: String = "", _ make: (PortFields) -> Group) -> Group {
        make(PortFields(self, .ports(.output), prefix: prefix))
    }

    /// The group `make` declares, as named wires of this module (for nets that
    /// are read before they are driven, such as feedback from later stages).
    public func wires<Group: PortGroup>(prefix: String = "", _ make: (PortFields) -> Group) -> Group {
        make(PortFields(self, .wires, prefix: prefix))
    }
}
