import HDL
import PQ

/// The MAC array's layer registers (two banks) and the counts derived from
/// them, behind the `BankedLoadPort` the PQA core uses too. The swap happens
/// once the running layer has started its last column; a column counts as a
/// slot in `Feedback`.
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

    init(_ m: ModuleBuilder, _ design: MACArrayParameters, load stream: Stream<Signal>, feedback: Feedback) {
        let c = design.configuration, maxima = c.maxima, p = c.parallelism
        let port = BankedLoadPort(m, stream: stream, bits: (design.loadKindBits, design.loadIndexBits, design.loadAddressBits, design.loadDataBits),
                                  feedback: feedback)
        activeBank = port.activeBank
        activeValid = port.activeValid
        pending = port.pending
        committing = port.committing
        swap = port.swap
        idleBanks = port.idleBanks
        load = (port.fire, port.kind, port.index, port.address, port.data, port.loadBank)

        func registers(_ bank: Int) -> Bank {
            func layerRegister(_ register: MACRegister, _ type: SignalType) -> Signal {
                port.layerRegister(m, "\(register)", bank: bank, address: register.rawValue, type, reset: register == .multiplier ? 1 : 0)
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

    init(_ m: ModuleBuilder, _ design: MACArrayParameters, stream: Stream<Signal>, control: MACArrayControl, feedback: Feedback) {
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
