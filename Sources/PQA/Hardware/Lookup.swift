import HDL
import PQ

/// The lookup: `NsVec` table banks of `OutVec` entries read with the codes,
/// an adder tree over the group's subspaces per output lane, and the
/// running sum over groups. On a column's last group the sums (plus bias)
/// go to the requantizer.
///
/// ```
///  issue     one output chunk per cycle for `ceil(Cout/OutVec)` cycles
///  +1        entries and bias arrive (block RAM)
///  +adder    tree registers every `adderLevelsPerStage` levels
///  sum       running sum of the chunk ← (first group ? 0 : sum) + tree
///  → requantizer, registered: accumulator = sum + bias
/// ```
struct Lookup {
    /// One chunk's accumulators (sum plus bias), registered.
    let valid, emit, lastChunk, bank, chunk: Signal
    let accumulators: [Signal]

    init(_ m: ModuleBuilder, _ design: PQAParameters, layer: LayerControl, encoder: DistanceEncoder, fixed: FixedTables?) {
        let c = design.configuration, p = c.parallelism, formats = c.formats, load = layer.load
        // Sequencing: start on the encoder's codes, one output chunk per cycle.
        let active = m.register("lookup_active", reset: false)
        let chunk = m.register("lookup_chunk", countType(design.outputChunksMax), reset: 0)
        let bank = m.register("lookup_bank", reset: false)
        let group = m.register("lookup_group", countType(design.groupsMax), reset: 0)
        let firstGroup = m.register("lookup_first_group", reset: false)
        let lastGroup = m.register("lookup_last_group", reset: false)
        let codes = (0..<p.nsVec).map { m.register("lookup_code_\($0)", .unsigned(design.codeBits), reset: nil) }
        let outputChunks = perBank(bank, layer.banks.map(\.outputChunks))
        let lastChunk = (chunk == outputChunks - 1).named("lookup_last_chunk")
        m.when(encoder.ready) {
            active <== true
            chunk <== 0
            bank <== encoder.bank
            group <== encoder.group
            firstGroup <== encoder.firstGroup
            lastGroup <== encoder.lastGroup
            for (code, value) in zip(codes, encoder.codes) { code <== value }
        }.elseWhen(active & lastChunk) {
            active <== false
        }.elseWhen(active) {
            chunk <== chunk + 1
        }

        // Reads: tables and bias, two banks each.
        let tableDepth = 2 * design.tableWords, tableAddressWidth = max(1, ceilLog2(tableDepth))
        let biasDepth = 2 * design.biasWords, biasAddressWidth = max(1, ceilLog2(biasDepth))
        func bankBase(_ select: Signal, _ words: Int, _ width: Int) -> Signal {
            mux(select, m.constant(words, .unsigned(width)), m.constant(0, .unsigned(width)))
        }
        let tableLoadAddress = (bankBase(load.bank, design.tableWords, tableAddressWidth) + load.address.resized(to: tableAddressWidth))
            .named("load_table_address")
        let rows = scaled(group, by: c.maxima.np, to: tableAddressWidth, m)
        let entries = (0..<p.nsVec).map { s -> Signal in
            let name = "table_\(s)", type = SignalType.unsigned(design.tableWordBits)
            let memory: Memory
            if let fixed {
                memory = m.rom(name, type, words: fixed.tables[s])
            } else {
                memory = m.simpleDualPortRAM(name, depth: tableDepth, type)
                m.when(load.fire & (load.kind == 2) & (load.index == s) & inRange(load.address, design.tableWords, m)) {
                    memory.write(address: tableLoadAddress, data: load.data.truncated(to: design.tableWordBits))
                }
            }
            let address = (bankBase(bank, design.tableWords, tableAddressWidth)
                           + scaled(rows + codes[s].resized(to: tableAddressWidth), by: design.outputChunksMax, to: tableAddressWidth, m)
                           + chunk.resized(to: tableAddressWidth)).named("table_address_\(s)")
            return memory.read(address: address.resized(to: memory.addressWidth), enable: active, name: "entries_\(s)")
        }
        let biasMemory: Memory
        if let fixed {
            biasMemory = m.rom("bias", .unsigned(design.biasWordBits), words: fixed.bias)
        } else {
            biasMemory = m.simpleDualPortRAM("bias", depth: biasDepth, .unsigned(design.biasWordBits))
            m.when(load.fire & (load.kind == 3) & inRange(load.address, design.biasWords, m)) {
                biasMemory.write(address: (bankBase(load.bank, design.biasWords, biasAddressWidth) + load.address.resized(to: biasAddressWidth)),
                                 data: load.data.truncated(to: design.biasWordBits))
            }
        }
        let biasAddress = bankBase(bank, design.biasWords, biasAddressWidth) + chunk.resized(to: biasAddressWidth)
        let bias = biasMemory.read(address: biasAddress.resized(to: biasMemory.addressWidth), enable: active, name: "bias_word")
        let valid1 = m.delayed(active, name: "l1_valid", reset: 0)
        let bank1 = m.delayed(bank, name: "l1_bank"), group1 = m.delayed(group, name: "l1_group")
        let chunk1 = m.delayed(chunk, name: "l1_chunk")
        let first1 = m.delayed(firstGroup, name: "l1_first_group"), last1 = m.delayed(lastGroup, name: "l1_last_group")
        let lastChunk1 = m.delayed(lastChunk, name: "l1_last_chunk")

        // Adder tree over the group's subspaces, per output lane.
        let sumType = numberType(bits: design.widths.tableSum.bits, signed: design.widths.tableSum.signed)
        let ns = perBank(bank1, layer.banks.map(\.ns))
        let subspaceWidth = max(1, bitsToRepresent(design.groupsMax * p.nsVec))
        let groupBase = scaled(group1, by: p.nsVec, to: subspaceWidth, m)
        let entry = formats.entry
        let sums = (0..<p.outVec).map { lane -> Signal in
            let terms = (0..<p.nsVec).map { s -> [Signal] in
                let raw = entries[s][high: (lane + 1) * entry.bits - 1, low: lane * entry.bits]
                let value = convert(raw, signed: entry.signed, to: sumType)
                return [mux((groupBase + s) < ns.resized(to: subspaceWidth), value, m.constant(0, sumType))]
            }
            return reduceTree(terms, levelsPerStage: c.pipelining.adderLevelsPerStage, name: "adder_\(lane)", in: m) { [$0[0] + $1[0]] }[0]
        }
        let stages = design.adderStages
        let validT = delay(valid1, stages, name: "adder_valid", reset: 0, in: m)
        let bankT = delay(bank1, stages, name: "adder_bank", in: m), chunkT = delay(chunk1, stages, name: "adder_chunk", in: m)
        let firstT = delay(first1, stages, name: "adder_first_group", in: m), lastT = delay(last1, stages, name: "adder_last_group", in: m)
        let lastChunkT = delay(lastChunk1, stages, name: "adder_last_chunk", in: m)
        let biasT = delay(bias, stages, name: "adder_bias", in: m)

        // Running sum over groups, one register per output channel.
        let accumulatorType = numberType(bits: design.widths.accumulator.bits, signed: design.widths.accumulator.signed)
        var totals: [Signal] = []
        for lane in 0..<p.outVec {
            let partials = (0..<design.outputChunksMax).map { m.register("running_sum_\($0)_\(lane)", sumType, reset: nil) }
            let previous = design.outputChunksMax == 1 ? partials[0] : mux(chunkT, partials)
            let sum = (mux(firstT, m.constant(0, sumType), previous) + sums[lane]).named("group_sum_\(lane)")
            for (index, partial) in partials.enumerated() {
                m.when(validT & !lastT & (chunkT == index)) { partial <== sum }
            }
            let biasValue = biasT[high: (lane + 1) * formats.bias.bits - 1, low: lane * formats.bias.bits]
            totals.append(convert(sum.asUnsigned, signed: sumType.isSigned, to: accumulatorType)
                          + convert(biasValue, signed: formats.bias.signed, to: accumulatorType))
        }
        valid = m.delayed(validT, name: "q0_valid", reset: 0)
        emit = m.delayed(validT & lastT, name: "q0_emit", reset: 0)
        self.lastChunk = m.delayed(lastChunkT, name: "q0_last_chunk")
        self.bank = m.delayed(bankT, name: "q0_bank")
        self.chunk = m.delayed(chunkT, name: "q0_chunk")
        accumulators = totals.enumerated().map { m.delayed($1, name: "q0_accumulator_\($0)") }
    }
}

/// Raw bits holding a value of the given signedness, as `type` (wide enough).
func convert(_ raw: Signal, signed: Bool, to type: SignalType) -> Signal {
    let value = signed ? raw.asSigned.extended(to: type.width) : raw.asUnsigned.extended(to: type.width)
    return type.isSigned ? value.asSigned : value.asUnsigned
}
