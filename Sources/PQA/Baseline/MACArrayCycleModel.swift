import HDL
/// Cycles of the MAC-array baseline, from its parameters alone.
///
/// A column takes `ceil(Cout/OutVec)` passes of `ceil(D/InVec)` cycles. A
/// layer whose program is loaded before its activations arrive takes, with no
/// input gaps and no output backpressure, from its first activation beat to
/// its last output beat (both counted):
///
/// ```
///  cycles  = columns x ceil(Cout/OutVec) x ceil(D/InVec)   (the bound)
///          + ceil(D/InVec)                                 (the first column arrives)
///          + pipeline                                      (the last beat's way out)
/// ```
///
/// `pipeline` is the sum of the stages' own latencies (`pipelineLatency`):
/// sequencer, datapath (column and weight reads, products, adder stages,
/// accumulator), requantizer and output FIFO. Counting both ends adds one
/// cycle; the slot-full flag shares one with the last input beat's write.
public struct MACArrayCycleModel: Sendable {
    public let parameters: MACArrayParameters

    public init(_ parameters: MACArrayParameters) { self.parameters = parameters }

    private var p: MACArrayConfiguration.Parallelism { parameters.configuration.parallelism }

    /// Cycles of one column: `ceil(Cout/OutVec) x ceil(D/InVec)`.
    public func columnCycles(d: Int, cout: Int) -> Int { ceilDivide(cout, p.outVec) * ceilDivide(d, p.inVec) }

    /// `columns x` the cycles of one column.
    public func bound(d: Int, cout: Int, columns: Int) -> Int { columns * columnCycles(d: d, cout: cout) }

    /// Cycles from a pass's start condition to its output beat leaving the
    /// core, summed from the stages' latencies.
    public var pipelineLatency: Int {
        MACArraySequencer.latency + MACArrayDatapath.latency(parameters) + Requantizer.latency(parameters.requantizerSettings)
            + StreamFIFO.latency
    }

    /// The constant a layer adds to its bound (see the type's documentation).
    public func latency(d: Int) -> Int { ceilDivide(d, p.inVec) + pipelineLatency }

    /// Predicted cycles of a layer at full input and output rate.
    public func cycles(d: Int, cout: Int, columns: Int) -> Int { bound(d: d, cout: cout, columns: columns) + latency(d: d) }

    /// Beats of a layer's program on the load stream: the layer registers,
    /// `ceil(D/InVec)` per output channel, and the bias (see `MACArrayProgram`).
    public func loadBeats(d: Int, cout: Int) -> Int {
        MACRegister.allCases.count + cout * ceilDivide(d, p.inVec) + ceilDivide(cout, p.outVec)
    }

    /// Bits of a layer's weights and bias: what a load moves from memory.
    public func loadPayloadBits(d: Int, cout: Int) -> Int {
        let f = parameters.configuration.formats
        return cout * (d * f.weight.bits + f.bias.bits)
    }
}
