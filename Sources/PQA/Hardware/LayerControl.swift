import HDL
import PQ

/// The layer registers of one bank and the counts derived from them.
struct LayerBank: PortGroup {
    let ls, np, ns, cout, columns, multiplier, shift, relu: Signal
    /// `ceil(Ls / LsVec)`, `ceil(Np / NpVec)`, `ceil(Ns / NsVec)`, `ceil(Cout / OutVec)`.
    let chunks, prototypeChunks, groups, outputChunks: Signal
    /// Encoder cycles of a slot (`chunks x prototypeChunks`) and the slot's length.
    let encodeCycles, period: Signal
}

extension LayerBank {
    init(_ ports: PortFields, _ design: PQAParameters) {
        let c = design.configuration, maxima = c.maxima
        ls = ports("ls", countType(maxima.ls))
        np = ports("np", countType(maxima.np))
        ns = ports("ns", countType(maxima.ns))
        cout = ports("cout", countType(maxima.cout))
        columns = ports("columns", countType(maxima.columns))
        multiplier = ports("multiplier", .unsigned(c.multiplierBits))
        shift = ports("shift", countType(c.maxShift))
        relu = ports.bool("relu")
        chunks = ports("chunks", countType(design.chunksMax))
        prototypeChunks = ports("prototype_chunks", countType(design.prototypeChunksMax))
        groups = ports("groups", countType(design.groupsMax))
        outputChunks = ports("output_chunks", countType(design.outputChunksMax))
        encodeCycles = ports("encode_cycles", countType(design.periodMax))
        period = ports("period", countType(design.periodMax))
    }
}

/// The memory writes of a load: prototypes (bank `s % NsVec x NpVec + p % NpVec`),
/// tables (bank `s % NsVec`) and bias, each into the load bank.
struct LayerWrites: PortGroup {
    let prototypes, table, bias: MemoryWrite
}

/// The layer registers (two banks), the load port that writes them and the
/// layer's memories, and the bank swap (see `BankedLoadPort`). A fixed-table
/// design has one constant layer instead and no load port.
struct LayerControl: Circuit {
    let design: PQAParameters
    /// The baked layer of a fixed-table design.
    let fixed: FixedTables?

    struct Inputs: PortGroup {
        /// The load stream's beats (a loadable design).
        let load: Stream<LoadBeatFields>?
        let progress: WorkProgress
        /// The activation stream's failing checks, for the error code.
        let activationErrors: ActivationErrors
    }

    struct Outputs: PortGroup {
        let banks: [LayerBank]
        let state: BankState
        /// The memory writes (a loadable design).
        let writes: LayerWrites?
        /// The sticky error code (`CoreErrorCode`).
        let error: Signal
    }

    var moduleName: String { "pqa_layer_control" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        let c = design.configuration
        return [.init("maxima", c.maxima.summary), .init("parallelism", c.parallelism.summary),
                .init("requantization", "multiplier \(c.multiplierBits) bits, shift up to \(c.maxShift)"),
                .init("layer", fixed.map { "fixed: \($0.layer.shape), \($0.layer.requantization)" } ?? "loaded, two banks")]
    }

    func inputs(_ ports: PortFields) -> Inputs {
        Inputs(load: fixed == nil ? ports.stream("load") { LoadBeatFields($0, design.loadBeat) } : nil,
               progress: ports.group("progress", WorkProgress.init), activationErrors: ports.group("activation", ActivationErrors.init))
    }

    func outputs(_ ports: PortFields) -> Outputs {
        let writes = fixed == nil ? ports.group("write") { ports in
            LayerWrites(
                prototypes: ports.group("prototypes") {
                    MemoryWrite($0, depth: 2 * design.prototypeWords, grouping: design.prototypeGrouping, indexBits: design.loadBeat.indexBits)
                },
                table: ports.group("table") {
                    MemoryWrite($0, depth: 2 * design.tableWords, grouping: design.tableGrouping, indexBits: design.loadBeat.indexBits)
                },
                bias: ports.group("bias") { MemoryWrite($0, depth: 2 * design.biasWords, wordBits: design.biasWordBits) })
        } : nil
        return Outputs(banks: ports.groups("bank", count: 2) { LayerBank($0, design) }, state: ports.group("state", BankState.init),
                       writes: writes, error: ports("error", .unsigned(CoreErrorCode.bits)))
    }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs: Outputs) {
        if let fixed {
            buildConstantLayer(m, fixed, progress: inputs.progress, outputs: outputs)
            // No loads: the code reports the activation stream's first failing check until reset.
            let error = m.register("error_code", .unsigned(CoreErrorCode.bits), reset: 0)
            m.when((error == 0) & inputs.activationErrors.lastMismatch) { error <== CoreErrorCode.activationLast.rawValue }
            outputs.error <== error
        } else if let load = inputs.load, let writes = outputs.writes {
            let c = design.configuration, maxima = c.maxima
            let largest = CycleModel(design).loadBeatCounts(ls: maxima.ls, np: maxima.np, ns: maxima.ns, cout: maxima.cout)
            let memories = [
                LoadMemory(kind: LoadBeatKind.prototypes.rawValue, name: "prototypes", words: design.prototypeWords,
                           grouping: design.prototypeGrouping, indexed: true, maxBeats: largest.prototypes),
                LoadMemory(kind: LoadBeatKind.table.rawValue, name: "table", words: design.tableWords, grouping: design.tableGrouping,
                           indexed: true, maxBeats: largest.tables),
                LoadMemory(kind: LoadBeatKind.bias.rawValue, name: "bias", words: design.biasWords,
                           grouping: .single(wordBits: design.biasWordBits, memories: 1), indexed: false, maxBeats: largest.bias),
            ]
            let port = BankedLoadPort(m, stream: load, progress: inputs.progress, registers: LayerRegister.map(c), memories: memories,
                                      activationErrors: inputs.activationErrors)
            outputs.state <== port.state
            let banks = registerBanks(m, port)
            outputs.banks <== banks
            writes <== LayerWrites(prototypes: port.writes[0], table: port.writes[1], bias: port.writes[2])
            port.finish(m, expectedBeats: expectedBeats(m, banks: banks, loadBank: port.state.loadBank))
            outputs.error <== port.error
        }
    }

    /// Both banks' layer registers, written by layer-register beats, and
    /// their derived counts, registered: counted from the last register
    /// beat, the counts settle in two cycles, the encode cycles in three and
    /// the period in four, before the commit's checks (at least one beat of
    /// each memory kind comes between) and so before the swap.
    private func registerBanks(_ m: ModuleBuilder, _ port: BankedLoadPort) -> [LayerBank] {
        let p = design.configuration.parallelism
        func layerRegister(_ register: LayerRegister) -> [Signal] { port.registers[register.rawValue] }
        let ls = layerRegister(.ls), np = layerRegister(.np), ns = layerRegister(.ns), cout = layerRegister(.cout)
        let columns = layerRegister(.columns), multiplier = layerRegister(.multiplier), shift = layerRegister(.shift)
        let relu = layerRegister(.relu)
        return (0..<2).map { bank in
            let chunks = m.delayed(ceilDivide(ls[bank], by: p.lsVec, maximum: design.chunksMax, m), name: "bank\(bank)_chunks")
            let prototypeChunks = m.delayed(ceilDivide(np[bank], by: p.npVec, maximum: design.prototypeChunksMax, m),
                                            name: "bank\(bank)_prototype_chunks")
            let groups = m.delayed(ceilDivide(ns[bank], by: p.nsVec, maximum: design.groupsMax, m), name: "bank\(bank)_groups")
            let outputChunks = m.delayed(ceilDivide(cout[bank], by: p.outVec, maximum: design.outputChunksMax, m),
                                         name: "bank\(bank)_output_chunks")
            let periodType = countType(design.periodMax)
            let encodeCycles = m.delayed(m.product(chunks, prototypeChunks).resized(to: periodType.width), name: "bank\(bank)_encode_cycles")
            let lookupCycles = outputChunks.resized(to: periodType.width)
            return LayerBank(ls: ls[bank], np: np[bank], ns: ns[bank], cout: cout[bank], columns: columns[bank],
                             multiplier: multiplier[bank], shift: shift[bank], relu: relu[bank],
                             chunks: chunks, prototypeChunks: prototypeChunks, groups: groups, outputChunks: outputChunks,
                             encodeCycles: encodeCycles,
                             period: m.delayed(mux(encodeCycles < lookupCycles, lookupCycles, encodeCycles), name: "bank\(bank)_period"))
        }
    }

    /// The beats of each memory kind the load bank's layer needs, as
    /// `CycleModel.loadBeatCounts` counts them: prototypes
    /// `chunks x Ns x P(Np)`, tables `Np x output chunks x T(Ns)`, bias
    /// `output chunks`. Computed per bank, one step per stage, and the load
    /// bank's chosen last, so the bank select's fan-out stays off the
    /// products: the counts settle four cycles after the last register beat
    /// (layer register; chunk and beat-group counts; the first product; the
    /// second), the cycle the commit of a load with the fewest memory beats
    /// (one of each kind) checks them.
    private func expectedBeats(_ m: ModuleBuilder, banks: [LayerBank], loadBank: Signal) -> [Signal] {
        let prototypeStarts = design.prototypeGrouping.beatStarts(chunks: design.prototypeChunksMax)
        let tableStarts = design.tableGrouping.beatStarts(chunks: design.groupsMax)
        let perBankCounts = banks.enumerated().map { index, bank -> [Signal] in
            let prototypeGroups = m.delayed(countAbove(bank.np, prototypeStarts, m), name: "bank\(index)_prototype_beat_groups")
            let tableGroups = m.delayed(countAbove(bank.ns, tableStarts, m), name: "bank\(index)_table_beat_groups")
            let prototypeRows = m.delayed(m.product(bank.chunks, bank.ns), name: "bank\(index)_prototype_rows")
            let tableRows = m.delayed(m.product(bank.np, bank.outputChunks), name: "bank\(index)_table_rows")
            return [m.delayed(m.product(prototypeRows, prototypeGroups), name: "bank\(index)_expected_prototypes_beats"),
                    m.delayed(m.product(tableRows, tableGroups), name: "bank\(index)_expected_table_beats"),
                    m.delayed(bank.outputChunks, name: "bank\(index)_expected_bias_beats")]
        }
        return perBankCounts[0].indices.map { kind in perBank(loadBank, perBankCounts.map { $0[kind] }) }
    }

    /// The one layer of a fixed-table design, as constants: it is always
    /// active on bank 0 and never swaps.
    private func buildConstantLayer(_ m: ModuleBuilder, _ fixed: FixedTables, progress: WorkProgress, outputs: Outputs) {
        let c = design.configuration, p = c.parallelism, shape = fixed.layer.shape, maxima = c.maxima
        let requantization = fixed.layer.requantization
        func constant(_ value: Int, _ maximum: Int) -> Signal { m.constant(value, countType(maximum)) }
        let chunks = ceilDivide(shape.ls, p.lsVec), prototypeChunks = ceilDivide(shape.np, p.npVec)
        let outputChunks = ceilDivide(shape.cout, p.outVec)
        let bank = LayerBank(
            ls: constant(shape.ls, maxima.ls), np: constant(shape.np, maxima.np), ns: constant(shape.ns, maxima.ns),
            cout: constant(shape.cout, maxima.cout), columns: constant(1, maxima.columns),
            multiplier: m.constant(requantization.multiplier, .unsigned(c.multiplierBits)),
            shift: constant(requantization.shift, c.maxShift), relu: m.constant(requantization.relu),
            chunks: constant(chunks, design.chunksMax), prototypeChunks: constant(prototypeChunks, design.prototypeChunksMax),
            groups: constant(ceilDivide(shape.ns, p.nsVec), design.groupsMax), outputChunks: constant(outputChunks, design.outputChunksMax),
            encodeCycles: constant(chunks * prototypeChunks, design.periodMax),
            period: constant(max(chunks * prototypeChunks, outputChunks), design.periodMax))
        outputs.banks <== [bank, bank]
        let activeBank = m.constant(false)
        outputs.state <== BankState(
            activeBank: activeBank, activeValid: m.constant(true), pending: m.constant(false), committing: m.constant(false),
            swap: m.constant(false), loadBank: m.constant(true), idleBanks: UnitsInFlight(m, activeBank: activeBank, progress: progress).idle)
    }
}

/// `ceil(value / divisor)` for `value` up to `divisor * maximum`: the number of
/// multiples `k * divisor` (k < maximum) below `value` (`countAbove`).
func ceilDivide(_ value: Signal, by divisor: Int, maximum: Int, _ m: ModuleBuilder) -> Signal {
    countAbove(value, (0..<maximum).map { $0 * divisor }, m)
}

/// How many of `thresholds` (strictly increasing) lie below `value`. The
/// comparisons form a thermometer code; the count is read from where it
/// ends (threshold k below and k + 1 not: the count is k + 1), each bit of
/// it an OR of those ends, so the logic after the comparators is two levels
/// deep however many thresholds there are, where summing them took a tree of adders.
func countAbove(_ value: Signal, _ thresholds: [Int], _ m: ModuleBuilder) -> Signal {
    precondition(zip(thresholds, thresholds.dropFirst()).allSatisfy { $0 < $1 }, "thresholds must be strictly increasing")
    let type = countType(thresholds.count)
    let below = thresholds.prefix { $0 < 1 << value.width }.map { value > $0 }
    let ends = below.indices.map { k in k + 1 < below.count ? below[k] & !below[k + 1] : below[k] }
    let bits = (0..<type.width).reversed().map { bit -> Signal in
        let terms = ends.indices.filter { ($0 + 1) >> bit & 1 == 1 }.map { ends[$0] }
        return terms.dropFirst().reduce(terms.first ?? m.constant(false)) { $0 | $1 }
    }
    return concatenate(bits)
}

extension PQAConfiguration.Maxima {
    /// `Ls 9, Np 16, Ns 64, Cout 64, columns 4096`.
    var summary: String { "Ls \(ls), Np \(np), Ns \(ns), Cout \(cout), columns \(columns)" }
}

extension PQAConfiguration.Parallelism {
    /// `LsVec 9, NpVec 16, NsVec 4, OutVec 16`.
    var summary: String { "LsVec \(lsVec), NpVec \(npVec), NsVec \(nsVec), OutVec \(outVec)" }
}
