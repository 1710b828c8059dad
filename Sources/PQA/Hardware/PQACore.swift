import HDL
import PQ

/// The generated product-quantization accelerator.
///
/// Per input column, subspace group by subspace group (`NsVec` subspaces at
/// a time), in slots of `max(ceil(Ls/LsVec) x ceil(Np/NpVec), ceil(Cout/OutVec))`
/// cycles:
///
/// ```
///  activations ─▶ column buffer ─▶ distance units ─▶ argmin tree ─▶ running min ─▶ codes
///   (stream)      (2 columns)      NsVec x NpVec x LsVec   (NpVec)     (Np > NpVec)    │
///                                                                                      ▼
///  outputs ◀─ FIFO ◀─ requantize ◀─ bias ◀─ running sum ◀─ adder tree ◀─ table lookup
///  (stream)          (x mult >> shift,     over groups     (NsVec)       NsVec banks of
///                     saturate, ReLU)                                     OutVec entries
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
            .init("maxima", "Ls \(c.maxima.ls), Np \(c.maxima.np), Ns \(c.maxima.ns), Cout \(c.maxima.cout), columns \(c.maxima.columns)"),
            .init("parallelism", "LsVec \(c.parallelism.lsVec), NpVec \(c.parallelism.npVec), NsVec \(c.parallelism.nsVec), OutVec \(c.parallelism.outVec)"),
            .init("formats", "activation \(c.formats.activation), prototype \(c.formats.prototype), entry \(c.formats.entry), bias \(c.formats.bias), output \(c.formats.output)"),
            .init("requantization", "multiplier \(c.multiplierBits) bits, shift up to \(c.maxShift)"),
            .init("metric", c.metric.rawValue),
            .init("pipelining", "argmin levels per stage \(c.pipelining.argminLevelsPerStage), adder levels per stage \(c.pipelining.adderLevelsPerStage)"),
            .init("tables", c.tableMode == .loadable ? "loadable, two banks" : "fixed: \(fixed.map { "\($0.layer.shape)" } ?? "")"),
        ]
    }

    public func build(_ m: ModuleBuilder) {
        let io = CoreIO(m, design, fixed: fixed)
        let feedback = Feedback(m)
        let layer: LayerControl
        switch io.tables {
        case .load(let stream): layer = LayerControl(m, design, load: stream, feedback: feedback)
        case .fixed(let tables): layer = LayerControl(m, design, fixed: tables, feedback: feedback)
        }
        let input = InputBuffer(m, design, stream: io.activations, layer: layer, feedback: feedback)
        let sequencer = SlotSequencer(m, design, layer: layer, input: input, feedback: feedback)
        let encoder = DistanceEncoder(m, design, layer: layer, input: input, sequencer: sequencer, fixed: fixed)
        let lookup = Lookup(m, design, layer: layer, encoder: encoder, fixed: fixed)
        let result = Requantizer(m, design, layer: layer, lookup: lookup)
        feedback.slotDone <== result.slotDone
        feedback.slotDoneBank <== result.slotDoneBank

        let fifo = m.instance(StreamFIFO(depth: design.outputFIFODepth, width: design.outputBeatBits), name: "u_output_fifo")
        fifo.inputs.valid <== result.valid
        fifo.inputs.data <== result.data
        fifo.inputs.last! <== result.last
        io.output.connect(from: fifo.outputs)
        feedback.outputPop <== io.output.fire
        // Idle: nothing committed, running, in flight or waiting to leave; a
        // fixed-table design is idle when no column is buffered or in flight.
        let nothingQueued = layer.streaming ? !input.full[0] & !input.full[1] & !input.receiving
            : !layer.activeValid & !layer.pending & !layer.committing & (input.columnsLeft == 0)
        m.output("idle", .bool) <== nothingQueued & layer.idleBanks & !io.output.valid & !sequencer.inSlot
    }
}

/// Where the layer comes from: the load stream, or tables baked into ROMs.
enum TableSource {
    case load(Stream<Signal>)
    case fixed(FixedTables)
}

/// The ports: AXI4-Stream compatible streams (the load stream only in a
/// loadable design) and a status bit.
struct CoreIO {
    let activations: Stream<Signal>
    let tables: TableSource
    let output: Stream<Signal>

    init(_ m: ModuleBuilder, _ design: PQAParameters, fixed: FixedTables?) {
        activations = m.streamInput("s_axis_act", .unsigned(design.activationBeatBits), naming: .axi)
        tables = fixed.map { .fixed($0) } ?? .load(m.streamInput("s_axis_load", .unsigned(design.loadBeatBits), naming: .axi))
        output = m.streamOutput("m_axis_out", .unsigned(design.outputBeatBits), naming: .axi)
    }
}

/// Nets that carry information backwards, from later stages to the control.
struct Feedback {
    /// A slot's last lookup left the pipeline.
    let slotDone: Signal
    /// The bank of that slot.
    let slotDoneBank: Signal
    /// An output beat left the core.
    let outputPop: Signal
    /// A slot starts (on the active bank).
    let slotStart: Signal
    /// The slot starting is the layer's last.
    let layerEnds: Signal
    /// Per column slot: the encoder reads it for the last time this cycle, so
    /// the next column may start filling it (reads are read-first).
    let releaseSlot: [Signal]

    init(_ m: ModuleBuilder) {
        releaseSlot = (0..<2).map { m.wire("release_slot_\($0)", .bool) }
        slotStart = m.wire("slot_start", .bool)
        layerEnds = m.wire("layer_ends", .bool)
        slotDone = m.wire("slot_done", .bool)
        slotDoneBank = m.wire("slot_done_bank", .bool)
        outputPop = m.wire("output_pop", .bool)
    }
}
