import HDL

/// One read of the MAC array: input word `inChunk` of column slot
/// `readSlot`, with the weights of output chunk `outputChunk`.
struct MACOperation: PortGroup, Pipelined {
    let valid, bank, outputChunk, inChunk, readSlot: Signal
    let firstInChunk, lastInChunk, lastOutputChunk: Signal

    func map(_ transform: (Signal, String) -> Signal) -> MACOperation {
        MACOperation(valid: transform(valid, "valid"), bank: transform(bank, "bank"), outputChunk: transform(outputChunk, "output_chunk"),
                     inChunk: transform(inChunk, "in_chunk"), readSlot: transform(readSlot, "read_slot"),
                     firstInChunk: transform(firstInChunk, "first_in_chunk"), lastInChunk: transform(lastInChunk, "last_in_chunk"),
                     lastOutputChunk: transform(lastOutputChunk, "last_output_chunk"))
    }
}

extension MACOperation {
    init(_ ports: PortFields, _ design: MACArrayParameters) {
        valid = ports.bool("valid")
        bank = ports.bool("bank")
        outputChunk = ports("output_chunk", countType(design.outputChunksMax))
        inChunk = ports("in_chunk", countType(design.inChunksMax))
        readSlot = ports.bool("read_slot")
        firstInChunk = ports.bool("first_in_chunk")
        lastInChunk = ports.bool("last_in_chunk")
        lastOutputChunk = ports.bool("last_output_chunk")
    }
}

/// Issues the array's work: per column, `ceil(Cout / OutVec)` passes, each
/// reading the column's `ceil(D / InVec)` input words (one per cycle) with
/// the pass's weights. A pass starts when the active layer has a column in
/// the buffer and the output FIFO has room for the pass's beat; passes run
/// back to back.
///
/// ```
///  cycle   0     1     2   | 0     1     2   | 0 ...
///  pass    j0 (column 0)   | j1 (column 0)   | j0 (column 1)
///  read    k0    k1    k2  | k0    k1    k2  | k0          (ceil(D/InVec) = 3)
/// ```
struct MACArraySequencer: Circuit {
    let design: MACArrayParameters

    /// Cycles from a pass's start condition to its first read (the pass registers).
    static let latency = 1

    struct Timing: PortGroup {
        let inChunks, outputChunks, columns: Signal
    }

    struct Inputs: PortGroup {
        let banks: [Timing]
        let active: ActiveBank
        let full: [Signal]
        let outputPop: Signal
    }

    struct Outputs: PortGroup {
        let operation: MACOperation
        let inPass: Signal
        /// A column's last pass starts (a unit of work for the banks), and it is the layer's last.
        let started, layerEnds: Signal
        /// Per column slot: the array reads it for the last time next cycle
        /// (the input buffer registers it, and decides from it a cycle ahead
        /// whether the slot it fills is free).
        let releaseNext: [Signal]
    }

    var moduleName: String { "mac_sequencer" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        [.init("counts", "in chunks \(design.inChunksMax), output chunks \(design.outputChunksMax)"),
         .init("output FIFO", "\(design.outputFIFODepth) beats")]
    }

    func inputs(_ ports: PortFields) -> Inputs {
        let c = design.configuration
        return Inputs(
            banks: ports.groups("bank", count: 2) {
                Timing(inChunks: $0("in_chunks", countType(design.inChunksMax)), outputChunks: $0("output_chunks", countType(design.outputChunksMax)),
                       columns: $0("columns", countType(c.maxima.columns)))
            },
            active: ports.group("active", ActiveBank.init), full: ports.array("full", count: 2, .bool), outputPop: ports.bool("output_pop"))
    }

    func outputs(_ ports: PortFields) -> Outputs {
        Outputs(operation: ports.group("operation") { MACOperation($0, design) }, inPass: ports.bool("in_pass"),
                started: ports.bool("started"), layerEnds: ports.bool("layer_ends"), releaseNext: ports.array("release_next", count: 2, .bool))
    }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs: Outputs) {
        let banks = inputs.banks, active = inputs.active
        let inPass = m.register("pass_running", reset: false)
        let bank = m.register("bank", reset: false)
        let outputChunk = m.register("output_chunk", countType(design.outputChunksMax), reset: 0)
        let inChunk = m.register("in_chunk", countType(design.inChunksMax), reset: 0)
        let lastInChunk = m.register("last_in_chunk", reset: false)
        // The pass's input chunks after the running one, counted down.
        let inChunksAfter = m.register("in_chunks_after", countType(design.inChunksMax), reset: 0)
        let readSlot = m.register("read_slot", reset: false)
        let lastOutputChunk = m.register("last_output_chunk", reset: false)
        // The next pass to start.
        let nextOutputChunk = m.register("next_output_chunk", countType(design.outputChunksMax), reset: 0)
        let nextReadSlot = m.register("next_read_slot", reset: false)
        let columnsLeft = m.register("columns_left", countType(design.configuration.maxima.columns), reset: 0)
        let credits = m.register("output_credits", countType(design.outputFIFODepth), reset: design.outputFIFODepth)

        // Every condition of a start is a register, set a cycle ahead from
        // the values it will compare (computed beside `start`, which only
        // selects among them), so `start` is a few gates and its fan-out.
        let nextIsLast = m.register("next_is_last_pass", reset: false)
        // The column's passes after the next one, counted down beside it.
        let passesAfterNext = m.register("passes_after_next", countType(design.outputChunksMax), reset: 0)
        let lastColumn = m.register("last_column", reset: false)
        let hasCredit = m.register("has_output_credit", reset: true)
        let outputChunks = perBank(active.bank, banks.map(\.outputChunks))
        let nextReady = (perBank(nextReadSlot, inputs.full) & hasCredit).named("next_ready")
        let passEnds = (inPass & lastInChunk).named("pass_ends")
        // Whether a pass may start (a layer is active, and no pass runs or
        // the running one ends): a register set from the same steps, so
        // `start` waits on one flag.
        let passOpen = m.register("pass_open", reset: false)
        let start = (passOpen & nextReady).named("start")
        let layerEnds = start & nextIsLast & lastColumn
        outputs.started <== start & nextIsLast
        outputs.layerEnds <== layerEnds
        passOpen <== (!inPass | lastInChunk | (inChunksAfter == 1)) & (active.swap | layerActiveFlag(m, swap: active.swap, layerEnds: layerEnds))
        outputs.operation <== MACOperation(
            valid: inPass, bank: bank, outputChunk: outputChunk, inChunk: inChunk, readSlot: readSlot,
            firstInChunk: inChunk == 0, lastInChunk: lastInChunk, lastOutputChunk: lastOutputChunk)
        outputs.inPass <== inPass

        // The flags set a step ahead from down-counters, compares with constants.
        m.when(inPass) {
            inChunk <== inChunk + 1
            lastInChunk <== inChunksAfter == 1
            inChunksAfter <== inChunksAfter - 1
        }
        // Per bank: whether a pass reads one input chunk, registered (a
        // bank's counts hold from its swap on, and a start comes a cycle
        // after the swap at the earliest).
        let singleInChunk = banks.enumerated().map { m.delayed($1.inChunks == 1, name: "bank\($0)_single_in_chunk") }
        let inChunks = perBank(active.bank, banks.map(\.inChunks)), single = perBank(active.bank, singleInChunk)
        // Per column slot: the next cycle is the array's last read of it (the
        // column's last pass, its last input chunk): the running pass's chunk
        // before its last, or a pass starting with one input chunk (never
        // both: a start waits for the running pass's last chunk).
        outputs.releaseNext <== (0..<2).map { slot in
            (inPass & !lastInChunk & (inChunksAfter == 1) & lastOutputChunk & isSlot(readSlot, slot))
                | (start & single & nextIsLast & isSlot(nextReadSlot, slot))
        }
        m.when(start) {
            inPass <== true
            inChunk <== 0
            lastInChunk <== single
            passOpen <== single & !layerEnds
            inChunksAfter <== inChunks - 1
            bank <== active.bank
            outputChunk <== nextOutputChunk
            lastOutputChunk <== nextIsLast
            readSlot <== nextReadSlot
            m.when(nextIsLast) {
                nextOutputChunk <== 0
                nextIsLast <== outputChunks == 1
                passesAfterNext <== outputChunks - 1
                nextReadSlot <== !nextReadSlot
                columnsLeft <== columnsLeft - 1
                lastColumn <== count(columnsLeft, is: 2, m)
            }.otherwise {
                nextOutputChunk <== nextOutputChunk + 1
                nextIsLast <== passesAfterNext == 1
                passesAfterNext <== passesAfterNext - 1
            }
        }.elseWhen(passEnds) {
            inPass <== false
        }
        // A swap starts the next layer at its first pass of its first column
        // (starts need an active layer, so they never meet a swap).
        m.when(active.swap) {
            let columns = perBank(active.loadBank, banks.map(\.columns))
            columnsLeft <== columns
            lastColumn <== columns == 1
            let loadedOutputChunks = perBank(active.loadBank, banks.map(\.outputChunks))
            nextIsLast <== loadedOutputChunks == 1
            passesAfterNext <== loadedOutputChunks - 1
        }
        // Output space: one beat reserved per pass, returned as beats leave,
        // a cycle after (the pop registered, off the output FIFO's handshake:
        // the FIFO is deep enough that the late cycle never holds a start back
        // at full rate).
        let pop = m.delayed(inputs.outputPop, name: "output_popped", reset: 0)
        credits <== credits + pop.asUnsigned.extended(to: credits.width) - start.asUnsigned.extended(to: credits.width)
        hasCredit <== mux(start & !pop, credits != 1, (credits != 0) | pop)
    }
}
