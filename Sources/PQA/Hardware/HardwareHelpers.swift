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

/// `signal * factor` in `width` bits, for products proven to fit.
func scaled(_ signal: Signal, by factor: Int, to width: Int, _ m: ModuleBuilder) -> Signal {
    (signal.asUnsigned * m.constant(factor, countType(factor))).resized(to: width)
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
