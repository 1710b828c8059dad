/// Products whose narrower operand has at most this many bits are built from
/// shifts and adders (LUTs and carry chains), like the low-precision MACs of
/// LUT-based FPGA accelerators; wider ones are left to synthesis, which maps
/// them to DSP blocks.
public let lutMultiplierBits = 8

extension ModuleBuilder {
    /// The exact product `a * b`: unsigned when both operands are, else
    /// signed (an unsigned operand gains a zero sign bit first), in the sum
    /// of the operand widths.
    ///
    /// A constant operand, or one of at most `lutMultiplierBits` bits (as
    /// given, before any sign bit is added), makes a sum of shifted copies of
    /// the other operand, one per bit as given (a sign bit's subtracted): LUTs and
    /// carry chains, never a DSP block, and for a constant only the copies
    /// its set bits select. Otherwise it is the `*` operator, which synthesis
    /// maps to DSP blocks.
    /// With `levelsPerStage` above 0 the adder tree of a product built from
    /// LUTs has a register every that many levels; `productStages` says how
    /// many (a `*` product has none), named after `name` (unique in the module when pipelined).
    public func product(_ a: Signal, _ b: Signal, levelsPerStage: Int = 0, name: String = "product",
                        fileID: String = #fileID, line: Int = #line) -> Signal {
        let signed = a.type.isSigned || b.type.isSigned
        let (aConstant, bConstant) = (isConstant(a), isConstant(b))
        let narrowIsB = bConstant || (!aConstant && b.width <= a.width)
        let (narrowWidth, narrowIsSigned) = narrowIsB ? (b.width, b.type.isSigned) : (a.width, a.type.isSigned)
        func operand(_ x: Signal) -> Signal {
            guard signed else { return x.asUnsigned }
            return x.type.isSigned ? x : x.extended(to: x.width + 1).asSigned
        }
        let (a, b) = (operand(a), operand(b))
        let (wide, narrow) = narrowIsB ? (a, b) : (b, a)
        guard aConstant || bConstant || narrowWidth <= lutMultiplierBits else { return a * b }
        let width = a.width + b.width
        // One copy per bit of the narrow operand as given (an unsigned one's
        // added sign bit is zero, and has none). A signed one's sign bit
        // weighs -2^(n-1): its copy is subtracted where the tree meets it
        // (one carry chain), never negated first. Each sum is kept at its
        // own weight and width: the copies it covers, `k` of them from bit
        // `s`, sum to less than 2^k times the wide operand's range, so
        // `wide + k` bits hold it exactly, and its carry chain spans no
        // shifted-in zeros or copied sign bits.
        let terms = (0..<narrowWidth).map { bit -> ProductTerm in
            ProductTerm(value: mux(narrow.bit(bit), wide, constant(0, wide.type, fileID: fileID, line: line)),
                        weight: bit, copies: 1, subtracted: narrowIsSigned && bit == narrowWidth - 1)
        }
        let sum = reduceTree(terms, levelsPerStage: levelsPerStage, name: name, fileID: fileID, line: line) { low, high in
            let copies = low.copies + high.copies, sumWidth = wide.width + copies
            let lowValue = low.value.extended(to: sumWidth)
            let highValue = high.value.extended(to: sumWidth) << (high.weight - low.weight)
            return switch (low.subtracted, high.subtracted) {
            case (false, true): ProductTerm(value: lowValue - highValue, weight: low.weight, copies: copies, subtracted: false)
            case (true, false): ProductTerm(value: highValue - lowValue, weight: low.weight, copies: copies, subtracted: false)
            default: ProductTerm(value: lowValue + highValue, weight: low.weight, copies: copies, subtracted: low.subtracted)
            }
        }
        // The whole sum, at weight 0, fits the product's width (a wider sum
        // only repeats its sign bit).
        let value = sum.value.width > width ? sum.value.truncated(to: width, fileID: fileID, line: line)
            : sum.value.extended(to: width, fileID: fileID, line: line)
        return sum.subtracted ? constant(0, value.type, fileID: fileID, line: line) - value : value
    }

    /// Register stages `product(a, b, levelsPerStage:)` puts in a product of
    /// operands of types `a` and `b` (neither constant): one term per bit of the narrower.
    public static func productStages(_ a: SignalType, _ b: SignalType, levelsPerStage: Int) -> Int {
        let narrow = b.width <= a.width ? b : a
        guard narrow.width <= lutMultiplierBits else { return 0 }
        return treeStages(leaves: narrow.width, levelsPerStage: levelsPerStage)
    }

    /// `a * factor` for a constant `factor >= 0`, as `product` builds it.
    public func product(_ a: Signal, _ factor: Int, fileID: String = #fileID, line: Int = #line) -> Signal {
        product(a, constant(factor, .unsigned(max(1, bitsToRepresent(factor))), fileID: fileID, line: line), fileID: fileID, line: line)
    }

    private func isConstant(_ signal: Signal) -> Bool {
        var id = signal.id
        while case .extend(let operand, _) = nodes[id.index].kind { id = operand }
        if case .constant = nodes[id.index].kind { return true }
        return false
    }
}

/// A sum of shifted copies in a product's adder tree: `value` times
/// `2^weight`, covering `copies` bits of the narrow operand from bit
/// `weight`, added or (holding the sign bit's copy) subtracted.
private struct ProductTerm: Pipelined {
    let value: Signal
    let weight, copies: Int
    let subtracted: Bool

    func map(_ transform: (Signal, String) -> Signal) -> ProductTerm {
        ProductTerm(value: transform(value, ""), weight: weight, copies: copies, subtracted: subtracted)
    }
}
