/// How each live node of a netlist is referred to in the emitted Verilog:
/// named nodes keep their names, constants become sized literals,
/// reinterpretations (asSigned, asUnsigned, asBool) read their operand, and
/// every other node becomes a wire `_tN`, numbered in netlist order.
struct EmissionNames {
    let netlist: Netlist
    let live: Set<NodeID>
    private(set) var names: [NodeID: String] = [:]

    init(_ netlist: Netlist, live: Set<NodeID>) {
        self.netlist = netlist
        self.live = live
        var taken = Set(netlist.nodes.compactMap(\.name))
        taken.formUnion(netlist.memories.map(\.name))
        taken.formUnion(netlist.instances.map(\.name))
        var counter = 0
        for index in netlist.nodes.indices {
            let id = NodeID(index)
            let node = netlist.nodes[index]
            if let name = node.name {
                names[id] = name
            } else if live.contains(id) && needsWire(id) {
                var candidate = "_t\(counter)"
                while taken.contains(candidate) {
                    counter += 1
                    candidate = "_t\(counter)"
                }
                counter += 1
                names[id] = candidate
            }
        }
    }

    /// Whether the node is emitted as a declaration of its own.
    func needsWire(_ id: NodeID) -> Bool {
        let node = netlist.nodes[id.index]
        if node.name != nil { return true }
        switch node.kind {
        case .constant: return false
        case .extend(let operand, _): return netlist.nodes[operand.index].type.width != node.type.width
        default: return true
        }
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

    /// An expression reading every bit of `id`.
    func ref(_ id: NodeID) -> String {
        if let value = constantValue(id) { return Self.literal(value) }
        return names[resolved(id)] ?? "/* missing \(id.index) */"
    }

    /// An expression reading bits `high...low` of `id`.
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
}
