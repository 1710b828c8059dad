import HDL

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
struct MACArraySequencer {
    /// One read of the array, valid in this cycle.
    struct Operation {
        let valid, bank, outputChunk, inChunk, readSlot: Signal
        let firstInChunk, lastInChunk, lastOutputChunk: Signal
    }

    let operation: Operation
    /// A pass is running.
    let inPass: Signal

    init(_ m: ModuleBuilder, _ design: MACArrayParameters, control: MACArrayControl, input: MACArrayInput, feedback: Feedback) {
        let banks = control.banks, active = control.activeBank
        inPass = m.register("in_pass", reset: false)
        let bank = m.register("pass_bank", reset: false)
        let outputChunk = m.register("pass_output_chunk", countType(design.outputChunksMax), reset: 0)
        let inChunk = m.register("pass_in_chunk", countType(design.inChunksMax), reset: 0)
        let readSlot = m.register("pass_read_slot", reset: false)
        let lastOutputChunk = m.register("pass_last_output_chunk", reset: false)
        // The next pass to start.
        let nextOutputChunk = m.register("next_output_chunk", countType(design.outputChunksMax), reset: 0)
        let nextReadSlot = m.register("next_read_slot", reset: false)
        let columnsLeft = m.register("columns_left", countType(design.configuration.maxima.columns), reset: 0)
        let credits = m.register("output_credits", countType(design.outputFIFODepth), reset: design.outputFIFODepth)

        let outputChunks = perBank(active, banks.map(\.outputChunks))
        let nextIsLast = (nextOutputChunk == outputChunks - 1).named("next_is_last_pass")
        let nextReady = (control.activeValid & perBank(nextReadSlot, input.full) & (credits != 0)).named("next_ready")
        let inChunks = perBank(bank, banks.map(\.inChunks))
        let passEnds = (inPass & (inChunk == inChunks - 1)).named("pass_ends")
        let start = ((!inPass | passEnds) & nextReady).named("start")
        // A column is a unit of work for the banks: counted when its last pass starts.
        feedback.slotStart <== start & nextIsLast
        feedback.layerEnds <== start & nextIsLast & (columnsLeft == 1)
        feedback.releaseSlot[0] <== passEnds & lastOutputChunk & !readSlot
        feedback.releaseSlot[1] <== passEnds & lastOutputChunk & readSlot
        operation = Operation(valid: inPass, bank: bank, outputChunk: outputChunk, inChunk: inChunk, readSlot: readSlot,
                              firstInChunk: inChunk == 0, lastInChunk: inChunk == inChunks - 1, lastOutputChunk: lastOutputChunk)

        m.when(inPass) { inChunk <== inChunk + 1 }
        m.when(start) {
            inPass <== true
            inChunk <== 0
            bank <== active
            outputChunk <== nextOutputChunk
            lastOutputChunk <== nextIsLast
            readSlot <== nextReadSlot
            m.when(nextIsLast) {
                nextOutputChunk <== 0
                nextReadSlot <== !nextReadSlot
                columnsLeft <== columnsLeft - 1
            }.otherwise { nextOutputChunk <== nextOutputChunk + 1 }
        }.elseWhen(passEnds) {
            inPass <== false
        }
        m.when(control.swap) { columnsLeft <== perBank(control.load.bank, banks.map(\.columns)) }
        // Output space: one beat reserved per pass, returned as beats leave.
        let reserve = mux(start, m.constant(1, credits.type), m.constant(0, credits.type))
        let release = mux(feedback.outputPop, m.constant(1, credits.type), m.constant(0, credits.type))
        credits <== credits + release - reserve
    }
}
