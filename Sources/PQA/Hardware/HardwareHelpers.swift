import HDL

/// An unsigned type wide enough for `0...maximum`.
func countType(_ maximum: Int) -> SignalType { .unsigned(max(1, bitsToRepresent(max(0, maximum)))) }

/// The integer type of a format's values.
func numberType(bits: Int, signed: Bool) -> SignalType { signed ? .signed(bits) : .unsigned(bits) }

extension Signal {
    /// Widened or narrowed to `width` bits, for values proven to fit.
    func resized(to width: Int) -> Signal {
        width >= self.width ? extended(to: width) : truncated(to: width)
    }
}

/// `signal * factor` in `width` bits, for products proven to fit: a sum of
/// shifted copies, one per set bit of the constant, so synthesis never
/// spends a DSP block on an address.
func scaled(_ signal: Signal, by factor: Int, to width: Int, _ m: ModuleBuilder) -> Signal {
    let value = signal.asUnsigned.resized(to: max(width, signal.width))
    let terms = (0..<max(1, bitsToRepresent(factor))).filter { factor >> $0 & 1 == 1 }.map { [value << $0] }
    guard !terms.isEmpty else { return m.constant(0, .unsigned(width)) }
    return reduceTree(terms, levelsPerStage: 0, name: "scaled", in: m) { [$0[0] + $1[0]] }[0].resized(to: width)
}

/// `a * b` for two small unsigned counts, as a sum of shifted copies of `a`
/// gated by the bits of `b`: no multiplier primitive, so no DSP block.
func productOfCounts(_ a: Signal, _ b: Signal, _ m: ModuleBuilder) -> Signal {
    let width = a.width + b.width
    let wide = a.asUnsigned.extended(to: width), zero = m.constant(0, .unsigned(width))
    let terms = (0..<b.width).map { bit in [mux(b.bit(bit), wide << bit, zero)] }
    return reduceTree(terms, levelsPerStage: 0, name: "count_product", in: m) { [$0[0] + $1[0]] }[0]
}


/// `a * b` as a signed value (unsigned operands are widened by a zero sign
/// bit first), in the sum of the operand widths: from LUTs when
/// the narrower operand has at most `lutMultiplierBits` bits (one shifted copy
/// of the wider operand per bit of the narrower, the sign bit's subtracted),
/// otherwise the `*` operator.
func product(_ a: Signal, _ b: Signal, _ m: ModuleBuilder) -> Signal {
    // Unsigned operands gain a zero sign bit, so the sign-bit term below is right.
    let (a, b) = (a.type.isSigned ? a : a.extended(to: a.width + 1).asSigned, b.type.isSigned ? b : b.extended(to: b.width + 1).asSigned)
    guard min(a.width, b.width) <= lutMultiplierBits else { return a * b }
    let (wide, narrow) = a.width >= b.width ? (a, b) : (b, a)
    let width = a.width + b.width
    let value = wide.extended(to: width), zero = m.constant(0, .signed(width))
    let terms = (0..<narrow.width).map { bit -> [Signal] in
        let shifted = value << bit
        return [mux(narrow.bit(bit), bit == narrow.width - 1 ? zero - shifted : shifted, zero)]
    }
    return reduceTree(terms, levelsPerStage: 0, name: "product", in: m) { [$0[0] + $1[0]] }[0]
}

/// Whether a load address lies within a memory bank of `words` words, so a
/// stray address never writes into the other (running) bank.
func inRange(_ address: Signal, _ words: Int, _ m: ModuleBuilder) -> Signal {
    words >= 1 << address.width ? m.constant(true) : address < words
}

/// `choices[bank]` for a `Bool` bank select over two banks.
func perBank(_ bank: Signal, _ choices: [Signal]) -> Signal { mux(bank, choices[1], choices[0]) }

/// A binary reduction tree over `items` (each a tuple of signals) with a
/// register after every `levelsPerStage` levels (named after `name`);
/// returns the reduced tuple. With `levelsPerStage` 0 the tree is combinational.
func reduceTree(_ items: [[Signal]], levelsPerStage: Int, name: String, in m: ModuleBuilder,
                combine: ([Signal], [Signal]) -> [Signal]) -> [Signal] {
    var level = items
    var depth = 0
    while level.count > 1 {
        level = stride(from: 0, to: level.count, by: 2).map { i in
            i + 1 < level.count ? combine(level[i], level[i + 1]) : level[i]
        }
        depth += 1
        if levelsPerStage > 0 && depth % levelsPerStage == 0 {
            level = level.enumerated().map { position, item in
                item.enumerated().map { field, signal in
                    m.delayed(signal, name: "\(name)_l\(depth)_\(position)_\(field)")
                }
            }
        }
    }
    return level[0]
}

/// `signal` delayed by `cycles` registers named `name_dN`, reset to `reset`
/// when given.
func delay(_ signal: Signal, _ cycles: Int, name: String, reset: Int? = nil, in m: ModuleBuilder) -> Signal {
    var value = signal
    for stage in 0..<cycles { value = m.delayed(value, name: "\(name)_d\(stage + 1)", reset: reset) }
    return value
}
