import HDL
import PQ

/// Where an output chunk of a subspace group stands: its bank, group and
/// chunk, and whether it is the column's first or last group or the group's
/// last chunk.
struct OutputChunk: PortGroup, Pipelined {
    let valid, bank, group, chunk, firstGroup, lastGroup, lastChunk: Signal

    func map(_ transform: (Signal, String) -> Signal) -> OutputChunk {
        OutputChunk(valid: transform(valid, "valid"), bank: transform(bank, "bank"), group: transform(group, "group"),
                    chunk: transform(chunk, "chunk"), firstGroup: transform(firstGroup, "first_group"),
                    lastGroup: transform(lastGroup, "last_group"), lastChunk: transform(lastChunk, "last_chunk"))
    }
}

extension OutputChunk {
    init(_ ports: PortFields, _ design: PQAParameters) {
        valid = ports.bool("valid")
        bank = ports.bool("bank")
        group = ports("group", countType(design.groupsMax))
        chunk = ports("chunk", countType(design.outputChunksMax))
        firstGroup = ports.bool("first_group")
        lastGroup = ports.bool("last_group")
        lastChunk = ports.bool("last_chunk")
    }
}

/// The table words of one output chunk of a subspace group, with the chunk's bias word.
struct TableEntries: PortGroup {
    let position: OutputChunk
    /// Per subspace lane, `OutVec` entries, and whether the lane's subspace
    /// exists (is below `Ns`), a cycle before the entries it describes (so
    /// the accumulator can zero a missing subspace's entries as it registers them).
    let words, subspaceValid: [Signal]
    /// `OutVec` biases.
    let bias: Signal
}

extension TableEntries {
    init(_ ports: PortFields, _ design: PQAParameters) {
        position = OutputChunk(ports, design)
        words = ports.array("word", count: design.configuration.parallelism.nsVec, .unsigned(design.tableWordBits))
        subspaceValid = ports.array("subspace_valid", count: design.configuration.parallelism.nsVec, .bool)
        bias = ports("bias", .unsigned(design.biasWordBits))
    }
}

/// The lookup: `NsVec` table memories of `OutVec` entries (two banks each, or
/// ROMs), read with the group's codes one output chunk per cycle, and the
/// bias memories (a part of the output lanes each) read with them.
///
/// ```
///  codes      registered beside the lookup
///  +1         taken (registered): one output chunk per cycle for ceil(Cout/OutVec) cycles
///  +2         issue chunk 0 ...
///  +3         its table and bias addresses registered beside the block RAMs
///  +5         entries and bias of chunk 0 (block RAM and its output register)   (latency = 5)
/// ```
/// A table word's address in bank `b`: `b x tableWords + ((g x NpMax) + code) x ceil(CoutMax/OutVec) + chunk`.
struct Lookup: Circuit {
    let design: PQAParameters
    let fixed: FixedTables?

    /// Cycles from a read to its words (the address register, the block RAM
    /// and its output register): the address is computed a cycle ahead of
    /// the RAM, so the route to tiles spread over the device starts at a register.
    static let readLatency = 3
    /// Output lanes whose biases share one bias memory (and its read address register).
    static let biasLanesPerPart = 4
    /// Cycles from the codes to the first chunk's entries: the codes' register, the chunk register, then a read.
    static let latency = 2 + readLatency

    struct Inputs: PortGroup {
        let codes: Codes
        /// Table and bias loads (a loadable design).
        let tableWrite, biasWrite: MemoryWrite?
        /// Per bank: output chunks per column, and subspaces.
        let outputChunks, ns: [Signal]
    }

    var moduleName: String { "pqa_lookup" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        let c = design.configuration
        return [.init("tables", "\(c.parallelism.nsVec) x \(2 * design.tableWords) words of \(c.parallelism.outVec) entries (\(c.formats.entry))"),
                .init("bias", "\(2 * design.biasWords) words of \(c.parallelism.outVec) biases (\(c.formats.bias)), "
                      + "in memories of \(Self.biasLanesPerPart) lanes"),
                .init("contents", fixed == nil ? "loaded, two banks" : "fixed (ROMs)")]
    }

    func inputs(_ ports: PortFields) -> Inputs {
        Inputs(codes: ports.group("codes") { Codes($0, design) },
               tableWrite: fixed == nil ? ports.group("table_write") {
                   MemoryWrite($0, depth: 2 * design.tableWords, grouping: design.tableGrouping, indexBits: design.loadBeat.indexBits)
               } : nil,
               biasWrite: fixed == nil ? ports.group("bias_write") {
                   MemoryWrite($0, depth: 2 * design.biasWords, wordBits: design.biasWordBits)
               } : nil,
               outputChunks: ports.array("output_chunks", count: 2, countType(design.outputChunksMax)),
               ns: ports.array("ns", count: 2, countType(design.configuration.maxima.ns)))
    }

    func outputs(_ ports: PortFields) -> TableEntries { ports.group("entries") { TableEntries($0, design) } }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs: TableEntries) {
        let c = design.configuration, p = c.parallelism
        // The encoder's codes registered here, so the route from the encoder
        // ends at registers beside the lookup; the valid that loads the
        // table bases is a register per table (`fannedOut`), not one across
        // every base register.
        let codes = m.delayed(inputs.codes, cycles: 1, name: "codes_q")
        let takes = m.fannedOut(inputs.codes.valid, copies: p.nsVec, name: "codes_taken")
        // Sequencing: start on the codes, one output chunk per cycle.
        let active = m.register("active", reset: false)
        let chunk = m.register("chunk", countType(design.outputChunksMax), reset: 0)
        let bank = m.register("bank", reset: false)
        let group = m.register("group", countType(design.groupsMax), reset: 0)
        let firstGroup = m.register("first_group", reset: false)
        let lastGroup = m.register("last_group", reset: false)
        // Whether the issued chunk is the group's last: a register set a step
        // ahead from a count of the chunks after it (a compare with a
        // constant), so the active flag's enable waits on no comparator.
        let lastChunk = m.register("last_chunk", reset: false)
        let chunksAfter = m.register("chunks_after", countType(design.outputChunksMax), reset: 0)
        // Per table, the address of the group's first chunk: set from the
        // codes as they are taken (each register loads with the codes, as a
        // held code would), so one adder, the chunk's, lies before the
        // address registers beside the block RAMs.
        let tableWidth = design.tableAddressBits, biasWidth = max(1, ceilLog2(2 * design.biasWords))
        let tableBases = (0..<p.nsVec).map { m.register("table_base_\($0)", .unsigned(tableWidth), reset: nil) }
        func bankBase(_ select: Signal, _ words: Int, _ width: Int) -> Signal {
            mux(select, m.constant(words, .unsigned(width)), m.constant(0, .unsigned(width)))
        }
        m.when(codes.valid) {
            active <== true
            chunk <== 0
            bank <== codes.bank
            group <== codes.group
            firstGroup <== codes.firstGroup
            lastGroup <== codes.lastGroup
            let outputChunks = perBank(codes.bank, inputs.outputChunks)
            lastChunk <== outputChunks == 1
            chunksAfter <== outputChunks - 1
        }.elseWhen(active & lastChunk) {
            active <== false
        }.elseWhen(active) {
            chunk <== chunk + 1
            lastChunk <== chunksAfter == 1
            chunksAfter <== chunksAfter - 1
        }
        // A table word's address less its chunk: `b x tableWords + ((g x NpMax) + code) x ceil(CoutMax/OutVec)`.
        let rows = m.product(codes.group, c.maxima.np).resized(to: tableWidth)
        for (base, (code, taken)) in zip(tableBases, zip(codes.codes, takes)) {
            m.when(taken) {
                base <== bankBase(codes.bank, design.tableWords, tableWidth)
                    + m.product(rows + code.resized(to: tableWidth), design.outputChunksMax).resized(to: tableWidth)
            }
        }

        // Reads: tables and bias, two banks each, their addresses registered
        // beside the block RAMs. Each memory's read enable is a register of
        // its own (`fannedOut`, kept apart by synthesis), not one register,
        // merged from identical ones, across every table.
        let readEnables = m.fannedOut(active, copies: p.nsVec + (p.outVec + Self.biasLanesPerPart - 1) / Self.biasLanesPerPart,
                                      name: "read_enable")
        // Table and bias writes registered here, each memory's enable on its own (`StagedWrite`).
        let tableWrite = inputs.tableWrite?.staged(m, name: "table_write")
        let biasWrite = inputs.biasWrite?.staged(m, name: "bias_write")
        let words = tableBases.enumerated().map { s, base -> Signal in
            let type = SignalType.unsigned(design.tableWordBits)
            let memory: Memory
            if let fixed {
                memory = m.rom("table_\(s)", type, words: fixed.tables[s])
            } else {
                memory = m.simpleDualPortRAM("table_\(s)", depth: 2 * design.tableWords, type, readDuringWrite: .undefined)
                if let write = tableWrite {
                    m.when(write.enable(s)) { memory.write(address: write.address, data: write.word(s)) }
                }
            }
            let address = (base + chunk.resized(to: tableWidth)).named("table_address_\(s)")
            return memory.readPipelined(address: address.resized(to: memory.addressWidth), registeredEnable: readEnables[s], name: "entries_\(s)")
        }
        // The bias memory in parts of `biasLanesPerPart` lanes, each read
        // from an address register of its own (`fannedOut`): one address
        // register across every lane's LUT RAM cells spans the device.
        let biasBits = c.formats.bias.bits
        let biasParts = stride(from: 0, to: p.outVec, by: Self.biasLanesPerPart).map { $0..<min($0 + Self.biasLanesPerPart, p.outVec) }
        let biasAddress = (bankBase(bank, design.biasWords, biasWidth) + chunk.resized(to: biasWidth)).named("bias_address")
        let biasAddresses = m.fannedOut(biasAddress, copies: biasParts.count, name: "bias_address")
        let biasWriteEnable = biasWrite?.enable(0)
        let biasWords = biasParts.enumerated().map { part, lanes -> Signal in
            let high = lanes.upperBound * biasBits - 1, low = lanes.lowerBound * biasBits
            let type = SignalType.unsigned(lanes.count * biasBits)
            let memory: Memory
            if let fixed {
                memory = m.rom("bias_\(part)", type, words: fixed.bias.map { $0.slice(high: high, low: low) })
            } else {
                memory = m.simpleDualPortRAM("bias_\(part)", depth: 2 * design.biasWords, type, readDuringWrite: .undefined)
                if let write = biasWrite, let enable = biasWriteEnable {
                    m.when(enable) { memory.write(address: write.address, data: write.data[high: high, low: low]) }
                }
            }
            return memory.readRegistered(address: biasAddresses[part].resized(to: memory.addressWidth), enable: readEnables[p.nsVec + part],
                                         name: "bias_word_\(part)")
        }
        let bias = concatenate(biasWords.reversed())
        let issued = OutputChunk(valid: active, bank: bank, group: group, chunk: chunk, firstGroup: firstGroup, lastGroup: lastGroup,
                                 lastChunk: lastChunk)
        // Which of the group's subspace lanes exist, from the group and bank
        // held beside the issued chunk (registers of the lookup's own, not
        // the encoder's codes; off the accumulator's path).
        let subspaceWidth = max(1, bitsToRepresent(design.groupsMax * p.nsVec))
        let firstSubspace = m.product(group, p.nsVec).resized(to: subspaceWidth)
        let ns = perBank(bank, inputs.ns).resized(to: subspaceWidth)
        let subspaceValid = (0..<p.nsVec).map { s in ((firstSubspace + s) < ns).named("subspace_valid_\(s)") }
        // The position waits beside the words: the address register, the
        // block RAM and its output register; the subspace flags a cycle less,
        // so they lead the words by one.
        outputs <== TableEntries(position: m.delayed(issued, cycles: Self.readLatency, name: "read"), words: words,
                                 subspaceValid: subspaceValid.enumerated().map { s, valid in
                                     m.delayed(valid, cycles: Self.readLatency - 1, name: "read_subspace_valid_\(s)")
                                 },
                                 bias: bias)
    }
}
