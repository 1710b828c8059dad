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

    /// Cycles from a load's `tlast` beat to the swap to its bank, when no
    /// layer runs: the beat is registered, the checks run, the verdict
    /// decides, the swap (`BankedLoadPort`; the MAC-array baseline loads the same way).
    public static let commitCycles = 4

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
        let encoder = parameters.configuration.encoder == .tree ? TreeEncoder.latency(parameters) : DistanceEncoder.latency(parameters)
        return SlotSequencer.latency + encoder + Lookup.latency + Accumulator.latency(parameters)
            + Requantizer.latency(parameters.requantizerSettings) + StreamFIFO.latency
    }

    /// The constant a layer adds to its bound (see the type's documentation).
    public func latency(_ shape: PQShape) -> Int {
        ceilDivide(shape.ns, p.nsVec) * ceilDivide(shape.ls, p.lsVec)
            + min(encodeCycles(shape), lookupCycles(shape)) + pipelineLatency - 1
    }

    /// Predicted cycles of a layer at full input and output rate.
    public func cycles(_ shape: PQShape, columns: Int) -> Int { bound(shape, columns: columns) + latency(shape) }

    /// Beats of a layer's program on the load stream, by kind (see `LayerProgram`):
    ///
    /// ```
    ///  registers   8
    ///  prototypes  ceil(Ls/LsVec) x Ns x P(Np)      P(Np) = sum over prototype chunks pc of ceil(min(NpVec, Np - pc x NpVec) / W)
    ///  (trees)     R(Ns)                          R(Ns) = sum over subspace groups g of ceil(min(NsVec, Ns - g x NsVec) / Wr)
    ///  tables      Np x ceil(Cout/OutVec) x T(Ns)   T(Ns) = sum over subspace groups g of ceil(min(NsVec, Ns - g x NsVec) / Wt)
    ///  bias        ceil(Cout/OutVec)
    /// ```
    /// `W`, `Wr` and `Wt` are the words one prototype, tree or table beat
    /// carries (`PQAParameters.prototypeGrouping`, `treeGrouping`, `tableGrouping`);
    /// a tree encoder's beats take the prototypes' place (kind 1).
    public func loadBeatCounts(_ shape: PQShape) -> LoadBeatCounts {
        loadBeatCounts(ls: shape.ls, np: shape.np, ns: shape.ns, cout: shape.cout)
    }

    /// `loadBeatCounts(_:)` of a layer of these sizes (each at least 1).
    func loadBeatCounts(ls: Int, np: Int, ns: Int, cout: Int) -> LoadBeatCounts {
        let outputChunks = ceilDivide(cout, p.outVec)
        return LoadBeatCounts(
            registers: LayerRegister.allCases.count,
            prototypes: parameters.configuration.encoder == .tree ? parameters.treeGrouping.beats(spreading: ns)
                : ceilDivide(ls, p.lsVec) * ns * parameters.prototypeGrouping.beats(spreading: np),
            tables: np * outputChunks * parameters.tableGrouping.beats(spreading: ns),
            bias: outputChunks)
    }

    /// Beats of a layer's program on the load stream (all kinds).
    public func loadBeats(_ shape: PQShape) -> Int { loadBeatCounts(shape).total }

    /// Bits of a layer's prototypes (or trees: splits and thresholds), table
    /// and bias: what a load moves from memory.
    public func loadPayloadBits(_ shape: PQShape) -> Int {
        let f = parameters.configuration.formats
        let encoder = parameters.configuration.encoder == .tree
            ? shape.ns * (shape.np.trailingZeroBitCount * max(1, ceilLog2(shape.ls)) + (shape.np - 1) * f.activation.bits)
            : shape.ns * shape.np * shape.ls * f.prototype.bits
        return encoder + shape.ns * shape.np * shape.cout * f.entry.bits + shape.cout * f.bias.bits
    }
}

/// The beats of one layer's program, by kind.
public struct LoadBeatCounts: Sendable, Hashable, Codable {
    /// Layer-register beats (one per register).
    public let registers: Int
    /// Prototype (or tree), table and bias beats.
    public let prototypes, tables, bias: Int

    /// All beats of the program.
    public var total: Int { registers + prototypes + tables + bias }
}
