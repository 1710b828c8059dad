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

/// The memory writes of a load: the encoder's (prototypes, bank
/// `s % NsVec x NpVec + p % NpVec`, or trees, bank `s % NsVec`), tables
/// (bank `s % NsVec`) and bias, each into the load bank.
struct LayerWrites: PortGroup {
    let encoder, table, bias: MemoryWrite
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
                encoder: ports.group(design.encoderMemoryName) {
                    MemoryWrite($0, depth: 2 * design.encoderWords, grouping: design.encoderGrouping, indexBits: design.loadBeat.indexBits)
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
            let c = design.configuration
            let memories = [
                LoadMemory(kind: LoadBeatKind.prototypes.rawValue, name: design.encoderMemoryName, words: design.encoderWords,
                           grouping: design.encoderGrouping, indexed: true),
                LoadMemory(kind: LoadBeatKind.table.rawValue, name: "table", words: design.tableWords, grouping: design.tableGrouping,
                           indexed: true),
                LoadMemory(kind: LoadBeatKind.bias.rawValue, name: "bias", words: design.biasWords,
                           grouping: .single(wordBits: design.biasWordBits, memories: 1), indexed: false),
            ]
            let port = BankedLoadPort(m, stream: load, progress: inputs.progress, registers: LayerRegister.map(c), memories: memories,
                                      activationErrors: inputs.activationErrors)
            outputs.state <== port.state
            let banks = registerBanks(m, port)
            outputs.banks <== banks
            writes <== LayerWrites(encoder: port.writes[0], table: port.writes[1], bias: port.writes[2])
            port.finish(m, expectedBeats: expectedBeats(m, banks: banks, port: port))
            outputs.error <== port.error
        }
    }

    /// Both banks' layer registers, written by layer-register beats, and
    /// the counts derived from them, written with them (`derived`): counted
    /// from the last register beat, the registers and counts settle in two
    /// cycles (the beat registered, then decoded), the encode cycles in three
    /// and the period in four, before the commit's checks (at least one beat
    /// of each memory kind comes between) and so before the swap.
    private func registerBanks(_ m: ModuleBuilder, _ port: BankedLoadPort) -> [LayerBank] {
        let p = design.configuration.parallelism
        func layerRegister(_ register: LayerRegister) -> [Signal] { port.registers[register.rawValue] }
        func derived(_ register: LayerRegister, _ name: String, by divisor: Int, maximum: Int) -> [Signal] {
            port.derived(from: register.rawValue, name: name, counting: ThresholdCount.ceilDivision(by: divisor, maximum: maximum), m)
        }
        let ls = layerRegister(.ls), np = layerRegister(.np), ns = layerRegister(.ns), cout = layerRegister(.cout)
        let columns = layerRegister(.columns), multiplier = layerRegister(.multiplier), shift = layerRegister(.shift)
        let relu = layerRegister(.relu)
        let chunks = derived(.ls, "chunks", by: p.lsVec, maximum: design.chunksMax)
        let prototypeChunks = derived(.np, "prototype_chunks", by: p.npVec, maximum: design.prototypeChunksMax)
        let groups = derived(.ns, "groups", by: p.nsVec, maximum: design.groupsMax)
        let outputChunks = derived(.cout, "output_chunks", by: p.outVec, maximum: design.outputChunksMax)
        return (0..<2).map { bank in
            let periodType = countType(design.periodMax)
            let encodeCycles = m.delayed(m.product(chunks[bank], prototypeChunks[bank]).resized(to: periodType.width),
                                         name: "bank\(bank)_encode_cycles")
            let lookupCycles = outputChunks[bank].resized(to: periodType.width)
            return LayerBank(ls: ls[bank], np: np[bank], ns: ns[bank], cout: cout[bank], columns: columns[bank],
                             multiplier: multiplier[bank], shift: shift[bank], relu: relu[bank],
                             chunks: chunks[bank], prototypeChunks: prototypeChunks[bank], groups: groups[bank],
                             outputChunks: outputChunks[bank], encodeCycles: encodeCycles,
                             period: m.delayed(mux(encodeCycles < lookupCycles, lookupCycles, encodeCycles), name: "bank\(bank)_period"))
        }
    }

    /// The beats of each memory kind the load bank's layer needs, as
    /// `CycleModel.loadBeatCounts` counts them: prototypes, `chunks x Ns`
    /// rows of `P(Np)` beats (trees `R(Ns)` beats), tables `Np x output chunks`
    /// rows of `T(Ns)` beats, bias `output chunks` beats. Counted from the
    /// last register beat: the registers and the beat groups (the rows'
    /// lengths) settle in two cycles, by the memories' first beat, and the
    /// rows, each a product registered halfway, two cycles later, before the
    /// commit of a load with the fewest memory beats (one of each kind)
    /// checks them. Computed per bank; the port picks the load bank's.
    private func expectedBeats(_ m: ModuleBuilder, banks: [LayerBank], port: BankedLoadPort) -> [ExpectedBeats] {
        let maxima = design.configuration.maxima
        func rows(_ name: String, _ factors: (LayerBank) -> (Signal, Signal), maximum: Int, length: RowLength) -> ExpectedBeats {
            let perBankRows = banks.enumerated().map { index, bank in
                let (a, b) = factors(bank)
                return productOverTwoCycles(a, b, m, name: "bank\(index)_\(name)_rows")
            }
            return .rows(perBankRows, maximumRows: maximum, length: length)
        }
        let encoderBeats: ExpectedBeats
        if design.configuration.encoder == .tree {
            let treeStarts = design.treeGrouping.beatStarts(chunks: design.groupsMax)
            let treeGroups = port.derived(from: LayerRegister.ns.rawValue, name: "tree_beat_groups", counting: treeStarts, m)
            encoderBeats = .total(treeGroups, maximum: design.treeGrouping.beats(spreading: maxima.ns))
        } else {
            let prototypeStarts = design.prototypeGrouping.beatStarts(chunks: design.prototypeChunksMax)
            let prototypeRow = port.rowLength(from: LayerRegister.np.rawValue, name: "prototype_beat_groups", counting: prototypeStarts, m)
            encoderBeats = rows("prototypes", { ($0.chunks, $0.ns) }, maximum: design.chunksMax * maxima.ns, length: prototypeRow)
        }
        let tableStarts = design.tableGrouping.beatStarts(chunks: design.groupsMax)
        let tableRow = port.rowLength(from: LayerRegister.ns.rawValue, name: "table_beat_groups", counting: tableStarts, m)
        let tableBeats = rows("table", { ($0.np, $0.outputChunks) }, maximum: maxima.np * design.outputChunksMax, length: tableRow)
        let biasBeats = ExpectedBeats.total(banks.map(\.outputChunks), maximum: design.outputChunksMax)
        return [encoderBeats, tableBeats, biasBeats]
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

extension PQAConfiguration.Maxima {
    /// `Ls 9, Np 16, Ns 64, Cout 64, columns 4096`.
    var summary: String { "Ls \(ls), Np \(np), Ns \(ns), Cout \(cout), columns \(columns)" }
}

extension PQAConfiguration.Parallelism {
    /// `LsVec 9, NpVec 16, NsVec 4, OutVec 16`.
    var summary: String { "LsVec \(lsVec), NpVec \(npVec), NsVec \(nsVec), OutVec \(outVec)" }
}
