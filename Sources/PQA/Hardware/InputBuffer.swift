import HDL

/// Two column slots in one RAM: the activation stream fills one while the
/// encoder reads the other. A column's beats arrive group by group, chunk by
/// chunk (see `ColumnBeats`); a slot is full once its column is complete and
/// free again when the encoder has read its last group.
struct InputBuffer {
    let memory: Memory
    /// Whether each slot holds a complete column.
    let full: [Signal]
    /// Columns of the active layer not yet received.
    let columnsLeft: Signal
    /// Part of a column has arrived.
    let receiving: Signal

    init(_ m: ModuleBuilder, _ design: PQAParameters, stream: Stream<Signal>, layer: LayerControl, feedback: Feedback) {
        memory = m.simpleDualPortRAM("column_buffer", depth: 2 * design.columnWords, .unsigned(design.activationBeatBits))
        full = (0..<2).map { m.register("slot_full_\($0)", reset: false) }
        let writeSlot = m.register("write_slot", reset: false)
        let chunk = m.register("input_chunk", countType(design.chunksMax), reset: 0)
        let group = m.register("input_group", countType(design.groupsMax), reset: 0)
        // A streaming (fixed-table) design takes columns without end.
        let columnsLeft = layer.streaming ? m.constant(1, .unsigned(1))
            : m.register("input_columns_left", countType(design.configuration.maxima.columns), reset: 0)
        self.columnsLeft = columnsLeft
        receiving = (chunk != 0) | (group != 0)
        let bank = layer.banks
        let chunks = perBank(layer.activeBank, bank.map(\.chunks)), groups = perBank(layer.activeBank, bank.map(\.groups))

        let writable = full.enumerated().map { slot, flag in !flag | feedback.releaseSlot[slot] }
        stream.ready <== (columnsLeft != 0) & perBank(writeSlot, writable)
        for (slot, flag) in full.enumerated() {
            m.when(feedback.releaseSlot[slot]) { flag <== false }
        }
        let addressType = SignalType.unsigned(memory.addressWidth)
        let slotBase = mux(writeSlot, m.constant(design.columnWords, addressType), m.constant(0, addressType))
        let writeAddress = (slotBase + scaled(group, by: design.chunksMax, to: addressType.width, m)
                            + chunk.resized(to: addressType.width)).named("input_address")
        m.when(stream.fire) {
            memory.write(address: writeAddress, data: stream.data)
            m.when(chunk == chunks - 1) {
                chunk <== 0
                m.when(group == groups - 1) {
                    group <== 0
                    writeSlot <== !writeSlot
                    if !layer.streaming { columnsLeft <== columnsLeft - 1 }
                    for (slot, flag) in full.enumerated() {
                        m.when(slot == 1 ? writeSlot : !writeSlot) { flag <== true }
                    }
                }.otherwise { group <== group + 1 }
            }.otherwise { chunk <== chunk + 1 }
        }
        if !layer.streaming {
            m.when(layer.swap) { columnsLeft <== perBank(layer.load.bank, bank.map(\.columns)) }
        }
    }
}
