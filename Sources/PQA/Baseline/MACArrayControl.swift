import HDL
import PQ

/// The MAC array's layer registers of one bank and the counts derived from them.
struct MACLayerBank: PortGroup {
    let d, cout, columns, multiplier, shift, relu: Signal
    /// `ceil(D / InVec)` and `ceil(Cout / OutVec)`.
    let inChunks, outputChunks: Signal
}

extension MACLayerBank {
    init(_ ports: PortFields, _ design: MACArrayParameters) {
        let c = design.configuration
        d = ports("d", countType(c.maxima.d))
        cout = ports("cout", countType(c.maxima.cout))
        columns = ports("columns", countType(c.maxima.columns))
        multiplier = ports("multiplier", .unsigned(c.multiplierBits))
        shift = ports("shift", countType(c.maxShift))
        relu = ports.bool("relu")
        inChunks = ports("in_chunks", countType(design.inChunksMax))
        outputChunks = ports("output_chunks", countType(design.outputChunksMax))
    }
}

/// The MAC array's layer registers (two banks), the writes of its weight and
/// bias memories, and the bank swap, behind the `BankedLoadPort` the PQA
/// core uses too, with the same checks and error codes (weights: `Cout x
/// ceil(D/InVec)` beats, bias `ceil(Cout/OutVec)`). The swap happens once
/// the running layer has started its last column; a column is its unit of work.
struct MACArrayControl: Circuit {
    let design: MACArrayParameters

    struct Inputs: PortGroup {
        let load: Stream<LoadBeatFields>
        let progress: WorkProgress
        /// The activation stream's failing checks, for the error code.
        let activationErrors: ActivationErrors
    }

    struct Outputs: PortGroup {
        let banks: [MACLayerBank]
        let state: BankState
        /// Weight words (bank `c % OutVec`) and bias words, into the load bank.
        let weights, bias: MemoryWrite
        /// The sticky error code (`CoreErrorCode`).
        let error: Signal
    }

    var moduleName: String { "mac_layer_control" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        let c = design.configuration
        return [.init("maxima", "D \(c.maxima.d), Cout \(c.maxima.cout), columns \(c.maxima.columns)"),
                .init("parallelism", "InVec \(c.parallelism.inVec), OutVec \(c.parallelism.outVec)"),
                .init("requantization", "multiplier \(c.multiplierBits) bits, shift up to \(c.maxShift)")]
    }

    func inputs(_ ports: PortFields) -> Inputs {
        Inputs(load: ports.stream("load") { LoadBeatFields($0, design.loadBeat) }, progress: ports.group("progress", WorkProgress.init),
               activationErrors: ports.group("activation", ActivationErrors.init))
    }

    func outputs(_ ports: PortFields) -> Outputs {
        Outputs(banks: ports.groups("bank", count: 2) { MACLayerBank($0, design) }, state: ports.group("state", BankState.init),
                weights: ports.group("weights_write") {
                    MemoryWrite($0, depth: 2 * design.weightWords, wordBits: design.weightWordBits, indexBits: design.loadBeat.indexBits)
                },
                bias: ports.group("bias_write") { MemoryWrite($0, depth: 2 * design.biasWords, wordBits: design.biasWordBits) },
                error: ports("error", .unsigned(CoreErrorCode.bits)))
    }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs: Outputs) {
        let c = design.configuration, maxima = c.maxima, p = c.parallelism
        let memories = [
            LoadMemory(kind: MACArrayLoadBeatKind.weights.rawValue, name: "weights", words: design.weightWords,
                       grouping: .single(wordBits: design.weightWordBits, memories: p.outVec), indexed: true),
            LoadMemory(kind: MACArrayLoadBeatKind.bias.rawValue, name: "bias", words: design.biasWords,
                       grouping: .single(wordBits: design.biasWordBits, memories: 1), indexed: false),
        ]
        let port = BankedLoadPort(m, stream: inputs.load, progress: inputs.progress, registers: MACRegister.map(c), memories: memories,
                                  activationErrors: inputs.activationErrors)
        outputs.state <== port.state
        func layerRegister(_ register: MACRegister) -> [Signal] { port.registers[register.rawValue] }
        let d = layerRegister(.d), cout = layerRegister(.cout), columns = layerRegister(.columns)
        let multiplier = layerRegister(.multiplier), shift = layerRegister(.shift), relu = layerRegister(.relu)
        // The chunk counts are written with their registers (`derived`), two cycles after the beat.
        let inChunkStarts = ThresholdCount.ceilDivision(by: p.inVec, maximum: design.inChunksMax)
        let inChunks = port.derived(from: MACRegister.d.rawValue, name: "in_chunks", counting: inChunkStarts, m)
        let outputChunks = port.derived(from: MACRegister.cout.rawValue, name: "output_chunks",
                                        counting: ThresholdCount.ceilDivision(by: p.outVec, maximum: design.outputChunksMax), m)
        let banks = (0..<2).map { bank in
            MACLayerBank(d: d[bank], cout: cout[bank], columns: columns[bank], multiplier: multiplier[bank], shift: shift[bank],
                         relu: relu[bank], inChunks: inChunks[bank], outputChunks: outputChunks[bank])
        }
        outputs.banks <== banks
        outputs.weights <== port.writes[0]
        outputs.bias <== port.writes[1]
        // Weights: a row of `in chunks` beats per output channel, counted as
        // rows (no product: `ExpectedBeats.rows`); bias: one beat per output chunk.
        func loading(_ field: KeyPath<MACLayerBank, Signal>) -> [Signal] { banks.map { $0[keyPath: field] } }
        let rowLength = port.rowLength(from: MACRegister.d.rawValue, name: "in_chunks", counting: inChunkStarts, m)
        port.finish(m, expectedBeats: [.rows(loading(\.cout), maximumRows: maxima.cout, length: rowLength),
                                       .total(loading(\.outputChunks), maximum: design.outputChunksMax)])
        outputs.error <== port.error
    }
}
