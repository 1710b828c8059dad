/// Errors from driving a simulation: naming the port or signal, the value and
/// the ports that do exist.
public enum SimulationError: Error, CustomStringConvertible, Equatable {
    /// No port (or named signal) of that name.
    case unknownSignal(name: String, design: String, known: [String])
    /// The value has the wrong width or does not fit the port.
    case valueDoesNotFit(port: String, value: String, type: String)
    /// The port is an output and cannot be poked.
    case notAnInput(port: String)

    public var description: String {
        switch self {
        case .unknownSignal(let name, let design, let known):
            "design '\(design)' has no port or signal '\(name)'; its ports are: \(known.joined(separator: ", "))"
        case .valueDoesNotFit(let port, let value, let type):
            "value \(value) does not fit port '\(port)' of type \(type)"
        case .notAnInput(let port):
            "'\(port)' is not an input and cannot be poked"
        }
    }
}

/// The built-in simulator: runs an elaborated design cycle by cycle, two-state
/// (registers without reset and memories start at zero), one clock.
///
/// Each `step` is one rising clock edge: inputs poked before it are sampled at
/// the edge, registers and memories update, and outputs read after it show the
/// new state. Outputs read before `step` show the combinational result of the
/// current inputs.
public final class Interpreter: Simulator {
    /// The design being simulated.
    public let netlist: Netlist
    /// Clock edges so far.
    public private(set) var cycle = 0

    private var design: FlatDesign
    private let storage: UnsafeMutablePointer<UInt64>
    private let wordCount: Int
    private let operations: [CompiledOperation]
    private let memories: [MemoryStorage]
    private var settled = false
    private var trace: VCDWriter?
    // What each clock edge loads, as storage offsets, and room to stage it.
    private let registerPlan: [(target: Int, source: Int, words: Int, reset: [UInt64]?)]
    /// Synchronous reads; `collision` names the write port (enable, address)
    /// of a memory whose read of a word being written is undefined.
    private let readPlan: [(memory: Int, address: Int, enable: Int?, target: Int, words: Int, collision: (enable: Int, address: Int)?)]
    private let writePlan: [(memory: Int, enable: Int, address: Int, data: Int, words: Int)]
    private let scratch: UnsafeMutablePointer<UInt64>

    /// Prepares `netlist` for simulation: flattens the hierarchy, orders the
    /// combinational logic and compiles it.
    public init(_ netlist: Netlist) {
        self.netlist = netlist
        var design = FlatDesign(top: netlist)
        wordCount = max(1, design.layOut())
        storage = .allocate(capacity: wordCount)
        storage.initialize(repeating: 0, count: wordCount)
        let memories = design.memories.map {
            MemoryStorage(depth: $0.spec.depth, width: $0.spec.type.width, contents: $0.spec.initialContents)
        }
        self.memories = memories
        let slots = design.slots
        for constant in design.constants { OperationCompiler.store(storage, slots[constant.slot], constant.value) }
        operations = Interpreter.topologicalOrder(design.operations, slotCount: slots.count).map {
            OperationCompiler.compile($0, slots: slots, memories: memories)
        }
        registerPlan = design.registers.map { register in
            let slot = slots[register.slot]
            return (slot.offset, slots[register.next].offset, slot.words, register.reset?.words)
        }
        readPlan = design.memories.enumerated().flatMap { index, memory in
            let collision = memory.spec.readDuringWrite == .undefined
                ? memory.write.map { (enable: slots[$0.enable].offset, address: slots[$0.address].offset) } : nil
            return memory.reads.filter(\.synchronous).map { read in
                (index, slots[read.address].offset, read.enable.map { slots[$0].offset }, slots[read.data].offset, slots[read.data].words,
                 collision)
            }
        }
        writePlan = design.memories.enumerated().compactMap { index, memory in
            memory.write.map { (index, slots[$0.enable].offset, slots[$0.address].offset, slots[$0.data].offset, slots[$0.data].words) }
        }
        let scratchWords = registerPlan.reduce(0) { $0 + $1.words } + readPlan.reduce(0) { $0 + $1.words }
        scratch = .allocate(capacity: max(1, scratchWords))
        self.design = design
    }

    deinit {
        storage.deallocate()
        scratch.deallocate()
    }

    /// Orders operations so each runs after the ones producing its operands.
    private static func topologicalOrder(_ operations: [FlatDesign.Operation], slotCount: Int) -> [FlatDesign.Operation] {
        var producer = Array(repeating: -1, count: slotCount)
        for (index, operation) in operations.enumerated() { producer[operation.result] = index }
        var state = Array(repeating: UInt8(0), count: operations.count)
        var order: [FlatDesign.Operation] = []
        order.reserveCapacity(operations.count)
        for start in operations.indices where state[start] == 0 {
            var stack: [(Int, Bool)] = [(start, false)]
            while let (index, expanded) = stack.popLast() {
                if expanded {
                    if state[index] != 2 { state[index] = 2; order.append(operations[index]) }
                    continue
                }
                guard state[index] == 0 else { continue }
                state[index] = 1
                stack.append((index, true))
                for operand in operations[index].operands.reversed() {
                    let source = producer[operand]
                    if source >= 0 && state[source] == 0 { stack.append((source, false)) }
                }
            }
        }
        return order
    }

    // MARK: Ports

    /// Hierarchical names of every named signal (`count`, `u_fifo.count`).
    public var signalNames: [String] { design.namedSlots.map(\.name) }

    private func slot(named name: String) throws(SimulationError) -> FlatDesign.Slot {
        if let index = design.portSlots[name] ?? design.namedSlots.first(where: { $0.name == name })?.slot {
            return design.slots[index]
        }
        throw .unknownSignal(name: name, design: netlist.name, known: portNames)
    }

    /// Drives input `port` with `value`, which must have the port's width.
    public func poke(_ port: String, _ value: BitVector) throws(SimulationError) {
        let isInput = port == "rst" ? netlist.usesReset : netlist.port(named: port)?.direction == .input
        guard isInput else {
            if netlist.port(named: port) != nil { throw .notAnInput(port: port) }
            throw .unknownSignal(name: port, design: netlist.name, known: portNames)
        }
        let target = try slot(named: port)
        guard value.width == target.width else {
            throw .valueDoesNotFit(port: port, value: value.description, type: "\(target.width) bits")
        }
        OperationCompiler.store(storage, target, value)
        settled = false
    }

    /// The current value of a port or named signal.
    public func peek(_ name: String) throws(SimulationError) -> BitVector {
        let target = try slot(named: name)
        settle()
        return OperationCompiler.load(storage, target)
    }

    // MARK: Time

    private func settle() {
        guard !settled else { return }
        for operation in operations { operation(storage) }
        settled = true
    }

    /// Advances `cycles` rising clock edges.
    public func step(_ cycles: Int = 1) {
        for _ in 0..<cycles { clockEdge() }
    }

    /// Holds `rst` high for `cycles` edges, then low. A design without a reset
    /// just steps.
    public func reset(cycles: Int = 1) {
        if netlist.usesReset { try? poke("rst", 1) }
        step(cycles)
        if netlist.usesReset { try? poke("rst", 0) }
    }

    private func clockEdge() {
        settle()
        trace?.sample(time: cycle * 10, storage: storage, clock: false)
        let resetting = design.resetSlot.map { storage[design.slots[$0].offset] != 0 } ?? false
        // Sample everything the edge loads before changing anything (read-first).
        var scratchIndex = 0
        for register in registerPlan {
            for word in 0..<register.words {
                scratch[scratchIndex + word] = resetting && register.reset != nil
                    ? register.reset?[word] ?? 0 : storage[register.source + word]
            }
            scratchIndex += register.words
        }
        for read in readPlan {
            let enabled = read.enable.map { storage[$0] != 0 } ?? true
            let address = Int(clamping: storage[read.address])
            // A read the design promised never to make (see `MemorySpec.ReadDuringWrite.undefined`) returns garbage.
            let collides = read.collision.map { storage[$0.enable] != 0 && storage[$0.address] == storage[read.address] } ?? false
            for word in 0..<read.words {
                let value = memories[read.memory].word(address, word)
                scratch[scratchIndex + word] = enabled ? (collides ? ~value : value) : storage[read.target + word]
            }
            scratchIndex += read.words
        }
        for write in writePlan where storage[write.enable] != 0 {
            let address = Int(clamping: storage[write.address])
            for word in 0..<write.words { memories[write.memory].setWord(address, word, storage[write.data + word]) }
        }
        scratchIndex = 0
        for register in registerPlan {
            for word in 0..<register.words { storage[register.target + word] = scratch[scratchIndex + word] }
            scratchIndex += register.words
        }
        for read in readPlan {
            for word in 0..<read.words { storage[read.target + word] = scratch[scratchIndex + word] }
            scratchIndex += read.words
        }
        cycle += 1
        settled = false
        if trace != nil {
            settle()
            trace?.sample(time: cycle * 10 - 5, storage: storage, clock: true)
        }
    }

    // MARK: Tracing

    /// Starts writing a VCD waveform of every port and named signal.
    public func startTrace(writingTo path: String) throws {
        let signals = design.namedSlots.map { (name: $0.name, slot: design.slots[$0.slot]) }
            + (design.resetSlot.map { [(name: "rst", slot: design.slots[$0])] } ?? [])
        trace = try VCDWriter(path: path, top: netlist.name, signals: signals)
        settle()
        trace?.sample(time: cycle * 10, storage: storage, clock: false)
    }

    /// Stops tracing and closes the VCD file.
    public func stopTrace() {
        trace?.close()
        trace = nil
    }
}
