import HDL

/// A memory the load stream writes, as the load port decodes it.
struct LoadMemory {
    /// The kind of the beats that write it.
    let kind: Int
    let name: String
    /// Words of one bank of each memory.
    let words: Int
    /// Which memories a beat's index selects, and each one's word of the data field.
    let grouping: WordGrouping
    /// Several memories chosen by the beat's index (else one, the index ignored).
    let indexed: Bool
}

/// The beats of one memory a load must carry, for its commit's check, per
/// bank (the port picks the load bank's).
enum ExpectedBeats {
    /// `count` beats, settled a cycle before the commit (the load bank's
    /// is registered); a layer needs at most `maximum` (the count saturates above it).
    case total([Signal], maximum: Int)
    /// `rows` rows of `length` beats each: `rows` settled a cycle before the
    /// commit (the load bank's is registered), `length` by the memory's first
    /// beat (two cycles after the last register beat, as `derived` counts
    /// are). The beats are counted within their row and the rows counted
    /// (saturating above `maximumRows`), so the check needs no product of the two.
    case rows([Signal], maximumRows: Int, length: RowLength)
}

/// A row's length in beats, in the two forms the row count reads: one less
/// than the length, and whether it is one; the load's own, not per bank
/// (see `BankedLoadPort.rowLength`).
struct RowLength {
    let lessOne, isOne: Signal
}

/// The activation stream's checks failing this cycle (see `ColumnIntake`).
struct ActivationErrors: PortGroup {
    /// A beat's `tlast` disagreed with the column's length; a beat arrived with no layer to take it.
    let lastMismatch, noLayer: Signal
}

extension ActivationErrors {
    init(_ ports: PortFields) {
        lastMismatch = ports.bool("last_mismatch")
        noLayer = ports.bool("no_layer")
    }
}

/// The load protocol both cores share, built inside their layer-control
/// modules: two banks of layer registers and memories, the load stream
/// writing the bank not in use, the checks of a load, and the swap.
///
/// A load is the layer's register beats, then its memory beats; its `tlast`
/// beat commits it. Every beat is registered as it moves and decoded the
/// cycle after; a cycle later still (`committing`: the derived counts have
/// settled) the checks run: every register written and within its legal range,
/// every beat naming a register or memory word of the design, and as many
/// beats of each memory kind as the registers imply (`finish`). Their
/// results are registered and the cycle after (`checking`) decides, so no
/// path runs from the counts through the checks into the bank state and the
/// error code in one cycle. A layer that passes is pending, and the swap to
/// it happens once the running layer has started its last unit of work
/// (`progress.layerEnds`); one that fails is never started, and its code
/// stays on `error` (the first failure since the last good commit, cleared
/// by the next). A register beat after memory beats starts a new load (the
/// previous one had no `tlast`). A bank takes loads only when no unit of
/// work that used it is in flight.
struct BankedLoadPort {
    let state: BankState
    /// Both banks of every layer register, by address.
    let registers: [[Signal]]
    /// Per memory (in the order given), its writes into the load bank.
    let writes: [MemoryWrite]
    /// The sticky error code (`CoreErrorCode`, 0 for none): the first failing check since the last good commit.
    let error: Signal
    private let memories: [LoadMemory]
    private let entries: [RegisterEntry]
    /// Per register: written in this load, and within its legal range.
    private let written, legal: [Signal]
    /// Per register: its beat is decoded this cycle (into the load bank),
    /// and the value the stream's beat carries as it moves (a cycle earlier).
    private let hits, movingValues: [Signal]
    private let loadBank: Signal
    /// Per memory: a beat of it moved a cycle ago (registered as it moved).
    private let arrivals: [Signal]
    /// The end of a load's scope: its commit, or a register beat after its memory beats.
    private let clear: Signal
    /// The load bank, as the beat counts of the commit's checks read it.
    private let countedBank: Signal
    private let badBeat: Signal
    /// The commit's verdict in the `checking` cycle: the first failing check's code, and whether any fails.
    private let failure, fails: Signal

    init(_ m: ModuleBuilder, stream: Stream<LoadBeatFields>, progress: WorkProgress, registers entries: [RegisterEntry],
         memories: [LoadMemory], activationErrors: ActivationErrors) {
        let activeBank = m.register("active_bank", reset: false)
        let activeValid = m.register("active_valid", reset: false)
        let pending = m.register("pending", reset: false)
        let committing = m.register("committing", reset: false)
        let checking = m.register("checking", reset: false)
        let inFlight = UnitsInFlight(m, activeBank: activeBank, progress: progress)
        let loadBank = (!activeBank).named("load_bank")
        // Ready is a register, computed from the next state of what it waits
        // for, and every beat is registered as it moves (`moved`, `beat`) and
        // decoded the cycle after, so the stream's handshake drives nothing
        // but these registers.
        let ready = m.register("load_ready_q", reset: true)
        stream.ready <== ready
        let last = stream.fire & (stream.last ?? m.constant(false))
        let moved = m.delayed(stream.fire, name: "load_moved", reset: 0), movedLast = m.delayed(last, name: "load_moved_last", reset: 0)
        let beat = LoadBeatFields(kind: m.delayed(stream.data.kind, name: "load_kind_q"), index: m.delayed(stream.data.index, name: "load_index_q"),
                                  address: m.delayed(stream.data.address, name: "load_address_q"),
                                  data: m.delayed(stream.data.data, name: "load_data_q"))
        self.memories = memories
        self.entries = entries

        // A load's scope: from its first register beat to its commit, or to
        // a register beat after its memory beats (it had no tlast).
        // A register beat, decoded as it moves and registered with it.
        let movedRegister = m.delayed(stream.fire & (stream.data.kind == LoadBeatKind.layerRegister.rawValue), name: "register_beat_moved",
                                      reset: 0)
        let dataSeen = m.register("load_data_seen", reset: false)
        let restart = (movedRegister & dataSeen).named("load_restart")
        // `committing | restart`, as a register of its own: set from what
        // each of them is set from (it clears the counts, so it drives many).
        let clear = m.register("load_clear", reset: false)
        let dataSeenNext = (moved & !movedRegister) | (!clear & dataSeen)
        clear <== (movedLast & !committing) | (stream.fire & (stream.data.kind == LoadBeatKind.layerRegister.rawValue) & dataSeenNext)
        m.when(clear) { dataSeen <== false }
        m.when(moved & !movedRegister) { dataSeen <== true }

        // A register beat's range check takes three steps, none with a zero
        // test wider than `zeroSliceBits`: as the beat moves, whether each
        // slice of its data field is zero (the bits between two registers'
        // widths, then `zeroSliceBits` at a time above the widest),
        // registered with it; the cycle after, per register, its own bits
        // compared with its range and the slices up to the widest register's
        // width found zero, and the slices above that found zero in groups
        // of `zeroSliceBits`; a cycle later the two together, into the
        // register the beat wrote.
        let lowBits = min(beat.data.width, entries.map(\.bits).max() ?? 1)
        let slices = zeroSlices(registerWidths: entries.map(\.bits), lowBits: lowBits, dataBits: beat.data.width)
        let sliceClear = slices.enumerated().map { index, slice in
            m.delayed(stream.data.data[high: slice.upperBound - 1, low: slice.lowerBound] == 0, name: "load_data_clear_\(index)")
        }
        func allClear(_ bits: Range<Int>) -> [Signal] {
            zip(slices, sliceClear).filter { bits.contains($0.0.lowerBound) }.map(\.1)
        }
        let highFlags = allClear(lowBits..<beat.data.width)
        let highClear = stride(from: 0, to: highFlags.count, by: zeroSliceBits).enumerated().map { group, first in
            m.delayed(highFlags[first..<min(first + zeroSliceBits, highFlags.count)].reduce(m.constant(true), &),
                      name: "register_check_high_clear_\(group)")
        }.reduce(m.constant(true), &)
        var written: [Signal] = [], legal: [Signal] = [], hits: [Signal] = [], movingValues: [Signal] = []
        registers = entries.map { entry -> [Signal] in
            // Decoded as the beat moves and registered with it (the same cycle
            // as decoding the registered beat), so the write enables start from a register.
            let hit = m.delayed(stream.fire & (stream.data.kind == LoadBeatKind.layerRegister.rawValue) & (stream.data.address == entry.address),
                                name: "\(entry.name)_written", reset: 0)
            func field(_ data: Signal) -> Signal { entry.isFlag ? data.bit(0) : data.resized(to: entry.bits) }
            let value = field(beat.data)
            hits.append(hit)
            movingValues.append(field(stream.data.data))
            let isWritten = m.register("\(entry.name)_loaded", reset: false), inRange = m.register("\(entry.name)_legal", reset: false)
            m.when(clear) { isWritten <== false }
            m.when(hit) { isWritten <== true }
            let fieldInRange = m.delayed(isInRange(beat.data[high: entry.bits - 1, low: 0], entry, m)
                                       & allClear(entry.bits..<lowBits).reduce(m.constant(true), &), name: "\(entry.name)_in_range_q")
            m.when(m.delayed(hit, name: "\(entry.name)_checked", reset: 0)) { inRange <== fieldInRange & highClear }
            written.append(isWritten)
            legal.append(inRange)
            return (0..<2).map { bank in
                let register = m.register("bank\(bank)_\(entry.name)", entry.type, reset: entry.reset)
                m.when(hit & (bank == 1 ? loadBank : !loadBank)) { register <== value }
                return register
            }
        }
        self.written = written
        self.legal = legal
        self.hits = hits
        self.movingValues = movingValues
        self.loadBank = loadBank

        // A memory beat is written two cycles after it moves (the beat, then
        // its write, registered), or three where the memories' module
        // registers the write again (`StagedWrite`): the tlast beat's write
        // lands as its commit's checks run or a cycle later, before the swap
        // at the earliest, so a write never meets a read of its bank.
        // Each memory's beats, decoded as they move and registered with them.
        let arrivals = memories.map { memory in
            m.delayed(stream.fire & (stream.data.kind == memory.kind), name: "\(memory.name)_beat_moved", reset: 0)
        }
        writes = zip(memories, arrivals).map { memory, arrived -> MemoryWrite in
            let depth = 2 * memory.words, width = max(1, ceilLog2(depth))
            let base = mux(loadBank, m.constant(memory.words, .unsigned(width)), m.constant(0, .unsigned(width)))
            let name = memory.name
            return MemoryWrite(
                enable: m.delayed(arrived & inRange(beat.address, memory.words, m), name: "\(name)_write_valid_q", reset: 0),
                index: memory.indexed ? m.delayed(beat.index, name: "\(name)_write_index_q") : nil,
                address: m.delayed(base + beat.address.resized(to: width), name: "\(name)_write_address_q"),
                data: m.delayed(beat.data.resized(to: memory.grouping.beatWordBits), name: "\(name)_write_data_q"), grouping: memory.grouping)
        }
        self.arrivals = arrivals
        self.clear = clear
        // A beat that names no register or memory word of the design: checked
        // as it moves and registered with it, like the register hits.
        let incoming = stream.data
        let known = memories.reduce((incoming.kind == LoadBeatKind.layerRegister.rawValue) & inRange(incoming.address, entries.count, m)) {
            known, memory in
            let index = memory.indexed ? inRange(incoming.index, memory.grouping.indexCount, m) : m.constant(true)
            return known | ((incoming.kind == memory.kind) & index & inRange(incoming.address, memory.words, m))
        }
        let unknownMoved = m.delayed(stream.fire & !known, name: "load_unknown_beat", reset: 0)
        let badBeat = m.register("load_bad_beat", reset: false)
        m.when(clear) { badBeat <== false }
        m.when(unknownMoved) { badBeat <== true }
        self.badBeat = badBeat

        // The checks' verdict in the `checking` cycle (`finish`).
        let failure = m.wire("commit_failure", .unsigned(CoreErrorCode.bits))
        let fails = m.wire("commit_fails", .bool)
        m.when(movedLast) { committing <== true }
        m.when(committing) {
            committing <== false
            checking <== true
        }
        m.when(checking) {
            checking <== false
            pending <== !fails
        }
        let swap = (pending & !activeValid).named("swap")
        // The load bank again, the beat counts' own (the active bank is read
        // across the core): the banks trade places at the swap.
        let countedBank = m.register("counted_bank", reset: true)
        m.when(swap) { countedBank <== !countedBank }
        self.countedBank = countedBank
        // Work starts only on the active bank, so the load bank's busy flag can
        // only fall; across a swap (the banks trade places) ready waits a
        // cycle, and after the checks a cycle whatever their verdict (so the
        // verdict drives no more than `pending` and the error).
        let pendingNext = checking | (pending & !swap)
        ready <== !last & !movedLast & !committing & !pendingNext & !swap & !perBank(loadBank, inFlight.busyUnlessStarted)
        m.when(swap) {
            pending <== false
            activeValid <== true
            activeBank <== loadBank
        }.elseWhen(progress.layerEnds) {
            activeValid <== false
        }
        let error = m.register("error_code", .unsigned(CoreErrorCode.bits), reset: 0)
        func code(_ value: CoreErrorCode) -> Signal { m.constant(value.rawValue, .unsigned(CoreErrorCode.bits)) }
        // The first failing check since the last good commit (or reset)
        // stays. The activation stream's checks are registered first (they
        // come from its handshake), so they take precedence over the verdict
        // of the cycle after them.
        let lastMismatch = m.delayed(activationErrors.lastMismatch, name: "activation_last_mismatch_q", reset: 0)
        let noLayer = m.delayed(activationErrors.noLayer, name: "activation_no_layer_q", reset: 0)
        m.when(checking & !fails) { error <== 0 }.elseWhen(error == 0) {
            m.when(lastMismatch) { error <== code(.activationLast) }
                .elseWhen(noLayer) { error <== code(.activationWithoutLayer) }
                .elseWhen(checking) { error <== failure }
                .elseWhen(restart) { error <== code(.missingLast) }
        }
        self.error = error
        self.failure = failure
        self.fails = fails
        state = BankState(activeBank: activeBank, activeValid: activeValid, pending: pending,
                          committing: (movedLast | committing | checking).named("commit_in_progress"),
                          swap: swap, loadBank: loadBank, idleBanks: inFlight.idle)
    }

    /// Per bank, a register holding how many of `thresholds` lie below the
    /// register at `address` (`ThresholdCount`): compared as the beat moves
    /// and registered with it, the count then encoded and written together
    /// with the register itself, so a count derived from a layer register
    /// settles in the same cycle, its logic split by a register of its own.
    func derived(from address: Int, name: String, counting thresholds: [Int], _ m: ModuleBuilder) -> [Signal] {
        let value = derivedValue(from: address, name: name, counting: thresholds, m)
        return (0..<2).map { bank in
            let register = m.register("bank\(bank)_\(name)", value.type, reset: 0)
            m.when(hits[address] & (bank == 1 ? loadBank : !loadBank)) { register <== value }
            return register
        }
    }

    /// A row's length as `RowLength`, from the register at `address`: the
    /// length is the count of `thresholds` below the register, the first of
    /// them zero (every row has a beat). Written like `derived`, but into one
    /// register for both banks, whichever the beat writes: a load that
    /// passes its checks wrote the register, so the commit reads its own.
    /// "Is one" is a count of its own (one threshold), not a compare of
    /// "less one" with zero, so the row's end reads a register directly.
    func rowLength(from address: Int, name: String, counting thresholds: [Int], _ m: ModuleBuilder) -> RowLength {
        precondition(thresholds.first == 0, "a row's beat thresholds start at zero")
        guard thresholds.count > 1 else { return RowLength(lessOne: m.constant(0, .unsigned(1)), isOne: m.constant(true)) }
        func loaded(_ suffix: String, _ thresholds: [Int]) -> Signal {
            let value = derivedValue(from: address, name: "\(name)_\(suffix)", counting: thresholds, m)
            let register = m.register("load_\(name)_\(suffix)", value.type, reset: 0)
            m.when(hits[address]) { register <== value }
            return register
        }
        let longer = loaded("above_one", [thresholds[1]])
        return RowLength(lessOne: loaded("less_one", Array(thresholds.dropFirst())), isOne: longer == 0)
    }

    /// The count of `thresholds` below the register at `address`, compared
    /// as its beat moves, registered with it and encoded the cycle after.
    private func derivedValue(from address: Int, name: String, counting thresholds: [Int], _ m: ModuleBuilder) -> Signal {
        let counter = ThresholdCount(thresholds: thresholds, inputBits: movingValues[address].width)
        let compared = m.delayed(counter.compared(movingValues[address], m), name: "\(name)_compared_q")
        return counter.count(compared, m)
    }

    /// Drives the commit's checks, `expectedBeats` per memory (in the order
    /// given) from the load bank's registers (the registers come at least one
    /// beat of each memory kind before the commit). The
    /// first failing check names the code: a register not written (lowest
    /// address first), a register out of range, a bad beat, a beat count.
    /// Each check is registered in the `committing` cycle, the register
    /// checks already reduced to their first failing one, the beat counts
    /// only compared, and the `checking` cycle chooses among the registers.
    func finish(_ m: ModuleBuilder, expectedBeats: [ExpectedBeats]) {
        func check(_ fails: Signal, _ code: CoreErrorCode) -> (fails: Signal, code: Signal) {
            (fails, m.constant(code.rawValue, .unsigned(CoreErrorCode.bits)))
        }
        let scope = zip(entries, written).map { entry, isWritten in check(!isWritten, .registerMissing(address: entry.address)) }
            + zip(entries, legal).map { entry, inRange in check(!inRange, .registerOutOfRange(address: entry.address)) }
            + [check(badBeat, .badBeat)]
        let first = firstFailing(scope, m)
        let scopeFails = m.delayed(first.fails, name: "scope_check_fails_q"), scopeCode = m.delayed(first.code, name: "scope_check_code_q")
        let counts = zip(memories, zip(arrivals, expectedBeats)).map { memory, counting in
            let (arrived, expected) = counting
            let matches = beatsMatch(m, memory.name, arrived: arrived, expected: expected)
            return check(!m.delayed(matches, name: "\(memory.name)_beats_match_q"), .beatCount(kind: memory.kind))
        }
        let firstCount = firstFailing(counts, m)
        failure <== mux(scopeFails, scopeCode, firstCount.code)
        fails <== scopeFails | firstCount.fails
    }
}

extension BankedLoadPort {
    /// Whether a memory's beats in this load (counted as they arrive, from
    /// zero at each `clear`) are as many as expected, and at least one.
    /// Each count runs up to one past its most and stops, whether it may
    /// still grow a register beside it, so its enable is one gate.
    private func beatsMatch(_ m: ModuleBuilder, _ name: String, arrived: Signal, expected: ExpectedBeats) -> Signal {
        func counter(_ label: String, maximum: Int, advance: Signal) -> Signal {
            let count = m.register(label, countType(maximum + 1), reset: 0)
            let counting = m.register("\(label)_counting", reset: true)
            m.when(clear) {
                count <== 0
                counting <== true
            }.elseWhen(advance & counting) {
                count <== count + 1
                counting <== count != maximum
            }
            return count
        }
        switch expected {
        case let .total(perBankTotal, maximum):
            let total = m.delayed(perBank(countedBank, perBankTotal), name: "\(name)_expected_beats")
            let count = counter("\(name)_beats", maximum: maximum, advance: arrived)
            return (count == total.resized(to: count.width)) & (count != 0)
        case let .rows(perBankRows, maximumRows, length):
            let rows = m.delayed(perBank(countedBank, perBankRows), name: "\(name)_expected_rows")
            let lessOne = length.lessOne, isOne = length.isOne
            // Whether an arrival ends its row comes from registers: at a row's
            // first beat from the length itself (after a clear it settles only
            // by then), else from a flag the row's previous beat wrote, set
            // when the beats so far (plus one, so no adder sits before the
            // compare) reach the length less one.
            let rowStart = m.register("\(name)_row_start", reset: true)
            let endsNext = m.register("\(name)_row_ends_next", reset: false)
            let inRowPlusOne = m.register("\(name)_beats_in_row_plus_one", .unsigned(lessOne.width + 1), reset: 1)
            let rowEnds = (arrived & mux(rowStart, isOne, endsNext)).named("\(name)_row_ends")
            m.when(arrived) { endsNext <== inRowPlusOne == lessOne.extended(to: lessOne.width + 1) }
            m.when(clear | rowEnds) {
                rowStart <== true
                inRowPlusOne <== 1
            }.elseWhen(arrived) {
                rowStart <== false
                inRowPlusOne <== inRowPlusOne + 1
            }
            let count = counter("\(name)_rows", maximum: maximumRows, advance: rowEnds)
            return (count == rows.resized(to: count.width)) & (count != 0) & rowStart
        }
    }
}

/// The code of the first failing check (0 when none fails), chosen by a
/// balanced tree of pairs, so its depth grows with the logarithm of the
/// number of checks instead of with the number.
private func firstFailing(_ checks: [(fails: Signal, code: Signal)], _ m: ModuleBuilder) -> (fails: Signal, code: Signal) {
    guard checks.count > 1 else {
        return checks.first.map { ($0.fails, mux($0.fails, $0.code, m.constant(0, $0.code.type))) }
            ?? (m.constant(false), m.constant(0, .unsigned(CoreErrorCode.bits)))
    }
    let middle = checks.count / 2
    let first = firstFailing(Array(checks[..<middle]), m), rest = firstFailing(Array(checks[middle...]), m)
    return (first.fails | rest.fails, mux(first.fails, first.code, rest.code))
}

/// Bits of a data field whose zero test is one flag of the range check:
/// sixteen, two levels of four-input LUTs.
private let zeroSliceBits = 16

/// The data field's bits above the narrowest register, cut into slices whose
/// zero flags make up each register's "bits above it are zero": below
/// `lowBits` (the widest register) the bits between consecutive register
/// widths, above it `zeroSliceBits` at a time; none wider than that.
private func zeroSlices(registerWidths: [Int], lowBits: Int, dataBits: Int) -> [Range<Int>] {
    let bounds = Set(registerWidths.filter { $0 < lowBits } + [lowBits, dataBits]
                     + Array(stride(from: lowBits, to: dataBits, by: zeroSliceBits)))
        .sorted()
    return zip(bounds, bounds.dropFirst()).flatMap { low, high in
        stride(from: low, to: high, by: zeroSliceBits).map { $0..<min($0 + zeroSliceBits, high) }
    }
}

/// Whether a register beat's field `value` (the register's own bits of the
/// data) lies in `entry`'s legal range; the bits above them are checked apart.
private func isInRange(_ value: Signal, _ entry: RegisterEntry, _ m: ModuleBuilder) -> Signal {
    var legal = m.constant(true)
    if entry.minimum > 0 { legal = legal & (value >= entry.minimum) }
    if entry.maximum < (1 << entry.bits) - 1 { legal = legal & (value <= entry.maximum) }
    if entry.powerOfTwo { legal = legal & !hasTwoBitsSet(value, m) }
    return legal
}

/// Whether two or more of `value`'s bits are set: gates only, no carry chain
/// (`value & (value - 1)` would need one before its zero test).
private func hasTwoBitsSet(_ value: Signal, _ m: ModuleBuilder) -> Signal {
    var seen = m.constant(false), twice = m.constant(false)
    for bit in 0..<value.width {
        twice = twice | (seen & value.bit(bit))
        seen = seen | value.bit(bit)
    }
    return twice
}

/// Per bank, the units of work started and not yet through the pipeline (a
/// bank takes loads only at zero); `idle` when both are zero.
struct UnitsInFlight {
    /// Per bank: some unit of work that uses it is in flight.
    let busy: [Signal]
    /// Per bank: `busy` in the next cycle if no unit of work starts on it
    /// (from registers only: what finishes comes from the pipeline's end).
    let busyUnlessStarted: [Signal]
    let idle: Signal

    init(_ m: ModuleBuilder, activeBank: Signal, progress: WorkProgress) {
        // Each count's "not zero" is a register beside it, set from the same
        // step, so the load stream's ready never waits on a comparator.
        let banks = (0..<2).map { bank -> (busy: Signal, unlessStarted: Signal) in
            let count = m.register("in_flight_\(bank)", .unsigned(8), reset: 0)
            let busy = m.register("bank\(bank)_busy", reset: false)
            let isBank = bank == 1 ? activeBank : !activeBank
            let finishedHere = bank == 1 ? progress.finishedBank : !progress.finishedBank
            let up = progress.started & isBank, down = progress.finished & finishedHere
            m.when(up & !down) { count <== count + 1 }.elseWhen(down & !up) { count <== count - 1 }
            let unlessStarted = mux(down, count != 1, busy).named("bank\(bank)_busy_unless_started")
            busy <== mux(up & !down, m.constant(true), mux(down & !up, count != 1, busy))
            return (busy, unlessStarted)
        }
        busy = banks.map(\.busy)
        busyUnlessStarted = banks.map(\.unlessStarted)
        idle = (!busy[0] & !busy[1]).named("idle_banks")
    }
}
