import HDL

/// How many of `thresholds` (strictly increasing) lie below a value, in two
/// steps meant to have a register between them (`compared`, then `count`),
/// so each cycle holds about half the logic.
///
/// An input of up to `tableInputBits` bits reads the count from a table of
/// constants in the first step (a multiplexer tree on its bits, which
/// synthesis maps to a few LUT levels and no carry chain) and passes it on
/// unchanged. A wider one compares in the first step, one comparison per
/// threshold in its range: a thermometer code. The second step reads the
/// count from where the code ends (threshold k below and k + 1 not: k + 1),
/// each bit an OR of those ends.
struct ThresholdCount {
    let thresholds: [Int]
    /// Bits of the value compared.
    let inputBits: Int

    /// Inputs of at most this many bits take the table.
    static let tableInputBits = 8

    init(thresholds: [Int], inputBits: Int) {
        precondition(zip(thresholds, thresholds.dropFirst()).allSatisfy { $0 < $1 }, "thresholds must be strictly increasing")
        self.thresholds = thresholds
        self.inputBits = inputBits
    }

    /// The thresholds whose count below a value up to `divisor * maximum`
    /// is `ceil(value / divisor)`: the multiples `k * divisor`, k < maximum.
    static func ceilDivision(by divisor: Int, maximum: Int) -> [Int] { (0..<maximum).map { $0 * divisor } }

    /// The count's type.
    var type: SignalType { countType(thresholds.count) }

    private var usesTable: Bool { inputBits <= Self.tableInputBits }

    /// The first step: the count itself from the table, or the thermometer
    /// code (bit k set when threshold k lies below `value`).
    func compared(_ value: Signal, _ m: ModuleBuilder) -> Signal {
        precondition(value.width == inputBits, "a threshold count built for \(inputBits) bits given \(value.width)")
        if usesTable { return table(value, m) }
        let inRange = thresholds.prefix { $0 < 1 << inputBits }
        guard !inRange.isEmpty else { return m.constant(false) }
        return concatenate(inRange.reversed().map { value > $0 })
    }

    /// The second step: the count from the first step's result.
    func count(_ compared: Signal, _ m: ModuleBuilder) -> Signal {
        if usesTable { return compared }
        let below = (0..<compared.width).map { compared.bit($0) }
        let ends = below.indices.map { k in k + 1 < below.count ? below[k] & !below[k + 1] : below[k] }
        let bits = (0..<type.width).reversed().map { bit -> Signal in
            let terms = ends.indices.filter { ($0 + 1) >> bit & 1 == 1 }.map { ends[$0] }
            return terms.dropFirst().reduce(terms.first ?? m.constant(false)) { $0 | $1 }
        }
        return concatenate(bits)
    }

    /// The count as constants chosen by a multiplexer tree on the bits of
    /// `value`, most significant bit at the root; equal halves share one subtree.
    private func table(_ value: Signal, _ m: ModuleBuilder) -> Signal {
        func tree(_ bit: Int, _ values: ArraySlice<Int>) -> Signal {
            if Set(values).count == 1 { return m.constant(values.first!, type) }
            let half = values.count / 2
            let low = values.prefix(half), high = values.suffix(half)
            if low.elementsEqual(high) { return tree(bit - 1, low) }
            return mux(value.bit(bit), tree(bit - 1, high), tree(bit - 1, low))
        }
        let counts = (0..<(1 << value.width)).map { input in thresholds.prefix { $0 < input }.count }
        return tree(value.width - 1, ArraySlice(counts))
    }
}
