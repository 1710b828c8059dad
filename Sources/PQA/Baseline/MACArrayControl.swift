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
/// core uses too. The swap happens once the running layer has started its
/// last column; a column is its unit of work.
struct MACArrayControl: Circuit {
    let design: MACArrayParameters

    struct Inputs: PortGroup {
        let load: Stream<LoadBeatFields>
        let progress: WorkProgress
    }

    struct Outputs: PortGroup {
        let banks: [MACLayerBank]
        let state: BankState
        /// Weight words (bank `c % OutVec`) and bias words, into the load bank.
        let weights, bias: MemoryWrite
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
        Inputs(load: ports.stream("load") { LoadBeatFields($0, design.loadBeat) }, progress: ports.group("progress", WorkProgress.init))
    }

    func outputs(_ ports: PortFields) -> Outputs {
        Outputs(banks: ports.groups("bank", count: 2) { MACLayerBank($0, design) }, state: ports.group("state", BankState.init),
                weights: ports.group("weights_write") {
                    MemoryWrite($0, depth: 2 * design.weightWords, wordBits: design.weightWordBits, indexBits: design.loadBeat.indexBits)
                },
                bias: ports.group("bias_write") { MemoryWrite($0, depth: 2 * design.biasWords, wordBits: design.biasWordBits) })
    }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs: Outputs) {
        let c = design.configuration, maxima = c.maxima, p = c.parallelism
        let port = BankedLoadPort(m, stream: inputs.load, progress: inputs.progress)
        outputs.state <== port.state
        func layerRegister(_ register: MACRegister, _ type: SignalType) -> [Signal] {
            port.layerRegister(m, "\(register)", address: register.rawValue, type, reset: register == .multiplier ? 1 : 0)
        }
        let d = layerRegister(.d, countType(maxima.d)), cout = layerRegister(.cout, countType(maxima.cout))
        let columns = layerRegister(.columns, countType(maxima.columns))
        let multiplier = layerRegister(.multiplier, .unsigned(c.multiplierBits))
        let shift = layerRegister(.shift, countType(c.maxShift)), relu = layerRegister(.relu, .bool)
        outputs.banks <== (0..<2).map { bank in
            MACLayerBank(d: d[bank], cout: cout[bank], columns: columns[bank], multiplier: multiplier[bank], shift: shift[bank],
                         relu: relu[bank],
                         inChunks: m.delayed(ceilDivide(d[bank], by: p.inVec, maximum: design.inChunksMax, m), name: "bank\(bank)_in_chunks"),
                         outputChunks: m.delayed(ceilDivide(cout[bank], by: p.outVec, maximum: design.outputChunksMax, m),
                                                 name: "bank\(bank)_output_chunks"))
        }
        outputs.weights <== port.memoryWrite(m, MACArrayLoadBeatKind.weights.rawValue, name: "weights", words: design.weightWords,
                                             wordBits: design.weightWordBits, indexed: true)
        outputs.bias <== port.memoryWrite(m, MACArrayLoadBeatKind.bias.rawValue, name: "bias", words: design.biasWords,
                                          wordBits: design.biasWordBits, indexed: false)
    }
}
