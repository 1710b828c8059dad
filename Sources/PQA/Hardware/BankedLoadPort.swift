import HDL

/// The load protocol both cores share, built inside their layer-control
/// modules: two banks of layer registers and memories, the load stream
/// writing the bank not in use, and the swap.
///
/// The stream's `tlast` beat commits the layer; a cycle later (the derived
/// counts settle) it is pending, and the swap to it happens once the running
/// layer has started its last unit of work (`progress.layerEnds`). A bank
/// takes loads only when no unit of work that used it is in flight.
struct BankedLoadPort {
    let state: BankState
    /// A load beat moves this cycle, and its fields.
    let fire: Signal
    let beat: LoadBeatFields

    init(_ m: ModuleBuilder, stream: Stream<LoadBeatFields>, progress: WorkProgress) {
        let activeBank = m.register("active_bank", reset: false)
        let activeValid = m.register("active_valid", reset: false)
        let pending = m.register("pending", reset: false)
        let committing = m.register("committing", reset: false)
        let inFlight = UnitsInFlight(m, activeBank: activeBank, progress: progress)
        let loadBank = (!activeBank).named("load_bank")
        stream.ready <== !pending & !committing & !perBank(loadBank, inFlight.busy)
        fire = stream.fire.named("load_fire")
        beat = stream.data

        m.when(fire & (stream.last ?? m.constant(false))) { committing <== true }
        m.when(committing) {
            committing <== false
            pending <== true
        }
        let swap = (pending & !activeValid).named("swap")
        m.when(swap) {
            pending <== false
            activeValid <== true
            activeBank <== loadBank
        }.elseWhen(progress.layerEnds) {
            activeValid <== false
        }
        state = BankState(activeBank: activeBank, activeValid: activeValid, pending: pending, committing: committing,
                          swap: swap, loadBank: loadBank, idleBanks: inFlight.idle)
    }

    /// Layer register `name` of both banks (`bank0_name`, `bank1_name`),
    /// written by layer-register beats at `address` into the load bank.
    func layerRegister(_ m: ModuleBuilder, _ name: String, address: Int, _ type: SignalType, reset: Int) -> [Signal] {
        let written = (fire & (beat.kind == 0) & (beat.address == address)).named("\(name)_written")
        let value = type.isBool ? beat.data.bit(0) : beat.data.resized(to: type.width)
        return (0..<2).map { bank in
            let register = m.register("bank\(bank)_\(name)", type, reset: reset)
            m.when(written & (bank == 1 ? state.loadBank : !state.loadBank)) { register <== value }
            return register
        }
    }

    /// The write of memory words of `kind` into the load bank, for memories
    /// of `words` words per bank (addresses past them are ignored, so a
    /// stray address never writes into the running bank), registered: it
    /// lands a cycle after its beat, before the layer can swap in (the
    /// commit takes two cycles) and so while its bank takes no reads.
    func memoryWrite(_ m: ModuleBuilder, _ kind: Int, name: String, words: Int, wordBits: Int, indexed: Bool) -> MemoryWrite {
        let depth = 2 * words, width = max(1, ceilLog2(depth))
        let base = mux(state.loadBank, m.constant(words, .unsigned(width)), m.constant(0, .unsigned(width)))
        return MemoryWrite(
            enable: m.delayed(fire & (beat.kind == kind) & inRange(beat.address, words, m), name: "\(name)_write_valid_q", reset: 0),
            index: indexed ? m.delayed(beat.index, name: "\(name)_write_index_q") : nil,
            address: m.delayed(base + beat.address.resized(to: width), name: "\(name)_write_address_q"),
            data: m.delayed(beat.data.resized(to: wordBits), name: "\(name)_write_data_q"))
    }
}

/// Per bank, the units of work started and not yet through the pipeline (a
/// bank takes loads only at zero); `idle` when both are zero.
struct UnitsInFlight {
    /// Per bank: some unit of work that uses it is in flight.
    let busy: [Signal]
    let idle: Signal

    init(_ m: ModuleBuilder, activeBank: Signal, progress: WorkProgress) {
        let counts = (0..<2).map { m.register("in_flight_\($0)", .unsigned(8), reset: 0) }
        for (bank, count) in counts.enumerated() {
            let isBank = bank == 1 ? activeBank : !activeBank
            let finishedHere = bank == 1 ? progress.finishedBank : !progress.finishedBank
            let up = progress.started & isBank, down = progress.finished & finishedHere
            m.when(up & !down) { count <== count + 1 }.elseWhen(down & !up) { count <== count - 1 }
        }
        busy = counts.map { $0 != 0 }
        idle = ((counts[0] == 0) & (counts[1] == 0)).named("idle_banks")
    }
}
