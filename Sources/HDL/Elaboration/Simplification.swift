/// Removes nodes that only repeat others, after constant folding: an unnamed
/// wire (left by folding a mux) is replaced by its driver, and an unnamed
/// operation equal to another (same operator, operands and type) by a named
/// one or else the first, so every expression is built once.
enum Simplification {
    static func run(_ nodes: inout [Node], registers: inout [RegisterSpec], memories: inout [MemorySpec]) {
        var replacement: [Int: NodeID] = [:]
        func resolve(_ id: NodeID) -> NodeID {
            var current = id
            while let next = replacement[current.index] { current = next }
            return current
        }
        var firstOf: [Operation: NodeID] = [:]
        for index in nodes.indices {
            nodes[index].kind = nodes[index].kind.mapOperands(resolve)
            let kind = nodes[index].kind
            guard nodes[index].name == nil else {
                // A named operation stands in for the unnamed ones equal to it.
                guard kind.isPureOperation else { continue }
                let key = Operation(kind: kind, type: nodes[index].type)
                if let first = firstOf[key] {
                    if nodes[first.index].name == nil { replacement[first.index] = NodeID(index) } else { continue }
                }
                firstOf[key] = NodeID(index)
                continue
            }
            if case .wire(let driver?) = kind {
                replacement[index] = driver
            } else if kind.isPureOperation {
                let key = Operation(kind: kind, type: nodes[index].type)
                if let first = firstOf[key] {
                    replacement[index] = first
                } else {
                    firstOf[key] = NodeID(index)
                }
            }
        }
        guard !replacement.isEmpty else { return }
        // Drivers set after their wires were created may point forward: a second sweep resolves them.
        for index in nodes.indices { nodes[index].kind = nodes[index].kind.mapOperands(resolve) }
        for index in registers.indices { registers[index].next = registers[index].next.map(resolve) }
        for memory in memories.indices {
            memories[memory].writePort = memories[memory].writePort.map { port in
                MemorySpec.WritePort(enable: resolve(port.enable), address: resolve(port.address), data: resolve(port.data))
            }
            memories[memory].readPorts = memories[memory].readPorts.map { port in
                MemorySpec.ReadPort(address: resolve(port.address), enable: port.enable.map(resolve), synchronous: port.synchronous,
                                    data: port.data, outputRegister: port.outputRegister)
            }
        }
    }

    /// What makes two nodes interchangeable.
    private struct Operation: Hashable {
        let kind: NodeKind
        let type: SignalType
    }
}

/// Gives each operator node the location of the statement that used it: an
/// operator cannot see its call site, so it was built with its operand's; a
/// consumer with a location of its own (a named net, a register, a `when`
/// branch) passes it down to the unnamed operations it reads, the latest
/// consumer first.
enum LocationInference {
    static func run(_ nodes: inout [Node], registers: [RegisterSpec]) {
        var nextOf: [Int: NodeID] = [:]
        for register in registers { if let next = register.next { nextOf[register.node.index] = next } }
        for index in nodes.indices.reversed() where !nodes[index].locationIsInferred {
            var work = nodes[index].kind.combinationalOperands + (nextOf[index].map { [$0] } ?? [])
            let location = nodes[index].location
            while let operand = work.popLast() {
                guard nodes[operand.index].locationIsInferred else { continue }
                nodes[operand.index].location = location
                nodes[operand.index].locationIsInferred = false
                work += nodes[operand.index].kind.combinationalOperands
            }
        }
    }
}
