import HDL
import PQ

/// The MAC array's layer registers (two banks), the load port that writes
/// them and the memories, and the bank swap; the same protocol as the PQA
/// core's `LayerControl`.
///
/// The load stream writes the bank not in use; its `tlast` beat commits the
/// layer, and the swap to it happens once the running layer has started its
/// last column. A bank takes new loads only when no column that used it is
/// still in flight (a column counts as a slot in `Feedback`).
struct MACArrayControl {
    /// Per bank: the layer registers and the counts derived from them.
    struct Bank {
        let d, cout, columns, multiplier, shift, relu: Signal
        /// `ceil(D / InVec)` and `ceil(Cout / OutVec)`.
        let inChunks, outputChunks: Signal
    }

    let banks: [Bank]
    /// The bank that new columns run on.
    let activeBank: Signal
    /// A layer is active with columns still to start.
    let activeValid: Signal
    /// A committed layer waits for the swap; its counts settle the cycle after `tlast`.
    let pending, committing: Signal
    /// The swap happens this cycle.
    let swap: Signal
    /// No column is in flight in either bank.
    let idleBanks: Signal
    /// Load beats that write memories, decoded.
    let load: (fire: Signal, kind: Signal, index: Signal, address: Signal, data: Signal, bank: Signal)

    init(_ m: ModuleBuilder, _ design: MACArrayParameters, load stream: Stream, feedback: Feedback) {
        let c = design.configuration, maxima = c.maxima, p = c.parallelism
        let activeBank = m.register("active_bank", reset: false)
        let activeValid = m.register("active_valid", reset: false)
        let pending = m.register("pending", reset: false)
        let committing = m.register("committing", reset: false)
        self.activeBank = activeBank
        self.activeValid = activeValid
        self.pending = pending
        self.committing = committing
        let columnsInFlight = LayerControl.countSlotsInFlight(m, activeBank: activeBank, feedback: feedback)
        idleBanks = columnsInFlight.idle
        let loadBank = (!activeBank).named("load_bank")
        stream.ready <== !pending & !committing & !perBank(loadBank, columnsInFlight.busy.map { $0 != 0 })

        var low = 0
        func field(_ bits: Int, _ name: String) -> Signal {
            defer { low += bits }
            return stream.data[high: low + bits - 1, low: low].named(name)
        }
        let kind = field(design.loadKindBits, "load_kind"), index = field(design.loadIndexBits, "load_index")
        let address = field(design.loadAddressBits, "load_address"), data = field(design.loadDataBits, "load_data")
        let fire = stream.fire.named("load_fire")
        load = (fire, kind, index, address, data, loadBank)

        func registers(_ bank: Int) -> Bank {
            func layerRegister(_ register: MACRegister, _ type: SignalType) -> Signal {
                let value = m.register("bank\(bank)_\(register)", type, reset: register == .multiplier ? 1 : 0)
                m.when(fire & (kind == 0) & (address == register.rawValue) & (bank == 1 ? loadBank : !loadBank)) {
                    value <== (type.isBool ? data.bit(0) : data.resized(to: type.width))
                }
                return value
            }
            let d = layerRegister(.d, countType(maxima.d)), cout = layerRegister(.cout, countType(maxima.cout))
            return Bank(
                d: d, cout: cout, columns: layerRegister(.columns, countType(maxima.columns)),
                multiplier: layerRegister(.multiplier, .unsigned(c.multiplierBits)),
                shift: layerRegister(.shift, countType(c.maxShift)), relu: layerRegister(.relu, .bool),
                inChunks: m.delayed(ceilDivide(d, by: p.inVec, maximum: design.inChunksMax, m), name: "bank\(bank)_in_chunks"),
                outputChunks: m.delayed(ceilDivide(cout, by: p.outVec, maximum: design.outputChunksMax, m),
                                        name: "bank\(bank)_output_chunks"))
        }
        banks = [registers(0), registers(1)]

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
}

/// Two column slots in one RAM: the activation stream fills one while the
/// array reads the other `ceil(Cout / OutVec)` times. A column arrives as
/// `ceil(D / InVec)` beats; its slot is free again after its last read.
struct MACArrayInput {
    let memory: Memory
    /// Whether each slot holds a complete column.
    let full: [Signal]
    /// Columns of the active layer not yet received.
    let columnsLeft: Signal
    /// Part of a column has arrived.
    let receiving: Signal

    init(_ m: ModuleBuilder, _ design: MACArrayParameters, stream: Stream, control: MACArrayControl, feedback: Feedback) {
        memory = m.simpleDualPortRAM("column_buffer", depth: 2 * design.columnWords, .unsigned(design.activationBeatBits))
        full = (0..<2).map { m.register("slot_full_\($0)", reset: false) }
        let writeSlot = m.register("write_slot", reset: false)
        let chunk = m.register("input_chunk", countType(design.inChunksMax), reset: 0)
        let columnsLeft = m.register("input_columns_left", countType(design.configuration.maxima.columns), reset: 0)
        self.columnsLeft = columnsLeft
        receiving = chunk != 0
        let inChunks = perBank(control.activeBank, control.banks.map(\.inChunks))

        let writable = full.enumerated().map { slot, flag in !flag | feedback.releaseSlot[slot] }
        stream.ready <== (columnsLeft != 0) & perBank(writeSlot, writable)
        for (slot, flag) in full.enumerated() {
            m.when(feedback.releaseSlot[slot]) { flag <== false }
        }
        let addressType = SignalType.unsigned(memory.addressWidth)
        let base = mux(writeSlot, m.constant(design.columnWords, addressType), m.constant(0, addressType))
        m.when(stream.fire) {
            memory.write(address: (base + chunk.resized(to: addressType.width)).named("input_address"), data: stream.data)
            m.when(chunk == inChunks - 1) {
                chunk <== 0
                writeSlot <== !writeSlot
                columnsLeft <== columnsLeft - 1
                for (slot, flag) in full.enumerated() {
                    m.when(slot == 1 ? writeSlot : !writeSlot) { flag <== true }
                }
            }.otherwise { chunk <== chunk + 1 }
        }
        m.when(control.swap) { columnsLeft <== perBank(control.load.bank, control.banks.map(\.columns)) }
    }
}
