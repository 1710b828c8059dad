/// Turns a built module into a netlist: resolves the `when` trees into muxes
/// (last connect wins), sets every net's driver and runs the checks that need
/// the whole module (undriven nets, latches, combinational loops, unused inputs).
struct Lowering {
    let builder: ModuleBuilder
    let baseName: String
    let parameters: [ModuleParameter]
    let keepsHierarchy: Bool

    func run() -> Netlist {
        var env: [NodeID: NodeID] = [:]
        for register in builder.registers { env[register.node] = register.node }
        var reportedPartial = Set<NodeID>()
        lower(builder.root, &env, &reportedPartial)
        assignDrivers(env, reportedPartial)
        ConstantFolding.fold(&builder.nodes)
        Simplification.run(&builder.nodes, registers: &builder.registers, memories: &builder.memories)
        LocationInference.run(&builder.nodes, registers: builder.registers)
        let graph = CombinationalGraph(nodes: builder.nodes, memories: builder.memories, instances: builder.instances)
        var paths: [String: Set<String>] = [:]
        if let loop = graph.findLoop() {
            let named = loop.filter { builder.nodes[$0.index].name != nil }
            let steps = (named.isEmpty ? loop : named).map { describeStep($0) }.joined(separator: " -> ")
            builder.error("combinational loop: \(steps) -> back to the start; break it with a register", at: builder.nodes[loop[0].index].location)
        } else {
            paths = graph.inputDependencies(of: builder.ports)
        }
        let netlist = Netlist(
            name: builder.name, baseName: baseName, parameters: parameters, ports: builder.ports, nodes: builder.nodes,
            registers: builder.registers, memories: builder.memories, instances: builder.instances,
            combinationalPaths: paths, warnings: [])
        let live = netlist.liveNodes()
        for port in builder.ports where port.direction == .input && !live.contains(port.node) {
            builder.warning("input '\(port.name)' is never used", at: builder.nodes[port.node.index].location)
        }
        return Netlist(
            name: netlist.name, baseName: baseName, parameters: parameters, ports: netlist.ports, nodes: netlist.nodes,
            registers: netlist.registers, memories: netlist.memories, instances: netlist.instances,
            combinationalPaths: paths, warnings: builder.diagnostics.filter { $0.severity == .warning }, keepsHierarchy: keepsHierarchy)
    }

    private func describeStep(_ id: NodeID) -> String {
        let node = builder.nodes[id.index]
        return "\(node.name.map { "'\($0)'" } ?? "expression") (\(node.location))"
    }

    private func lower(_ block: Block, _ env: inout [NodeID: NodeID], _ reported: inout Set<NodeID>) {
        for statement in block.statements {
            switch statement {
            case .connect(let target, let value, _):
                env[target] = value
            case .conditional(let chain):
                lower(chain, &env, &reported)
            }
        }
    }

    private func lower(_ chain: ConditionalChain, _ env: inout [NodeID: NodeID], _ reported: inout Set<NodeID>) {
        let branchEnvs = chain.branches.map { branch -> [NodeID: NodeID] in
            var copy = env
            lower(branch.body, &copy, &reported)
            return copy
        }
        let otherwiseEnv = chain.otherwise.map { block -> [NodeID: NodeID] in
            var copy = env
            lower(block, &copy, &reported)
            return copy
        }
        var changed = Set<NodeID>()
        for branchEnv in branchEnvs + (otherwiseEnv.map { [$0] } ?? []) {
            for (target, value) in branchEnv where env[target] != value { changed.insert(target) }
        }
        for target in changed.sorted() {
            var result = otherwiseEnv.map { $0[target] } ?? env[target]
            var partial = false
            for (index, branch) in chain.branches.enumerated().reversed() {
                let value = branchEnvs[index][target]
                guard let value, let current = result else {
                    if value != result { partial = true }
                    result = value ?? result
                    continue
                }
                if value == current || builder.dontCareValues.contains(value) { continue }
                if builder.dontCareValues.contains(current) {
                    result = value
                    continue
                }
                let type = builder.nodes[target.index].type
                result = builder.addNode(.mux(select: branch.condition, whenTrue: value, whenFalse: current), type,
                                         at: chain.location).id
            }
            if partial && reported.insert(target).inserted {
                let name = builder.nodes[target.index].name ?? "net"
                builder.error("'\(name)' is assigned on some paths through this when but not on all (that would infer a latch); give it a default value before the when, or assign it in every branch including otherwise", at: chain.location)
            }
            env[target] = result
        }
    }

    private func assignDrivers(_ env: [NodeID: NodeID], _ reportedPartial: Set<NodeID>) {
        for index in builder.nodes.indices {
            let id = NodeID(index)
            let node = builder.nodes[index]
            let driver = env[id]
            switch node.kind {
            case .wire:
                builder.nodes[index].kind = .wire(driver: driver)
            case .output:
                builder.nodes[index].kind = .output(driver: driver)
            case .instanceInput(let instance, let port, _):
                builder.nodes[index].kind = .instanceInput(instance: instance, port: port, driver: driver)
            case .register(let registerIndex):
                builder.registers[registerIndex].next = driver
                continue
            default:
                continue
            }
            if driver == nil && !reportedPartial.contains(id) {
                let what: String
                switch node.kind {
                case .output: what = "output"
                case .instanceInput: what = "instance input"
                default: what = "wire"
                }
                builder.error("\(what) '\(node.name ?? "?")' is never driven; assign it with <==", at: node.location)
            }
        }
    }
}
