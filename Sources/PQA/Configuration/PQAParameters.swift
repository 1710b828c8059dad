import HDL
import PQ

/// Everything derived from a configuration that the generator, the host-side
/// packing and the cycle model share: chunk counts, memory depths, widths,
/// beat layouts and pipeline latencies.
public struct PQAParameters: Sendable {
    /// The configuration these are derived from.
    public let configuration: PQAConfiguration
    /// Widths from the golden model for the largest layer.
    public let widths: HardwareWidths

    /// `ceil(Ls / LsVec)` for the largest layer: element chunks per subvector.
    public let chunksMax: Int
    /// `ceil(Np / NpVec)`: prototype chunks per codebook.
    public let prototypeChunksMax: Int
    /// `ceil(Ns / NsVec)`: subspace groups per column.
    public let groupsMax: Int
    /// `ceil(Cout / OutVec)`: output beats per column.
    public let outputChunksMax: Int

    /// Derives the parameters; throws when a size or parallelism is not positive.
    public init(_ configuration: PQAConfiguration) throws {
        let p = configuration.parallelism, maxima = configuration.maxima
        for (field, value) in [("parallelism.lsVec", p.lsVec), ("parallelism.npVec", p.npVec), ("parallelism.nsVec", p.nsVec),
                               ("parallelism.outVec", p.outVec), ("maxima.ls", maxima.ls), ("maxima.np", maxima.np),
                               ("maxima.ns", maxima.ns), ("maxima.cout", maxima.cout)] where value < 1 {
            throw PQAConfigurationError.invalid(field: field, value: "\(value)", rule: "must be at least 1")
        }
        self.configuration = configuration
        widths = try HardwareWidths(for: configuration.largestLayer)
        chunksMax = ceilDivide(maxima.ls, p.lsVec)
        prototypeChunksMax = ceilDivide(maxima.np, p.npVec)
        groupsMax = ceilDivide(maxima.ns, p.nsVec)
        outputChunksMax = ceilDivide(maxima.cout, p.outVec)
    }

    var p: PQAConfiguration.Parallelism { configuration.parallelism }
    var formats: LayerFormats { configuration.formats }

    // MARK: Memories (each holds two banks: the running layer and the next)

    /// Words of one bank of the column buffer (one column).
    public var columnWords: Int { groupsMax * chunksMax }
    /// Words of one bank of each prototype memory.
    public var prototypeWords: Int { groupsMax * prototypeChunksMax * chunksMax }
    /// Words of one bank of each table memory.
    public var tableWords: Int { groupsMax * configuration.maxima.np * outputChunksMax }
    /// Words of one bank of the bias memory.
    public var biasWords: Int { outputChunksMax }

    // MARK: Tree encoder (see `TreeEncoder`)

    /// Levels of a tree encoder's trees, `log2(NpMax)` (0 for a distance encoder).
    public var treeLevels: Int { configuration.encoder == .tree ? configuration.maxima.np.trailingZeroBitCount : 0 }
    /// Bits of a split's element chunk (`0..<ceil(LsMax/LsVec)`) in a tree word.
    public var treeChunkBits: Int { max(1, ceilLog2(chunksMax)) }
    /// Bits of a split's lane (`0..<LsVec`) in a tree word.
    public var treeLaneBits: Int { max(1, ceilLog2(p.lsVec)) }
    /// Bits of a tree word: per level its split (lane, then chunk), then
    /// the `NpMax - 1` thresholds level by level, least significant first.
    public var treeWordBits: Int {
        treeLevels * (treeLaneBits + treeChunkBits) + (configuration.maxima.np - 1) * formats.activation.bits
    }
    /// Words of one bank of each tree memory: one per subspace group.
    public var treeWords: Int { groupsMax }

    // MARK: The encoder's memories (prototypes or trees)

    /// Words of one bank of each encoder memory.
    public var encoderWords: Int { configuration.encoder == .tree ? treeWords : prototypeWords }
    /// Bits of an encoder memory word.
    public var encoderWordBits: Int { configuration.encoder == .tree ? treeWordBits : prototypeWordBits }

    /// The name of the encoder's memories and their writes: `prototypes` or `trees`.
    var encoderMemoryName: String { configuration.encoder == .tree ? "trees" : "prototypes" }

    /// Whether each prototype memory (both banks) is large enough for block
    /// RAM (`Memory.isBlockRAMSized`): the distance units then register their
    /// inputs beside their lanes, a cycle after the RAM's output register.
    public var prototypesInBlockRAM: Bool { Memory.isBlockRAMSized(depth: 2 * prototypeWords, width: prototypeWordBits) }

    /// Bits of an address of a prototype memory (both banks).
    public var prototypeAddressBits: Int { max(1, ceilLog2(2 * prototypeWords)) }
    /// Bits of an address of a table memory (both banks).
    public var tableAddressBits: Int { max(1, ceilLog2(2 * tableWords)) }

    /// Bits of an input beat: `NsVec x LsVec` activations.
    public var activationBeatBits: Int { p.nsVec * p.lsVec * formats.activation.bits }
    /// Bits of a prototype word: `LsVec` prototype values.
    public var prototypeWordBits: Int { p.lsVec * formats.prototype.bits }
    /// Bits of a table word: `OutVec` entries.
    public var tableWordBits: Int { p.outVec * formats.entry.bits }
    /// Bits of a bias word: `OutVec` biases.
    public var biasWordBits: Int { p.outVec * formats.bias.bits }
    /// Bits of an output beat: `OutVec` outputs.
    public var outputBeatBits: Int { p.outVec * formats.output.bits }

    /// Total on-chip storage in bits (both banks of everything).
    public var storageBits: Int {
        let encoderBits = configuration.encoder == .tree ? p.nsVec * treeWords * treeWordBits : p.nsVec * p.npVec * prototypeWords * prototypeWordBits
        return 2 * (columnWords * activationBeatBits + encoderBits + p.nsVec * tableWords * tableWordBits + biasWords * biasWordBits)
    }

    /// Bits of the activation stream's `tdata`: the beat padded to whole bytes (AXI4-Stream).
    public var activationStreamBits: Int { byteAligned(activationBeatBits) }
    /// Bits of the output stream's `tdata`: the beat padded to whole bytes (AXI4-Stream).
    public var outputStreamBits: Int { byteAligned(outputBeatBits) }

    // MARK: Load beats

    /// Bits of a load beat's data field: the widest word, at least 32 (a layer register).
    var loadDataBits: Int { max(32, encoderWordBits, tableWordBits, biasWordBits) }

    /// How prototype beats write the `NsVec x NpVec` prototype memories (rows are subspace lanes).
    public var prototypeGrouping: WordGrouping {
        WordGrouping(rows: p.nsVec, memories: p.npVec, wordBits: prototypeWordBits, dataBits: loadDataBits)
    }
    /// How tree beats write the `NsVec` tree memories (one row).
    public var treeGrouping: WordGrouping {
        WordGrouping(rows: 1, memories: p.nsVec, wordBits: treeWordBits, dataBits: loadDataBits)
    }
    /// How the encoder's beats (kind 1) write its memories: `prototypeGrouping` or `treeGrouping`.
    public var encoderGrouping: WordGrouping { configuration.encoder == .tree ? treeGrouping : prototypeGrouping }
    /// How table beats write the `NsVec` table memories (one row).
    public var tableGrouping: WordGrouping {
        WordGrouping(rows: 1, memories: p.nsVec, wordBits: tableWordBits, dataBits: loadDataBits)
    }

    /// The load beat's fields, least significant first: kind (2 bits, a
    /// `LoadBeatKind`), index (the memories a beat writes, see `WordGrouping`),
    /// address, data; `tdata` pads the beat to whole bytes.
    public var loadBeat: LoadBeatLayout {
        LoadBeatLayout(kindBits: 2, indexBits: max(1, ceilLog2(max(encoderGrouping.indexCount, tableGrouping.indexCount))),
                       addressBits: max(1, ceilLog2(max(encoderWords, tableWords, biasWords, LayerRegister.allCases.count))),
                       dataBits: loadDataBits)
    }
    /// Bits of the load stream's `tdata` (the beat padded to whole bytes).
    public var loadBeatBits: Int { loadBeat.streamBits }

    // MARK: Counters

    /// The type of a requantizer input: table sum plus bias.
    var accumulatorType: SignalType {
        widths.accumulator.signed ? .signed(widths.accumulator.bits) : .unsigned(widths.accumulator.bits)
    }

    /// Bits of the index (code) of a prototype.
    public var codeBits: Int { widths.index.bits }
    /// The longest slot: `max(chunks x prototype chunks, output chunks)`.
    public var periodMax: Int { max(chunksMax * prototypeChunksMax, outputChunksMax) }

    // MARK: Pipeline

    /// Register stages of a distance unit's tree over `LsVec` lanes.
    public var laneStages: Int { treeStages(leaves: p.lsVec, levelsPerStage: configuration.pipelining.laneLevelsPerStage) }
    /// Register stages of the argmin tree over `NpVec` candidates.
    public var argminStages: Int { treeStages(leaves: p.npVec, levelsPerStage: configuration.pipelining.argminLevelsPerStage) }
    /// Register stages of the adder tree over `NsVec` entries.
    public var adderStages: Int { treeStages(leaves: p.nsVec, levelsPerStage: configuration.pipelining.adderLevelsPerStage) }

    /// Output FIFO depth: a column of outputs plus every beat that can be in
    /// flight, so reserved space always exists.
    public var outputFIFODepth: Int { 2 * outputChunksMax + 16 + argminStages + adderStages }
}

/// `ceil(a / b)` for positive integers.
public func ceilDivide(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }

/// `bits` rounded up to a whole number of bytes, as AXI4-Stream requires of `tdata`.
public func byteAligned(_ bits: Int) -> Int { ceilDivide(bits, 8) * 8 }


/// The layer registers set through the load port (kind 0), by address.
public enum LayerRegister: Int, CaseIterable, Sendable {
    case ls = 0, np, ns, cout, columns, multiplier, shift, relu
}
