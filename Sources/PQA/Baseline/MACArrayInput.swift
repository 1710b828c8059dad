import HDL

/// Two column slots in one RAM: the activation stream fills one while the
/// array reads the other `ceil(Cout / OutVec)` times. A column arrives as
/// `ceil(D / InVec)` beats; its slot is free again after its last read. The
/// stream's `tlast` is checked and beats no layer takes are dropped (see
/// `ColumnIntake`). Reads and writes reach the block RAM two cycles after
/// their read or beat (see `Memory.writeBehindReads`), so a slot may be read
/// from the cycle after `full` rises on.
///
/// ```
///  read   enable, slot, chunk
///  +1     address registered
///  +3     the word from the block RAM's output register      (readLatency = 3)
/// ```
struct MACArrayInput: Circuit {
    let design: MACArrayParameters

    /// Cycles from a read to its word (the address register, the block RAM and its output register).
    static let readLatency = 3

    struct Layer: PortGroup {
        /// The active bank's beats per column; the swap, and the next layer's beats per column and column count.
        let inChunks, swap, nextInChunks, nextColumns: Signal
        /// A committed layer waits for the swap (its columns wait too).
        let waiting: Signal
    }

    struct Read: PortGroup {
        let enable, slot, chunk: Signal
    }

    struct Inputs: PortGroup {
        let activations: Stream<Signal>
        let layer: Layer
        /// Per slot: the array reads it for the last time next cycle.
        let releaseNext: [Signal]
        let read: Read
    }

    struct Outputs: PortGroup {
        /// Per slot: it holds a complete column, readable from the next cycle on.
        let full: [Signal]
        let receiving, columnsDone: Signal
        /// The word read `readLatency` cycles ago.
        let word: Signal
        /// The activation stream's failing checks.
        let errors: ActivationErrors
    }

    var moduleName: String { "mac_input_buffer" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        [.init("slots", "2 columns of \(design.inChunksMax) words"), .init("word", "\(design.activationBeatBits) bits")]
    }

    func inputs(_ ports: PortFields) -> Inputs {
        let c = design.configuration
        return Inputs(
            activations: ports.stream("activations", .unsigned(design.activationBeatBits)),
            layer: ports.group("layer") {
                Layer(inChunks: $0("in_chunks", countType(design.inChunksMax)), swap: $0.bool("swap"),
                      nextInChunks: $0("next_in_chunks", countType(design.inChunksMax)),
                      nextColumns: $0("next_columns", countType(c.maxima.columns)), waiting: $0.bool("waiting"))
            },
            releaseNext: ports.array("release_next", count: 2, .bool),
            read: ports.group("read") { Read(enable: $0.bool("enable"), slot: $0.bool("slot"), chunk: $0("chunk", countType(design.inChunksMax))) })
    }

    func outputs(_ ports: PortFields) -> Outputs {
        Outputs(full: ports.array("full", count: 2, .bool), receiving: ports.bool("receiving"), columnsDone: ports.bool("columns_done"),
                word: ports("word", .unsigned(design.activationBeatBits)), errors: ports.group("error", ActivationErrors.init))
    }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs: Outputs) {
        let memory = m.simpleDualPortRAM("column_buffer", depth: 2 * design.columnWords, .unsigned(design.activationBeatBits),
                                         readDuringWrite: .undefined)
        let stream = inputs.activations, layer = inputs.layer
        let full = (0..<2).map { m.register("slot_full_\($0)", reset: false) }
        let writeSlot = m.register("write_slot", reset: false)
        let chunk = m.register("chunk", countType(design.inChunksMax), reset: 0)
        // Whether the next beat ends its column, a register set a step ahead
        // (at a swap from the next layer's beats per column), so the column
        // count's enable never waits on a comparator.
        let lastChunk = m.register("last_chunk", reset: false)
        // The column's beats after the next, counted down, so the flag above is a compare with a constant.
        let chunksAfterNext = m.register("chunks_after_next", countType(design.inChunksMax), reset: 0)
        let columnsLeft = m.register("columns_left", countType(design.configuration.maxima.columns), reset: 0)
        // Whether columns are left, a register beside the count (as in `InputBuffer`).
        let hasColumns = m.register("has_columns", reset: false)

        // Per slot: the array reads it for the last time this cycle.
        let release = inputs.releaseNext.enumerated().map { m.delayed($1, name: "release_\($0)", reset: 0) }
        // A slot takes the next column from the cycle of its last read on.
        // Whether the slot being filled does (it is not full, or is released
        // now) is a register set a cycle ahead, for the slot filled next,
        // from the release a cycle ahead, so the stream's ready and the
        // enables of the position counters start from registers.
        let writable = m.register("write_slot_free", reset: true)
        let intake = ColumnIntake(m, stream: stream, columnEnds: lastChunk, layer: (hasColumns, layer.waiting), writable: writable)
        for (slot, isFull) in full.enumerated() {
            m.when(release[slot]) { isFull <== false }
        }
        // A column is complete on its last beat, with its `tlast`; the next fills the other slot.
        let nextWriteSlot = mux(intake.store & intake.completes, !writeSlot, writeSlot).named("next_write_slot")
        writeSlot <== nextWriteSlot
        // The slot filled next is never the one completing now, so it is full next cycle if full now and not released.
        writable <== !(perBank(nextWriteSlot, full) & !perBank(nextWriteSlot, release)) | perBank(nextWriteSlot, inputs.releaseNext)
        let type = SignalType.unsigned(memory.addressWidth)
        func address(slot: Signal, chunk: Signal) -> Signal {
            mux(slot, m.constant(design.columnWords, type), m.constant(0, type)) + chunk.resized(to: memory.addressWidth)
        }
        let writeAddress = address(slot: writeSlot, chunk: chunk).named("write_address")
        memory.writeBehindReads(m, when: intake.store, address: writeAddress, data: stream.data)
        m.when(intake.store) {
            m.when(intake.restarts) {
                chunk <== 0
                lastChunk <== layer.inChunks == 1
                chunksAfterNext <== layer.inChunks - 1
            }.otherwise {
                chunk <== chunk + 1
                lastChunk <== chunksAfterNext == 1
                chunksAfterNext <== chunksAfterNext - 1
            }
            m.when(intake.completes) {
                columnsLeft <== columnsLeft - 1
                hasColumns <== columnsLeft != 1
                for (slot, isFull) in full.enumerated() {
                    m.when(isSlot(writeSlot, slot)) { isFull <== true }
                }
            }
        }
        // A swap comes with every column of the running layer in (no beat
        // is stored in its cycle), so the next column starts at its first beat.
        m.when(layer.swap) {
            lastChunk <== layer.nextInChunks == 1
            chunksAfterNext <== layer.nextInChunks - 1
            columnsLeft <== layer.nextColumns
            hasColumns <== layer.nextColumns != 0
        }
        let read = inputs.read, readAddress = address(slot: read.slot, chunk: read.chunk).named("read_address")
        outputs.word <== memory.readPipelined(address: readAddress, enable: read.enable, name: "read_word")
        outputs.full <== full
        outputs.receiving <== chunk != 0
        outputs.columnsDone <== !hasColumns
        outputs.errors <== intake.errors
    }
}
