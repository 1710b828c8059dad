import HDL
import PQ

/// A write of prototype memory words of a subspace: `enables[p]` selects
/// prototype lane `p` of the chunk, which takes its word of `data` (see `WordGrouping`).
struct PrototypeWrite: PortGroup {
    let enables: [Signal]
    let address, data: Signal
    /// Where each prototype lane finds its word in `data` (not a port).
    let grouping: WordGrouping
}

/// The control a subspace encoder receives, each at the stage it acts in.
struct SubspaceControl: PortGroup {
    /// Stage 0: read the prototype words at `address`.
    let read, address: Signal
    /// Stage 1 (reads registered): lanes past `Ls` count zero.
    let laneValid: [Signal]
    /// Stage 2: add the chunk's partials (`valid`), starting afresh on the
    /// first element chunk; prototypes past `Np` (not `exists`) take the
    /// largest distance instead, so they never win (see `SubspaceEncoder`).
    let accumulate, firstChunk: Signal
    let exists: [Signal]
    /// After the argmin tree: a prototype chunk's winner is in (`chunkDone`);
    /// the first chunk starts the running minimum; `base` is the chunk's first
    /// prototype; on `finishing` the code is taken.
    let chunkDone, firstPrototypeChunk, base, finishing: Signal
}

extension SubspaceControl {
    init(_ ports: PortFields, _ design: PQAParameters) {
        let p = design.configuration.parallelism
        read = ports.bool("read")
        address = ports("address", .unsigned(design.prototypeAddressBits))
        laneValid = ports.array("lane_valid", count: p.lsVec, .bool)
        accumulate = ports.bool("accumulate")
        firstChunk = ports.bool("first_chunk")
        exists = ports.array("exists", count: p.npVec, .bool)
        chunkDone = ports.bool("chunk_done")
        firstPrototypeChunk = ports.bool("first_prototype_chunk")
        base = ports("base", .unsigned(design.codeBits))
        finishing = ports.bool("finishing")
    }
}

/// The encoder of one subspace of a group: `NpVec` prototype memories (two
/// banks each, or ROMs in a fixed-table design), `NpVec` distance units, the
/// chunk accumulators, an argmin tree over the `NpVec` prototypes and the
/// running minimum over prototype chunks. Ties go to the lowest index.
///
/// ```
///  stage 0   read the prototype words (address registered, block RAM, its output register)
///  stage 1   distance units: partial distances          (pipelined, see `DistanceUnit`)
///  stage 2   partial + accumulator (or the partial on the first element chunk), registered
///  +1        the argmin tree over the accumulators, registers every `argminLevelsPerStage` levels
///  running   winner against the best so far; `code` on `finishing` (registered)
/// ```
struct SubspaceEncoder: Circuit {
    let design: PQAParameters
    /// A fixed-table design's ROM images of this subspace's `NpVec` prototype memories, and its subspace lane.
    let rom: (subspace: Int, words: [[BitVector]])?

    struct Inputs: PortGroup {
        /// Loads (a loadable design).
        let write: PrototypeWrite?
        /// The subspace's `LsVec` activations of the chunk, at stage 1.
        let column: Signal
        let control: SubspaceControl
    }

    var moduleName: String { "pqa_subspace_encoder" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        let c = design.configuration
        return [.init("prototypes", "\(c.parallelism.npVec) per chunk, \(design.prototypeChunksMax) chunks"),
                .init("distance units", "\(c.parallelism.npVec) of \(c.parallelism.lsVec) lanes, \(c.metric.rawValue)"),
                .init("argmin levels per stage", c.pipelining.argminLevelsPerStage),
                .init("prototype memories", rom.map { "ROMs of subspace lane \($0.subspace)" } ?? "\(2 * design.prototypeWords) words, two banks")]
    }

    func inputs(_ ports: PortFields) -> Inputs {
        let c = design.configuration
        let write = rom == nil ? ports.group("write") {
            PrototypeWrite(enables: $0.array("enable", count: c.parallelism.npVec, .bool),
                           address: $0("address", .unsigned(design.prototypeAddressBits)),
                           data: $0("data", .unsigned(design.prototypeGrouping.beatWordBits)), grouping: design.prototypeGrouping)
        } : nil
        return Inputs(write: write, column: ports("column", .unsigned(c.parallelism.lsVec * c.formats.activation.bits)),
                      control: ports.group("control") { SubspaceControl($0, design) })
    }

    func outputs(_ ports: PortFields) -> Signal { ports("code", .unsigned(design.codeBits)) }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs code: Signal) {
        let c = design.configuration, control = inputs.control
        let distanceType = SignalType.unsigned(design.widths.distance.bits)
        // Stage 0: the address and read registered here, one copy per
        // subspace, so no net fans out to every prototype memory of the encoder.
        let address = m.delayed(control.address, name: "prototype_address_q")
        let read = m.delayed(control.read, name: "prototype_read_q", reset: 0)
        let partials = (0..<c.parallelism.npVec).map { q -> Signal in
            let memory: Memory
            if let rom {
                memory = m.rom("prototypes_\(q)", .unsigned(design.prototypeWordBits), words: rom.words[q])
            } else {
                memory = m.simpleDualPortRAM("prototypes_\(q)", depth: 2 * design.prototypeWords, .unsigned(design.prototypeWordBits),
                                             readDuringWrite: .undefined)
                if let write = inputs.write {
                    m.when(write.enables[q]) { memory.write(address: write.address, data: write.grouping.word(of: write.data, memory: q)) }
                }
            }
            let word = memory.readRegistered(address: address.resized(to: memory.addressWidth), enable: read,
                                             name: "prototype_\(q)_q")
            let unit = m.instance(DistanceUnit(design: design), name: "u_distance_\(q)")
            unit.inputs <== DistanceUnit.Inputs(column: inputs.column, prototype: word,
                                                laneValid: control.laneValid)
            return unit.outputs
        }
        // Stage 2: the distance over the element chunks so far; a cycle later
        // the argmin over the prototype chunk starts from the registers.
        // A prototype past Np holds the largest distance: it loses to every
        // prototype before it (the lower index wins a tie), and a chunk of
        // them never replaces the running minimum (which needs a smaller
        // distance), so the argmin needs no flags on its compares.
        let largest = m.constant(BitVector(width: distanceType.width, truncating: -1))
        let distances = partials.enumerated().map { q, partial -> Signal in
            let accumulator = m.register("distance_\(q)", distanceType, reset: nil)
            m.when(control.accumulate) {
                accumulator <== mux(control.exists[q], mux(control.firstChunk, partial, combine(accumulator, partial)), largest)
            }
            return accumulator
        }
        let winner = m.argmin(distances, levelsPerStage: c.pipelining.argminLevelsPerStage, name: "argmin")

        // The running minimum over prototype chunks; the code when the last one is in.
        let bestDistance = m.register("best_distance", distanceType, reset: nil)
        let bestIndex = m.register("best_index", .unsigned(design.codeBits), reset: nil)
        let candidateIndex = control.base + winner.index.resized(to: design.codeBits)
        let take = (control.firstPrototypeChunk | (winner.value < bestDistance)).named("take")
        let newIndex = mux(take, candidateIndex, bestIndex).named("new_index")
        m.when(control.chunkDone) {
            bestDistance <== mux(take, winner.value, bestDistance)
            bestIndex <== newIndex
        }
        code <== m.delayed(newIndex, name: "code_q", enable: control.finishing)
    }

    /// The metric's way of combining distances: sums, or the maximum for Chebyshev.
    private func combine(_ x: Signal, _ y: Signal) -> Signal {
        design.configuration.metric == .chebyshev ? mux(x < y, y, x) : x + y
    }
}
