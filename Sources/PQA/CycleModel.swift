import HDL
import PQ

/// Cycles of the generated accelerator, from its parameters alone.
///
/// A column takes `ceil(Ns/NsVec)` slots of
/// `slot = max(ceil(Ls/LsVec) x ceil(Np/NpVec), ceil(Cout/OutVec))` cycles: the
/// bound the hardware reaches with its resources. A layer whose program is
/// loaded before its activations arrive takes, with no input gaps and no
/// output backpressure, from its first activation beat to its last output
/// beat (both counted):
///
/// ```
///  cycles  = columns x groups x slot                       (the bound)
///          + groups x ceil(Ls/LsVec)                       (the first column arrives)
///          + min(encode cycles, output chunks)             (the last slot's two halves do not overlap)
///          + pipeline - 1                                  (the last beat's way out)
/// ```
///
/// `pipeline` is the sum of the stages' own latencies on the path of the
/// last beat (`pipelineLatency`): sequencer, encoder (column read, distance
/// units, argmin, codes), lookup, accumulator, requantizer and output FIFO.
/// Counting both ends adds one cycle; the last operation of each half of
/// the slot shares a cycle with the register that follows it (two).
public struct CycleModel: Sendable {
    public let parameters: PQAParameters

    public init(_ parameters: PQAParameters) { self.parameters = parameters }

    private var p: PQAConfiguration.Parallelism { parameters.configuration.parallelism }

    /// Encoder cycles of one slot: element chunks times prototype chunks.
    public func encodeCycles(_ shape: PQShape) -> Int { ceilDivide(shape.ls, p.lsVec) * ceilDivide(shape.np, p.npVec) }

    /// Lookup cycles of one slot: output chunks.
    public func lookupCycles(_ shape: PQShape) -> Int { ceilDivide(shape.cout, p.outVec) }

    /// Cycles of one slot (one subspace group of one column).
    public func slot(_ shape: PQShape) -> Int { max(encodeCycles(shape), lookupCycles(shape)) }

    /// `columns x ceil(Ns/NsVec) x slot`.
    public func bound(_ shape: PQShape, columns: Int) -> Int {
        columns * ceilDivide(shape.ns, p.nsVec) * slot(shape)
    }

    /// Cycles from a slot's start condition to its last output beat leaving
    /// the core, summed from the stages' latencies.
    public var pipelineLatency: Int {
        SlotSequencer.latency + DistanceEncoder.latency(parameters) + Lookup.latency + Accumulator.latency(parameters)
            + Requantizer.latency(parameters.requantizerSettings) + StreamFIFO.latency
    }

    /// The constant a layer adds to its bound (see the type's documentation).
    public func latency(_ shape: PQShape) -> Int {
        ceilDivide(shape.ns, p.nsVec) * ceilDivide(shape.ls, p.lsVec)
            + min(encodeCycles(shape), lookupCycles(shape)) + pipelineLatency - 1
    }

    /// Predicted cycles of a layer at full input and output rate.
    public func cycles(_ shape: PQShape, columns: Int) -> Int { bound(shape, columns: columns) + latency(shape) }

    /// Beats of a layer's program on the load stream: the layer registers,
    /// `ceil(Ls/LsVec)` per prototype, `ceil(Cout/OutVec)` per table row, and
    /// the bias (see `LayerProgram`).
    public func loadBeats(_ shape: PQShape) -> Int {
        LayerRegister.allCases.count + shape.ns * shape.np * (ceilDivide(shape.ls, p.lsVec) + ceilDivide(shape.cout, p.outVec))
            + ceilDivide(shape.cout, p.outVec)
    }

    /// Bits of a layer's prototypes, table and bias: what a load moves from memory.
    public func loadPayloadBits(_ shape: PQShape) -> Int {
        let f = parameters.configuration.formats
        return shape.ns * shape.np * (shape.ls * f.prototype.bits + shape.cout * f.entry.bits) + shape.cout * f.bias.bits
    }
}
