/// Collects the hardware one module declares: ports, nets, registers,
/// memories, instances and the conditional assignments between them.
///
/// A `ModuleBuilder` is handed to `HardwareModule.build(_:)`. Mistakes (a width
/// mismatch, a keyword used as a name, an assignment to an input) do not stop
/// the build: each is recorded with its source location, and elaboration
/// reports them all at once.
public final class ModuleBuilder {
    /// The emitted name of the module being built.
    public let name: String
    let context: ElaborationContext
    var nodes: [Node] = []
    var ports: [Port] = []
    var registers: [RegisterSpec] = []
    var memories: [MemorySpec] = []
    var instances: [InstanceSpec] = []
    var diagnostics: [Diagnostic] = []
    /// Default values that no one reads (a memory's write address while it
    /// is not written): a conditional assignment replaces them outright.
    var dontCareValues: Set<NodeID> = []
    let root = Block()
    var blockStack: [Block]
    private var names: [String: SourceLocation] = [:]

    init(name: String, context: ElaborationContext) {
        self.name = name
        self.context = context
        self.blockStack = [root]
    }

    // MARK: Diagnostics

    func error(_ message: String, at location: SourceLocation?) {
        diagnostics.append(Diagnostic(severity: .error, module: name, message: message, location: location))
    }

    func warning(_ message: String, at location: SourceLocation?) {
        diagnostics.append(Diagnostic(severity: .warning, module: name, message: message, location: location))
    }

    // MARK: Nodes

    /// Adds a node built at `location`; an `inferred` location (an
    /// operator's, which cannot see its call site) is taken from the node's
    /// consumers at elaboration (see `LocationInference`).
    func addNode(_ kind: NodeKind, _ type: SignalType, name: String? = nil, at location: SourceLocation, inferred: Bool = false) -> Signal {
        nodes.append(Node(kind: kind, type: type, name: name, location: location, locationIsInferred: inferred))
        return Signal(id: NodeID(nodes.count - 1), type: type, builder: self)
    }

    func location(of signal: Signal) -> SourceLocation { nodes[signal.id.index].location }

    /// Whether `signal` stands in for hardware that already failed to build;
    /// checks on it are skipped so one mistake gives one error.
    func isInvalid(_ signal: Signal) -> Bool {
        if case .invalid = nodes[signal.id.index].kind { return true }
        return false
    }

    /// A short human description of a signal for error messages: its name or the
    /// operation that made it, its type and where it was built.
    func describe(_ signal: Signal) -> String {
        let node = nodes[signal.id.index]
        let what: String
        if let name = node.name {
            what = "'\(name)'"
        } else {
            switch node.kind {
            case .constant(let value): what = "constant \(value)"
            case .binary(let op, _, _): what = "result of '\(op.rawValue)'"
            case .unary(let op, _): what = "result of unary '\(op.rawValue)'"
            default: what = "expression"
            }
        }
        return "\(what) of type \(node.type) built at \(node.location)"
    }

    /// Claims `name` for a port, net, register, memory or instance.
    func claim(_ name: String, at location: SourceLocation) -> Bool {
        if !ModuleNaming.isIdentifier(name) {
            error("'\(name)' is not a legal Verilog identifier; use letters, digits and '_', starting with a letter", at: location)
            return false
        }
        if VerilogKeywords.contains(name) {
            error("'\(name)' is a Verilog or SystemVerilog keyword; choose another name (e.g. '\(name)_q')", at: location)
            return false
        }
        if name == "clk" || name == "rst" {
            error("'\(name)' is reserved for the implicit clock and reset ports", at: location)
            return false
        }
        if name.hasPrefix("_") {
            error("'\(name)' starts with '_', which is reserved for generated names", at: location)
            return false
        }
        if let previous = names[name] {
            error("'\(name)' is already declared at \(previous)", at: location)
            return false
        }
        names[name] = location
        return true
    }

    func checkWidth(_ width: Int, what: String, at location: SourceLocation) -> Bool {
        guard width >= 1 else {
            error("\(what) has width \(width); widths must be at least 1", at: location)
            return false
        }
        return true
    }

    // MARK: Ports and nets

    /// Declares an input port.
    public func input(_ name: String, _ type: SignalType, fileID: String = #fileID, line: Int = #line) -> Signal {
        port(name, type, .input, kind: .input, at: SourceLocation(fileID: fileID, line: line))
    }

    /// Declares an output port; drive it with `<==`.
    public func output(_ name: String, _ type: SignalType, fileID: String = #fileID, line: Int = #line) -> Signal {
        port(name, type, .output, kind: .output(driver: nil), at: SourceLocation(fileID: fileID, line: line))
    }

    private func port(_ name: String, _ type: SignalType, _ direction: PortDirection, kind: NodeKind, at location: SourceLocation) -> Signal {
        _ = claim(name, at: location)
        _ = checkWidth(type.width, what: "port '\(name)'", at: location)
        let signal = addNode(kind, type, name: name, at: location)
        ports.append(Port(name: name, direction: direction, type: type, node: signal.id))
        return signal
    }

    /// Declares a named combinational net. Without a `default`, it must be
    /// assigned on every path through the `when` blocks that assign it.
    public func wire(_ name: String, _ type: SignalType, default value: Signal? = nil,
                     fileID: String = #fileID, line: Int = #line) -> Signal {
        let location = SourceLocation(fileID: fileID, line: line)
        _ = claim(name, at: location)
        _ = checkWidth(type.width, what: "wire '\(name)'", at: location)
        let signal = addNode(.wire(driver: nil), type, name: name, at: location)
        if let value { connect(signal, value, at: location) }
        return signal
    }

    /// Declares a named combinational net whose default is the constant `value`.
    public func wire(_ name: String, _ type: SignalType, default value: Int,
                     fileID: String = #fileID, line: Int = #line) -> Signal {
        let location = SourceLocation(fileID: fileID, line: line)
        let signal = wire(name, type, fileID: fileID, line: line)
        connect(signal, constant(value, type, fileID: fileID, line: line), at: location)
        return signal
    }

    /// Declares a named `Bool` net whose default is `value`.
    public func wire(_ name: String, _ type: SignalType, default value: Bool,
                     fileID: String = #fileID, line: Int = #line) -> Signal {
        let location = SourceLocation(fileID: fileID, line: line)
        let signal = wire(name, type, fileID: fileID, line: line)
        connect(signal, constant(value, fileID: fileID, line: line), at: location)
        return signal
    }

    /// A constant of the given type; an error when `value` does not fit.
    public func constant(_ value: Int, _ type: SignalType, fileID: String = #fileID, line: Int = #line) -> Signal {
        let location = SourceLocation(fileID: fileID, line: line)
        guard checkWidth(type.width, what: "constant \(value)", at: location) else {
            return addNode(.invalid, .unsigned(1), at: location)
        }
        guard let bits = BitVector(width: type.width, exactly: value, signed: type.isSigned) else {
            let range = type.valueRange.map { " (\($0.lowerBound)...\($0.upperBound))" } ?? ""
            error("constant \(value) does not fit in \(type)\(range); widen the type or change the value", at: location)
            return addNode(.invalid, type, at: location)
        }
        return addNode(.constant(bits), type, at: location)
    }

    /// A constant from raw bits; its width is the vector's.
    public func constant(_ bits: BitVector, signed: Bool = false, fileID: String = #fileID, line: Int = #line) -> Signal {
        let type: SignalType = signed ? .signed(bits.width) : .unsigned(bits.width)
        return addNode(.constant(bits), type, at: SourceLocation(fileID: fileID, line: line))
    }

    /// The constant `true` or `false`.
    public func constant(_ value: Bool, fileID: String = #fileID, line: Int = #line) -> Signal {
        addNode(.constant(BitVector(width: 1, truncating: value ? 1 as UInt64 : 0)), .bool,
                at: SourceLocation(fileID: fileID, line: line))
    }

    // MARK: Assignment

    func connect(_ target: Signal, _ value: Signal, at location: SourceLocation) {
        guard target.builder === self, value.builder === self else {
            error("cannot connect signals of different modules; connect through instance ports", at: location)
            return
        }
        switch nodes[target.id.index].kind {
        case .wire, .output, .register, .instanceInput: break
        case .input:
            error("\(describe(target)) is an input port, already driven from outside the module", at: location)
            return
        default:
            error("\(describe(target)) is already driven by its own logic; only wires, outputs, registers and instance inputs can be assigned", at: location)
            return
        }
        guard target.type == value.type || isInvalid(value) || isInvalid(target) else {
            error("cannot assign \(describe(value)) to \(describe(target)); convert with extended(to:), truncated(to:), asSigned, asUnsigned or asBool", at: location)
            return
        }
        blockStack[blockStack.count - 1].statements.append(.connect(target: target.id, value: value.id, location: location))
    }
}

/// A list of statements: the body of a module or of one branch of a `when`.
final class Block {
    var statements: [Statement] = []
}

/// A chain of `when` / `elseWhen` branches with an optional `otherwise`.
final class ConditionalChain {
    var branches: [(condition: NodeID, body: Block)] = []
    var otherwise: Block?
    let location: SourceLocation
    init(location: SourceLocation) { self.location = location }
}

/// One statement of a block, in program order (later connects win).
enum Statement {
    case connect(target: NodeID, value: NodeID, location: SourceLocation)
    case conditional(ConditionalChain)
}

infix operator <== : AssignmentPrecedence

extension Signal {
    /// Drives `target` with `value` under the enclosing `when` conditions. The
    /// last assignment on a path wins. Types must match exactly.
    public static func <== (target: Signal, value: Signal) {
        target.builder.connect(target, value, at: target.builder.location(of: value))
    }

    /// Drives `target` with a constant of its own type.
    public static func <== (target: Signal, value: Int) {
        let location = target.builder.location(of: target)
        let constant = target.builder.constant(value, target.type, fileID: location.fileID, line: location.line)
        target.builder.connect(target, constant, at: location)
    }

    /// Drives a `Bool` target with a constant.
    public static func <== (target: Signal, value: Bool) {
        let location = target.builder.location(of: target)
        target.builder.connect(target, target.builder.constant(value, fileID: location.fileID, line: location.line), at: location)
    }
}
