/// A design with its hierarchy flattened: every node of every instance gets a
/// storage slot, and instance ports are joined to the child's port slots.
struct FlatDesign {
    /// A value holder: `width` bits at `offset` words into the storage.
    struct Slot {
        let width: Int
        var offset = 0
        var words: Int { BitVector.wordCount(forWidth: width) }
    }

    /// One combinational computation: `kind` evaluated into slot `result`,
    /// reading `operands` (slots, in the order of the node's operands).
    struct Operation {
        let result: Int
        let kind: NodeKind
        let type: SignalType
        let operands: [Int]
        let operandTypes: [SignalType]
        /// For an asynchronous memory read: the memory's index in `memories`.
        let memory: Int?
    }

    struct Register {
        let slot: Int
        let next: Int
        let reset: BitVector?
    }

    struct Memory {
        let spec: MemorySpec
        let path: String
        /// Slots of the write port's enable, address and data.
        let write: (enable: Int, address: Int, data: Int)?
        /// For each read port: its address, enable and data slots.
        let reads: [(address: Int, enable: Int?, data: Int, synchronous: Bool)]
    }

    private(set) var slots: [Slot] = []
    /// Combinational computations, in no particular order.
    private(set) var operations: [Operation] = []
    /// Constant slots and their values.
    private(set) var constants: [(slot: Int, value: BitVector)] = []
    private(set) var registers: [Register] = []
    private(set) var memories: [Memory] = []
    /// Hierarchical names (`count`, `u_fifo.count`) of named slots, in a stable order.
    private(set) var namedSlots: [(name: String, slot: Int)] = []
    /// Top-level port slots by name.
    private(set) var portSlots: [String: Int] = [:]
    /// The implicit reset's slot, when the design has one.
    private(set) var resetSlot: Int?

    init(top: Netlist) {
        if top.usesReset {
            resetSlot = newSlot(width: 1)
        }
        var inputs: [String: Int] = [:]
        for port in top.inputs { inputs[port.name] = newSlot(width: port.type.width) }
        let outputs = flatten(top, path: "", inputs: inputs)
        portSlots = inputs.merging(outputs) { first, _ in first }
        if let resetSlot { portSlots["rst"] = resetSlot }
    }

    private mutating func newSlot(width: Int) -> Int {
        slots.append(Slot(width: width))
        return slots.count - 1
    }

    /// Assigns slots to every node of `netlist`; returns the output port slots.
    private mutating func flatten(_ netlist: Netlist, path: String, inputs: [String: Int]) -> [String: Int] {
        var slotOf: [Int: Int] = [:]
        var inputByNode: [NodeID: String] = [:]
        for port in netlist.inputs { inputByNode[port.node] = port.name }
        for (index, node) in netlist.nodes.enumerated() {
            switch node.kind {
            case .input:
                slotOf[index] = inputs[inputByNode[NodeID(index)] ?? ""] ?? newSlot(width: node.type.width)
            case .instanceOutput:
                continue  // joined to the child's output below
            default:
                slotOf[index] = newSlot(width: node.type.width)
            }
        }
        for instance in netlist.instances {
            var childInputs: [String: Int] = [:]
            for port in instance.module.inputs {
                if let node = instance.portNodes[port.name] { childInputs[port.name] = slotOf[node.index] }
            }
            let childOutputs = flatten(instance.module, path: path + instance.name + ".", inputs: childInputs)
            for port in instance.module.outputs {
                if let node = instance.portNodes[port.name] { slotOf[node.index] = childOutputs[port.name] }
            }
        }
        for (index, node) in netlist.nodes.enumerated() {
            if let name = node.name, let slot = slotOf[index] { namedSlots.append((path + name, slot)) }
        }
        let slot = { (id: NodeID) in slotOf[id.index] ?? 0 }
        for register in netlist.registers {
            registers.append(Register(slot: slot(register.node), next: slot(register.next ?? register.node), reset: register.reset))
        }
        let firstMemory = memories.count
        for memory in netlist.memories {
            memories.append(Memory(
                spec: memory, path: path,
                write: memory.writePort.map { (slot($0.enable), slot($0.address), slot($0.data)) },
                reads: memory.readPorts.map { (slot($0.address), $0.enable.map(slot), slot($0.data), $0.synchronous) }))
        }
        for (index, node) in netlist.nodes.enumerated() {
            let operands = node.kind.combinationalOperands
            var memory: Int?
            var reads = operands
            switch node.kind {
            case .input, .register, .instanceOutput, .invalid:
                continue
            case .constant(let value):
                constants.append((slot(NodeID(index)), value))
                continue
            case .memoryRead(let memoryIndex, let port):
                let readPort = netlist.memories[memoryIndex].readPorts[port]
                guard !readPort.synchronous else { continue }
                memory = firstMemory + memoryIndex
                reads = [readPort.address]
            default:
                break
            }
            operations.append(Operation(
                result: slot(NodeID(index)), kind: node.kind, type: node.type, operands: reads.map(slot),
                operandTypes: reads.map { netlist.nodes[$0.index].type }, memory: memory))
        }
        var outputs: [String: Int] = [:]
        for port in netlist.outputs { outputs[port.name] = slot(port.node) }
        return outputs
    }

    /// Lays the slots out in storage; returns the number of words needed.
    mutating func layOut() -> Int {
        var offset = 0
        for index in slots.indices {
            slots[index].offset = offset
            offset += slots[index].words
        }
        return offset
    }
}
