import HDL
import PQ

/// Everything derived from a MAC-array configuration that the generator,
/// the host-side packing and the cycle model share.
public struct MACArrayParameters: Sendable {
    /// The configuration these are derived from.
    public let configuration: MACArrayConfiguration
    /// The exact range of the accumulator (products plus bias) for the largest layer.
    public let accumulator: WidthBound
    /// `ceil(D / InVec)` for the largest layer: input beats per column.
    public let inChunksMax: Int
    /// `ceil(Cout / OutVec)`: output beats (passes over the column) per column.
    public let outputChunksMax: Int

    /// Derives the parameters; throws when a size or parallelism is not positive.
    public init(_ configuration: MACArrayConfiguration) throws {
        let p = configuration.parallelism, maxima = configuration.maxima
        for (field, value) in [("parallelism.inVec", p.inVec), ("parallelism.outVec", p.outVec),
                               ("maxima.d", maxima.d), ("maxima.cout", maxima.cout)] where value < 1 {
            throw PQAConfigurationError.invalid(field: field, value: "\(value)", rule: "must be at least 1")
        }
        self.configuration = configuration
        accumulator = try configuration.formats.accumulatorBound(d: maxima.d)
        inChunksMax = ceilDivide(maxima.d, p.inVec)
        outputChunksMax = ceilDivide(maxima.cout, p.outVec)
    }

    var p: MACArrayConfiguration.Parallelism { configuration.parallelism }
    var formats: LinearFormats { configuration.formats }

    // MARK: Memories (weights and bias hold two banks: the running layer and the next)

    /// Words of one slot of the column buffer (one column).
    public var columnWords: Int { inChunksMax }
    /// Words of one bank of each output lane's weight memory.
    public var weightWords: Int { outputChunksMax * inChunksMax }
    /// Words of one bank of the bias memory.
    public var biasWords: Int { outputChunksMax }

    /// Bits of an input beat: `InVec` activations.
    public var activationBeatBits: Int { p.inVec * formats.activation.bits }
    /// Bits of a weight word: `InVec` weights of one output channel.
    public var weightWordBits: Int { p.inVec * formats.weight.bits }
    /// Whether each lane's weight memory (both banks) is large enough for
    /// block RAM (`Memory.isBlockRAMSized`): the lanes then register their
    /// inputs beside the multipliers, a cycle after the RAM's output register.
    public var weightsInBlockRAM: Bool { Memory.isBlockRAMSized(depth: 2 * weightWords, width: weightWordBits) }
    /// Bits of a bias word: `OutVec` biases.
    public var biasWordBits: Int { p.outVec * formats.bias.bits }
    /// Bits of an output beat: `OutVec` outputs.
    public var outputBeatBits: Int { p.outVec * formats.output.bits }

    /// Bits of the activation stream's `tdata`: the beat padded to whole bytes (AXI4-Stream).
    public var activationStreamBits: Int { byteAligned(activationBeatBits) }
    /// Bits of the output stream's `tdata`: the beat padded to whole bytes (AXI4-Stream).
    public var outputStreamBits: Int { byteAligned(outputBeatBits) }

    /// Total on-chip storage in bits.
    public var storageBits: Int {
        2 * (columnWords * activationBeatBits + p.outVec * weightWords * weightWordBits + biasWords * biasWordBits)
    }

    // MARK: Load beats

    /// The load beat's fields, least significant first: kind (2 bits, a
    /// `MACArrayLoadBeatKind`), index (the output lane of a weight word),
    /// address, data.
    public var loadBeat: LoadBeatLayout {
        LoadBeatLayout(kindBits: 2, indexBits: max(1, ceilLog2(p.outVec)),
                       addressBits: max(1, ceilLog2(max(weightWords, biasWords, MACRegister.allCases.count))),
                       dataBits: max(32, weightWordBits, biasWordBits))
    }
    /// Bits of the load stream's `tdata` (the beat padded to whole bytes).
    public var loadBeatBits: Int { loadBeat.streamBits }

    // MARK: Pipeline

    /// Register stages of each output's adder tree over `InVec` products:
    /// one every `adderLevelsPerStage` levels and one after the last level,
    /// so the running sum's adder starts from a register (none when the tree is combinational).
    public var adderStages: Int {
        let perStage = configuration.adderLevelsPerStage, levels = ceilLog2(max(1, p.inVec))
        return perStage > 0 ? (levels + perStage - 1) / perStage : 0
    }
    /// Cycles from a pass's first issue to its output beat entering the FIFO
    /// when the pass is one cycle long: the datapath's and the requantizer's latencies.
    public var pipelineDepth: Int { MACArrayDatapath.latency(self) + Requantizer.latency(requantizerSettings) }
    /// The requantizer of this design.
    var requantizerSettings: Requantizer.Settings {
        let c = configuration
        return Requantizer.Settings(multiplierBits: c.multiplierBits, maxShift: c.maxShift, maxCout: c.maxima.cout, accumulator: accumulatorType,
                                    output: c.formats.output, outVec: c.parallelism.outVec, outputChunksMax: outputChunksMax)
    }
    /// A signed type that holds every partial sum of a lane and the bias.
    var accumulatorType: SignalType { .signed(accumulator.bits + (accumulator.signed ? 0 : 1)) }
    /// Output FIFO depth: enough credits for one beat per cycle to flow.
    public var outputFIFODepth: Int { pipelineDepth + 4 }
}

/// The MAC array's layer registers, set through the load port (kind 0), by address.
public enum MACRegister: Int, CaseIterable, Sendable {
    case d = 0, cout, columns, multiplier, shift, relu
}
