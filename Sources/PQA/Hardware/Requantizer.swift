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
///  q0   accumulator and multiplier                                  (registered)
///  q1   product = accumulator * multiplier     (a register every adder level of a LUT product; registered)
///  q2   sum = product + 2^(shift-1)                                 (registered)
///  q3a  sum >>> the shift's low bits                                (registered)
///  q3   that >>> the shift's high bits                              (registered)
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
        // its layer, and a bank in use takes no loads.
        let roundings = banks.enumerated().map { index, registers in
            let one = m.constant(1, .unsigned(lane.shiftWidth))
            return m.delayed(((one << registers.shift) >> 1).asSigned, name: "bank\(index)_rounding")
        }
        // The beat's position beside the lanes, at the step each setting is used in.
        let multiplied = m.delayed(beat.position, cycles: lane.productLatency, name: "q1")
        let rounded = m.delayed(multiplied, cycles: 1, name: "q2")
        let halfShifted = m.delayed(rounded, cycles: 1, name: "q3a")
        let shifted = m.delayed(halfShifted, cycles: 1, name: "q3")
        // The settings of the last two steps and the lanes' channel checks
        // are chosen a step ahead and registered, off the value's path.
        let channelWidth = max(1, bitsToRepresent(settings.outputChunksMax * settings.outVec))
        let firstChannel = m.product(halfShifted.chunk, settings.outVec).resized(to: channelWidth)
        let cout = perBank(halfShifted.bank, banks.map(\.cout)).resized(to: channelWidth)
        let control = RequantizerLane.Control(
            multiplier: m.delayed(perBank(beat.bank, banks.map(\.multiplier)), name: "q0_multiplier"), rounding: perBank(multiplied.bank, roundings),
            shift: m.delayed(perBank(multiplied.bank, banks.map(\.shift)), name: "q2_shift"),
            relu: m.delayed(perBank(halfShifted.bank, banks.map(\.relu)), name: "q3_relu"))
        let lanes = beat.accumulators.enumerated().map { index, accumulator -> Signal in
            let unit = m.instance(lane, name: "u_lane_\(index)")
            unit.inputs <== RequantizerLane.Inputs(accumulator: accumulator, control: control,
                                                   exists: m.delayed((firstChannel + index) < cout, name: "q3_channel_exists_\(index)"))
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
        /// A cycle after the accumulator: the multiplier; with the product:
        /// the rounding constant; with the sum: the shift; with the shifted
        /// value: ReLU (all but the rounding constant from registers).
        let multiplier, rounding, shift, relu: Signal
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
    /// Cycles from the accumulator to the registered product (the first registers the operands).
    var productLatency: Int {
        2 + ModuleBuilder.productStages(signedAccumulator, .unsigned(settings.multiplierBits), levelsPerStage: Requantizer.productLevelsPerStage)
    }
    /// Cycles from the accumulator to the shifted value (the value leaves a step later, unregistered).
    var latency: Int { productLatency + 3 }
    /// Bits of the product: the accumulator as a signed number times the unsigned multiplier.
    var productWidth: Int { signedAccumulator.width + settings.multiplierBits + 1 }
    /// Bits of the rounded and shifted value: room for the product's rounding carry, every shift and every output.
    var shiftWidth: Int { max(productWidth + 1, settings.maxShift + 2, settings.output.bits + 1) }

    func inputs(_ ports: PortFields) -> Inputs {
        Inputs(accumulator: ports("accumulator", settings.accumulator),
               control: ports.group("control") {
                   Control(multiplier: $0("multiplier", .unsigned(settings.multiplierBits)), rounding: $0("rounding", .signed(shiftWidth)),
                           shift: $0("shift", countType(settings.maxShift)), relu: $0.bool("relu"))
               },
               exists: ports.bool("exists"))
    }

    func outputs(_ ports: PortFields) -> Signal { ports("value", .unsigned(settings.output.bits)) }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs value: Signal) {
        let control = inputs.control, output = settings.output
        // q0: the accumulator registered beside the multiplier; q1: the
        // product, the accumulator read as a signed number (LUT products pipelined).
        let accumulator = m.delayed(inputs.accumulator, name: "q0_accumulator")
        let signedValue = accumulator.type.isSigned ? accumulator : accumulator.extended(to: accumulator.width + 1).asSigned
        let product = m.delayed(m.product(signedValue, control.multiplier, levelsPerStage: Requantizer.productLevelsPerStage),
                                name: "q1_product")
        // q2: round half up; q3a, q3: shift (arithmetic), by the shift's low
        // bits and then its high bits, half the multiplexer levels each.
        let sum = m.delayed(product.extended(to: shiftWidth) + control.rounding, name: "q2_sum")
        let lowBits = (control.shift.width + 1) / 2, highBits = control.shift.width - lowBits
        let partlyShifted = m.delayed(sum >> control.shift[high: lowBits - 1, low: 0], name: "q3a_shifted")
        let shifted: Signal
        if highBits > 0 {
            let highShift = m.delayed(control.shift[high: control.shift.width - 1, low: lowBits], name: "q3a_high_shift")
            shifted = m.delayed(partlyShifted >> highShift.concatenated(m.constant(0, .unsigned(lowBits))), name: "q3_shifted")
        } else {
            shifted = m.delayed(partlyShifted, name: "q3_shifted")
        }
        // q4 (registered by the requantizer): saturate, ReLU, zero past Cout.
        let minimum = m.constant(output.minValue, .signed(shiftWidth)), maximum = m.constant(output.maxValue, .signed(shiftWidth))
        let saturated = mux(shifted < minimum, minimum, mux(shifted > maximum, maximum, shifted)).truncated(to: output.bits)
        let outputType = numberType(bits: output.bits, signed: output.signed)
        let typed = output.signed ? saturated.asSigned : saturated.asUnsigned
        let rectified = output.signed ? mux(control.relu & (typed < 0), m.constant(0, outputType), typed) : typed
        value <== mux(inputs.exists, rectified, m.constant(0, outputType)).asUnsigned
    }
}
