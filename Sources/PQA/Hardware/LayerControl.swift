import HDL
import PQ

/// The layer registers (two banks), the load port that writes them and the
/// memories, and the bank swap.
///
/// The load stream writes the bank not in use. Its `tlast` beat commits the
/// layer; the swap to it happens once the running layer has started its last
/// slot. A bank takes new loads only when no slot using it is in flight.
struct LayerControl {
    /// Per bank: the layer registers and the counts derived from them.
    struct Bank {
        let ls, np, ns, cout, columns, multiplier, shift, relu: Signal
        let chunks, prototypeChunks, groups, outputChunks, encodeCycles, period: Signal
    }

    let banks: [Bank]
    /// The bank the encoder runs (a `Bool`: bank 0 or 1).
    let activeBank: Signal
    /// A layer is active with columns still to start.
    let activeValid: Signal
    /// A committed layer waits for the swap.
    let pending: Signal
    /// The swap happens this cycle.
    let swap: Signal
    /// No slot is in flight in either bank.
    let idleBanks: Signal
    /// A committed layer's counts are settling (the cycle after `tlast`).
    let committing: Signal
    /// Load beats that write memories, decoded.
    let load: (fire: Signal, kind: Signal, index: Signal, address: Signal, data: Signal, bank: Signal)
    /// A fixed-table design: one layer forever, every arriving column encoded.
    let streaming: Bool

    /// The constant layer of a fixed-table design.
    init(_ m: ModuleBuilder, _ design: PQAParameters, fixed: FixedTables, feedback: Feedback) {
        let c = design.configuration, p = c.parallelism, shape = fixed.layer.shape, maxima = c.maxima
        let requantization = fixed.layer.requantization
        func constant(_ value: Int, _ maximum: Int) -> Signal { m.constant(value, countType(maximum)) }
        let chunks = ceilDivide(shape.ls, p.lsVec), prototypeChunks = ceilDivide(shape.np, p.npVec)
        let outputChunks = ceilDivide(shape.cout, p.outVec)
        let bank = Bank(
            ls: constant(shape.ls, maxima.ls), np: constant(shape.np, maxima.np), ns: constant(shape.ns, maxima.ns),
            cout: constant(shape.cout, maxima.cout), columns: constant(1, 1),
            multiplier: m.constant(requantization.multiplier, .unsigned(c.multiplierBits)),
            shift: constant(requantization.shift, c.maxShift), relu: m.constant(requantization.relu),
            chunks: constant(chunks, design.chunksMax), prototypeChunks: constant(prototypeChunks, design.prototypeChunksMax),
            groups: constant(ceilDivide(shape.ns, p.nsVec), design.groupsMax), outputChunks: constant(outputChunks, design.outputChunksMax),
            encodeCycles: constant(chunks * prototypeChunks, design.periodMax),
            period: constant(max(chunks * prototypeChunks, outputChunks), design.periodMax))
        banks = [bank, bank]
        activeBank = m.constant(false)
        activeValid = m.constant(true)
        pending = m.constant(false)
        swap = m.constant(false)
        committing = m.constant(false)
        idleBanks = Self.countSlotsInFlight(m, activeBank: activeBank, feedback: feedback).idle
        load = (m.constant(false), m.constant(0, .unsigned(design.loadKindBits)), m.constant(0, .unsigned(design.loadIndexBits)),
                m.constant(0, .unsigned(design.loadAddressBits)), m.constant(0, .unsigned(design.loadDataBits)), m.constant(true))
        streaming = true
    }

    /// The two banks of a loadable design, written through `stream`.
    init(_ m: ModuleBuilder, _ design: PQAParameters, load stream: Stream<Signal>, feedback: Feedback) {
        streaming = false
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

        // Layer registers, written by kind-0 beats into the load bank.
        func registers(_ bank: Int) -> Bank {
            func layerRegister(_ register: LayerRegister, _ type: SignalType) -> Signal {
                port.layerRegister(m, "\(register)", bank: bank, address: register.rawValue, type, reset: register == .multiplier ? 1 : 0)
            }
            let ls = layerRegister(.ls, countType(maxima.ls)), np = layerRegister(.np, countType(maxima.np))
            let ns = layerRegister(.ns, countType(maxima.ns)), cout = layerRegister(.cout, countType(maxima.cout))
            let columns = layerRegister(.columns, countType(maxima.columns))
            let multiplier = layerRegister(.multiplier, .unsigned(c.multiplierBits))
            let shift = layerRegister(.shift, countType(c.maxShift))
            let relu = layerRegister(.relu, .bool)
            // Counts derived from the registers, one cycle later.
            let chunks = m.delayed(ceilDivide(ls, by: p.lsVec, maximum: design.chunksMax, m), name: "bank\(bank)_chunks")
            let prototypeChunks = m.delayed(ceilDivide(np, by: p.npVec, maximum: design.prototypeChunksMax, m), name: "bank\(bank)_prototype_chunks")
            let groups = m.delayed(ceilDivide(ns, by: p.nsVec, maximum: design.groupsMax, m), name: "bank\(bank)_groups")
            let outputChunks = m.delayed(ceilDivide(cout, by: p.outVec, maximum: design.outputChunksMax, m), name: "bank\(bank)_output_chunks")
            let periodType = countType(design.periodMax)
            let encodeCycles = productOfCounts(chunks, prototypeChunks, m).resized(to: periodType.width).named("bank\(bank)_encode_cycles")
            let output = outputChunks.resized(to: periodType.width)
            let period = mux(encodeCycles < output, output, encodeCycles).named("bank\(bank)_period")
            return Bank(ls: ls, np: np, ns: ns, cout: cout, columns: columns, multiplier: multiplier, shift: shift, relu: relu,
                        chunks: chunks, prototypeChunks: prototypeChunks, groups: groups, outputChunks: outputChunks,
                        encodeCycles: encodeCycles, period: period)
        }
        banks = [registers(0), registers(1)]
    }
}

extension LayerControl {
    /// Per bank, the slots started and not yet through the pipeline (a bank
    /// takes loads only at zero); `idle` when both are zero.
    static func countSlotsInFlight(_ m: ModuleBuilder, activeBank: Signal, feedback: Feedback) -> (busy: [Signal], idle: Signal) {
        let busy = (0..<2).map { m.register("busy_\($0)", .unsigned(8), reset: 0) }
        for (bank, counter) in busy.enumerated() {
            let isBank = bank == 1 ? activeBank : !activeBank
            let doneHere = bank == 1 ? feedback.slotDoneBank : !feedback.slotDoneBank
            let up = feedback.slotStart & isBank, down = feedback.slotDone & doneHere
            m.when(up & !down) { counter <== counter + 1 }.elseWhen(down & !up) { counter <== counter - 1 }
        }
        return (busy, (busy[0] == 0) & (busy[1] == 0))
    }
}

/// `ceil(value / divisor)` for `value` up to `divisor * maximum`: the number of
/// multiples `k * divisor` (k < maximum) below `value`, counted by comparators.
func ceilDivide(_ value: Signal, by divisor: Int, maximum: Int, _ m: ModuleBuilder) -> Signal {
    let type = countType(maximum)
    let terms = (0..<maximum).map { k -> Signal in
        let threshold = k * divisor
        guard threshold < 1 << value.width else { return m.constant(0, type) }
        return mux(value > threshold, m.constant(1, type), m.constant(0, type))
    }
    return reduceTree(terms.map { [$0] }, levelsPerStage: 0, name: "ceil", in: m) { [$0[0] + $1[0]] }[0]
}
