import HDL
import PQ

/// The conventional baseline: an `InVec x OutVec` multiply-accumulate array
/// behind the same streams as the PQA core, built from stage modules.
///
/// ```
///  activations ─▶ u_input_buffer ─▶ u_datapath: OutVec x mac_lane ─▶ u_requantizer ─▶ u_output_fifo ─▶ outputs
///   (stream)      (2 columns)       InVec products, adder tree,      (shared with        (stream)
///                      ▲            running sum, bias                 the PQA core)
///                 u_sequencer
///  loads ─▶ u_layer_control: layer registers (two banks), weight and bias writes, bank swap
/// ```
///
/// A column of `D` activations arrives as `ceil(D / InVec)` beats; the array
/// makes `ceil(Cout / OutVec)` passes over it, one word per cycle, so a column
/// takes `ceil(Cout / OutVec) x ceil(D / InVec)` cycles. Weights, bias and the
/// layer registers live in two banks: the next layer loads through the load
/// stream while the current one runs. The accumulator is as wide as the exact
/// product needs.
public struct MACArrayCore: HardwareModule {
    /// The derived parameters of the design.
    public let design: MACArrayParameters

    /// The array for `configuration` (validated first).
    public init(_ configuration: MACArrayConfiguration) throws {
        try configuration.validate()
        design = try MACArrayParameters(configuration)
    }

    public var moduleName: String { "mac_array_core" }
    public var nameIncludesParameters: Bool { false }
    public var parameters: [ModuleParameter] {
        let c = design.configuration
        return [
            .init("maxima", "D \(c.maxima.d), Cout \(c.maxima.cout), columns \(c.maxima.columns)"),
            .init("parallelism", "InVec \(c.parallelism.inVec), OutVec \(c.parallelism.outVec)"),
            .init("formats", "activation \(c.formats.activation), weight \(c.formats.weight), bias \(c.formats.bias), output \(c.formats.output)"),
            .init("requantization", "multiplier \(c.multiplierBits) bits, shift up to \(c.maxShift)"),
            .init("pipelining", "adder levels per stage \(c.adderLevelsPerStage)"),
            .init("multipliers", c.multipliers.rawValue),
        ]
    }

    public func build(_ m: ModuleBuilder) {
        // Every tdata is a whole number of bytes (AXI4-Stream): padding bits
        // are ignored on the way in and zero on the way out.
        let activations = m.streamInput("s_axis_act", .unsigned(design.activationStreamBits), naming: .axi)
        let load = m.streamInput("s_axis_load", .unsigned(design.loadBeatBits), naming: .axi)
        let output = m.streamOutput("m_axis_out", .unsigned(design.outputStreamBits), naming: .axi)

        let control = m.instance(MACArrayControl(design: design), name: "u_layer_control")
        let input = m.instance(MACArrayInput(design: design), name: "u_input_buffer")
        let sequencer = m.instance(MACArraySequencer(design: design), name: "u_sequencer")
        let datapath = m.instance(MACArrayDatapath(design: design), name: "u_datapath")
        let requantizer = m.instance(Requantizer(settings: design.requantizerSettings), name: "u_requantizer")
        let fifo = m.instance(StreamFIFO(depth: design.outputFIFODepth, width: design.outputBeatBits), name: "u_output_fifo")

        let banks = control.outputs.banks, state = control.outputs.state
        control.inputs <== MACArrayControl.Inputs(
            load: Stream(valid: load.valid, ready: load.ready, data: LoadBeatFields(bits: load.data, design.loadBeat), last: load.last),
            progress: WorkProgress(started: sequencer.outputs.started, layerEnds: sequencer.outputs.layerEnds,
                                   finished: requantizer.outputs.done, finishedBank: requantizer.outputs.doneBank),
            activationErrors: input.outputs.errors)
        let operation = sequencer.outputs.operation
        input.inputs <== MACArrayInput.Inputs(
            activations: Stream(valid: activations.valid, ready: activations.ready,
                                data: activations.data[high: design.activationBeatBits - 1, low: 0], last: activations.last),
            layer: MACArrayInput.Layer(inChunks: perBank(state.activeBank, banks.map(\.inChunks)), swap: state.swap,
                                       nextInChunks: perBank(state.loadBank, banks.map(\.inChunks)),
                                       nextColumns: perBank(state.loadBank, banks.map(\.columns)), waiting: state.pending | state.committing),
            releaseNext: sequencer.outputs.releaseNext,
            read: MACArrayInput.Read(enable: operation.valid, slot: operation.readSlot, chunk: operation.inChunk))
        sequencer.inputs <== MACArraySequencer.Inputs(
            banks: banks.map { MACArraySequencer.Timing(inChunks: $0.inChunks, outputChunks: $0.outputChunks, columns: $0.columns) },
            active: state.active, full: input.outputs.full, outputPop: output.fire)
        datapath.inputs <== MACArrayDatapath.Inputs(operation: operation, word: input.outputs.word,
                                                    weightsWrite: control.outputs.weights, biasWrite: control.outputs.bias)
        requantizer.inputs <== Requantizer.Inputs(
            beat: datapath.outputs,
            banks: banks.map { RequantizationRegisters(multiplier: $0.multiplier, shift: $0.shift, relu: $0.relu, cout: $0.cout) })

        let result = requantizer.outputs
        // The sequencer reserves FIFO space before a pass starts.
        fifo.inputs.valid <== result.valid
        fifo.inputs.data <== result.data
        fifo.inputs.last.map { $0 <== result.last }
        output.valid <== fifo.outputs.valid
        output.data <== fifo.outputs.data.extended(to: design.outputStreamBits)
        output.last.map { $0 <== fifo.outputs.last ?? m.constant(false) }
        fifo.outputs.ready <== output.ready
        m.output("error", .unsigned(CoreErrorCode.bits)) <== control.outputs.error
        let nothingQueued = !state.activeValid & !state.pending & !state.committing & input.outputs.columnsDone & !input.outputs.receiving
        m.output("idle", .bool) <== nothingQueued & state.idleBanks & !output.valid & !sequencer.outputs.inPass
    }
}
