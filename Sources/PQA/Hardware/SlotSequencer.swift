import HDL

/// One encoder operation: element chunk `chunk` of prototype chunk
/// `prototypeChunk` of subspace group `group`, read from column slot
/// `readSlot`; `prototypeAddress` is its word in the prototype memories
/// (`bank x prototypeWords + (group x prototypeChunksMax + prototypeChunk) x chunksMax + chunk`).
struct EncoderOperation: PortGroup, Pipelined {
    let valid, bank, group, chunk, prototypeChunk, readSlot, prototypeAddress: Signal
    let firstChunk, lastChunk, firstPrototypeChunk, lastPrototypeChunk, firstGroup, lastGroup: Signal

    func map(_ transform: (Signal, String) -> Signal) -> EncoderOperation {
        EncoderOperation(
            valid: transform(valid, "valid"), bank: transform(bank, "bank"), group: transform(group, "group"),
            chunk: transform(chunk, "chunk"), prototypeChunk: transform(prototypeChunk, "prototype_chunk"),
            readSlot: transform(readSlot, "read_slot"), prototypeAddress: transform(prototypeAddress, "prototype_address"),
            firstChunk: transform(firstChunk, "first_chunk"),
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
        prototypeAddress = ports("prototype_address", .unsigned(design.prototypeAddressBits))
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

/// One bank's values the sequencer takes from its timing, registered (a
/// bank's timing holds from a cycle before its swap, and a start or a swap
/// comes after it), so that each use picks between two registers: what a
/// slot's start sets, and the next-group count's restart values.
private struct RegisteredTiming {
    let periodLessOne, singleCyclePeriod, encodeLessOne, singleEncodeCycle, singleChunk: Signal
    /// The groups less one, and whether there is one group.
    let groupsLessOne, singleGroup: Signal
    /// A slot's lookup cycles after its start's next cycle (encode cycles
    /// and output chunks, less three: -1 for none), and whether its lookup
    /// is clear at once (one output chunk).
    let lookupLeftAfterNext, lookupClear: Signal
    /// The encode cycles, signed as the count above (its compares read
    /// them, so no path runs from the layer control into them).
    let encodeCycles: Signal

    init(_ timing: SlotTiming, bank: Int, lookupType: SignalType, _ m: ModuleBuilder) {
        func registered(_ value: Signal, _ name: String) -> Signal { m.delayed(value, name: "bank\(bank)_\(name)") }
        periodLessOne = registered(timing.period - 1, "period_less_one")
        singleCyclePeriod = registered(timing.period == 1, "single_cycle_period")
        encodeLessOne = registered(timing.encodeCycles - 1, "encode_cycles_less_one")
        singleEncodeCycle = registered(timing.encodeCycles == 1, "single_encode_cycle")
        singleChunk = registered(timing.chunks == 1, "single_chunk")
        groupsLessOne = registered(timing.groups - 1, "groups_less_one")
        singleGroup = registered(timing.groups == 1, "single_group")
        // Two steps, an adder each (the encode cycles and output chunks hold
        // from at least four cycles before a swap, see `SlotSequencer.Inputs`).
        let lookupCycles = registered(timing.encodeCycles.resized(to: lookupType.width) + timing.outputChunks.resized(to: lookupType.width),
                                      "lookup_cycles")
        lookupLeftAfterNext = registered(lookupCycles.extended(to: lookupType.width + 1).asSigned - 3, "lookup_left_after_next_on_start")
        lookupClear = registered(timing.outputChunks <= 1, "lookup_clear_on_start")
        encodeCycles = registered(timing.encodeCycles.extended(to: lookupType.width + 1).asSigned, "encode_cycles")
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
        /// Both banks' timing; a loaded bank's holds from at least a cycle
        /// before its swap, its encode cycles and output chunks from at least
        /// four (they settle three cycles after the load's last register
        /// beat, the swap comes seven at the earliest).
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
        let chunk = m.register("chunk", countType(design.chunksMax), reset: 0)
        // Whether the operation's element chunk is its last, set a step ahead.
        let lastChunk = m.register("last_chunk", reset: false)
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
        // The prototype address counted beside the operation (a cycle ahead
        // of the memories, no product on the way): the running operation's,
        // its prototype chunk's first, and the next slot's first in bank 0.
        let addressType = SignalType.unsigned(design.prototypeAddressBits)
        let prototypeAddress = m.register("prototype_address", addressType, reset: 0)
        let rowAddress = m.register("prototype_row_address", addressType, reset: 0)
        let nextSlotAddress = m.register("next_slot_prototype_address", addressType, reset: 0)
        func address(_ value: Int) -> Signal { m.constant(value % (1 << addressType.width), addressType) }

        // Every condition of a start is a register, set a cycle ahead from
        // the values it will compare (computed beside `start`, which only
        // selects among them), so `start` is a few gates and its fan-out.
        func loadedLayer(_ field: KeyPath<SlotTiming, Signal>) -> Signal { perBank(state.loadBank, banks.map { $0[keyPath: field] }) }
        let lookupType = countType(2 * design.periodMax)
        let registeredTiming = banks.enumerated().map { RegisteredTiming($1, bank: $0, lookupType: lookupType, m) }
        func activeTiming(_ field: KeyPath<RegisteredTiming, Signal>) -> Signal { perBank(state.bank, registeredTiming.map { $0[keyPath: field] }) }
        func loadedTiming(_ field: KeyPath<RegisteredTiming, Signal>) -> Signal { perBank(state.loadBank, registeredTiming.map { $0[keyPath: field] }) }
        let singleEncodeCycle = activeTiming(\.singleEncodeCycle)
        // A swap starts the next layer at its first group of its first
        // column (starts need an active layer, so they never meet a swap); a
        // streaming layer starts this way in the first cycle out of reset,
        // when no column can be in the buffer yet.
        let swap: Signal
        if streaming {
            let outOfReset = m.register("out_of_reset", reset: false)
            outOfReset <== true
            swap = (!outOfReset).named("first_cycle")
        } else {
            swap = state.swap
        }
        let nextIsLastGroup = m.register("next_is_last_group", reset: false)
        // The groups after the next slot's, counted down beside the next
        // group, so that the flag above is set from a compare with a constant.
        let groupsAfterNext = m.register("groups_after_next", countType(design.groupsMax), reset: 0)
        let lastColumn = m.register("last_column", reset: false)
        // The output FIFO's free beats (a column's last group starts when
        // they hold the active layer's column).
        let credits = m.register("output_credits", countType(design.outputFIFODepth), reset: design.outputFIFODepth)
        // The previous slot's lookup must end before this slot's codes arrive:
        // within a layer the slot length guarantees it; at a change to a layer
        // with fewer encode cycles, the start waits. The lookup is clear when
        // its cycles left are at or below the encode cycles of the bank active
        // in the next cycle (either bank's flag, one picked), so the start
        // does not wait on the layer control's widely read bank register.
        // Each bank's flag is itself a register, its compare made a cycle
        // ahead: with the cycles left after the next one
        // (`lookupLeftAfterNext`, counted down), or at a start with the pair
        // of banks' compare registered before it (a bank's encode cycles
        // settle at least four cycles before its swap).
        let lookupLeftAfterNext = m.register("lookup_left_after_next", .signed(lookupType.width + 1), reset: -1)
        let bankLookupClear = (0..<2).map { m.register("bank\($0)_lookup_clear_next", reset: true) }
        let clearAfterStart = (0..<2).map { bank in
            registeredTiming.enumerated().map { started, timing in
                // The cycles left after the start's cycle (the count above
                // plus one) at or below the encode cycles.
                m.delayed(timing.lookupLeftAfterNext < registeredTiming[bank].encodeCycles,
                          name: "bank\(bank)_lookup_clear_after_start_on_bank\(started)")
            }
        }
        // The running slot: cycles left in it and in its encoding, and whether this is the last of each.
        let slotLeft = m.register("slot_cycles_left", countType(design.periodMax), reset: 0)
        let slotLast = m.register("slot_last_cycle", reset: false)
        let encodeLeft = m.register("encode_cycles_left", countType(design.periodMax), reset: 0)
        let encoding = m.register("encoding", reset: false)
        let encodeLast = m.register("encode_last_cycle", reset: false)
        let slotEnds = (inSlot & slotLast).named("slot_ends")
        // Output space: the active layer's beats are reserved when a column's
        // last group starts and returned as they leave. A beat's space is
        // counted free a cycle after it leaves (the pop registered, off the
        // FIFO's handshake): the FIFO is deep enough that the late cycle never
        // holds a start back at full rate.
        let pop = m.delayed(inputs.outputPop, name: "output_popped", reset: 0)
        // The free beats with this cycle's pop, plus `minusBeats` (a
        // negative count): one adder from registers, the pop its carry in;
        // whether they hold those beats is its sign.
        let sumType = SignalType.signed(countType(max(design.outputFIFODepth + 1, 3 * design.outputChunksMax)).width + 1)
        func signed(_ value: Signal) -> Signal { value.asUnsigned.extended(to: sumType.width).asSigned }
        func freeAfter(_ minusBeats: Signal) -> Signal { signed(credits) + minusBeats + signed(pop) }
        func holds(_ minusBeats: Signal) -> Signal { !freeAfter(minusBeats).bit(sumType.width - 1) }
        // Minus one and minus three of the active layer's columns, latched at
        // the swap from the loaded layer's (registered, a step at a time:
        // they settle long before its swap; a streaming layer's are
        // constants); minus two columns is minus one shifted.
        let loadedBeats = signed(loadedLayer(\.outputChunks))
        func tripled(_ value: Signal) -> Signal { value + (value << 1) }
        let nextMinusOne = streaming ? -loadedBeats : m.delayed(-m.delayed(loadedBeats, name: "next_column_beats"), name: "next_minus_one_column")
        let nextMinusThree = streaming ? tripled(nextMinusOne) : m.delayed(tripled(nextMinusOne), name: "next_minus_three_columns")
        let minusOne = m.register("minus_one_column", sumType, reset: 0)
        let minusThree = m.register("minus_three_columns", sumType, reset: 0)
        m.when(swap) {
            minusOne <== nextMinusOne
            minusThree <== nextMinusThree
        }
        // Whether a slot may start as far as the sequencer's own state goes
        // (a layer is active, no slot runs or the running one ends, and the
        // previous lookup is clear), and whether the output FIFO has room
        // for the next slot (it needs room at a column's last group): two
        // registers, so that the start is one five-input function of them
        // and the next column slot's full flags. They are set from outcomes
        // worked out beside the start, which picks one, and so are the
        // next-is-last-group flag and the room flags they read. The room is
        // a register: after a reserve, whether the free beats hold two
        // columns (in a layer of one group the next slot is a last group
        // again); otherwise one, so the room may come a cycle late (a beat
        // leaving, or a loaded layer's swap: its first column is complete two
        // cycles after the swap at the earliest, and at full rate the FIFO's
        // depth keeps the free beats clear of a column).
        let mayStart = m.register("may_start", reset: false)
        let room = m.register("room", reset: true)
        let start = (mayStart & room & perBank(nextReadSlot, inputs.full)).named("start")
        outputs.started <== start
        // A streaming (fixed-table) layer never ends; a loaded one ends at
        // the start of its last column's last group (a register beside the
        // flags it combines, so the layer's end is one step from the start).
        let lastSlotOfLayer = streaming ? m.constant(false) : m.register("last_slot_of_layer", reset: false)
        let layerEnds = start & lastSlotOfLayer
        outputs.layerEnds <== layerEnds
        let layerActive = layerActiveFlag(m, swap: swap, layerEnds: layerEnds)
        // A layer starts at its first group (the last layer ended after its last).
        let lastGroupOnStart = mux(nextIsLastGroup, activeTiming(\.singleGroup), groupsAfterNext == 1)
        let lastGroupOtherwise = mux(swap, loadedTiming(\.singleGroup), nextIsLastGroup)
        let mayStartOnStart = activeTiming(\.singleCyclePeriod) & !lastSlotOfLayer & activeTiming(\.lookupClear)
        let mayStartOtherwise = (!inSlot | slotLast | (slotLeft == 1)) & (swap | layerActive)
            & perBank(mux(swap, state.loadBank, active), bankLookupClear)
        // A fixed-table layer's swap, out of reset, leaves the FIFO empty.
        let roomOnSwap = streaming ? m.constant(true) : !loadedTiming(\.singleGroup)
        // Whether the free beats hold a column of the active layer, and two:
        // flags set beside the credits from the outcomes the start picks
        // (after a reserve, one and two columns more), or the next layer's
        // at a swap.
        let roomForColumn = m.register("room_for_column", reset: true)
        let roomForTwoColumns = m.register("room_for_two_columns", reset: true)
        room <== mux(start, mux(nextIsLastGroup, !activeTiming(\.singleGroup) | roomForTwoColumns, (groupsAfterNext != 1) | roomForColumn),
                     mux(swap, roomOnSwap, !nextIsLastGroup | roomForColumn))
        if !streaming {
            let lastColumnOnStart = mux(nextIsLastGroup, count(columnsLeft, is: 2, m), lastColumn)
            let lastSlotOnSwap = loadedTiming(\.singleGroup) & (loadedLayer(\.columns) == 1)
            lastSlotOfLayer <== mux(start, lastGroupOnStart & lastColumnOnStart, mux(swap, lastSlotOnSwap, lastSlotOfLayer))
        }
        mayStart <== mux(start, mayStartOnStart, mayStartOtherwise)
        nextIsLastGroup <== mux(start, lastGroupOnStart, lastGroupOtherwise)
        // Each outcome picked last by the start (a reserve is a start at a
        // column's last group; a start never meets a swap).
        let minusTwo = minusOne << 1
        // The free beats after a reserve, whose sign is whether they hold a column.
        let creditsReserved = freeAfter(minusOne).named("credits_reserved")
        let holdsColumn = (!creditsReserved.bit(sumType.width - 1)).named("credits_hold_column")
        let holdsTwo = holds(minusTwo).named("credits_hold_two_columns")
        roomForColumn <== mux(start, mux(nextIsLastGroup, holdsTwo, holdsColumn),
                              mux(swap, holds(nextMinusOne).named("credits_hold_next_column"), holdsColumn))
        roomForTwoColumns <== mux(start, mux(nextIsLastGroup, holds(minusThree).named("credits_hold_three_columns"), holdsTwo),
                                  mux(swap, holds(nextMinusOne << 1).named("credits_hold_two_next_columns"), holdsTwo))
        let creditsPopped = credits + pop.asUnsigned.extended(to: credits.width)
        credits <== mux(start, mux(nextIsLastGroup, creditsReserved.resized(to: credits.width).asUnsigned, creditsPopped), creditsPopped)

        // The running slot's encoder operations.
        let chunks = perBank(bank, banks.map(\.chunks)), prototypeChunks = perBank(bank, banks.map(\.prototypeChunks))
        outputs.operation <== EncoderOperation(
            valid: encoding, bank: bank, group: group, chunk: chunk,
            prototypeChunk: prototypeChunk, readSlot: readSlot, prototypeAddress: prototypeAddress,
            firstChunk: chunk == 0, lastChunk: lastChunk,
            firstPrototypeChunk: prototypeChunk == 0, lastPrototypeChunk: prototypeChunk == prototypeChunks - 1,
            firstGroup: firstGroup, lastGroup: lastGroup)
        outputs.inSlot <== inSlot
        // Per column slot: this cycle is the encoder's last read of it (the
        // column's last group, its last encode cycle). Registers set with the
        // flags they combine, so the input buffer's ready, which takes them,
        // starts from a register.
        let release = (0..<2).map { m.register("last_read_\($0)", reset: false) }
        outputs.release <== release
        let nextRowAddress = (rowAddress + address(design.chunksMax)).named("next_prototype_row_address")
        m.when(inSlot) {
            m.when(lastChunk) {
                chunk <== 0
                lastChunk <== chunks == 1
                prototypeChunk <== prototypeChunk + 1
                rowAddress <== nextRowAddress
                prototypeAddress <== nextRowAddress
            }.otherwise {
                chunk <== chunk + 1
                lastChunk <== isSecondLast(chunk, of: chunks, maximum: design.chunksMax, m)
                prototypeAddress <== prototypeAddress + 1
            }
            slotLeft <== slotLeft - 1
            slotLast <== slotLeft == 1
            m.when(encodeLeft != 0) { encodeLeft <== encodeLeft - 1 }
            encodeLast <== encoding & (encodeLeft == 1)
            encoding <== encoding & !encodeLast
        }
        // A slot's lookup takes `output chunks` cycles after its encode cycles.
        m.when(start) {
            lookupLeftAfterNext <== activeTiming(\.lookupLeftAfterNext)
            for (flag, afterStart) in zip(bankLookupClear, clearAfterStart) { flag <== perBank(active, afterStart) }
        }.otherwise {
            m.when(!lookupLeftAfterNext.bit(lookupLeftAfterNext.width - 1)) { lookupLeftAfterNext <== lookupLeftAfterNext - 1 }
            for (flag, timing) in zip(bankLookupClear, registeredTiming) {
                flag <== lookupLeftAfterNext <= timing.encodeCycles
            }
        }
        m.when(start) {
            inSlot <== true
            chunk <== 0
            lastChunk <== activeTiming(\.singleChunk)
            prototypeChunk <== 0
            slotLeft <== activeTiming(\.periodLessOne)
            slotLast <== activeTiming(\.singleCyclePeriod)
            encodeLeft <== activeTiming(\.encodeLessOne)
            encoding <== true
            encodeLast <== singleEncodeCycle
            bank <== active
            let slotAddress = mux(active, (nextSlotAddress + address(design.prototypeWords)).named("next_slot_prototype_address_bank1"),
                                  nextSlotAddress)
            rowAddress <== slotAddress
            prototypeAddress <== slotAddress
            group <== nextGroup
            firstGroup <== nextGroup == 0
            lastGroup <== nextIsLastGroup
            readSlot <== nextReadSlot
            // What changes only at a column's last group is written as data,
            // so that these registers are enabled by the start alone, not by
            // the start and the group.
            nextReadSlot <== nextReadSlot ^ nextIsLastGroup
            if !streaming {
                columnsLeft <== columnsLeft - nextIsLastGroup.asUnsigned.extended(to: columnsLeft.width)
                lastColumn <== mux(nextIsLastGroup, count(columnsLeft, is: 2, m), lastColumn)
            }
            m.when(nextIsLastGroup) {
                nextGroup <== 0
                nextSlotAddress <== address(0)
                groupsAfterNext <== activeTiming(\.groupsLessOne)
            }.otherwise {
                nextGroup <== nextGroup + 1
                nextSlotAddress <== nextSlotAddress + address(design.prototypeChunksMax * design.chunksMax)
                groupsAfterNext <== groupsAfterNext - 1
            }
        }.elseWhen(slotEnds) {
            inSlot <== false
        }
        for (slot, releases) in release.enumerated() {
            m.when(inSlot) { releases <== lastGroup & encoding & (encodeLeft == 1) & isSlot(readSlot, slot) }
            m.when(start) { releases <== nextIsLastGroup & singleEncodeCycle & isSlot(nextReadSlot, slot) }
        }
        if !streaming {
            m.when(swap) {
                columnsLeft <== loadedLayer(\.columns)
                lastColumn <== loadedLayer(\.columns) == 1
            }
        }
        m.when(swap) { groupsAfterNext <== loadedTiming(\.groupsLessOne) }
    }
}
