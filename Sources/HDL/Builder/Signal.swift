/// A value in hardware: a port, a net, a register's output or the result of an
/// operation, with a type checked at every use.
///
/// Signals are built by a `ModuleBuilder` and combined with operators whose
/// width rules are explicit: `+ - & | ^` and `mux` need equal types, `+&` and
/// `-&` widen by one bit, `*` gives the sum of the widths, comparisons give a
/// `Bool` and respect signedness.
public struct Signal {
    /// The node this signal reads.
    public let id: NodeID
    /// Its type.
    public let type: SignalType
    unowned let builder: ModuleBuilder

    /// Number of bits.
    public var width: Int { type.width }

    /// The name given to it, if any.
    public var name: String? { builder.nodes[id.index].name }

    /// Gives this signal a readable name in the emitted Verilog. An unnamed
    /// expression takes the name itself; a named one gets a new wire.
    @discardableResult
    public func named(_ name: String, fileID: String = #fileID, line: Int = #line) -> Signal {
        let location = SourceLocation(fileID: fileID, line: line)
        guard builder.claim(name, at: location) else { return self }
        switch builder.nodes[id.index].kind {
        case .unary, .binary, .shiftConstant, .mux, .slice, .concat, .extend:
            if builder.nodes[id.index].name == nil {
                builder.nodes[id.index].name = name
                builder.nodes[id.index].location = location
                builder.nodes[id.index].locationIsInferred = false
                return self
            }
        default: break
        }
        let alias = builder.addNode(.wire(driver: nil), type, name: name, at: location)
        builder.connect(alias, self, at: location)
        return alias
    }
}

extension ModuleBuilder {
    func mismatch(_ op: String, _ a: Signal, _ b: Signal) -> String {
        let fix = a.width == b.width
            ? "convert one with asSigned, asUnsigned or asBool"
            : "widen the narrower with extended(to:) or narrow the wider with truncated(to:)"
        return "type mismatch in '\(op)': left is \(describe(a)); right is \(describe(b)); \(fix)"
    }

    func binary(_ op: BinaryOperator, _ a: Signal, _ b: Signal) -> Signal {
        let location = self.location(of: a)
        guard a.builder === b.builder else {
            error("'\(op.rawValue)' combines signals of different modules", at: location)
            return addNode(.invalid, a.type, at: location)
        }
        var resultType = a.type
        if isInvalid(a) || isInvalid(b) {
            return addNode(.invalid, op.isComparison ? .bool : (op == .multiply ? a.type.withWidth(a.width + b.width) : a.type), at: location)
        }
        switch op {
        case .add, .subtract:
            if a.type.isBool || b.type.isBool {
                error("'\(op.rawValue)' needs numbers, not Bool (\(describe(a.type.isBool ? a : b))); convert with asUnsigned", at: location)
            } else if a.type != b.type {
                error(mismatch(op.rawValue, a, b), at: location)
            }
        case .and, .or, .xor, .equal, .notEqual:
            if a.type != b.type { error(mismatch(op.rawValue, a, b), at: location) }
        case .less, .lessOrEqual:
            if a.type != b.type { error(mismatch(op.rawValue, a, b), at: location) }
            if a.type.isBool { error("ordering comparison of Bool values; convert with asUnsigned", at: location) }
        case .multiply:
            if a.type.isBool || b.type.isBool || a.type.isSigned != b.type.isSigned {
                error(mismatch("*", a, b) + " (both operands must be UInt or both SInt)", at: location)
            }
            resultType = a.type.withWidth(a.width + b.width)
        case .shiftLeft, .shiftRightLogical, .shiftRightArithmetic:
            if b.type.isSigned { error("shift amount \(describe(b)) must be unsigned; convert with asUnsigned", at: location) }
            if a.type.isBool { error("shift of a Bool (\(describe(a))); convert with asUnsigned", at: location) }
        }
        if op.isComparison { resultType = .bool }
        return addNode(.binary(op, a.id, b.id), resultType, at: location, inferred: true)
    }

    func unary(_ op: UnaryOperator, _ a: Signal) -> Signal {
        let location = self.location(of: a)
        switch op {
        case .not: return addNode(.unary(.not, a.id), a.type, at: location, inferred: true)
        case .negate:
            if a.type.isBool { error("negation of a Bool (\(describe(a))); use '!' for logical not", at: location) }
            return addNode(.unary(.negate, a.id), a.type, at: location, inferred: true)
        case .andReduce, .orReduce, .xorReduce: return addNode(.unary(op, a.id), .bool, at: location, inferred: true)
        }
    }

    func constant(like signal: Signal, _ value: Int) -> Signal {
        let location = self.location(of: signal)
        return constant(value, signal.type, fileID: location.fileID, line: location.line)
    }
}

/// `select ? whenTrue : whenFalse`. `select` must be a `Bool`; the two choices
/// must have the same type.
public func mux(_ select: Signal, _ whenTrue: Signal, _ whenFalse: Signal) -> Signal {
    let builder = select.builder
    let location = builder.location(of: whenTrue)
    if !select.type.isBool {
        builder.error("mux select must be Bool, got \(builder.describe(select)); use asBool or a comparison", at: location)
    }
    if whenTrue.type != whenFalse.type {
        builder.error(builder.mismatch("mux", whenTrue, whenFalse), at: location)
    }
    return builder.addNode(.mux(select: select.id, whenTrue: whenTrue.id, whenFalse: whenFalse.id), whenTrue.type, at: location, inferred: true)
}

/// Picks `choices[index]`: a balanced tree of muxes over the bits of `index`,
/// which needs at least `ceil(log2(choices.count))` bits. An index past the end
/// picks one of the choices; keep it in range.
public func mux(_ index: Signal, _ choices: [Signal]) -> Signal {
    precondition(!choices.isEmpty, "mux needs at least one choice")
    let builder = index.builder
    if index.width < ceilLog2(choices.count) || index.type.isSigned {
        builder.error("mux index \(builder.describe(index)) cannot select among \(choices.count) choices; it needs an unsigned index of \(ceilLog2(choices.count)) bits", at: builder.location(of: index))
        return choices[0]
    }
    var level = choices
    var bit = 0
    while level.count > 1 {
        let select = index.bit(bit)
        level = stride(from: 0, to: level.count, by: 2).map { i in
            i + 1 < level.count ? mux(select, level[i + 1], level[i]) : level[i]
        }
        bit += 1
    }
    return level[0]
}
