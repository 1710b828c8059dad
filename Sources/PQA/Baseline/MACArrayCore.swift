import HDL
import PQ

/// The conventional baseline: an `InVec x OutVec` multiply-accumulate array
/// behind the same streams as the PQA core.
///
/// ```
///  activations ─▶ column buffer ─▶ InVec x OutVec ─▶ adder trees ─▶ running sum ─▶ requantize ─▶ FIFO ─▶ outputs
///   (stream)      (2 columns)      multipliers       (per output)    (+ bias)       (as PQA)
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
        let c = design.configuration
        let activations = m.streamInput("s_axis_act", .unsigned(design.activationBeatBits), naming: .axi)
        let loads = m.streamInput("s_axis_load", .unsigned(design.loadBeatBits), naming: .axi)
        let output = m.streamOutput("m_axis_out", .unsigned(design.outputBeatBits), naming: .axi)
        let feedback = Feedback(m)
        let control = MACArrayControl(m, design, load: loads, feedback: feedback)
        let input = MACArrayInput(m, design, stream: activations, control: control, feedback: feedback)
        let sequencer = MACArraySequencer(m, design, control: control, input: input, feedback: feedback)
        let datapath = MACArrayDatapath(m, design, control: control, input: input, operation: sequencer.operation)
        let settings = Requantizer.Settings(multiplierBits: c.multiplierBits, maxShift: c.maxShift, output: c.formats.output,
                                            outVec: c.parallelism.outVec, outputChunksMax: design.outputChunksMax)
        let registers = control.banks.map { Requantizer.Registers(multiplier: $0.multiplier, shift: $0.shift, relu: $0.relu, cout: $0.cout) }
        let result = Requantizer(m, settings, banks: registers, input: datapath.result)
        feedback.slotDone <== result.slotDone
        feedback.slotDoneBank <== result.slotDoneBank

        let fifo = m.instance(StreamFIFO(depth: design.outputFIFODepth, width: design.outputBeatBits), name: "u_output_fifo")
        fifo.inputs.valid <== result.valid
        fifo.inputs.data <== result.data
        fifo.inputs.last! <== result.last
        output.connect(from: fifo.outputs)
        feedback.outputPop <== output.fire
        let nothingQueued = !control.activeValid & !control.pending & !control.committing & (input.columnsLeft == 0) & !input.receiving
        m.output("idle", .bool) <== nothingQueued & control.idleBanks & !output.valid & !sequencer.inPass
    }
}
