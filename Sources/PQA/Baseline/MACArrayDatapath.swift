import HDL
import PQ

/// One output lane of the MAC array: `InVec` products of the input word and
/// the lane's weight word (registered; from LUTs or DSPs, see `Multipliers`),
/// an adder tree over them (a register every `adderLevelsPerStage` levels),
/// a running sum over the pass and, at its end, the bias added.
///
/// ```
///  activations, weights     (the block RAMs' words)
///  (+1                      the inputs, registered, when the weights are in block RAM)
///  +P                       products, registered (P = `productLatency`: a LUT product's
///                           adder tree registered at every level)
///  +P+adder stages          with `control`: sum = (first word ? 0 : running) + tree, registered
///                           (the tree's output always from a register, see `MACArrayParameters.adderStages`)
///  +P+1+adder stages        accumulator = sum + bias, registered     (latency)
/// ```
struct MACLane: Circuit {
    let design: MACArrayParameters

    /// Cycles from the inputs to the products: the input registers (weights
    /// in block RAM), a LUT product's adder tree registered at every level, the product's register.
    static func productLatency(_ design: MACArrayParameters) -> Int {
        (design.weightsInBlockRAM ? 1 : 0) + lutProductStages(design) + 1
    }

    /// Registers inside a LUT product (none for DSP products).
    private static func lutProductStages(_ design: MACArrayParameters) -> Int {
        let f = design.configuration.formats
        guard design.configuration.multipliers == .luts else { return 0 }
        return ModuleBuilder.productStages(operandType(f.activation), operandType(f.weight), levelsPerStage: 1)
    }

    /// A lane operand as a signed number: an unsigned format gains a bit.
    private static func operandType(_ format: IntegerFormat) -> SignalType { .signed(format.bits + (format.signed ? 0 : 1)) }

    struct Control: PortGroup {
        /// At the tree's output: the pass's first word, and whether this word counts.
        let first, valid: Signal
        /// The lane's bias (raw bits of the bias format).
        let bias: Signal
    }

    struct Inputs: PortGroup {
        /// `InVec` activations and the lane's `InVec` weights, lane 0 lowest.
        let activations, weights: Signal
        let control: Control
    }

    var moduleName: String { "mac_lane" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        let c = design.configuration
        return [.init("products", c.parallelism.inVec), .init("multipliers", c.multipliers.rawValue),
                .init("formats", "activation \(c.formats.activation), weight \(c.formats.weight), bias \(c.formats.bias)"),
                .init("adder levels per stage", c.adderLevelsPerStage)]
    }

    /// A signed type that holds every partial sum of the lane (and the bias).
    var accumulatorType: SignalType { design.accumulatorType }

    func inputs(_ ports: PortFields) -> Inputs {
        let c = design.configuration
        return Inputs(activations: ports("activations", .unsigned(design.activationBeatBits)),
                      weights: ports("weights", .unsigned(design.weightWordBits)),
                      control: ports.group("control") {
                          Control(first: $0.bool("first"), valid: $0.bool("valid"), bias: $0("bias", .unsigned(c.formats.bias.bits)))
                      })
    }

    func outputs(_ ports: PortFields) -> Signal { ports("accumulator", accumulatorType) }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs accumulator: Signal) {
        let c = design.configuration, formats = c.formats, control = inputs.control
        // Signed operands: an unsigned format gains a bit.
        func lane(_ word: Signal, _ index: Int, _ format: IntegerFormat) -> Signal {
            convert(word[high: (index + 1) * format.bits - 1, low: index * format.bits], signed: format.signed, to: Self.operandType(format))
        }
        // The inputs registered beside the multipliers when the weights come
        // from a block RAM column; the activations, the same for every lane,
        // in a register synthesis keeps apart (`fannedOut`), so each lane
        // reads its own copy, not one merged register across the array.
        let staged = design.weightsInBlockRAM
        let activations = staged ? m.fannedOut(inputs.activations, copies: 1, name: "activations_q")[0] : inputs.activations
        let weights = staged ? m.delayed(inputs.weights, name: "weights_q") : inputs.weights
        let products = (0..<c.parallelism.inVec).map { i -> Signal in
            let (x, w) = (lane(activations, i, formats.activation), lane(weights, i, formats.weight))
            return m.delayed(c.multipliers == .luts ? m.product(x, w, levelsPerStage: 1, name: "product_\(i)_tree") : x * w, name: "product_\(i)")
        }
        let levels = m.reduceTree(products, levelsPerStage: c.adderLevelsPerStage, name: "adder") { a, b in
            let width = max(a.width, b.width)
            return a.extended(to: width) +& b.extended(to: width)
        }
        // The tree's last levels registered too, when the stages leave some (`MACArrayParameters.adderStages`).
        let registeredStages = treeStages(leaves: c.parallelism.inVec, levelsPerStage: c.adderLevelsPerStage)
        let tree = design.adderStages > registeredStages ? m.delayed(levels, name: "adder_sum") : levels
        let running = m.register("running_sum", accumulatorType, reset: nil)
        let sum = (mux(control.first, m.constant(0, accumulatorType), running) + tree.resized(to: accumulatorType.width)).named("pass_sum")
        m.when(control.valid) { running <== sum }
        // The bias in a step of its own, so one adder lies between registers.
        let bias = m.delayed(convert(control.bias, signed: formats.bias.signed, to: accumulatorType), name: "bias_q")
        accumulator <== m.delayed(m.delayed(sum, name: "pass_sum_q") + bias, name: "accumulator_q")
    }
}

/// The multiply-accumulate datapath: per cycle, `InVec` activations times
/// `OutVec x InVec` weights in `OutVec` `MACLane`s (emitted once), the
/// weight and bias memories, and the pass's position carried beside the
/// lanes; at a pass's end the sums plus bias go to the requantizer.
///
/// ```
///  issue     column word k and the weights of (pass j, word k)
///  +3        words arrive (address register, block RAM, its output register)
///  +3+P      products registered (P: `MACLane.productLatency`)
///  +3+P+adder  running sums, registered
///  +5+P+adder  accumulators               (latency)
/// ```
struct MACArrayDatapath: Circuit {
    let design: MACArrayParameters

    /// Cycles from an operation to its accumulators.
    static func latency(_ design: MACArrayParameters) -> Int {
        MACArrayInput.readLatency + MACLane.productLatency(design) + design.adderStages + 2
    }

    struct Inputs: PortGroup {
        let operation: MACOperation
        /// The operation's input word, `MACArrayInput.readLatency` cycles after it.
        let word: Signal
        let weightsWrite, biasWrite: MemoryWrite
    }

    var moduleName: String { "mac_datapath" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        let c = design.configuration
        return [.init("lanes", "\(c.parallelism.outVec) of \(c.parallelism.inVec) products"),
                .init("weights", "\(c.parallelism.outVec) x \(2 * design.weightWords) words"), .init("bias", "\(2 * design.biasWords) words")]
    }

    func inputs(_ ports: PortFields) -> Inputs {
        Inputs(operation: ports.group("operation") { MACOperation($0, design) }, word: ports("word", .unsigned(design.activationBeatBits)),
               weightsWrite: ports.group("weights_write") {
                   MemoryWrite($0, depth: 2 * design.weightWords, wordBits: design.weightWordBits, indexBits: design.loadBeat.indexBits)
               },
               biasWrite: ports.group("bias_write") { MemoryWrite($0, depth: 2 * design.biasWords, wordBits: design.biasWordBits) })
    }

    func outputs(_ ports: PortFields) -> AccumulatorBeat {
        ports.group("beat") { AccumulatorBeat($0, lanes: design.configuration.parallelism.outVec, design.accumulatorType, chunks: design.outputChunksMax) }
    }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs: AccumulatorBeat) {
        let c = design.configuration, p = c.parallelism, op = inputs.operation, biasFormat = c.formats.bias
        func bankBase(_ select: Signal, _ words: Int, _ width: Int) -> Signal {
            mux(select, m.constant(words, .unsigned(width)), m.constant(0, .unsigned(width)))
        }
        // Reads: each lane's weights and the bias word, with the column word.
        let weightWidth = max(1, ceilLog2(2 * design.weightWords))
        let weightAddress = (bankBase(op.bank, design.weightWords, weightWidth)
                             + m.product(op.outputChunk, design.inChunksMax).resized(to: weightWidth)
                             + op.inChunk.resized(to: weightWidth)).named("weight_address")
        // Registered before the block RAMs (as the column word's read is, see
        // `MACArrayInput`): the address once, each memory's read enable in a
        // register of its own (`fannedOut`, kept apart by synthesis), not one
        // register, merged from identical ones, across every lane's memory
        // and the input buffer's; the bias memory's enable the last copy.
        let readEnables = m.fannedOut(op.valid, copies: p.outVec + 1, name: "read_enable")
        let weightAddressRegistered = m.delayed(weightAddress, name: "weight_address_q")
        // Weight writes registered here, each lane's enable on its own (`StagedWrite`).
        let weightsWrite = inputs.weightsWrite.staged(m, name: "weights_write")
        let weightWords = (0..<p.outVec).map { lane -> Signal in
            let memory = m.simpleDualPortRAM("weights_\(lane)", depth: 2 * design.weightWords, .unsigned(design.weightWordBits),
                                             readDuringWrite: .undefined)
            m.when(weightsWrite.enable(lane)) { memory.write(address: weightsWrite.address, data: weightsWrite.word(lane)) }
            return memory.readRegistered(address: weightAddressRegistered.resized(to: memory.addressWidth), enable: readEnables[lane],
                                         name: "weight_word_\(lane)")
        }
        let biasWidth = max(1, ceilLog2(2 * design.biasWords))
        let biasMemory = m.simpleDualPortRAM("bias", depth: 2 * design.biasWords, .unsigned(design.biasWordBits), readDuringWrite: .undefined)
        m.when(inputs.biasWrite.enable) { biasMemory.write(address: inputs.biasWrite.address, data: inputs.biasWrite.data) }
        let biasAddress = (bankBase(op.bank, design.biasWords, biasWidth) + op.outputChunk.resized(to: biasWidth)).named("bias_address")
        let bias = biasMemory.readPipelined(address: biasAddress.resized(to: biasMemory.addressWidth), registeredEnable: readEnables[p.outVec],
                                            name: "bias_word")

        // The operation waits beside the reads, products and adder trees.
        // Each lane reads its own copy of its running sum's controls (a
        // register a cycle ahead, kept apart by `fannedOut`), so no control
        // register drives every lane's running sum.
        let summedEarly = m.delayed(op, cycles: MACArrayInput.readLatency + MACLane.productLatency(design) + design.adderStages - 1,
                                    name: "summed_early")
        let summed = m.delayed(summedEarly, cycles: 1, name: "summed")
        let firstCopies = m.fannedOut(summedEarly.firstInChunk, copies: p.outVec, name: "summed_first_in_chunk")
        let validCopies = m.fannedOut(summedEarly.valid, copies: p.outVec, name: "summed_valid")
        let summedBias = m.delayed(bias, cycles: MACLane.productLatency(design) + design.adderStages, name: "summed_bias")
        let accumulators = weightWords.enumerated().map { lane, weights -> Signal in
            let unit = m.instance(MACLane(design: design), name: "u_lane_\(lane)")
            unit.inputs <== MACLane.Inputs(
                activations: inputs.word, weights: weights,
                control: MACLane.Control(first: firstCopies[lane], valid: validCopies[lane],
                                         bias: summedBias[high: (lane + 1) * biasFormat.bits - 1, low: lane * biasFormat.bits]))
            return unit.outputs
        }
        let emit = m.delayed(m.delayed(summed.valid & summed.lastInChunk, name: "pass_end_q", reset: 0), name: "beat_emit_q", reset: 0)
        outputs <== AccumulatorBeat(accumulators: accumulators, valid: emit, emit: emit,
                                    lastChunk: m.delayed(summed.lastOutputChunk, cycles: 2, name: "beat_last_chunk_q"),
                                    bank: m.delayed(summed.bank, cycles: 2, name: "beat_bank_q"),
                                    chunk: m.delayed(summed.outputChunk, cycles: 2, name: "beat_chunk_q"))
    }
}
