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
        let inValid = m.input("in_valid", .bool)
        let values = (0..<inputs).map { m.input("in_\($0)", valueType) }
        let winner = m.argmin(values, levelsPerStage: levelsPerStage, name: "s")
        m.output("min_value", valueType) <== winner.value
        m.output("min_index", .unsigned(indexWidth)) <== winner.index
        m.output("out_valid", .bool) <== m.delayed(inValid, cycles: latency, name: "valid")
    }
}

/// The winner of an argmin: the smallest value and its position.
public struct ArgminResult {
    /// The smallest value.
    public let value: Signal
    /// Its position among the values, `max(1, ceil(log2(count)))` bits.
    public let index: Signal
}

/// A subtree's winner as it moves up the tree: its value and its position
/// within the subtree (none for a single value).
private struct Contender: Pipelined {
    let value: Signal
    let index: Signal?

    func map(_ transform: (Signal, String) -> Signal) -> Contender {
        Contender(value: transform(value, "value"), index: index.map { transform($0, "index") })
    }
}

extension ModuleBuilder {
    /// The smallest of `values` and its position, the lowest position on a
    /// tie, through a tree of comparators with a register after every
    /// `levelsPerStage` levels (named `name_lL_P_field`).
    ///
    /// A pair's left subtree is always full (`reduceTree` pairs neighbours,
    /// only the last item of a level can be short), so the winner's position
    /// in the pair is the compare's verdict above the subtree's position:
    /// no multiplexer of constants, which synthesis would turn into a reset
    /// driven by the compare.
    public func argmin(_ values: [Signal], levelsPerStage: Int, name: String,
                       fileID: String = #fileID, line: Int = #line) -> ArgminResult {
        let leaves = values.map { Contender(value: $0, index: nil) }
        let winner = reduceTree(leaves, levelsPerStage: levelsPerStage, name: name, fileID: fileID, line: line) { left, right in
            // left <= right: the difference right - left, a bit wider, is not negative.
            let width = left.value.width + 1
            let leftWins = !(right.value.extended(to: width) - left.value.extended(to: width)).bit(width - 1)
            let side = (!leftWins).asUnsigned
            let index: Signal
            if let leftIndex = left.index {
                let rightIndex = right.index?.extended(to: leftIndex.width) ?? constant(0, leftIndex.type)
                index = side.concatenated(mux(leftWins, leftIndex, rightIndex))
            } else {
                index = side
            }
            return Contender(value: mux(leftWins, left.value, right.value), index: index)
        }
        let indexWidth = max(1, ceilLog2(values.count))
        return ArgminResult(value: winner.value, index: winner.index?.extended(to: indexWidth) ?? constant(0, .unsigned(indexWidth)))
    }
}
