import HDL
import PQ

/// Requantization of each accumulator to the output format, exactly as the
/// golden model's `Requantization.apply`:
///
/// ```
///  q1   product = accumulator * multiplier                         (registered)
///  q2   (product + 2^(shift-1)) >>> shift                          (registered)
///  q3   saturated, ReLU, lanes past Cout zeroed                     (registered)
/// ```
struct Requantizer {
    /// Multipliers up to this many bits are built from shifts and adders (LUTs
    /// and carry chains) rather than left to a DSP block.
    static let shiftAddBits = 8

    /// The fixed choices the requantizer is built for.
    struct Settings {
        let multiplierBits, maxShift: Int
        let output: IntegerFormat
        /// Output lanes per beat, and beats per column at most.
        let outVec, outputChunksMax: Int
    }

    /// One bank's run-time requantization registers.
    struct Registers {
        let multiplier, shift, relu, cout: Signal
    }

    /// A beat of accumulators from the stage before (registered): `valid`
    /// marks work in flight, `emit` a beat to requantize, `lastChunk` the
    /// column's last beat (with `valid`, the end of a unit of work counted
    /// for the bank it used), `chunk` the beat's index within the column.
    struct Input {
        let accumulators: [Signal]
        let valid, emit, lastChunk, bank, chunk: Signal
    }

    /// An output beat, valid when `valid` is high.
    let valid, last, data: Signal
    /// A unit of work (`input.valid & input.lastChunk`) leaves the pipeline.
    let slotDone, slotDoneBank: Signal

    init(_ m: ModuleBuilder, _ settings: Settings, banks: [Registers], input: Input) {
        let output = settings.output
        // q1: the product.
        let multiplier = perBank(input.bank, banks.map(\.multiplier))
        let multiplierValue = multiplier.extended(to: settings.multiplierBits + 1).asSigned
        let products = input.accumulators.enumerated().map { lane, accumulator -> Signal in
            let value = accumulator.type.isSigned ? accumulator : accumulator.extended(to: accumulator.width + 1).asSigned
            let product = settings.multiplierBits <= Self.shiftAddBits ? shiftAndAdd(value, multiplier, m) : value * multiplierValue
            return m.delayed(product, name: "q1_product_\(lane)")
        }
        let valid1 = m.delayed(input.valid, name: "q1_valid", reset: 0)
        let emit1 = m.delayed(input.emit, name: "q1_emit", reset: 0)
        let last1 = m.delayed(input.lastChunk, name: "q1_last_chunk")
        let bank1 = m.delayed(input.bank, name: "q1_bank"), chunk1 = m.delayed(input.chunk, name: "q1_chunk")

        // q2: round and shift. Each bank's rounding constant is a register:
        // it changes only with its layer, and a bank in use takes no loads.
        let width = max((products.first?.width ?? 1) + 1, settings.maxShift + 2, output.bits + 1)
        let one = m.constant(1, .unsigned(width))
        let roundings = banks.enumerated().map { index, registers in
            m.delayed(((one << registers.shift) >> 1).asSigned, name: "bank\(index)_rounding")
        }
        let shift = perBank(bank1, banks.map(\.shift)), rounding = perBank(bank1, roundings)
        let shifted = products.enumerated().map { lane, product in
            m.delayed((product.extended(to: width) + rounding) >> shift, name: "q2_shifted_\(lane)")
        }
        let valid2 = m.delayed(valid1, name: "q2_valid", reset: 0), emit2 = m.delayed(emit1, name: "q2_emit", reset: 0)
        let last2 = m.delayed(last1, name: "q2_last_chunk")
        let bank2 = m.delayed(bank1, name: "q2_bank"), chunk2 = m.delayed(chunk1, name: "q2_chunk")

        // q3: saturate, ReLU, zero the lanes past Cout.
        let relu = perBank(bank2, banks.map(\.relu)), cout = perBank(bank2, banks.map(\.cout))
        let minimum = m.constant(output.minValue, .signed(width)), maximum = m.constant(output.maxValue, .signed(width))
        let channelWidth = max(1, bitsToRepresent(settings.outputChunksMax * settings.outVec))
        let chunkBase = scaled(chunk2, by: settings.outVec, to: channelWidth, m)
        let outputType = numberType(bits: output.bits, signed: output.signed)
        let lanes = shifted.enumerated().map { lane, value -> Signal in
            let saturated = mux(value < minimum, minimum, mux(value > maximum, maximum, value)).truncated(to: output.bits)
            let typed = output.signed ? saturated.asSigned : saturated.asUnsigned
            let rectified = output.signed ? mux(relu & (typed < 0), m.constant(0, outputType), typed) : typed
            return mux((chunkBase + lane) < cout.resized(to: channelWidth), rectified, m.constant(0, outputType)).asUnsigned
        }
        data = m.delayed(concatenate(lanes.reversed()), name: "q3_data")
        valid = m.delayed(emit2, name: "q3_valid", reset: 0)
        last = m.delayed(last2, name: "q3_last")
        slotDone = m.delayed(valid2 & last2, name: "q3_slot_done", reset: 0)
        slotDoneBank = m.delayed(bank2, name: "q3_bank")
    }
}

extension Requantizer {
    /// The accelerator's requantizer, after its lookup.
    init(_ m: ModuleBuilder, _ design: PQAParameters, layer: LayerControl, lookup: Lookup) {
        let c = design.configuration
        let settings = Settings(multiplierBits: c.multiplierBits, maxShift: c.maxShift, output: c.formats.output,
                                outVec: c.parallelism.outVec, outputChunksMax: design.outputChunksMax)
        let banks = layer.banks.map { Registers(multiplier: $0.multiplier, shift: $0.shift, relu: $0.relu, cout: $0.cout) }
        self.init(m, settings, banks: banks, input: Input(accumulators: lookup.accumulators, valid: lookup.valid, emit: lookup.emit,
                                                          lastChunk: lookup.lastChunk, bank: lookup.bank, chunk: lookup.chunk))
    }
}

/// `value * multiplier` (signed times unsigned) as a tree of shifted, masked
/// copies of `value`: no multiplier primitive, so synthesis uses LUTs.
func shiftAndAdd(_ value: Signal, _ multiplier: Signal, _ m: ModuleBuilder) -> Signal {
    let width = value.width + multiplier.width + 1
    let wide = value.extended(to: width)
    let zero = m.constant(0, .signed(width))
    let terms = (0..<multiplier.width).map { bit in [mux(multiplier.bit(bit), wide << bit, zero)] }
    return reduceTree(terms, levelsPerStage: 0, name: "shift_add", in: m) { [$0[0] + $1[0]] }[0]
}
