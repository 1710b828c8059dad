/// How each live node of a netlist is referred to in the emitted Verilog:
/// named nodes keep their names, constants become sized literals,
/// reinterpretations (asSigned, asUnsigned, asBool) read their operand, a
/// short expression read once is written inline where it is read, the muxes
/// of a register's conditional update become its `if` statements, and every
/// other node becomes a wire `_tN`, numbered in netlist order.
struct EmissionNames {
    /// Inline expressions longer than this get a wire of their own.
    static let longestInlineExpression = 72

    let netlist: Netlist
    let live: Set<NodeID>
    private(set) var names: [NodeID: String] = [:]
    /// Expressions written where they are read instead of as a wire.
    private(set) var inline: [NodeID: String] = [:]
    /// Muxes written as a register's `if` statements (see `RegisterUpdate`).
    private(set) var absorbed: Set<NodeID> = []
    /// Instance inputs nothing else reads: the port map reads their drivers directly.
    private(set) var portMapped: Set<NodeID> = []
    /// Memories written as block RAM primitives (see `BlockRAMPrimitives`),
    /// and the nodes (read words and their output registers) declared in their blocks.
    private(set) var primitiveMemories: Set<Int> = []
    private(set) var primitiveNodes: Set<NodeID> = []
    /// Per primitive memory, the prefix of its primitives' nets and instances
    /// (the memory's name unless one of them is taken).
    private(set) var primitivePrefixes: [Int: String] = [:]

    init(_ netlist: Netlist, live: Set<NodeID>) {
        self.netlist = netlist
        self.live = live
        let uses = Self.uses(netlist, live: live)
        primitiveMemories = BlockRAMPrimitives.mapped(netlist, live: live) { uses[$0]?.count ?? 0 }
        for memory in primitiveMemories {
            for port in netlist.memories[memory].readPorts {
                primitiveNodes.insert(port.data)
                if let register = port.outputRegister { primitiveNodes.insert(register) }
            }
        }
        for instance in netlist.instances {
            for node in instance.portNodes.values where uses[node] == nil {
                if case .instanceInput(_, _, _?) = netlist.nodes[node.index].kind { portMapped.insert(node) }
            }
        }
        absorbed = RegisterUpdate.absorbedMuxes(netlist, live: live, uses: uses)
        // Which expressions go inline is decided first, with operands not yet
        // named (`ref` then stands in a placeholder of a temporary's length);
        // their text is written once every declared node has its name.
        for index in netlist.nodes.indices {
            let id = NodeID(index)
            guard live.contains(id), uses[id]?.count == 1, let consumer = uses[id]?.first, isInlinable(id, into: consumer) else { continue }
            let text = expression(for: id)
            if text.count <= Self.longestInlineExpression { inline[id] = text }
        }
        var taken = Set(netlist.nodes.compactMap(\.name))
        taken.formUnion(netlist.memories.map(\.name))
        taken.formUnion(netlist.instances.map(\.name))
        for memory in primitiveMemories.sorted() {
            let spec = netlist.memories[memory]
            var prefix = spec.name, suffix = 2
            while BlockRAMPrimitives.names(prefix: prefix).contains(where: taken.contains) {
                prefix = "\(spec.name)_\(suffix)"
                suffix += 1
            }
            primitivePrefixes[memory] = prefix
            taken.formUnion(BlockRAMPrimitives.names(prefix: prefix))
        }
        var counter = 0
        for index in netlist.nodes.indices {
            let id = NodeID(index)
            if let name = netlist.nodes[index].name {
                names[id] = name
            } else if isDeclared(id) {
                var candidate = "_t\(counter)"
                while taken.contains(candidate) {
                    counter += 1
                    candidate = "_t\(counter)"
                }
                counter += 1
                names[id] = candidate
            }
        }
        for id in inline.keys.sorted() { inline[id] = expression(for: id) }
    }

    /// Whether the node is an expression of its own (a wire or register
    /// when it is not written inline or absorbed).
    func needsWire(_ id: NodeID) -> Bool {
        let node = netlist.nodes[id.index]
        if node.name != nil { return true }
        switch node.kind {
        case .constant: return false
        case .extend(let operand, _): return netlist.nodes[operand.index].type.width != node.type.width
        default: return true
        }
    }

    /// Whether the node is declared as a `wire` or `reg` of its own.
    func isDeclared(_ id: NodeID) -> Bool {
        live.contains(id) && needsWire(id) && inline[id] == nil && !absorbed.contains(id) && !portMapped.contains(id)
            && !primitiveNodes.contains(id)
    }

    /// What an instance's port map connects to port node `id`.
    func connection(_ id: NodeID) -> String {
        guard portMapped.contains(id), case .instanceInput(_, _, let driver?) = netlist.nodes[id.index].kind else { return ref(id) }
        return value(driver)
    }

    /// The node whose declaration holds `id`'s bits (skipping reinterpretations).
    func resolved(_ id: NodeID) -> NodeID {
        var current = id
        while netlist.nodes[current.index].name == nil,
              case .extend(let operand, _) = netlist.nodes[current.index].kind,
              netlist.nodes[operand.index].type.width == netlist.nodes[current.index].type.width {
            current = operand
        }
        return current
    }

    /// The constant a node holds, when it is (or reinterprets) a constant.
    func constantValue(_ id: NodeID) -> BitVector? {
        if case .constant(let value) = netlist.nodes[resolved(id).index].kind { return value }
        return nil
    }

    /// An expression reading every bit of `id`, parenthesized when written inline.
    func ref(_ id: NodeID) -> String {
        if let value = constantValue(id) { return Self.literal(value) }
        let target = resolved(id)
        if let text = inline[target] {
            switch netlist.nodes[target.index].kind {
            case .slice, .concat, .extend: return text  // already one operand: `x[3:0]`, `{a, b}`
            default: return "(\(text))"
            }
        }
        return names[target] ?? "_t\(target.index)"
    }

    /// `id` as a whole right-hand side: no parentheses around an inline expression.
    func value(_ id: NodeID) -> String {
        inline[resolved(id)] ?? ref(id)
    }

    /// An expression reading bits `high...low` of `id` (which is never inline).
    func ref(_ id: NodeID, high: Int, low: Int) -> String {
        if let value = constantValue(id) { return Self.literal(value.slice(high: high, low: low)) }
        let width = netlist.nodes[id.index].type.width
        if high == width - 1 && low == 0 { return ref(id) }
        return high == low ? "\(ref(id))[\(high)]" : "\(ref(id))[\(high):\(low)]"
    }

    /// `id` widened to `width` bits with zeros or sign bits.
    func extended(_ id: NodeID, to width: Int, signed: Bool) -> String {
        let from = netlist.nodes[id.index].type.width
        if let value = constantValue(id) {
            return Self.literal(signed ? value.signExtended(to: width) : value.zeroExtended(to: width))
        }
        guard width > from else { return ref(id) }
        let pad = width - from
        let fill = signed ? ref(id, high: from - 1, low: from - 1) : "1'b0"
        return pad == 1 ? "{\(fill), \(ref(id))}" : "{{\(pad){\(fill)}}, \(ref(id))}"
    }

    /// A sized Verilog literal: `1'b0`, `8'h2a`.
    static func literal(_ value: BitVector) -> String {
        value.width == 1 ? "1'b\(value.lowWord)" : "\(value.width)'h\(value.hexString)"
    }

    /// `[7:0] ` for widths above one, nothing for one bit.
    static func range(_ width: Int) -> String { width == 1 ? "" : "[\(width - 1):0] " }

    // MARK: Inline expressions

    /// Who reads each node: the consuming nodes (a register, a memory or an
    /// output read through their own nodes).
    private static func uses(_ netlist: Netlist, live: Set<NodeID>) -> [NodeID: [NodeID]] {
        var uses: [NodeID: [NodeID]] = [:]
        // A reinterpretation (asSigned, asUnsigned, asBool) is no reader: its readers read its operand.
        func reinterpreted(_ id: NodeID) -> NodeID? {
            let node = netlist.nodes[id.index]
            guard node.name == nil, case .extend(let operand, _) = node.kind,
                  netlist.nodes[operand.index].type.width == node.type.width else { return nil }
            return operand
        }
        func use(_ operand: NodeID, by consumer: NodeID) {
            var target = operand
            while let inner = reinterpreted(target) { target = inner }
            uses[target, default: []].append(consumer)
        }
        for id in live.sorted() where reinterpreted(id) == nil {
            switch netlist.nodes[id.index].kind {
            case .register(let index):
                if let next = netlist.registers[index].next { use(next, by: id) }
            case .memoryRead(let memory, let port):
                let readPort = netlist.memories[memory].readPorts[port]
                use(readPort.address, by: id)
                if let enable = readPort.enable { use(enable, by: id) }
            default:
                for operand in netlist.nodes[id.index].kind.combinationalOperands { use(operand, by: id) }
            }
        }
        return uses
    }

    /// Whether `id` may be written inside `consumer`'s expression: an unnamed
    /// operation whose Verilog meaning does not depend on the context it sits
    /// in (every operand of a DSL operation has the operation's width), read
    /// where a whole expression may stand (not sliced, sign-extended or
    /// multiplied, which need a name), and not a signed expression.
    private func isInlinable(_ id: NodeID, into consumer: NodeID) -> Bool {
        let node = netlist.nodes[id.index]
        guard node.name == nil, needsWire(id), !absorbed.contains(id) else { return false }
        switch node.kind {
        case .unary, .mux, .concat, .slice, .extend: break
        case .binary(let op, _, _) where op != .shiftRightArithmetic && op != .multiply: break
        case .shiftConstant(let op, _, _) where op != .shiftRightArithmetic: break
        default: return false
        }
        switch netlist.nodes[consumer.index].kind {
        case .unary, .mux, .concat, .wire, .output, .shiftConstant, .register, .instanceInput: return true
        case .binary(let op, _, _): return op != .multiply
        case .extend(_, let signed): return !signed
        default: return false
        }
    }
}
