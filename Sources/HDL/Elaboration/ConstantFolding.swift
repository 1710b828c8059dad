/// Replaces nodes whose value is known at elaboration by constants: every
/// operation on constants, muxes with a constant select, and comparisons
/// that cannot change (`x < 0` for unsigned `x`, `x <= max`). Emitted code is
/// then free of comparisons a linter rightly flags as constant. Identities
/// become their operand: `x + 0`, `x | 0`, `x & ~0`, `s ? x : x`, and
/// `s ? 1 : 0` (the select itself, widened).
enum ConstantFolding {
    static func fold(_ nodes: inout [Node]) {
        var changed = true
        while changed {
            changed = false
            for index in nodes.indices {
                if let replacement = folded(nodes[index], in: nodes) {
                    nodes[index].kind = replacement
                    changed = true
                }
            }
        }
    }

    /// The node's value when it is a constant, or a wire driven by one (a folded mux).
    private static func constant(_ id: NodeID, in nodes: [Node]) -> BitVector? {
        var current = id
        while case .wire(let driver?) = nodes[current.index].kind { current = driver }
        if case .constant(let value) = nodes[current.index].kind { return value }
        return nil
    }

    private static func folded(_ node: Node, in nodes: [Node]) -> NodeKind? {
        switch node.kind {
        case .unary, .binary, .shiftConstant, .slice, .concat, .extend, .mux:
            break
        default:
            return nil
        }
        let operands = node.kind.combinationalOperands
        let values = operands.map { constant($0, in: nodes) }
        if values.allSatisfy({ $0 != nil }) {
            let types = operands.map { nodes[$0.index].type }
            return .constant(NodeSemantics.evaluate(node.kind, node.type, values.compactMap { $0 }, types))
        }
        switch node.kind {
        case .shiftConstant(let op, _, let amount) where amount >= node.type.width && op != .shiftRightArithmetic:
            return .constant(.zero(width: node.type.width))  // every bit shifted out
        case .mux(let select, let whenTrue, let whenFalse):
            if let choice = values[0] { return .wire(driver: choice.isZero ? whenFalse : whenTrue) }
            if whenTrue == whenFalse { return .wire(driver: whenTrue) }
            guard let high = values[1], let low = values[2] else { return nil }
            let one = BitVector(width: high.width, truncating: 1 as UInt64)
            if low.isZero && high == one { return high.width == 1 ? .wire(driver: select) : .extend(select, signed: false) }
            if high.isZero && low == one && high.width == 1 { return .unary(.not, select) }
            return nil
        case .binary(let op, let a, let b) where [.add, .or, .xor, .subtract].contains(op):
            if values[1]?.isZero == true { return .wire(driver: a) }
            if values[0]?.isZero == true && op != .subtract { return .wire(driver: b) }
            return nil
        case .binary(.and, let a, let b):
            if values[0]?.isZero == true || values[1]?.isZero == true { return .constant(.zero(width: node.type.width)) }
            if values[1] == .ones(width: node.type.width) { return .wire(driver: a) }
            if values[0] == .ones(width: node.type.width) { return .wire(driver: b) }
            return nil
        case .binary(let op, let a, _) where op == .less || op == .lessOrEqual:
            return tautology(op, left: values[0], right: values[1], type: nodes[a.index].type).map {
                .constant(BitVector(width: 1, truncating: $0 ? 1 as UInt64 : 0))
            }
        default:
            return nil
        }
    }

    /// The fixed result of `left op right` when one side is the type's
    /// extreme value and the comparison cannot depend on the other.
    private static func tautology(_ op: BinaryOperator, left: BitVector?, right: BitVector?, type: SignalType) -> Bool? {
        let width = type.width
        let minimum = type.isSigned ? BitVector.ones(width: 1).zeroExtended(to: width).shiftedLeft(by: width - 1) : .zero(width: width)
        let maximum = type.isSigned ? BitVector.ones(width: width).shiftedRight(by: 1) : .ones(width: width)
        switch op {
        case .less:
            if right == minimum || left == maximum { return false }  // x < min, max < x
        case .lessOrEqual:
            if left == minimum || right == maximum { return true }  // min <= x, x <= max
        default:
            break
        }
        return nil
    }
}
