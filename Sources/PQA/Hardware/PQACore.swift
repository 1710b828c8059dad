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

    /// The accelerator for `configuration` (validated first).
    public init(_ configuration: PQAConfiguration) throws {
        try configuration.validate()
        design = try PQAParameters(configuration)
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
        ]
    }

    public func build(_ m: ModuleBuilder) {
        let io = CoreIO(m, design)
        let feedback = Feedback(m)
        let layer = LayerControl(m, design, load: io.load, feedback: feedback)
        let input = InputBuffer(m, design, stream: io.activations, layer: layer, feedback: feedback)
        let sequencer = SlotSequencer(m, design, layer: layer, input: input, feedback: feedback)
        let encoder = DistanceEncoder(m, design, layer: layer, input: input, sequencer: sequencer)
        let lookup = Lookup(m, design, layer: layer, encoder: encoder)
        let result = Requantizer(m, design, layer: layer, lookup: lookup)
        feedback.slotDone <== result.slotDone
        feedback.slotDoneBank <== result.slotDoneBank

        let fifo = m.instance(StreamFIFO(depth: design.outputFIFODepth, width: design.outputBeatBits), name: "u_output_fifo")
        fifo["in_valid"] <== result.valid
        fifo["in_data"] <== result.data
        fifo["in_last"] <== result.last
        io.output.connect(from: fifo.stream("out"))
        feedback.outputPop <== io.output.fire
        m.output("idle", .bool) <== !layer.activeValid & !layer.pending & layer.idleBanks & !io.output.valid
            & !sequencer.inSlot & (input.columnsLeft == 0)
    }
}

/// The ports: three AXI4-Stream compatible streams and a status bit.
struct CoreIO {
    let activations: Stream
    let load: Stream
    let output: Stream

    init(_ m: ModuleBuilder, _ design: PQAParameters) {
        activations = m.streamInput("s_axis_act", .unsigned(design.activationBeatBits), naming: .axi)
        load = m.streamInput("s_axis_load", .unsigned(design.loadBeatBits), naming: .axi)
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
