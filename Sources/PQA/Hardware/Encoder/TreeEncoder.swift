import HDL
import PQ

/// The tree encoder (MADDNESS): one `TreeSubspaceEncoder` per subspace lane
/// of a group (`NsVec`, emitted once), each walking its subspace's decision
/// tree, and the control they share. It takes the distance encoder's place
/// (the same operations, column words, load writes of kind 1 and codes):
/// a group's operations are its element chunks (`NpVec = Np`: one prototype
/// chunk), each capturing the elements the tree compares, and after the last
/// one the walk takes one cycle per level and one more for the last verdicts.
///
/// ```
///  operation          issued (the column word and the tree word are read with it)
///  +3                 both in: elements captured; on the group's last chunk the walk starts
///  +4 ... +3+levels   one level a cycle
///  +4+levels          the last level's verdicts registered
///  +5+levels          codes                                               (latency)
/// ```
struct TreeEncoder: Circuit {
    let design: PQAParameters

    /// Cycles from a group's last operation to its codes: the reads, the
    /// capture, one per level, and the last level's verdicts.
    static func latency(_ design: PQAParameters) -> Int { InputBuffer.readLatency + 2 + design.treeLevels }

    typealias Inputs = DistanceEncoder.Inputs

    var moduleName: String { "pqa_tree_encoder" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        let c = design.configuration
        return [.init("subspaces per group", c.parallelism.nsVec), .init("levels", design.treeLevels),
                .init("elements per cycle", "\(c.parallelism.lsVec) per subspace"), .init("trees", "loaded, two banks")]
    }

    func inputs(_ ports: PortFields) -> Inputs {
        let c = design.configuration
        return Inputs(
            operation: ports.group("operation") { EncoderOperation($0, design) },
            column: ports("column", .unsigned(design.activationBeatBits)),
            write: ports.group("write") {
                MemoryWrite($0, depth: 2 * design.treeWords, grouping: design.treeGrouping, indexBits: design.loadBeat.indexBits)
            },
            banks: ports.groups("bank", count: 2) {
                EncoderLayer(ls: $0("ls", countType(c.maxima.ls)), np: $0("np", countType(c.maxima.np)))
            })
    }

    func outputs(_ ports: PortFields) -> Codes { ports.group("codes") { Codes($0, design) } }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs: Codes) {
        let c = design.configuration, p = c.parallelism, op = inputs.operation, levels = design.treeLevels
        // Stage 0: the group's word in the operation's bank.
        let addressType = SignalType.unsigned(max(1, ceilLog2(2 * design.treeWords)))
        let group = op.group.resized(to: addressType.width)
        let address = mux(op.bank, (group + design.treeWords).named("tree_address_bank1"), group).named("tree_address")
        // With the words: capture, and the walk's start on the last chunk.
        let fetchedEarly = m.delayed(TreeStep(op), cycles: InputBuffer.readLatency - 1, name: "fetched_early")
        let fetched = m.delayed(fetchedEarly, cycles: 1, name: "fetched")
        let start = (fetched.valid & fetched.lastChunk).named("walk_start")
        // Each subspace reads its own copy of the capture and the start (a
        // register a cycle ahead, kept apart by `fannedOut`): they enable
        // every element and threshold register of the subspaces.
        let captures = m.fannedOut(fetchedEarly.valid, copies: p.nsVec, name: "capture")
        let starts = m.fannedOut(fetchedEarly.valid & fetchedEarly.lastChunk, copies: p.nsVec, name: "walk_start")
        // Level l is walked l + 1 cycles after the start; the layer's trees
        // have it when Np > 2^l, a flag per bank registered from its Np (a
        // bank's Np settles before its first operation), so the bank pick is
        // the one gate before the copies. Each subspace reads its own copy
        // of the flags (their last register, kept apart): they select every node register.
        let levelFlags = inputs.banks.enumerated().map { bank, layer in
            (0..<levels).map { level in m.delayed(layer.np > (1 << level), name: "bank\(bank)_has_level_\(level)") }
        }
        let active = (0..<levels).map { level in
            let flag = perBank(fetched.bank, levelFlags.map { $0[level] })
            return m.fannedOut(m.delayed(flag, cycles: level, name: "active_\(level)_early"), copies: p.nsVec, name: "active_\(level)")
        }

        let a = c.formats.activation
        // Tree writes registered here, each subspace's enable on its own (`StagedWrite`).
        let treeWrite = inputs.write?.staged(m, name: "tree_write")
        let codes = (0..<p.nsVec).map { s -> Signal in
            let subspace = m.instance(TreeSubspaceEncoder(design: design), name: "u_tree_subspace_\(s)")
            let write = treeWrite.map { write in TreeWrite(enable: write.enable(s), address: write.address, data: write.word(s)) }
            let column = inputs.column[high: (s + 1) * p.lsVec * a.bits - 1, low: s * p.lsVec * a.bits]
            let control = TreeControl(read: op.valid, address: address, capture: captures[s], chunk: fetched.chunk, start: starts[s],
                                      active: active.map { $0[s] })
            if let write { subspace.inputs <== TreeSubspaceEncoder.Inputs(write: write, column: column, control: control) }
            return subspace.outputs
        }
        // The group's fields travel beside the walk.
        let walked = m.delayed(fetched, cycles: 2 + levels, name: "walked")
        outputs <== Codes(valid: m.delayed(start, cycles: 2 + levels, name: "codes_valid"), codes: codes, bank: walked.bank,
                          group: walked.group, firstGroup: walked.firstGroup, lastGroup: walked.lastGroup)
    }
}

/// The fields of an operation the tree encoder carries along its pipeline.
private struct TreeStep: Pipelined {
    let valid, bank, group, chunk, lastChunk, firstGroup, lastGroup: Signal

    init(_ op: EncoderOperation) {
        self.init(valid: op.valid, bank: op.bank, group: op.group, chunk: op.chunk, lastChunk: op.lastChunk, firstGroup: op.firstGroup,
                  lastGroup: op.lastGroup)
    }

    init(valid: Signal, bank: Signal, group: Signal, chunk: Signal, lastChunk: Signal, firstGroup: Signal, lastGroup: Signal) {
        self.valid = valid
        self.bank = bank
        self.group = group
        self.chunk = chunk
        self.lastChunk = lastChunk
        self.firstGroup = firstGroup
        self.lastGroup = lastGroup
    }

    func map(_ transform: (Signal, String) -> Signal) -> TreeStep {
        TreeStep(valid: transform(valid, "valid"), bank: transform(bank, "bank"), group: transform(group, "group"),
                 chunk: transform(chunk, "chunk"), lastChunk: transform(lastChunk, "last_chunk"), firstGroup: transform(firstGroup, "first_group"),
                 lastGroup: transform(lastGroup, "last_group"))
    }
}
