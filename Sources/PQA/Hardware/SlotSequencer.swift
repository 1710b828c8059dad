import HDL

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
struct SlotSequencer {
    /// One encoder operation, valid in this cycle.
    struct Operation {
        let valid, bank, group, chunk, prototypeChunk, readSlot: Signal
        let firstChunk, lastChunk, firstPrototypeChunk, lastPrototypeChunk, firstGroup, lastGroup: Signal
    }

    let operation: Operation
    /// A slot is running.
    let inSlot: Signal

    init(_ m: ModuleBuilder, _ design: PQAParameters, layer: LayerControl, input: InputBuffer, feedback: Feedback) {
        let banks = layer.banks, active = layer.activeBank
        inSlot = m.register("in_slot", reset: false)
        let cycle = m.register("slot_cycle", countType(design.periodMax), reset: 0)
        let chunk = m.register("slot_chunk", countType(design.chunksMax), reset: 0)
        let prototypeChunk = m.register("slot_prototype_chunk", countType(design.prototypeChunksMax), reset: 0)
        let bank = m.register("slot_bank", reset: false)
        let group = m.register("slot_group", countType(design.groupsMax), reset: 0)
        let firstGroup = m.register("slot_first_group", reset: false)
        let lastGroup = m.register("slot_last_group", reset: false)
        let readSlot = m.register("slot_read_slot", reset: false)
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
        let nextReady = (layer.activeValid & perBank(nextReadSlot, input.full) & (!nextIsLastGroup | room) & lookupClear)
            .named("next_ready")
        let period = perBank(bank, banks.map(\.period))
        let slotEnds = (inSlot & (cycle == period - 1)).named("slot_ends")
        let start = ((!inSlot | slotEnds) & nextReady).named("start")
        feedback.slotStart <== start
        // A streaming (fixed-table) layer never ends.
        feedback.layerEnds <== (layer.streaming ? m.constant(false) : start & nextIsLastGroup & (columnsLeft == 1))

        // The running slot's encoder operations.
        let chunks = perBank(bank, banks.map(\.chunks)), prototypeChunks = perBank(bank, banks.map(\.prototypeChunks))
        let encodeCycles = perBank(bank, banks.map(\.encodeCycles))
        operation = Operation(
            valid: (inSlot & (cycle < encodeCycles)).named("encode_valid"), bank: bank, group: group, chunk: chunk,
            prototypeChunk: prototypeChunk, readSlot: readSlot,
            firstChunk: chunk == 0, lastChunk: chunk == chunks - 1,
            firstPrototypeChunk: prototypeChunk == 0, lastPrototypeChunk: prototypeChunk == prototypeChunks - 1,
            firstGroup: firstGroup, lastGroup: lastGroup)
        let lastRead = inSlot & lastGroup & (cycle == encodeCycles - 1)
        feedback.releaseSlot[0] <== lastRead & !readSlot
        feedback.releaseSlot[1] <== lastRead & readSlot
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
                if !layer.streaming { columnsLeft <== columnsLeft - 1 }
            }.otherwise { nextGroup <== nextGroup + 1 }
        }.elseWhen(slotEnds) {
            inSlot <== false
        }
        if !layer.streaming {
            m.when(layer.swap) { columnsLeft <== perBank(layer.load.bank, banks.map(\.columns)) }
        }
        // Output space: reserved when a column's last group starts, returned as beats leave.
        let reserve = mux(start & nextIsLastGroup, outputChunks.resized(to: credits.width), m.constant(0, credits.type))
        let release = mux(feedback.outputPop, m.constant(1, credits.type), m.constant(0, credits.type))
        credits <== credits + release - reserve
    }
}
