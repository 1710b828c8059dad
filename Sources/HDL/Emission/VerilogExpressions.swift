/// The right-hand side of each kind of node, written so that every operand
/// already has the width of the result (Verilator's WIDTH rules hold by
/// construction) and signed operations are spelled with `$signed`.
extension EmissionNames {
    func expression(for id: NodeID) -> String {
        let node = netlist.nodes[id.index]
        let width = node.type.width
        switch node.kind {
        case .unary(let op, let a):
            return op.rawValue + ref(a)
        case .binary(let op, let a, let b):
            return binaryExpression(op, a, b, resultType: node.type)
        case .shiftConstant(let op, let a, let amount):
            return constantShift(op, a, amount, width: width)
        case .mux(let select, let whenTrue, let whenFalse):
            return "\(ref(select)) ? \(ref(whenTrue)) : \(ref(whenFalse))"
        case .slice(let a, let high, let low):
            return ref(a, high: high, low: low)
        case .concat(let parts):
            if parts.count > 1, parts.allSatisfy({ $0 == parts[0] }) { return "{\(parts.count){\(ref(parts[0]))}}" }
            return "{" + parts.map { ref($0) }.joined(separator: ", ") + "}"
        case .extend(let a, let signed):
            return extended(a, to: width, signed: signed)
        case .wire(let driver), .output(let driver), .instanceInput(_, _, let driver):
            return driver.map { value($0) } ?? "/* undriven */"
        case .constant(let value):
            return Self.literal(value)
        case .input, .register, .memoryRead, .instanceOutput, .invalid:
            return ref(id)
        }
    }

    private func binaryExpression(_ op: BinaryOperator, _ a: NodeID, _ b: NodeID, resultType: SignalType) -> String {
        let signed = netlist.nodes[a.index].type.isSigned
        switch op {
        case .multiply:
            let width = resultType.width
            return "\(extended(a, to: width, signed: signed)) * \(extended(b, to: width, signed: signed))"
        case .less, .lessOrEqual:
            return signed ? "$signed(\(ref(a))) \(op.rawValue) $signed(\(ref(b)))" : "\(ref(a)) \(op.rawValue) \(ref(b))"
        case .shiftRightArithmetic:
            return "$signed(\(ref(a))) >>> \(ref(b))"
        default:
            return "\(ref(a)) \(op.rawValue) \(ref(b))"
        }
    }

    private func constantShift(_ op: BinaryOperator, _ a: NodeID, _ amount: Int, width: Int) -> String {
        if amount == 0 { return ref(a) }
        if amount >= width {
            if op == .shiftRightArithmetic {
                let sign = ref(a, high: width - 1, low: width - 1)
                return width == 1 ? sign : "{\(width){\(sign)}}"
            }
            return Self.literal(.zero(width: width))
        }
        switch op {
        case .shiftRightArithmetic: return "$signed(\(ref(a))) >>> \(amount)"
        default: return "\(ref(a)) \(op.rawValue) \(amount)"
        }
    }

    /// For each declared node, which of its bits some consumer reads.
    func bitUsage() -> [NodeID: [Bool]] {
        var usage: [NodeID: [Bool]] = [:]
        func mark(_ id: NodeID, high: Int? = nil, low: Int = 0) {
            if constantValue(id) != nil { return }
            let target = resolved(id)
            let width = netlist.nodes[target.index].type.width
            var bits = usage[target] ?? Array(repeating: false, count: width)
            for bit in low...(high ?? width - 1) { bits[bit] = true }
            usage[target] = bits
        }
        for id in live.sorted() where needsWire(id) || netlist.nodes[id.index].name != nil {
            switch netlist.nodes[id.index].kind {
            case .slice(let a, let high, let low):
                mark(a, high: high, low: low)
            case .shiftConstant(let op, let a, let amount) where amount >= netlist.nodes[id.index].type.width:
                let msb = netlist.nodes[id.index].type.width - 1
                if op == .shiftRightArithmetic { mark(a, high: msb, low: msb) }
            case .register(let index):
                if let next = netlist.registers[index].next { mark(next) }
            case .memoryRead(let memory, let port):
                let readPort = netlist.memories[memory].readPorts[port]
                mark(readPort.address)
                if let enable = readPort.enable { mark(enable) }
                if let write = netlist.memories[memory].writePort { [write.enable, write.address, write.data].forEach { mark($0) } }
            case .instanceInput(_, _, let driver):
                mark(id)  // read by the instance's port map
                if let driver { mark(driver) }
            default:
                for operand in netlist.nodes[id.index].kind.combinationalOperands { mark(operand) }
            }
        }
        return usage
    }
}
