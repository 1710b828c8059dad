import HDL
import PQ

/// A beat of accumulators for the requantizer: `valid` marks work in
/// flight, `emit` a beat to requantize and send, `lastChunk` the column's
/// last beat (with `valid`, the end of a unit of work counted for the bank it
/// used), `chunk` the beat's index within the column.
struct AccumulatorBeat: PortGroup {
    let accumulators: [Signal]
    let valid, emit, lastChunk, bank, chunk: Signal
}

extension AccumulatorBeat {
    init(_ ports: PortFields, lanes: Int, _ type: SignalType, chunks: Int) {
        accumulators = ports.array("accumulator", count: lanes, type)
        valid = ports.bool("valid")
        emit = ports.bool("emit")
        lastChunk = ports.bool("last_chunk")
        bank = ports.bool("bank")
        chunk = ports("chunk", countType(chunks))
    }
}

/// One bank's run-time requantization registers.
struct RequantizationRegisters: PortGroup {
    let multiplier, shift, relu, cout: Signal
}

/// An output beat, and the end of a unit of work passing the requantizer.
struct RequantizedBeat: PortGroup {
    let valid, last, data: Signal
    /// A unit of work (`valid & lastChunk` of the accumulator beat) leaves the pipeline, and its bank.
    let done, doneBank: Signal
}

/// Requantization of each accumulator to the output format, exactly as the
/// golden model's `Requantization.apply`, one `RequantizerLane` per output
/// lane (emitted once):
///
/// ```
///  q0a  accumulator; the multiplier, a copy per group of lanes       (registered)
///  q0   accumulator; the multiplier, a copy per lane from its group's (registered)
///  q1   product = accumulator * multiplier     (a register every adder level of a LUT product; registered)
///  q2   sum = product + 2^(shift-1)                                 (registered)
///  q3a  sum >>> the shift's low bits; beside it, in three parts, whether
///       the result will lie below or above the output range         (registered)
///  q3   that >>> the shift's high bits; the parts' verdicts joined     (registered)
///  q4   saturated, ReLU, lanes past Cout zeroed                     (registered)
/// ```
/// The PQA core and the MAC-array baseline share it.
struct Requantizer: Circuit {
    /// The fixed choices the requantizer is built for.
    struct Settings: Hashable {
        let multiplierBits, maxShift, maxCout: Int
        let accumulator: SignalType
        let output: IntegerFormat
        /// Output lanes per beat, and beats per column at most.
        let outVec, outputChunksMax: Int
    }

    let settings: Settings

    /// Adder levels of a LUT multiplier between registers.
    static let productLevelsPerStage = 1
    /// Output lanes that share one copy of each setting register; the
    /// multiplier, whose every bit feeds a row of each lane's LUT product,
    /// has a copy per lane besides, each fed from its group's copy.
    static let lanesPerSettingsCopy = 4

    /// Cycles from an accumulator beat to its output beat.
    static func latency(_ settings: Settings) -> Int { RequantizerLane(settings: settings).latency + 1 }

    struct Inputs: PortGroup {
        let beat: AccumulatorBeat
        let banks: [RequantizationRegisters]
    }

    var moduleName: String { "pqa_requantizer" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        [.init("lanes", settings.outVec), .init("accumulator", settings.accumulator), .init("output", settings.output),
         .init("multiplier", "\(settings.multiplierBits) bits"), .init("shift", "up to \(settings.maxShift)"),
         .init("Cout", "up to \(settings.maxCout), \(settings.outputChunksMax) beats")]
    }

    func inputs(_ ports: PortFields) -> Inputs {
        Inputs(beat: ports.group("beat") { AccumulatorBeat($0, lanes: settings.outVec, settings.accumulator, chunks: settings.outputChunksMax) },
               banks: ports.groups("bank", count: 2) {
                   RequantizationRegisters(multiplier: $0("multiplier", .unsigned(settings.multiplierBits)),
                                           shift: $0("shift", countType(settings.maxShift)), relu: $0.bool("relu"),
                                           cout: $0("cout", countType(settings.maxCout)))
               })
    }

    func outputs(_ ports: PortFields) -> RequantizedBeat {
        RequantizedBeat(valid: ports.bool("out_valid"), last: ports.bool("out_last"),
                        data: ports("out_data", .unsigned(settings.outVec * settings.output.bits)),
                        done: ports.bool("done"), doneBank: ports.bool("done_bank"))
    }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs: RequantizedBeat) {
        let beat = inputs.beat, banks = inputs.banks
        let lane = RequantizerLane(settings: settings)
        // Each bank's rounding constant is a register: it changes only with
        // its layer, and a bank in use takes no loads. It is computed from
        // a copy of the bank's shift register kept here, not from the layer
        // control's across the core.
        let bankShifts = banks.enumerated().map { index, registers in m.delayed(registers.shift, name: "bank\(index)_shift_q") }
        let roundings = bankShifts.enumerated().map { index, shift in
            let one = m.constant(1, .unsigned(lane.shiftWidth))
            return m.delayed(((one << shift) >> 1).asSigned, name: "bank\(index)_rounding")
        }
        // So is the mask of the sum's bits that take it out of the output range (`RequantizerLane.rangeMask`).
        let rangeMasks = bankShifts.enumerated().map { index, shift in
            m.delayed(lane.rangeMask(m, shift: shift), name: "bank\(index)_range_mask")
        }
        // The beat's position beside the lanes, at the step each setting is used in.
        let earlier = m.delayed(beat.position, cycles: lane.productLatency - 2, name: "q1_earlier")
        let beforeProduct = m.delayed(earlier, cycles: 1, name: "q1_early")
        let multiplied = m.delayed(beforeProduct, cycles: 1, name: "q1")
        let rounded = m.delayed(multiplied, cycles: 1, name: "q2")
        let halfShifted = m.delayed(rounded, cycles: 1, name: "q3a")
        let shifted = m.delayed(halfShifted, cycles: 1, name: "q3")
        // Each setting is chosen two steps before its use, registered once,
        // then in a copy per group of lanes (`fannedOut` in two levels), so
        // the bank select drives one register per setting and no setting
        // drives every lane; the lanes' channel checks' operands are chosen a
        // step before their use and copied once.
        let copies = (settings.outVec + Self.lanesPerSettingsCopy - 1) / Self.lanesPerSettingsCopy
        func copied(_ value: Signal, _ name: String) -> [Signal] { m.fannedOut(value, copies: copies, name: name) }
        func chosenEarly(_ value: Signal, _ name: String) -> [Signal] { m.fannedOut(value, copies: copies, groupSize: copies, name: name) }
        let channelWidth = max(1, bitsToRepresent(settings.outputChunksMax * settings.outVec))
        // The channels from the beat's first on that exist (Cout less the first), each lane's check a compare with its index.
        let firstChannel = m.delayed(m.product(multiplied.chunk, settings.outVec).resized(to: channelWidth), name: "q2_first_channel")
        let cout = perBank(rounded.bank, banks.map(\.cout)).resized(to: channelWidth)
        let channelsLeft = copied(cout.extended(to: channelWidth + 1).asSigned - firstChannel.extended(to: channelWidth + 1).asSigned,
                                  "q3a_channels_left")
        let multipliers = m.fannedOut(perBank(beat.bank, banks.map(\.multiplier)), copies: settings.outVec,
                                       groupSize: Self.lanesPerSettingsCopy, name: "q0_multiplier")
        let roundingCopies = chosenEarly(perBank(earlier.bank, roundings), "q1_rounding")
        let shifts = chosenEarly(perBank(beforeProduct.bank, banks.map(\.shift)), "q2_shift")
        let relus = chosenEarly(perBank(rounded.bank, banks.map(\.relu)), "q3_relu")
        let masks = chosenEarly(perBank(beforeProduct.bank, rangeMasks), "q2_range_mask")
        let lanes = beat.accumulators.enumerated().map { index, accumulator -> Signal in
            let group = index / Self.lanesPerSettingsCopy
            let unit = m.instance(lane, name: "u_lane_\(index)")
            let control = RequantizerLane.Control(multiplier: multipliers[index], rounding: roundingCopies[group], shift: shifts[group],
                                                  rangeMask: masks[group], relu: relus[group])
            unit.inputs <== RequantizerLane.Inputs(accumulator: accumulator, control: control,
                                                   exists: m.delayed(channelsLeft[group] > index, name: "q3_channel_exists_\(index)"))
            return unit.outputs
        }
        outputs.data <== m.delayed(concatenate(lanes.reversed()), name: "q4_data")
        outputs.valid <== m.delayed(shifted.emit, name: "q4_valid", reset: 0)
        outputs.last <== m.delayed(shifted.lastChunk, name: "q4_last")
        outputs.done <== m.delayed(shifted.valid & shifted.lastChunk, name: "q4_done", reset: 0)
        outputs.doneBank <== m.delayed(shifted.bank, name: "q4_bank")
    }
}

extension AccumulatorBeat {
    /// The beat without its accumulators: what the requantizer carries alongside them.
    var position: BeatPosition { BeatPosition(valid: valid, emit: emit, lastChunk: lastChunk, bank: bank, chunk: chunk) }
}

/// Where an accumulator beat stands, carried beside its lanes.
struct BeatPosition: Pipelined {
    let valid, emit, lastChunk, bank, chunk: Signal

    static var resettingFields: Set<String> { ["valid", "emit"] }

    func map(_ transform: (Signal, String) -> Signal) -> BeatPosition {
        BeatPosition(valid: transform(valid, "valid"), emit: transform(emit, "emit"), lastChunk: transform(lastChunk, "last_chunk"),
                     bank: transform(bank, "bank"), chunk: transform(chunk, "chunk"))
    }
}

/// One output lane of the requantizer (see `Requantizer`): the lane's
/// accumulator to its output value, in registered steps; the value itself
/// leaves combinationally after the last (the requantizer registers the beat).
struct RequantizerLane: Circuit {
    let settings: Requantizer.Settings

    /// The bank's settings, each at the step that uses it.
    struct Control: PortGroup {
        /// Two cycles after the accumulator: the multiplier; with the product:
        /// the rounding constant; with the sum: the shift and the bits that
        /// take it out of the output range (`rangeMask`); with the shifted
        /// value: ReLU (each from a register).
        let multiplier, rounding, shift, rangeMask, relu: Signal
    }

    struct Inputs: PortGroup {
        let accumulator: Signal
        let control: Control
        /// With the shifted value: the lane's channel exists (below Cout); otherwise it outputs zero.
        let exists: Signal
    }

    var moduleName: String { "pqa_requantizer_lane" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        [.init("accumulator", settings.accumulator), .init("output", settings.output),
         .init("multiplier", "\(settings.multiplierBits) bits\(settings.multiplierBits <= lutMultiplierBits ? ", from LUTs" : "")"),
         .init("shift", "up to \(settings.maxShift)")]
    }

    /// The accumulator read as a signed number.
    private var signedAccumulator: SignalType {
        settings.accumulator.isSigned ? settings.accumulator : .signed(settings.accumulator.width + 1)
    }
    /// Cycles from the accumulator to the registered product (the first two register the operands).
    var productLatency: Int {
        3 + ModuleBuilder.productStages(signedAccumulator, .unsigned(settings.multiplierBits), levelsPerStage: Requantizer.productLevelsPerStage)
    }
    /// Cycles from the accumulator to the shifted value (the value leaves a step later, unregistered).
    var latency: Int { productLatency + 3 }
    /// Bits of the product: the accumulator as a signed number times the unsigned multiplier.
    var productWidth: Int { signedAccumulator.width + settings.multiplierBits + 1 }
    /// Bits of the rounded and shifted value: room for the product's rounding carry, every shift and every output.
    var shiftWidth: Int { max(productWidth + 1, settings.maxShift + 2, settings.output.bits + 1) }
    /// Bits of the shift taken in the first of its two steps (the rest in the second).
    var lowShiftBits: Int { (countType(settings.maxShift).width + 1) / 2 }

    /// The bits of the rounded sum that take the shifted value out of the
    /// output range: every bit from `magnitude + shift` up, `magnitude` being
    /// the output's bits less its sign. A sum `v >= 0` shifted right
    /// (arithmetic) exceeds the output's maximum exactly when `v` has one of
    /// them set; a sum `v < 0` falls below its minimum exactly when `~v` has
    /// (for an unsigned output, whenever `v < 0`). The lane saturates from
    /// these tests, made beside the two shift steps, with no compare after them.
    func rangeMask(_ m: ModuleBuilder, shift: Signal) -> Signal {
        let magnitude = settings.output.bits - (settings.output.signed ? 1 : 0)
        // A constant shifted by the shift: no adder before the shifter.
        return (~m.constant(0, .unsigned(shiftWidth)) << magnitude) << shift
    }

    /// Parts the range tests are split into before they are joined (the
    /// join, with the sign, one LUT).
    static let rangeTestParts = 3

    func inputs(_ ports: PortFields) -> Inputs {
        Inputs(accumulator: ports("accumulator", settings.accumulator),
               control: ports.group("control") {
                   Control(multiplier: $0("multiplier", .unsigned(settings.multiplierBits)), rounding: $0("rounding", .signed(shiftWidth)),
                           shift: $0("shift", countType(settings.maxShift)), rangeMask: $0("range_mask", .unsigned(shiftWidth)),
                           relu: $0.bool("relu"))
               },
               exists: ports.bool("exists"))
    }

    func outputs(_ ports: PortFields) -> Signal { ports("value", .unsigned(settings.output.bits)) }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs value: Signal) {
        let control = inputs.control, output = settings.output
        // q0a, q0: the accumulator registered twice beside the multiplier's
        // two copies; q1: the product, the accumulator read as a signed
        // number (LUT products pipelined).
        let accumulator = m.delayed(m.delayed(inputs.accumulator, name: "q0a_accumulator"), name: "q0_accumulator")
        let signedValue = accumulator.type.isSigned ? accumulator : accumulator.extended(to: accumulator.width + 1).asSigned
        let product = m.delayed(m.product(signedValue, control.multiplier, levelsPerStage: Requantizer.productLevelsPerStage),
                                name: "q1_product")
        // q2: round half up; q3a, q3: shift (arithmetic), by the shift's low
        // bits and then its high bits, half the multiplexer levels each.
        let sum = m.delayed(product.extended(to: shiftWidth) + control.rounding, name: "q2_sum")
        let lowBits = lowShiftBits, highBits = control.shift.width - lowBits
        let partlyShifted = m.delayed(sum >> control.shift[high: lowBits - 1, low: 0], name: "q3a_shifted")
        let shifted: Signal
        if highBits > 0 {
            let highShift = m.delayed(control.shift[high: control.shift.width - 1, low: lowBits], name: "q3a_high_shift")
            shifted = m.delayed(partlyShifted >> highShift.concatenated(m.constant(0, .unsigned(lowBits))), name: "q3_shifted")
        } else {
            shifted = m.delayed(partlyShifted, name: "q3_shifted")
        }
        // Beside the two steps, whether the result leaves the output range
        // (`rangeMask`): each of the sum's masked parts tested beside the
        // first, the parts joined beside the second.
        let negative = partlyShifted[shiftWidth - 1]
        func rangeTest(_ bits: Signal, _ name: String) -> Signal {
            let masked = bits & control.rangeMask, partBits = (shiftWidth + Self.rangeTestParts - 1) / Self.rangeTestParts
            let parts = stride(from: 0, to: shiftWidth, by: partBits).enumerated().map { index, low in
                m.delayed(masked[high: min(low + partBits, shiftWidth) - 1, low: low].orReduce(), name: "q3a_\(name)_part_\(index)")
            }
            return parts.dropFirst().reduce(parts[0]) { $0 | $1 }
        }
        let below = m.delayed(output.signed ? negative & rangeTest(~sum.asUnsigned, "below") : negative, name: "q3_below")
        let above = m.delayed(!negative & rangeTest(sum.asUnsigned, "above"), name: "q3_above")
        // q4 (registered by the requantizer): saturate, ReLU, zero past Cout.
        let bitsType = SignalType.unsigned(output.bits)
        let minimum = m.constant(output.minValue, .signed(output.bits + 1)).truncated(to: output.bits).asUnsigned
        let maximum = m.constant(output.maxValue, bitsType)
        let saturated = mux(below, minimum, mux(above, maximum, shifted.truncated(to: output.bits).asUnsigned))
        let outputType = numberType(bits: output.bits, signed: output.signed)
        let typed = output.signed ? saturated.asSigned : saturated.asUnsigned
        let rectified = output.signed ? mux(control.relu & (typed < 0), m.constant(0, outputType), typed) : typed
        value <== mux(inputs.exists, rectified, m.constant(0, outputType)).asUnsigned
    }
}
