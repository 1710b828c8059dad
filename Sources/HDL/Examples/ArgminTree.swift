/// Finds the smallest of `inputs` values and its index with a log-depth tree
/// of comparators. Ties go to the lowest index. A pipeline register follows
/// every `levelsPerStage` tree levels (0: purely combinational), so the result
/// appears `latency` cycles after its inputs, with `out_valid` marking it.
///
/// ```
///  in_0 in_1 in_2 in_3      level 1: compare pairs, keep the smaller
///    \  /      \  /                  (the left one on a tie)
///    min01    min23         level 2
///        \    /
///        min0123 -> min_value, min_index
/// ```
public struct ArgminTree: HardwareModule {
    /// Number of values compared.
    public var inputs: Int
    /// Bits of each value.
    public var width: Int
    /// Whether values are two's complement.
    public var signed: Bool
    /// Tree levels between pipeline registers; 0 for none.
    public var levelsPerStage: Int

    /// An argmin over `inputs` values of `width` bits.
    public init(inputs: Int = 64, width: Int = 16, signed: Bool = false, levelsPerStage: Int = 2) {
        self.inputs = inputs
        self.width = width
        self.signed = signed
        self.levelsPerStage = levelsPerStage
    }

    /// Levels of comparators: `ceil(log2(inputs))`.
    public var levels: Int { ceilLog2(max(1, inputs)) }
    /// Cycles from inputs to result.
    public var latency: Int { levelsPerStage > 0 ? levels / levelsPerStage : 0 }
    /// Bits of the index output.
    public var indexWidth: Int { max(1, ceilLog2(max(1, inputs))) }

    public var moduleName: String { "argmin_tree" }
    public var parameters: [ModuleParameter] {
        [.init("inputs", inputs), .init("width", width), .init("signed", signed ? 1 : 0), .init("stage", levelsPerStage)]
    }

    public func build(_ m: ModuleBuilder) {
        let valueType: SignalType = signed ? .signed(width) : .unsigned(width)
        let indexType = SignalType.unsigned(indexWidth)
        let inValid = m.input("in_valid", .bool)
        var candidates = (0..<inputs).map { index in
            (value: m.input("in_\(index)", valueType), index: m.constant(index, indexType))
        }
        var valid = inValid
        for level in 1...max(1, levels) where candidates.count > 1 || level == 1 {
            candidates = stride(from: 0, to: candidates.count, by: 2).map { i in
                guard i + 1 < candidates.count else { return candidates[i] }
                let (left, right) = (candidates[i], candidates[i + 1])
                let takeLeft = left.value <= right.value
                return (mux(takeLeft, left.value, right.value), mux(takeLeft, left.index, right.index))
            }
            if levelsPerStage > 0 && level % levelsPerStage == 0 && level <= levels {
                let stage = level / levelsPerStage
                candidates = candidates.enumerated().map { position, candidate in
                    (m.delayed(candidate.value, name: "s\(stage)_value_\(position)"),
                     m.delayed(candidate.index, name: "s\(stage)_index_\(position)"))
                }
                valid = m.delayed(valid, name: "s\(stage)_valid", reset: 0)
            }
        }
        m.output("min_value", valueType) <== candidates[0].value
        m.output("min_index", indexType) <== candidates[0].index
        m.output("out_valid", .bool) <== valid
    }
}
