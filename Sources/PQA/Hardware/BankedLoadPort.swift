import HDL

/// The load protocol both cores share: two banks of layer registers and
/// memories, the load stream writing the bank not in use, and the swap.
///
/// The stream's `tlast` beat commits the layer; a cycle later (the derived
/// counts settle) it is pending, and the swap to it happens once the running
/// layer has started its last unit of work (`feedback.layerEnds`). A bank
/// takes loads only when no unit of work that used it is in flight.
struct BankedLoadPort {
    /// The bank new work runs on (a `Bool`: bank 0 or 1), and whether a layer
    /// is active with work still to start.
    let activeBank, activeValid: Signal
    /// A committed layer waits for the swap; its counts settle the cycle after `tlast`.
    let pending, committing: Signal
    /// The swap happens this cycle.
    let swap: Signal
    /// No unit of work is in flight in either bank.
    let idleBanks: Signal
    /// Load beats, decoded (least significant first: kind, index, address, data), and the bank they write.
    let fire, kind, index, address, data, loadBank: Signal

    init(_ m: ModuleBuilder, stream: Stream<Signal>, bits: (kind: Int, index: Int, address: Int, data: Int), feedback: Feedback) {
        let activeBank = m.register("active_bank", reset: false)
        let activeValid = m.register("active_valid", reset: false)
        let pending = m.register("pending", reset: false)
        let committing = m.register("committing", reset: false)
        self.activeBank = activeBank
        self.activeValid = activeValid
        self.pending = pending
        self.committing = committing
        let inFlight = LayerControl.countSlotsInFlight(m, activeBank: activeBank, feedback: feedback)
        idleBanks = inFlight.idle
        let loadBank = (!activeBank).named("load_bank")
        self.loadBank = loadBank
        stream.ready <== !pending & !committing & !perBank(loadBank, inFlight.busy.map { $0 != 0 })

        var low = 0
        func field(_ width: Int, _ name: String) -> Signal {
            defer { low += width }
            return stream.data[high: low + width - 1, low: low].named(name)
        }
        kind = field(bits.kind, "load_kind")
        index = field(bits.index, "load_index")
        address = field(bits.address, "load_address")
        data = field(bits.data, "load_data")
        fire = stream.fire.named("load_fire")

        m.when(fire & (stream.last ?? m.constant(false))) { committing <== true }
        m.when(committing) {
            committing <== false
            pending <== true
        }
        let swap = (pending & !activeValid).named("swap")
        self.swap = swap
        m.when(swap) {
            pending <== false
            activeValid <== true
            activeBank <== loadBank
        }.elseWhen(feedback.layerEnds) {
            activeValid <== false
        }
    }

    /// Layer register `name` of `bank`, written by kind-0 beats at `address`.
    func layerRegister(_ m: ModuleBuilder, _ name: String, bank: Int, address register: Int, _ type: SignalType, reset: Int) -> Signal {
        let value = m.register("bank\(bank)_\(name)", type, reset: reset)
        m.when(fire & (kind == 0) & (address == register) & (bank == 1 ? loadBank : !loadBank)) {
            value <== (type.isBool ? data.bit(0) : data.resized(to: type.width))
        }
        return value
    }
}
