/// The same-cycle dependencies between the nodes of one module, including the
/// paths through child instances and asynchronous memory reads.
struct CombinationalGraph {
    let nodes: [Node]
    let memories: [MemorySpec]
    let instances: [InstanceSpec]

    /// Nodes `id` reads within the same cycle.
    func operands(of id: NodeID) -> [NodeID] {
        switch nodes[id.index].kind {
        case .memoryRead(let memory, let port):
            let readPort = memories[memory].readPorts[port]
            return readPort.synchronous ? [] : [readPort.address]
        case .instanceOutput(let instance, let port):
            let spec = instances[instance]
            return (spec.module.combinationalPaths[port] ?? []).sorted().compactMap { spec.portNodes[$0] }
        default:
            return nodes[id.index].kind.combinationalOperands
        }
    }

    /// A combinational loop as the list of nodes around it, or nil.
    func findLoop() -> [NodeID]? {
        var state = Array(repeating: UInt8(0), count: nodes.count)  // 0 new, 1 on stack, 2 done
        for start in nodes.indices where state[start] == 0 {
            var stack: [(node: NodeID, next: Int, operands: [NodeID])] = []
            let first = NodeID(start)
            stack.append((first, 0, operands(of: first)))
            state[start] = 1
            while !stack.isEmpty {
                let top = stack.count - 1
                if stack[top].next == stack[top].operands.count {
                    state[stack[top].node.index] = 2
                    stack.removeLast()
                    continue
                }
                let operand = stack[top].operands[stack[top].next]
                stack[top].next += 1
                switch state[operand.index] {
                case 0:
                    state[operand.index] = 1
                    stack.append((operand, 0, operands(of: operand)))
                case 1:
                    let from = stack.firstIndex { $0.node == operand } ?? 0
                    return stack[from...].map(\.node)
                default:
                    break
                }
            }
        }
        return nil
    }

    /// For each output port, the input ports it depends on in the same cycle.
    func inputDependencies(of ports: [Port]) -> [String: Set<String>] {
        var inputName: [NodeID: String] = [:]
        for port in ports where port.direction == .input { inputName[port.node] = port.name }
        var memo: [NodeID: Set<String>] = [:]
        func dependencies(_ root: NodeID) -> Set<String> {
            if let known = memo[root] { return known }
            // Iterative post-order so deep netlists do not exhaust the stack.
            var stack: [(NodeID, Bool)] = [(root, false)]
            while let (id, expanded) = stack.popLast() {
                if memo[id] != nil { continue }
                let ins = operands(of: id)
                if expanded {
                    var result = Set<String>()
                    if let name = inputName[id] { result.insert(name) }
                    for operand in ins { result.formUnion(memo[operand] ?? []) }
                    memo[id] = result
                } else {
                    stack.append((id, true))
                    for operand in ins where memo[operand] == nil { stack.append((operand, false)) }
                }
            }
            return memo[root] ?? []
        }
        var paths: [String: Set<String>] = [:]
        for port in ports where port.direction == .output { paths[port.name] = dependencies(port.node) }
        return paths
    }
}

extension Netlist {
    /// The nodes that can affect an output: everything reachable backwards from
    /// the outputs and from every instance's inputs, through registers and memories.
    public func liveNodes() -> Set<NodeID> {
        var live = Set<NodeID>()
        var work: [NodeID] = ports.filter { $0.direction == .output }.map(\.node)
        for instance in instances { work += instance.portNodes.values.sorted() }
        var liveMemories = Set<Int>()
        while let id = work.popLast() {
            guard live.insert(id).inserted else { continue }
            switch nodes[id.index].kind {
            case .register(let index):
                if let next = registers[index].next { work.append(next) }
            case .memoryRead(let memory, let port):
                let readPort = memories[memory].readPorts[port]
                work.append(readPort.address)
                if let enable = readPort.enable { work.append(enable) }
                if liveMemories.insert(memory).inserted, let write = memories[memory].writePort {
                    work += [write.enable, write.address, write.data]
                }
            default:
                work += nodes[id.index].kind.combinationalOperands
            }
        }
        return live
    }
}
