import HDL

/// Which word of the column buffer the encoder reads.
struct ColumnRead: PortGroup {
    let enable: Signal
    /// The column slot (`Bool`), the subspace group and the element chunk.
    let slot, group, chunk: Signal
}

extension ColumnRead {
    init(_ ports: PortFields, _ design: PQAParameters) {
        enable = ports.bool("enable")
        slot = ports.bool("slot")
        group = ports("group", countType(design.groupsMax))
        chunk = ports("chunk", countType(design.chunksMax))
    }
}

/// The counts of the layer the input buffer fills.
struct InputLayer: PortGroup {
    /// The active bank's element chunks and subspace groups per column.
    let chunks, groups: Signal
    /// The swap to the next layer happens this cycle, and that layer's
    /// element chunks, subspace groups and column count.
    let swap, nextChunks, nextGroups, nextColumns: Signal
    /// A committed layer waits for the swap (its columns wait too).
    let waiting: Signal
}

extension InputLayer {
    init(_ ports: PortFields, _ design: PQAParameters) {
        chunks = ports("chunks", countType(design.chunksMax))
        groups = ports("groups", countType(design.groupsMax))
        swap = ports.bool("swap")
        nextChunks = ports("next_chunks", countType(design.chunksMax))
        nextGroups = ports("next_groups", countType(design.groupsMax))
        nextColumns = ports("next_columns", countType(design.configuration.maxima.columns))
        waiting = ports.bool("waiting")
    }
}

/// Two column slots in one RAM: the activation stream fills one while the
/// encoder reads the other. A column's beats arrive group by group, chunk by
/// chunk (see `ColumnBeats`); a slot is full once its column is complete and
/// free again when the encoder has read its last group (`release`). The
/// stream's `tlast` is checked and beats no layer takes are dropped (see
/// `ColumnIntake`). Reads and writes reach the block RAM two cycles after
/// their read or beat (see `Memory.writeBehindReads`), so a slot may be read
/// from the cycle after `full` rises on.
///
/// ```
///  read     enable, slot, group, chunk
///  +1       address registered
///  +2       word from the block RAM
///  +3       word through the RAM's output register: `column`     (readLatency = 3)
/// ```
struct InputBuffer: Circuit {
    let design: PQAParameters
    /// A fixed-table design takes columns without end.
    let streaming: Bool

    /// Cycles from a read to its word at `column`.
    static let readLatency = 3

    struct Inputs: PortGroup {
        let activations: Stream<Signal>
        let layer: InputLayer
        /// Per slot: the encoder reads it for the last time this cycle.
        let release: [Signal]
        let read: ColumnRead
    }

    struct Outputs: PortGroup {
        /// Per slot: it holds a complete column, readable from the next cycle on.
        let full: [Signal]
        /// Part of a column has arrived.
        let receiving: Signal
        /// Every column of the layer has arrived.
        let columnsDone: Signal
        /// The word read `readLatency` cycles ago.
        let column: Signal
        /// The activation stream's failing checks.
        let errors: ActivationErrors
    }

    var moduleName: String { "pqa_input_buffer" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        [.init("slots", "2 columns of \(design.groupsMax) groups x \(design.chunksMax) chunks"),
         .init("word", "\(design.activationBeatBits) bits"), .init("columns", streaming ? "without end (fixed layer)" : "counted per layer")]
    }

    func inputs(_ ports: PortFields) -> Inputs {
        Inputs(activations: ports.stream("activations", .unsigned(design.activationBeatBits)),
               layer: ports.group("layer") { InputLayer($0, design) }, release: ports.array("release", count: 2, .bool),
               read: ports.group("read") { ColumnRead($0, design) })
    }

    func outputs(_ ports: PortFields) -> Outputs {
        Outputs(full: ports.array("full", count: 2, .bool), receiving: ports.bool("receiving"), columnsDone: ports.bool("columns_done"),
                column: ports("column", .unsigned(design.activationBeatBits)), errors: ports.group("error", ActivationErrors.init))
    }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs: Outputs) {
        let memory = m.simpleDualPortRAM("column_buffer", depth: 2 * design.columnWords, .unsigned(design.activationBeatBits),
                                         readDuringWrite: .undefined)
        let stream = inputs.activations, layer = inputs.layer
        let full = (0..<2).map { m.register("slot_full_\($0)", reset: false) }
        let writeSlot = m.register("write_slot", reset: false)
        let chunk = m.register("chunk", countType(design.chunksMax), reset: 0)
        let group = m.register("group", countType(design.groupsMax), reset: 0)
        let columnsLeft = streaming ? m.constant(1, .unsigned(1))
            : m.register("columns_left", countType(design.configuration.maxima.columns), reset: 0)
        // Whether columns are left, a register beside the count, set from the
        // same steps, so the stream's ready never waits on a comparator.
        let hasColumns = streaming ? m.constant(true) : m.register("has_columns", reset: false)

        // A slot takes the next column from the cycle of its last read on.
        let writable = full.enumerated().map { slot, isFull in !isFull | inputs.release[slot] }
        // Whether the position is its group's last chunk, and its column's
        // last group: for a loaded layer, registers set a step ahead (from
        // the layer's counts at a restart or a swap), so a column's end is an
        // AND of two registers; a fixed layer's are compares with constants.
        let lastChunk = streaming ? (chunk == layer.chunks - 1) : m.register("last_chunk", reset: false)
        let lastGroup = streaming ? (group == layer.groups - 1) : m.register("last_group", reset: false)
        let columnEnds = (lastChunk & lastGroup).named("column_ends")
        let intake = ColumnIntake(m, stream: stream, columnEnds: columnEnds, layer: streaming ? nil : (hasColumns, layer.waiting),
                                  writable: perBank(writeSlot, writable))
        for (slot, isFull) in full.enumerated() {
            m.when(inputs.release[slot]) { isFull <== false }
        }
        let writeAddress = address(m, slot: writeSlot, group: group, chunk: chunk, width: memory.addressWidth).named("write_address")
        memory.writeBehindReads(m, when: intake.store, address: writeAddress, data: stream.data)
        m.when(intake.store) {
            m.when(intake.restarts) {
                chunk <== 0
                group <== 0
                if !streaming {
                    lastChunk <== layer.chunks == 1
                    lastGroup <== layer.groups == 1
                }
            }.elseWhen(lastChunk) {
                chunk <== 0
                group <== group + 1
                if !streaming {
                    lastChunk <== layer.chunks == 1
                    lastGroup <== isSecondLast(group, of: layer.groups, maximum: design.groupsMax, m)
                }
            }.otherwise {
                chunk <== chunk + 1
                if !streaming { lastChunk <== isSecondLast(chunk, of: layer.chunks, maximum: design.chunksMax, m) }
            }
            // A column is complete on its last beat, with its `tlast`.
            m.when(intake.completes) {
                writeSlot <== !writeSlot
                if !streaming {
                    columnsLeft <== columnsLeft - 1
                    hasColumns <== columnsLeft != 1
                }
                for (slot, isFull) in full.enumerated() {
                    m.when(isSlot(writeSlot, slot)) { isFull <== true }
                }
            }
        }
        // A swap comes with every column of the running layer in (no beat
        // is stored in its cycle), so the next layer starts at its first beat.
        if !streaming {
            m.when(layer.swap) {
                lastChunk <== layer.nextChunks == 1
                lastGroup <== layer.nextGroups == 1
                columnsLeft <== layer.nextColumns
                hasColumns <== layer.nextColumns != 0
            }
        }

        let read = inputs.read
        let readAddress = address(m, slot: read.slot, group: read.group, chunk: read.chunk, width: memory.addressWidth).named("read_address")
        // The address is registered before the block RAM, and its own output
        // register keeps its slow clock-to-output off the distance lanes' path.
        outputs.column <== memory.readPipelined(address: readAddress, enable: read.enable, name: "column_q")
        outputs.full <== full
        outputs.receiving <== (chunk != 0) | (group != 0)
        outputs.columnsDone <== !hasColumns
        outputs.errors <== intake.errors
    }

    /// Word `chunk` of group `group` of column slot `slot`.
    private func address(_ m: ModuleBuilder, slot: Signal, group: Signal, chunk: Signal, width: Int) -> Signal {
        let type = SignalType.unsigned(width)
        return mux(slot, m.constant(design.columnWords, type), m.constant(0, type))
            + m.product(group, design.chunksMax).resized(to: width) + chunk.resized(to: width)
    }
}

extension Memory {
    /// A column buffer's write, two cycles after its beat, as late as a read
    /// (`readPipelined`) reaches the RAM after its operation: a slot's last
    /// read and the next column's first beat into it share a cycle (both
    /// address the slot's first word when a column is one word); delayed
    /// alike, the write lands a cycle after the read, so the buffer's block
    /// RAM may leave the order of a read and a write undefined. A column's
    /// first read comes two cycles after its last beat at the earliest (the
    /// sequencer's start, then the operation), so it reaches the RAM a cycle
    /// after that beat's write.
    func writeBehindReads(_ m: ModuleBuilder, when enable: Signal, address: Signal, data: Signal) {
        let write = m.delayed(m.delayed(enable, name: "write_q", reset: 0), name: "write_qq", reset: 0)
        let writeAddress = m.delayed(m.delayed(address, name: "write_address_q"), name: "write_address_qq")
        let writeData = m.delayed(m.delayed(data, name: "write_data_q"), name: "write_data_qq")
        m.when(write) { self.write(address: writeAddress, data: writeData) }
    }
}
