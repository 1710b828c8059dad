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

/// Whether a load address lies within a memory bank of `words` words, so a
/// stray address never writes into the other (running) bank.
func inRange(_ address: Signal, _ words: Int, _ m: ModuleBuilder) -> Signal {
    words >= 1 << address.width ? m.constant(true) : address < words
}

/// `a x b` two cycles later, registered there, the product's adder tree
/// registered halfway (a product with no adder tree, or a wide one, only delayed).
func productOverTwoCycles(_ a: Signal, _ b: Signal, _ m: ModuleBuilder, name: String) -> Signal {
    let levels = ceilLog2(max(1, min(a.width, b.width)))
    let perStage = max(1, (levels + 1) / 2)
    let stages = ModuleBuilder.productStages(a.type, b.type, levelsPerStage: perStage)
    return m.delayed(m.product(a, b, levelsPerStage: perStage, name: "\(name)_product"), cycles: max(0, 2 - stages), name: name)
}

/// Whether a layer is active, followed by a sequencer in a register of its
/// own (the load port's `activeValid`, read across the core, stays off its
/// start): set at a swap, cleared as the layer's last unit of work starts.
func layerActiveFlag(_ m: ModuleBuilder, swap: Signal, layerEnds: Signal) -> Signal {
    let active = m.register("layer_active", reset: false)
    m.when(swap) { active <== true }.elseWhen(layerEnds) { active <== false }
    return active
}

/// `choices[bank]` for a `Bool` bank select over two banks.
func perBank(_ bank: Signal, _ choices: [Signal]) -> Signal { mux(bank, choices[1], choices[0]) }

/// Whether a `Bool` slot (or bank) select picks slot `index` (0 or 1).
func isSlot(_ select: Signal, _ index: Int) -> Signal { index == 1 ? select : !select }

/// Raw bits holding a value of the given signedness, as `type` (wide enough).
func convert(_ raw: Signal, signed: Bool, to type: SignalType) -> Signal {
    let value = signed ? raw.asSigned.extended(to: type.width) : raw.asUnsigned.extended(to: type.width)
    return type.isSigned ? value.asSigned : value.asUnsigned
}

/// Whether a count is `value`; false when its type cannot hold `value`.
func count(_ counter: Signal, is value: Int, _ m: ModuleBuilder) -> Signal {
    value < 1 << counter.width ? counter == value : m.constant(false)
}

/// Whether `position` is the second last of `count` positions (never when
/// `count` is at most `maximum` <= 1): a flag for the last position, set a step ahead.
func isSecondLast(_ position: Signal, of count: Signal, maximum: Int, _ m: ModuleBuilder) -> Signal {
    maximum >= 2 ? position == count - 2 : m.constant(false)
}
