import HDL
import PQ

/// The generated product-quantization accelerator: its ports and the stage
/// modules it wires together.
///
/// Per input column, subspace group by subspace group (`NsVec` subspaces at
/// a time), in slots of `max(ceil(Ls/LsVec) x ceil(Np/NpVec), ceil(Cout/OutVec))`
/// cycles:
///
/// ```
///  activations ─▶ u_input_buffer ─▶ u_encoder ──────────────────▶ codes
///   (stream)      (2 columns)       NsVec x u_subspace_*: NpVec x  │
///                      ▲            u_distance_* of LsVec lanes,   │
///        u_slot_sequencer           argmin, running minimum        ▼
///  outputs ◀─ u_output_fifo ◀─ u_requantizer ◀─ u_accumulator ◀─ u_lookup
///  (stream)                    OutVec lanes:    OutVec lanes:     NsVec table
///                              x mult >> shift, adder tree,       banks of
///                              saturate, ReLU   running sum, bias OutVec entries
///
///  loads ─▶ u_layer_control: layer registers (two banks), memory writes, bank swap
/// ```
///
/// The encoder works on group `g` while the lookup works on group `g - 1`,
/// so a column takes `slot x ceil(Ns/NsVec)` cycles. Prototypes, tables, bias
/// and the layer registers live in two banks: the next layer loads through
/// the load stream while the current one runs. Widths come from the golden
/// model's `HardwareWidths`, so no sum can overflow.
public struct PQACore: HardwareModule {
    /// The derived parameters of the design.
    public let design: PQAParameters
    /// The baked layer of a fixed-table design.
    let fixed: FixedTables?

    /// The accelerator for `configuration` (validated first). A fixed-table
    /// configuration needs the `layer` to bake; a loadable one takes none.
    public init(_ configuration: PQAConfiguration, layer: IntegerPQLayer? = nil) throws {
        try configuration.validate()
        design = try PQAParameters(configuration)
        switch (configuration.tableMode, layer) {
        case (.loadable, nil):
            fixed = nil
        case (.fixed, let layer?):
            fixed = try FixedTables(layer, parameters: design)
        case (.loadable, _?):
            throw PQAConfigurationError.invalid(field: "tableMode", value: "loadable",
                                                rule: "a layer is baked only into a fixed-table design; set tableMode to fixed")
        case (.fixed, nil):
            throw PQAConfigurationError.invalid(field: "tableMode", value: "fixed",
                                                rule: "a fixed-table design needs its layer (pqa generate --layer DIR)")
        }
    }

    public var moduleName: String { "pqa_core" }
    public var nameIncludesParameters: Bool { false }
    public var parameters: [ModuleParameter] {
        let c = design.configuration
        return [
            .init("maxima", c.maxima.summary),
            .init("parallelism", c.parallelism.summary),
            .init("formats", "activation \(c.formats.activation), prototype \(c.formats.prototype), entry \(c.formats.entry), bias \(c.formats.bias), output \(c.formats.output)"),
            .init("requantization", "multiplier \(c.multiplierBits) bits, shift up to \(c.maxShift)"),
            .init("encoder", c.encoder == .tree ? "tree, \(design.treeLevels) levels" : "distance, \(c.metric.rawValue)"),
            .init("pipelining", "lane levels per stage \(c.pipelining.laneLevelsPerStage), argmin levels per stage \(c.pipelining.argminLevelsPerStage), adder levels per stage \(c.pipelining.adderLevelsPerStage)"),
            .init("tables", c.tableMode == .loadable ? "loadable, two banks" : "fixed: \(fixed.map { "\($0.layer.shape)" } ?? "")"),
        ]
    }

    public func build(_ m: ModuleBuilder) {
        // Every tdata is a whole number of bytes (AXI4-Stream): padding bits
        // are ignored on the way in and zero on the way out.
        let activations = m.streamInput("s_axis_act", .unsigned(design.activationStreamBits), naming: .axi)
        let load = fixed == nil ? m.streamInput("s_axis_load", .unsigned(design.loadBeatBits), naming: .axi) : nil
        let output = m.streamOutput("m_axis_out", .unsigned(design.outputStreamBits), naming: .axi)
        let streaming = fixed != nil

        let control = m.instance(LayerControl(design: design, fixed: fixed), name: "u_layer_control")
        let input = m.instance(InputBuffer(design: design, streaming: streaming), name: "u_input_buffer")
        let sequencer = m.instance(SlotSequencer(design: design, streaming: streaming), name: "u_slot_sequencer")
        let codes = encoder(m, operation: sequencer.outputs.operation, column: input.outputs.column, control: control.outputs)
        let lookup = m.instance(Lookup(design: design, fixed: fixed), name: "u_lookup")
        let accumulator = m.instance(Accumulator(design: design), name: "u_accumulator")
        let requantizer = m.instance(Requantizer(settings: design.requantizerSettings), name: "u_requantizer")
        let fifo = m.instance(StreamFIFO(depth: design.outputFIFODepth, width: design.outputBeatBits), name: "u_output_fifo")

        let banks = control.outputs.banks, state = control.outputs.state
        if let load, let controlLoad = control.inputs.load {
            controlLoad.connect(from: Stream(valid: load.valid, ready: load.ready, data: LoadBeatFields(bits: load.data, design.loadBeat),
                                             last: load.last))
        }
        control.inputs.progress <== WorkProgress(started: sequencer.outputs.started, layerEnds: sequencer.outputs.layerEnds,
                                                 finished: requantizer.outputs.done, finishedBank: requantizer.outputs.doneBank)
        control.inputs.activationErrors <== input.outputs.errors

        input.inputs <== InputBuffer.Inputs(
            activations: Stream(valid: activations.valid, ready: activations.ready,
                                data: activations.data[high: design.activationBeatBits - 1, low: 0], last: activations.last),
            layer: InputLayer(chunks: perBank(state.activeBank, banks.map(\.chunks)), groups: perBank(state.activeBank, banks.map(\.groups)),
                              swap: state.swap, nextChunks: perBank(state.loadBank, banks.map(\.chunks)),
                              nextGroups: perBank(state.loadBank, banks.map(\.groups)), nextColumns: perBank(state.loadBank, banks.map(\.columns)),
                              waiting: state.pending | state.committing),
            release: sequencer.outputs.release, read: sequencer.outputs.operation.columnRead)

        sequencer.inputs <== SlotSequencer.Inputs(banks: banks.map(SlotTiming.init), active: state.active, full: input.outputs.full,
                                                  outputPop: output.fire)

        lookup.inputs <== Lookup.Inputs(codes: codes, tableWrite: control.outputs.writes?.table,
                                        biasWrite: control.outputs.writes?.bias, outputChunks: banks.map(\.outputChunks),
                                        ns: banks.map(\.ns))

        accumulator.inputs <== Accumulator.Inputs(entries: lookup.outputs)

        requantizer.inputs <== Requantizer.Inputs(
            beat: accumulator.outputs,
            banks: banks.map { RequantizationRegisters(multiplier: $0.multiplier, shift: $0.shift, relu: $0.relu, cout: $0.cout) })

        let result = requantizer.outputs
        // The sequencer reserves FIFO space before a column starts, so the
        // requantizer never waits for the FIFO's ready.
        fifo.inputs.valid <== result.valid
        fifo.inputs.data <== result.data
        fifo.inputs.last.map { $0 <== result.last }
        output.valid <== fifo.outputs.valid
        output.data <== fifo.outputs.data.extended(to: design.outputStreamBits)
        output.last.map { $0 <== fifo.outputs.last ?? m.constant(false) }
        fifo.outputs.ready <== output.ready
        m.output("error", .unsigned(CoreErrorCode.bits)) <== control.outputs.error

        // Idle: nothing committed, running, in flight or waiting to leave; a
        // fixed-table design is idle when no column is buffered or in flight.
        let nothingQueued = streaming ? !input.outputs.full[0] & !input.outputs.full[1] & !input.outputs.receiving
            : !state.activeValid & !state.pending & !state.committing & input.outputs.columnsDone
        m.output("idle", .bool) <== nothingQueued & state.idleBanks & !output.valid & !sequencer.outputs.inSlot
    }
}

extension PQACore {
    /// The encoder instance (distance or tree) on the sequencer's operations and the column words; its codes.
    private func encoder(_ m: ModuleBuilder, operation: EncoderOperation, column: Signal, control: LayerControl.Outputs) -> Codes {
        let inputs = DistanceEncoder.Inputs(operation: operation, column: column, write: control.writes?.encoder,
                                            banks: control.banks.map { EncoderLayer(ls: $0.ls, np: $0.np) })
        switch design.configuration.encoder {
        case .distance:
            let encoder = m.instance(DistanceEncoder(design: design, fixed: fixed), name: "u_encoder")
            encoder.inputs <== inputs
            return encoder.outputs
        case .tree:
            let encoder = m.instance(TreeEncoder(design: design), name: "u_encoder")
            encoder.inputs <== inputs
            return encoder.outputs
        }
    }
}

extension EncoderOperation {
    /// The column word this operation reads.
    var columnRead: ColumnRead { ColumnRead(enable: valid, slot: readSlot, group: group, chunk: chunk) }
}

extension PQAParameters {
    /// The requantizer of this design.
    var requantizerSettings: Requantizer.Settings {
        let c = configuration
        return Requantizer.Settings(multiplierBits: c.multiplierBits, maxShift: c.maxShift, maxCout: c.maxima.cout,
                                    accumulator: accumulatorType, output: c.formats.output, outVec: c.parallelism.outVec,
                                    outputChunksMax: outputChunksMax)
    }
}
