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
        let candidates = (0..<inputs).map { index in
            ArgminCandidate(value: m.input("in_\(index)", valueType), index: m.constant(index, indexType))
        }
        let winner = m.argmin(candidates, levelsPerStage: levelsPerStage, name: "s")
        m.output("min_value", valueType) <== winner.value
        m.output("min_index", indexType) <== winner.index
        m.output("out_valid", .bool) <== m.delayed(inValid, cycles: latency, name: "valid")
    }
}

/// One contender of an argmin: its value and its index.
public struct ArgminCandidate: Pipelined {
    /// The value compared.
    public let value: Signal
    /// Its index, carried to the result.
    public let index: Signal

    public init(value: Signal, index: Signal) {
        self.value = value
        self.index = index
    }

    public func map(_ transform: (Signal, String) -> Signal) -> ArgminCandidate {
        ArgminCandidate(value: transform(value, "value"), index: transform(index, "index"))
    }
}

extension ModuleBuilder {
    /// The smallest of `candidates`, the lowest index on a tie, through a
    /// tree of comparators with a register after every `levelsPerStage`
    /// levels (named `name_lL_P_field`).
    public func argmin(_ candidates: [ArgminCandidate], levelsPerStage: Int, name: String,
                       fileID: String = #fileID, line: Int = #line) -> ArgminCandidate {
        reduceTree(candidates, levelsPerStage: levelsPerStage, name: name, fileID: fileID, line: line) { left, right in
            // left <= right: the difference right - left, a bit wider, is not negative.
            let width = left.value.width + 1
            let leftWins = !(right.value.extended(to: width) - left.value.extended(to: width)).bit(width - 1)
            return ArgminCandidate(value: mux(leftWins, left.value, right.value), index: mux(leftWins, left.index, right.index))
        }
    }
}
