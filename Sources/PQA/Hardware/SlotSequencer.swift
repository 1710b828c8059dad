import HDL

/// One encoder operation: element chunk `chunk` of prototype chunk
/// `prototypeChunk` of subspace group `group`, read from column slot `readSlot`.
struct EncoderOperation: PortGroup, Pipelined {
    let valid, bank, group, chunk, prototypeChunk, readSlot: Signal
    let firstChunk, lastChunk, firstPrototypeChunk, lastPrototypeChunk, firstGroup, lastGroup: Signal

    func map(_ transform: (Signal, String) -> Signal) -> EncoderOperation {
        EncoderOperation(
            valid: transform(valid, "valid"), bank: transform(bank, "bank"), group: transform(group, "group"),
            chunk: transform(chunk, "chunk"), prototypeChunk: transform(prototypeChunk, "prototype_chunk"),
            readSlot: transform(readSlot, "read_slot"), firstChunk: transform(firstChunk, "first_chunk"),
            lastChunk: transform(lastChunk, "last_chunk"), firstPrototypeChunk: transform(firstPrototypeChunk, "first_prototype_chunk"),
            lastPrototypeChunk: transform(lastPrototypeChunk, "last_prototype_chunk"), firstGroup: transform(firstGroup, "first_group"),
            lastGroup: transform(lastGroup, "last_group"))
    }
}

extension EncoderOperation {
    init(_ ports: PortFields, _ design: PQAParameters) {
        valid = ports.bool("valid")
        bank = ports.bool("bank")
        group = ports("group", countType(design.groupsMax))
        chunk = ports("chunk", countType(design.chunksMax))
        prototypeChunk = ports("prototype_chunk", countType(design.prototypeChunksMax))
        readSlot = ports.bool("read_slot")
        firstChunk = ports.bool("first_chunk")
        lastChunk = ports.bool("last_chunk")
        firstPrototypeChunk = ports.bool("first_prototype_chunk")
        lastPrototypeChunk = ports.bool("last_prototype_chunk")
        firstGroup = ports.bool("first_group")
        lastGroup = ports.bool("last_group")
    }
}

/// What the sequencer reads of one bank's layer.
struct SlotTiming: PortGroup {
    let chunks, prototypeChunks, groups, outputChunks, encodeCycles, period, columns: Signal
}

extension SlotTiming {
    init(_ ports: PortFields, _ design: PQAParameters) {
        chunks = ports("chunks", countType(design.chunksMax))
        prototypeChunks = ports("prototype_chunks", countType(design.prototypeChunksMax))
        groups = ports("groups", countType(design.groupsMax))
        outputChunks = ports("output_chunks", countType(design.outputChunksMax))
        encodeCycles = ports("encode_cycles", countType(design.periodMax))
        period = ports("period", countType(design.periodMax))
        columns = ports("columns", countType(design.configuration.maxima.columns))
    }

    init(_ bank: LayerBank) {
        self.init(chunks: bank.chunks, prototypeChunks: bank.prototypeChunks, groups: bank.groups, outputChunks: bank.outputChunks,
                  encodeCycles: bank.encodeCycles, period: bank.period, columns: bank.columns)
    }
}

/// Starts slots and issues the encoder's work in them.
///
/// A slot is one subspace group of one column and lasts `period` cycles of
/// the slot's bank. In its first `chunks x prototypeChunks` cycles the
/// encoder gets one operation per cycle (element chunk `k` fastest, then
/// prototype chunk `pc`). A slot starts when the active layer has a column in
/// the buffer and, for a column's last group, the output FIFO has room for
/// the column's beats; slots run back to back when they can.
///
/// ```
///  cycle     0    1    2    3  | 0    1 ...
///  slot      g0 ──────────────▶| g1 ─────
///  encoder   k0p0 k1p0 k0p1 k1p1 (chunks = 2, prototype chunks = 2)
/// ```
struct SlotSequencer: Circuit {
    let design: PQAParameters
    /// A fixed-table design: one layer that never ends.
    let streaming: Bool

    /// Cycles from a slot's start condition to its first operation (the
    /// slot registers).
    static let latency = 1

    struct Inputs: PortGroup {
        let banks: [SlotTiming]
        let active: ActiveBank
        /// Per column slot of the input buffer: it holds a complete column.
        let full: [Signal]
        /// An output beat left the core (its FIFO space is free again).
        let outputPop: Signal
    }

    struct Outputs: PortGroup {
        let operation: EncoderOperation
        /// A slot is running.
        let inSlot: Signal
        /// A slot starts, and it is the layer's last.
        let started, layerEnds: Signal
        /// Per column slot: the encoder reads it for the last time this cycle.
        let release: [Signal]
    }

    var moduleName: String { "pqa_slot_sequencer" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        [.init("counts", "groups \(design.groupsMax), chunks \(design.chunksMax), prototype chunks \(design.prototypeChunksMax), output chunks \(design.outputChunksMax), period \(design.periodMax)"),
         .init("output FIFO", "\(design.outputFIFODepth) beats"), .init("layers", streaming ? "one, without end (fixed)" : "loaded")]
    }

    func inputs(_ ports: PortFields) -> Inputs {
        Inputs(banks: ports.groups("bank", count: 2) { SlotTiming($0, design) }, active: ports.group("active", ActiveBank.init),
               full: ports.array("full", count: 2, .bool), outputPop: ports.bool("output_pop"))
    }

    func outputs(_ ports: PortFields) -> Outputs {
        Outputs(operation: ports.group("operation") { EncoderOperation($0, design) }, inSlot: ports.bool("in_slot"),
                started: ports.bool("started"), layerEnds: ports.bool("layer_ends"), release: ports.array("release", count: 2, .bool))
    }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs: Outputs) {
        let banks = inputs.banks, state = inputs.active, active = state.bank
        let inSlot = m.register("slot_running", reset: false)
        let cycle = m.register("slot_cycle", countType(design.periodMax), reset: 0)
        let chunk = m.register("chunk", countType(design.chunksMax), reset: 0)
        let prototypeChunk = m.register("prototype_chunk", countType(design.prototypeChunksMax), reset: 0)
        let bank = m.register("bank", reset: false)
        let group = m.register("group", countType(design.groupsMax), reset: 0)
        let firstGroup = m.register("first_group", reset: false)
        let lastGroup = m.register("last_group", reset: false)
        let readSlot = m.register("read_slot", reset: false)
        // The next slot to start.
        let nextGroup = m.register("next_group", countType(design.groupsMax), reset: 0)
        let nextReadSlot = m.register("next_read_slot", reset: false)
        let columnsLeft = m.register("columns_left", countType(design.configuration.maxima.columns), reset: 0)
        let credits = m.register("output_credits", countType(design.outputFIFODepth), reset: design.outputFIFODepth)

        let groups = perBank(active, banks.map(\.groups)), outputChunks = perBank(active, banks.map(\.outputChunks))
        let nextIsLastGroup = (nextGroup == groups - 1).named("next_is_last_group")
        let room = credits >= outputChunks.resized(to: credits.width)
        // The previous slot's lookup must end before this slot's codes arrive:
        // within a layer the slot length guarantees it; at a change to a layer
        // with fewer encode cycles, the start waits.
        let lookupLeft = m.register("lookup_left", countType(2 * design.periodMax), reset: 0)
        let activeEncodeCycles = perBank(active, banks.map(\.encodeCycles))
        let lookupClear = lookupLeft <= activeEncodeCycles.resized(to: lookupLeft.width)
        let nextReady = (state.valid & perBank(nextReadSlot, inputs.full) & (!nextIsLastGroup | room) & lookupClear)
            .named("next_ready")
        let period = perBank(bank, banks.map(\.period))
        let slotEnds = (inSlot & (cycle == period - 1)).named("slot_ends")
        let start = ((!inSlot | slotEnds) & nextReady).named("start")
        outputs.started <== start
        // A streaming (fixed-table) layer never ends.
        outputs.layerEnds <== (streaming ? m.constant(false) : start & nextIsLastGroup & (columnsLeft == 1))

        // The running slot's encoder operations.
        let chunks = perBank(bank, banks.map(\.chunks)), prototypeChunks = perBank(bank, banks.map(\.prototypeChunks))
        let encodeCycles = perBank(bank, banks.map(\.encodeCycles))
        outputs.operation <== EncoderOperation(
            valid: (inSlot & (cycle < encodeCycles)).named("encode_valid"), bank: bank, group: group, chunk: chunk,
            prototypeChunk: prototypeChunk, readSlot: readSlot,
            firstChunk: chunk == 0, lastChunk: chunk == chunks - 1,
            firstPrototypeChunk: prototypeChunk == 0, lastPrototypeChunk: prototypeChunk == prototypeChunks - 1,
            firstGroup: firstGroup, lastGroup: lastGroup)
        outputs.inSlot <== inSlot
        let lastRead = (inSlot & lastGroup & (cycle == encodeCycles - 1)).named("last_read")
        outputs.release <== [lastRead & !readSlot, lastRead & readSlot]
        m.when(inSlot) {
            cycle <== cycle + 1
            m.when(chunk == chunks - 1) {
                chunk <== 0
                prototypeChunk <== prototypeChunk + 1
            }.otherwise { chunk <== chunk + 1 }
        }
        m.when(start) {
            lookupLeft <== (activeEncodeCycles.resized(to: lookupLeft.width) + outputChunks.resized(to: lookupLeft.width)) - 1
        }.elseWhen(lookupLeft != 0) {
            lookupLeft <== lookupLeft - 1
        }
        m.when(start) {
            inSlot <== true
            cycle <== 0
            chunk <== 0
            prototypeChunk <== 0
            bank <== active
            group <== nextGroup
            firstGroup <== nextGroup == 0
            lastGroup <== nextIsLastGroup
            readSlot <== nextReadSlot
            m.when(nextIsLastGroup) {
                nextGroup <== 0
                nextReadSlot <== !nextReadSlot
                if !streaming { columnsLeft <== columnsLeft - 1 }
            }.otherwise { nextGroup <== nextGroup + 1 }
        }.elseWhen(slotEnds) {
            inSlot <== false
        }
        if !streaming {
            m.when(state.swap) { columnsLeft <== perBank(state.loadBank, banks.map(\.columns)) }
        }
        // Output space: reserved when a column's last group starts, returned as beats leave.
        let reserve = mux(start & nextIsLastGroup, outputChunks.resized(to: credits.width), m.constant(0, credits.type))
        credits <== credits + inputs.outputPop.asUnsigned.extended(to: credits.width) - reserve
    }
}
