import HDL
import PQ

/// The codes of one subspace group, valid in the cycle `valid` is high.
struct Codes: PortGroup, Pipelined {
    let valid: Signal
    /// One code per subspace lane of the group.
    let codes: [Signal]
    let bank, group, firstGroup, lastGroup: Signal

    func map(_ transform: (Signal, String) -> Signal) -> Codes {
        Codes(valid: transform(valid, "valid"), codes: codes.enumerated().map { transform($1, "code_\($0)") },
              bank: transform(bank, "bank"), group: transform(group, "group"), firstGroup: transform(firstGroup, "first_group"),
              lastGroup: transform(lastGroup, "last_group"))
    }
}

extension Codes {
    init(_ ports: PortFields, _ design: PQAParameters) {
        valid = ports.bool("valid")
        codes = ports.array("code", count: design.configuration.parallelism.nsVec, .unsigned(design.codeBits))
        bank = ports.bool("bank")
        group = ports("group", countType(design.groupsMax))
        firstGroup = ports.bool("first_group")
        lastGroup = ports.bool("last_group")
    }
}

/// What the encoder reads of one bank's layer.
struct EncoderLayer: PortGroup {
    let ls, np: Signal
}

/// The encoder: one `SubspaceEncoder` per subspace lane of a group (`NsVec`,
/// emitted once), each with `NpVec` distance units of `LsVec` lanes, and the
/// control they share: the prototype address (counted by the sequencer),
/// lane and prototype masks, and the operation's fields carried along the
/// pipeline.
///
/// ```
///  operation   issued (the column word is read with it, see `InputBuffer`)
///  +3          reads in (address, block RAM, output registers); distance units   (stage 1)
///  +3+units    partials; accumulated                                (stage 2)
///  +4+units    the accumulators: the argmin tree starts
///  +4+units+argmin   the chunk's winners; running minimum
///  +5+units+argmin   codes                                          (latency)
/// ```
struct DistanceEncoder: Circuit {
    let design: PQAParameters
    /// The baked layer of a fixed-table design.
    let fixed: FixedTables?

    /// Cycles from an operation to the codes it completes: the reads, the
    /// distance units, the accumulators, the argmin tree and the codes.
    static func latency(_ design: PQAParameters) -> Int {
        InputBuffer.readLatency + DistanceUnit.latency(design) + 1 + design.argminStages + 1
    }

    struct Inputs: PortGroup {
        let operation: EncoderOperation
        /// The operation's column word, `InputBuffer.readLatency` cycles after it.
        let column: Signal
        /// Prototype loads (a loadable design).
        let write: MemoryWrite?
        let banks: [EncoderLayer]
    }

    var moduleName: String { "pqa_encoder" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        let c = design.configuration
        return [.init("parallelism", c.parallelism.summary), .init("metric", c.metric.rawValue),
                .init("argmin levels per stage", c.pipelining.argminLevelsPerStage),
                .init("prototypes", fixed == nil ? "loaded, two banks" : "fixed (ROMs)")]
    }

    func inputs(_ ports: PortFields) -> Inputs {
        let c = design.configuration
        return Inputs(
            operation: ports.group("operation") { EncoderOperation($0, design) },
            column: ports("column", .unsigned(design.activationBeatBits)),
            write: fixed == nil ? ports.group("write") {
                MemoryWrite($0, depth: 2 * design.prototypeWords, grouping: design.prototypeGrouping, indexBits: design.loadBeat.indexBits)
            } : nil,
            banks: ports.groups("bank", count: 2) {
                EncoderLayer(ls: $0("ls", countType(c.maxima.ls)), np: $0("np", countType(c.maxima.np)))
            })
    }

    func outputs(_ ports: PortFields) -> Codes { ports.group("codes") { Codes($0, design) } }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs: Codes) {
        let c = design.configuration, p = c.parallelism, op = inputs.operation
        // Stage 1: the reads are in; lanes past Ls count zero and prototypes
        // past Np take no part. Both decided in two steps off the distance
        // units' path: a cycle before the reads are in, each lane's and each
        // prototype's number (the chunk's first plus its place) and the
        // bank's Ls and Np are registered; the compares are registered with
        // the reads.
        let decoding = m.delayed(op, cycles: InputBuffer.readLatency - 2, name: "decoding")
        let reading = m.delayed(decoding, cycles: 1, name: "reading")
        let fetched = m.delayed(reading, cycles: 1, name: "fetched")
        func positions(_ chunk: Signal, _ lanes: Int, maximum: Int, _ name: String) -> [Signal] {
            let width = max(1, bitsToRepresent(maximum))
            let first = m.product(chunk, lanes).resized(to: width)
            return (0..<lanes).map { m.delayed(first + $0, name: "\(name)_\($0)") }
        }
        func count(_ field: KeyPath<EncoderLayer, Signal>, _ name: String) -> Signal {
            m.delayed(perBank(decoding.bank, inputs.banks.map { $0[keyPath: field] }), name: name)
        }
        let ls = count(\.ls, "reading_ls"), np = count(\.np, "reading_np")
        let lanes = positions(decoding.chunk, p.lsVec, maximum: design.chunksMax * p.lsVec, "lane_number")
        let laneValid = lanes.enumerated().map { lane, number in
            m.delayed(number < ls.resized(to: number.width), name: "lane_valid_\(lane)")
        }
        // Stage 2: partials in.
        let summed = m.delayed(fetched, cycles: DistanceUnit.latency(design), name: "summed")
        // A cycle later the accumulators hold the distances. Prototypes past
        // Np, decided at stage 1 and registered up to stage 2, take the
        // largest distance in their accumulators instead.
        let accumulated = m.delayed(summed, cycles: 1, name: "accumulated")
        let prototypes = positions(decoding.prototypeChunk, p.npVec, maximum: design.prototypeChunksMax * p.npVec, "prototype_number")
        let exists = prototypes.enumerated().map { q, number in
            m.delayed(number < np.resized(to: number.width), cycles: 1 + DistanceUnit.latency(design), name: "exists_\(q)")
        }
        // After the argmin tree: each prototype chunk's winners.
        let chunkDone = m.delayed(accumulated.valid & accumulated.lastChunk, cycles: design.argminStages, name: "chunk_done_valid")
        let decided = m.delayed(accumulated, cycles: design.argminStages, name: "decided")
        let finishing = (chunkDone & decided.lastPrototypeChunk).named("finishing")
        let control = SubspaceControl(
            read: op.valid, address: op.prototypeAddress, laneValid: laneValid, accumulate: summed.valid, firstChunk: summed.firstChunk,
            exists: exists, chunkDone: chunkDone, firstPrototypeChunk: decided.firstPrototypeChunk,
            base: m.product(decided.prototypeChunk, p.npVec).resized(to: design.codeBits).named("chunk_base"), finishing: finishing)

        let a = c.formats.activation
        let codes = (0..<p.nsVec).map { s -> Signal in
            let rom = fixed.map { fixed in (s, (0..<p.npVec).map { fixed.prototypes[s * p.npVec + $0] }) }
            let subspace = m.instance(SubspaceEncoder(design: design, rom: rom), name: "u_subspace_\(s)")
            let write = inputs.write.map { write in
                PrototypeWrite(enables: (0..<p.npVec).map { write.targets(row: s, $0) }, address: write.address, data: write.data,
                               grouping: write.grouping)
            }
            let column = inputs.column[high: (s + 1) * p.lsVec * a.bits - 1, low: s * p.lsVec * a.bits]
            subspace.inputs <== SubspaceEncoder.Inputs(write: write, column: column, control: control)
            return subspace.outputs
        }
        outputs <== Codes(
            valid: m.delayed(finishing, name: "codes_valid_q", reset: 0), codes: codes,
            bank: m.delayed(decided.bank, name: "codes_bank_q", enable: finishing),
            group: m.delayed(decided.group, name: "codes_group_q", enable: finishing),
            firstGroup: m.delayed(decided.firstGroup, name: "codes_first_group_q", enable: finishing),
            lastGroup: m.delayed(decided.lastGroup, name: "codes_last_group_q", enable: finishing))
    }
}
