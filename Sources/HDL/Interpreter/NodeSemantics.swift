/// The value of every kind of node, on bit vectors of any width: the
/// definition the interpreter's fast paths are tested against.
enum NodeSemantics {
    /// The value of a node of `kind` and `type` whose operands have `values`.
    static func evaluate(_ kind: NodeKind, _ type: SignalType, _ values: [BitVector], _ types: [SignalType]) -> BitVector {
        let width = type.width
        switch kind {
        case .unary(let op, _):
            let a = values[0]
            switch op {
            case .not: return a.inverted()
            case .negate: return a.negated()
            case .andReduce: return bool(a.andReduced)
            case .orReduce: return bool(a.orReduced)
            case .xorReduce: return bool(a.xorReduced)
            }
        case .binary(let op, _, _):
            let (a, b) = (values[0], values[1])
            let signed = types[0].isSigned
            switch op {
            case .add: return a.adding(b)
            case .subtract: return a.subtracting(b)
            case .multiply:
                let wideA = signed ? a.signExtended(to: width) : a.zeroExtended(to: width)
                let wideB = signed ? b.signExtended(to: width) : b.zeroExtended(to: width)
                return wideA.multipliedFull(by: wideB, resultWidth: width)
            case .and: return a.and(b)
            case .or: return a.or(b)
            case .xor: return a.xor(b)
            case .equal: return bool(a == b)
            case .notEqual: return bool(a != b)
            case .less: return bool(a.isLess(than: b, signed: signed))
            case .lessOrEqual: return bool(a == b || a.isLess(than: b, signed: signed))
            case .shiftLeft: return a.shiftedLeft(by: b.shiftAmount)
            case .shiftRightLogical: return a.shiftedRight(by: b.shiftAmount)
            case .shiftRightArithmetic: return a.shiftedRight(by: b.shiftAmount, arithmetic: true)
            }
        case .shiftConstant(let op, _, let amount):
            switch op {
            case .shiftLeft: return values[0].shiftedLeft(by: amount)
            case .shiftRightArithmetic: return values[0].shiftedRight(by: amount, arithmetic: true)
            default: return values[0].shiftedRight(by: amount)
            }
        case .mux:
            return values[0].isZero ? values[2] : values[1]
        case .slice(_, let high, let low):
            return values[0].slice(high: high, low: low)
        case .concat:
            return values.dropFirst().reduce(values[0]) { $0.concatenated($1) }
        case .extend(_, let signed):
            return signed ? values[0].signExtended(to: width) : values[0].zeroExtended(to: width)
        case .wire, .output, .instanceInput:
            return values[0]
        case .constant(let value):
            return value
        case .input, .register, .memoryRead, .instanceOutput, .invalid:
            return .zero(width: width)
        }
    }

    private static func bool(_ value: Bool) -> BitVector { BitVector(width: 1, truncating: value ? 1 as UInt64 : 0) }
}
