import HDL
import PQ

/// One output lane of the accumulator: the lane's entries of a group's
/// subspaces registered beside the lane, a missing subspace's as zero (the
/// table block RAMs' words reach every lane across the device; the route
/// ends at these registers, not in the adder tree), summed by a tree (a register every
/// `adderLevelsPerStage` levels), added to the lane's running sum of the
/// output chunk over the column's groups, and on the last group the bias added.
/// The running sums, one per output chunk, are a small RAM (LUT RAM)
/// written a cycle after each add (from the sum's register) and read a cycle
/// ahead of the add, the sums of the two cycles between passed by, and kept in
/// carry-save form (`CarrySaveSum`).
///
/// ```
///  entries, subspaceValid           (stage 1)
///  +1              the entries registered beside the lane (zero where no subspace)
///  +adder stages   with `nextChunk`: the running sum it adds to is read
///  +1+adder stages the group's tree; with `control`: that running sum, or the sum just written to it, picked
///  +2+adder stages the tree and that running sum registered: sum = tree + (first group ? 0 : running), carry-save
///  +3+adder stages the sum's two words, registered (written to the running sum)
///  +4+adder stages the sum (its two words added) and the bias, registered
///  +5+adder stages accumulator = sum + bias, registered          (latency = adder stages + 5)
/// ```
struct AccumulatorLane: Circuit {
    let design: PQAParameters

    struct Control: PortGroup {
        /// At the tree's output: the column's first group, and whether the
        /// running sum takes this group's sum.
        let firstGroup, update: Signal
        /// The output chunk, a cycle before the tree's output.
        let nextChunk: Signal
        /// The lane's bias (raw bits of the bias format).
        let bias: Signal
    }

    struct Inputs: PortGroup {
        /// Per subspace lane: the raw entry, and whether the subspace exists (with it).
        let entries, subspaceValid: [Signal]
        let control: Control
    }

    var moduleName: String { "pqa_accumulator_lane" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        let c = design.configuration
        return [.init("subspaces", c.parallelism.nsVec), .init("adder levels per stage", c.pipelining.adderLevelsPerStage),
                .init("output chunks", design.outputChunksMax),
                .init("widths", "entry \(c.formats.entry), sum \(design.widths.tableSum), bias \(c.formats.bias), accumulator \(design.widths.accumulator)")]
    }

    var sumType: SignalType { numberType(bits: design.widths.tableSum.bits, signed: design.widths.tableSum.signed) }
    var accumulatorType: SignalType { numberType(bits: design.widths.accumulator.bits, signed: design.widths.accumulator.signed) }

    func inputs(_ ports: PortFields) -> Inputs {
        let c = design.configuration, nsVec = c.parallelism.nsVec
        return Inputs(entries: ports.array("entry", count: nsVec, .unsigned(c.formats.entry.bits)),
                      subspaceValid: ports.array("subspace_valid", count: nsVec, .bool),
                      control: ports.group("control") {
                          Control(firstGroup: $0.bool("first_group"), update: $0.bool("update"),
                                  nextChunk: $0("next_chunk", countType(design.outputChunksMax)), bias: $0("bias", .unsigned(c.formats.bias.bits)))
                      })
    }

    func outputs(_ ports: PortFields) -> Signal { ports("accumulator", accumulatorType) }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs accumulator: Signal) {
        let c = design.configuration, control = inputs.control
        let terms = zip(inputs.entries, inputs.subspaceValid).enumerated().map { index, lane in
            let (raw, exists) = lane
            let entry = m.delayed(mux(exists, raw, m.constant(0, raw.type)), name: "entry_\(index)_q")
            return convert(entry, signed: c.formats.entry.signed, to: sumType)
        }
        let tree = m.delayed(m.reduceTree(terms, levelsPerStage: c.pipelining.adderLevelsPerStage, name: "adder") { $0 + $1 },
                             name: "tree_q")
        // One running sum per output chunk of the column, read a cycle before
        // the add (`addend`, zero on a column's first group), so the add starts
        // from registers; a sum written that cycle to the same chunk is taken
        // as it is written. The read itself starts a cycle earlier still (a
        // registered read), the sums of that cycle and the one before passed by.
        // Running sums are kept in carry-save form (`CarrySaveSum`), so the
        // loop from one group's sum to the next is a full adder per bit, one
        // LUT level, and the two words are added once, from their register
        // (`group_sum_words_q`) into `group_sum_q`: the loop's full adders
        // drive the addend and registers only.
        let addressed = m.delayed(control.nextChunk, name: "chunk_next_q")
        let chunk = m.delayed(addressed, name: "chunk_q"), update = m.delayed(control.update, name: "update_q", reset: 0)
        let wordType = SignalType.unsigned(sumType.width), carriesType = SignalType.unsigned(sumType.width - 1)
        let addend = CarrySaveSum(sum: m.register("addend_sum", wordType, reset: nil), carries: m.register("addend_carry", carriesType, reset: nil))
        let sum = addend.adding(tree.asUnsigned)
        let sumQ = m.delayed(sum, cycles: 1, name: "group_sum_words_q")
        let stored: CarrySaveSum
        if design.outputChunksMax == 1 {
            let running = CarrySaveSum(sum: m.register("running_sum", wordType, reset: nil),
                                       carries: m.register("running_carry", carriesType, reset: nil))
            m.when(update) {
                running.sum <== sum.sum
                running.carries <== sum.carries
            }
            stored = running
        } else {
            // A sum is written a cycle after its add, from its register, so the
            // loop's full adders drive the addend and registers only, not the
            // RAM's write data; the read takes a word written in its cycle as it
            // is written.
            let depth = design.outputChunksMax
            let writing = m.delayed(update, name: "running_write_q", reset: 0), written = m.delayed(chunk, name: "running_write_chunk_q")
            let readsWritten = writing & (written == control.nextChunk)
            let words = [("sum", sumQ.sum), ("carry", sumQ.carries)].map { field, data -> Signal in
                let running = m.simpleDualPortRAM("running_\(field)s", depth: depth, data.type)
                m.when(writing) { running.write(address: written.resized(to: running.addressWidth), data: data) }
                let read = running.readAsync(address: control.nextChunk.resized(to: running.addressWidth), name: "running_\(field)_read")
                return m.delayed(mux(readsWritten, data, read), name: "running_\(field)_word")
            }
            let justWritten = m.delayed(update & (chunk == control.nextChunk), name: "running_sum_just_written", reset: 0)
            stored = CarrySaveSum(sum: mux(justWritten, sumQ.sum, words[0]), carries: mux(justWritten, sumQ.carries, words[1]))
        }
        // Whether the add takes the sum written in its cycle: decided a cycle ahead.
        let taken = m.delayed(control.update & (addressed == control.nextChunk), name: "running_sum_taken", reset: 0)
        let picked = m.instance(RunningSumTerms(width: sumType.width), name: "u_running_sum_terms")
        picked.inputs <== RunningSumTerms.Inputs(taken: taken, firstGroup: control.firstGroup, word: tree.asUnsigned,
                                                 storedSum: stored.sum, storedCarries: stored.carries)
        let next = addend.continuing(picked.outputs)
        addend.sum <== next.sum
        addend.carries <== next.carries
        let groupSum = m.delayed(sumQ.sum + sumQ.carry, name: "group_sum_q")
        let bias = m.delayed(control.bias, cycles: 3, name: "bias_q")
        let total = convert(groupSum, signed: sumType.isSigned, to: accumulatorType)
            + convert(bias, signed: c.formats.bias.signed, to: accumulatorType)
        accumulator <== m.delayed(total, name: "accumulator_q")
    }
}

/// What a lane's running sum takes next besides its own two words: whether
/// it continues (adds the group's tree to itself: the add is taken, and the
/// group is not the column's first) and, per word, the term it adds or, if
/// not, the word it restarts from (zero on a first group, else the stored
/// sum). A module of its own that synthesis keeps apart, so its logic
/// is not merged into the loop's LUTs (see `CarrySaveSum.continuing`).
struct RunningSumTerms: Circuit {
    let width: Int

    struct Inputs: PortGroup {
        let taken, firstGroup, word, storedSum, storedCarries: Signal
    }

    struct Outputs: PortGroup {
        let continues, sumTerm, carryTerm: Signal
    }

    var moduleName: String { "pqa_running_sum_terms" }
    var parameters: [ModuleParameter] { [.init("width", width)] }
    var keepsHierarchy: Bool { true }

    func inputs(_ ports: PortFields) -> Inputs {
        Inputs(taken: ports.bool("taken"), firstGroup: ports.bool("first_group"), word: ports("word", .unsigned(width)),
               storedSum: ports("stored_sum", .unsigned(width)), storedCarries: ports("stored_carries", .unsigned(width - 1)))
    }

    func outputs(_ ports: PortFields) -> Outputs {
        Outputs(continues: ports.bool("continues"), sumTerm: ports("sum_term", .unsigned(width)),
                carryTerm: ports("carry_term", .unsigned(width - 1)))
    }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs: Outputs) {
        let continues = inputs.taken & !inputs.firstGroup
        outputs.continues <== continues
        outputs.sumTerm <== mux(continues, inputs.word, mux(inputs.firstGroup, m.constant(0, .unsigned(width)), inputs.storedSum))
        outputs.carryTerm <== mux(continues, inputs.word.truncated(to: width - 1),
                                  mux(inputs.firstGroup, m.constant(0, .unsigned(width - 1)), inputs.storedCarries))
    }
}

/// A number held as two words whose sum (modulo 2^width) it is: adding a
/// third word is a full adder per bit (a sum bit and a carry into the next
/// bit), no carry chain. The carry word's lowest bit is always zero, so it
/// is held without it (`carries`, a bit narrower than `sum`): no register
/// or RAM bit holds a constant.
private struct CarrySaveSum: Pipelined {
    let sum, carries: Signal

    func map(_ transform: (Signal, String) -> Signal) -> CarrySaveSum {
        CarrySaveSum(sum: transform(sum, "sum"), carries: transform(carries, "carry"))
    }

    /// The carry word at the sum's width (its lowest bit zero).
    var carry: Signal { carries.extended(to: sum.width) << 1 }

    /// This number plus `word` (of the same width), in carry-save form.
    func adding(_ word: Signal) -> CarrySaveSum {
        let carry = self.carry
        let majority = (sum & carry) | (sum & word) | (carry & word)
        return CarrySaveSum(sum: (sum ^ carry ^ word).named("running_sum_next"),
                            carries: majority.truncated(to: carries.width).named("running_carry_next"))
    }

    /// `terms.continues ? self + word : other`, in carry-save form, from the
    /// terms `RunningSumTerms` picked (`continues ? word : other`, per
    /// word): each result bit is a function of four inputs, the bit's two
    /// words here, `continues` and its term, so a loop through these words
    /// is one LUT4, which the FPGA packs with the register it drives.
    func continuing(_ terms: RunningSumTerms.Outputs) -> CarrySaveSum {
        let carry = self.carry, carryTerm = terms.carryTerm.extended(to: sum.width)
        let majority = ((sum & carry) | (sum & carryTerm) | (carry & carryTerm)).truncated(to: carries.width)
        return CarrySaveSum(sum: mux(terms.continues, sum ^ carry ^ terms.sumTerm, terms.sumTerm),
                            carries: mux(terms.continues, majority, terms.carryTerm))
    }
}

/// The accumulator: per output lane (`OutVec`, emitted once) an adder tree
/// over the group's `NsVec` entries and the running sum over the column's
/// groups; subspaces past `Ns` add zero. Its beats go to the requantizer.
///
/// ```
///  entries of a chunk       (stage 1, from the lookup)
///  +adder stages + 5        accumulators of the chunk       (latency)
/// ```
struct Accumulator: Circuit {
    let design: PQAParameters

    /// Cycles from a chunk's entries to its accumulators.
    static func latency(_ design: PQAParameters) -> Int { design.adderStages + 5 }
    /// Output lanes that share one copy of the subspace flags.
    static let lanesPerFlagsCopy = 4

    struct Inputs: PortGroup {
        let entries: TableEntries
    }

    var moduleName: String { "pqa_accumulator" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        let c = design.configuration
        return [.init("lanes", c.parallelism.outVec), .init("subspaces", c.parallelism.nsVec),
                .init("adder levels per stage", c.pipelining.adderLevelsPerStage)]
    }

    func inputs(_ ports: PortFields) -> Inputs {
        Inputs(entries: ports.group("entries") { TableEntries($0, design) })
    }

    func outputs(_ ports: PortFields) -> AccumulatorBeat {
        ports.group("beat") { AccumulatorBeat($0, lanes: design.configuration.parallelism.outVec, design.accumulatorType, chunks: design.outputChunksMax) }
    }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs: AccumulatorBeat) {
        let c = design.configuration, p = c.parallelism, entry = c.formats.entry, bias = c.formats.bias
        let position = inputs.entries.position
        // The chunk's position and bias wait beside the lanes' entry registers
        // and adder trees; the subspace flags (a cycle ahead) are copied to land with the entries.
        // Where the adder stages leave a register to spend, the lanes'
        // controls are copied in two levels (a copy per group of lanes, then
        // per lane), taken a cycle earlier.
        let stages = design.adderStages, twoLevels = stages >= 1
        let copiedFrom = m.delayed(position, cycles: twoLevels ? stages - 1 : stages, name: "summed_copied")
        let early = twoLevels ? m.delayed(copiedFrom, cycles: 1, name: "summed_early") : copiedFrom
        let summed = m.delayed(early, cycles: 1, name: "summed")
        let biasWord = m.delayed(inputs.entries.bias, cycles: 1 + design.adderStages, name: "summed_bias")
        // Every lane reads its own copy of the controls of its running sum
        // (registers kept apart by `fannedOut`, in two levels where they can), and each
        // group of lanes its own copy of the subspace flags, so no control
        // register drives all the lanes.
        let lanes = p.outVec, groups = (lanes + Self.lanesPerFlagsCopy - 1) / Self.lanesPerFlagsCopy
        func perLane(_ value: Signal, _ name: String) -> [Signal] {
            twoLevels ? m.fannedOut(value, copies: lanes, groupSize: Self.lanesPerFlagsCopy, name: name)
                : m.fannedOut(value, copies: lanes, name: name)
        }
        let firstGroups = perLane(copiedFrom.firstGroup, "summed_first_group")
        // The output chunk a cycle ahead of the other controls (the running
        // sum's read): copied the same way where the stages leave room.
        let nextChunks: [Signal]
        switch stages {
        case 0: nextChunks = Array(repeating: position.chunk, count: lanes)
        case 1: nextChunks = m.fannedOut(position.chunk, copies: lanes, name: "next_chunk")
        default: nextChunks = perLane(m.delayed(position.chunk, cycles: stages - 2, name: "next_chunk_copied"), "next_chunk")
        }
        let updates = perLane(copiedFrom.valid & !copiedFrom.lastGroup, "update")
        let subspaceValid = inputs.entries.subspaceValid.enumerated().map { m.fannedOut($1, copies: groups, name: "subspace_valid_\($0)_q") }
        let accumulators = (0..<lanes).map { lane -> Signal in
            let unit = m.instance(AccumulatorLane(design: design), name: "u_lane_\(lane)")
            unit.inputs <== AccumulatorLane.Inputs(
                entries: inputs.entries.words.map { $0[high: (lane + 1) * entry.bits - 1, low: lane * entry.bits] },
                subspaceValid: subspaceValid.map { $0[lane / Self.lanesPerFlagsCopy] },
                control: AccumulatorLane.Control(firstGroup: firstGroups[lane], update: updates[lane], nextChunk: nextChunks[lane],
                                                 bias: biasWord[high: (lane + 1) * bias.bits - 1, low: lane * bias.bits]))
            return unit.outputs
        }
        // The beat's position waits beside the sum and bias stages.
        let beat = m.delayed(BeatPosition(valid: summed.valid, emit: summed.valid & summed.lastGroup, lastChunk: summed.lastChunk,
                                              bank: summed.bank, chunk: summed.chunk), cycles: 4, name: "beat")
        outputs <== AccumulatorBeat(accumulators: accumulators, valid: beat.valid, emit: beat.emit, lastChunk: beat.lastChunk,
                                    bank: beat.bank, chunk: beat.chunk)
    }
}
