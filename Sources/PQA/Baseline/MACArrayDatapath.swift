import HDL
import PQ

/// The multiply-accumulate datapath: per cycle, `InVec` activations times
/// `OutVec x InVec` weights, an adder tree per output lane, and a running
/// sum over the pass; at the pass's end the sums plus bias go to the
/// requantizer.
///
/// ```
///  issue     column word k and the weights of (pass j, word k)
///  +1        words arrive (block RAM); products registered (LUTs or DSPs, see `Multipliers`)
///  +2        adder tree over InVec products, registers every `adderLevelsPerStage` levels
///  sum       running sum ← (first word ? 0 : sum) + tree
///  → requantizer, registered: accumulator = sum + bias
/// ```
struct MACArrayDatapath {
    /// The accumulators of one pass, for the requantizer.
    let result: Requantizer.Input

    init(_ m: ModuleBuilder, _ design: MACArrayParameters, control: MACArrayControl, input: MACArrayInput,
         operation op: MACArraySequencer.Operation) {
        let c = design.configuration, p = c.parallelism, formats = c.formats, load = control.load
        func bankBase(_ select: Signal, _ words: Int, _ width: Int) -> Signal {
            mux(select, m.constant(words, .unsigned(width)), m.constant(0, .unsigned(width)))
        }
        // Reads: the column word, each lane's weights and the bias word.
        let columnAddress = bankBase(op.readSlot, design.columnWords, input.memory.addressWidth)
            + op.inChunk.resized(to: input.memory.addressWidth)
        let activations = input.memory.read(address: columnAddress.named("column_address"), enable: op.valid, name: "activation_word")
        let weightDepth = 2 * design.weightWords, weightAddressWidth = max(1, ceilLog2(weightDepth))
        let weightLoadAddress = (bankBase(load.bank, design.weightWords, weightAddressWidth) + load.address.resized(to: weightAddressWidth))
            .named("load_weight_address")
        let weightAddress = (bankBase(op.bank, design.weightWords, weightAddressWidth)
                             + scaled(op.outputChunk, by: design.inChunksMax, to: weightAddressWidth, m)
                             + op.inChunk.resized(to: weightAddressWidth)).named("weight_address")
        let weightWords = (0..<p.outVec).map { lane -> Signal in
            let memory = m.simpleDualPortRAM("weights_\(lane)", depth: weightDepth, .unsigned(design.weightWordBits))
            m.when(load.fire & (load.kind == 1) & (load.index == lane) & inRange(load.address, design.weightWords, m)) {
                memory.write(address: weightLoadAddress, data: load.data.truncated(to: design.weightWordBits))
            }
            return memory.read(address: weightAddress.resized(to: memory.addressWidth), enable: op.valid, name: "weight_word_\(lane)")
        }
        let biasDepth = 2 * design.biasWords, biasAddressWidth = max(1, ceilLog2(biasDepth))
        let biasMemory = m.simpleDualPortRAM("bias", depth: biasDepth, .unsigned(design.biasWordBits))
        m.when(load.fire & (load.kind == 2) & inRange(load.address, design.biasWords, m)) {
            biasMemory.write(address: bankBase(load.bank, design.biasWords, biasAddressWidth) + load.address.resized(to: biasAddressWidth),
                             data: load.data.truncated(to: design.biasWordBits))
        }
        let biasAddress = bankBase(op.bank, design.biasWords, biasAddressWidth) + op.outputChunk.resized(to: biasAddressWidth)
        let bias = biasMemory.read(address: biasAddress.resized(to: biasMemory.addressWidth), enable: op.valid, name: "bias_word")

        // Products, registered: signed operands (an unsigned format gains a bit).
        func lane(_ word: Signal, _ index: Int, _ format: IntegerFormat) -> Signal {
            let type = SignalType.signed(format.bits + (format.signed ? 0 : 1))
            return convert(word[high: (index + 1) * format.bits - 1, low: index * format.bits], signed: format.signed, to: type)
        }
        let xs = (0..<p.inVec).map { lane(activations, $0, formats.activation) }
        let products = weightWords.enumerated().map { output, word in
            (0..<p.inVec).map { i in
                let weight = lane(word, i, formats.weight)
                return m.delayed(c.multipliers == .luts ? product(xs[i], weight, m) : xs[i] * weight, name: "product_\(output)_\(i)")
            }
        }
        let controls = [op.valid, op.bank, op.outputChunk, op.firstInChunk, op.lastInChunk, op.lastOutputChunk]
        let names = ["valid", "bank", "output_chunk", "first", "last", "last_output_chunk"]
        let delayedControls = zip(controls, names).map { signal, name in
            delay(signal, 2 + design.adderStages, name: "mac_\(name)", reset: name == "valid" ? 0 : nil, in: m)
        }
        let (validT, bankT, chunkT, firstT, lastT, lastChunkT) = (delayedControls[0], delayedControls[1], delayedControls[2],
                                                                   delayedControls[3], delayedControls[4], delayedControls[5])
        let biasT = delay(bias, 1 + design.adderStages, name: "mac_bias", in: m)

        // Adder trees and the running sums, in a signed type that holds every partial sum.
        let bound = design.accumulator
        let accumulatorType = SignalType.signed(bound.bits + (bound.signed ? 0 : 1))
        var totals: [Signal] = []
        for (output, row) in products.enumerated() {
            let tree = reduceTree(row.map { [$0] }, levelsPerStage: c.adderLevelsPerStage, name: "adder_\(output)", in: m) { a, b in
                let width = max(a[0].width, b[0].width)
                return [a[0].extended(to: width) +& b[0].extended(to: width)]
            }[0]
            let partial = m.register("running_sum_\(output)", accumulatorType, reset: nil)
            let sum = (mux(firstT, m.constant(0, accumulatorType), partial) + tree.resized(to: accumulatorType.width))
                .named("pass_sum_\(output)")
            m.when(validT) { partial <== sum }
            let biasValue = biasT[high: (output + 1) * formats.bias.bits - 1, low: output * formats.bias.bits]
            totals.append(sum + convert(biasValue, signed: formats.bias.signed, to: accumulatorType))
        }
        let emit = m.delayed(validT & lastT, name: "q0_emit", reset: 0)
        result = Requantizer.Input(
            accumulators: totals.enumerated().map { m.delayed($1, name: "q0_accumulator_\($0)") },
            valid: emit, emit: emit, lastChunk: m.delayed(lastChunkT, name: "q0_last_chunk"),
            bank: m.delayed(bankT, name: "q0_bank"), chunk: m.delayed(chunkT, name: "q0_chunk"))
    }
}
