/// A named value that distinguishes one elaboration of a module from another.
public struct ModuleParameter: Hashable, Sendable {
    /// Parameter name, e.g. `width`.
    public let name: String
    /// Its value as written in the emitted header and module name.
    public let value: String

    /// A parameter with any printable value.
    public init(_ name: String, _ value: some CustomStringConvertible) {
        self.name = name
        self.value = value.description
    }
}

/// Direction of a port.
public enum PortDirection: String, Sendable { case input, output }

/// A port of an elaborated module.
public struct Port: Sendable {
    public let name: String
    public let direction: PortDirection
    public let type: SignalType
    /// The node of the port in `Netlist.nodes`.
    public let node: NodeID
}

/// One instance of a child module inside a parent.
public struct InstanceSpec: Sendable {
    /// Instance name (`u_fifo`).
    public let name: String
    /// The child's elaborated netlist.
    public let module: Netlist
    /// The parent's node for each child port, by port name.
    public let portNodes: [String: NodeID]
    /// Where it was instantiated.
    public let location: SourceLocation
}

/// An elaborated module: every net driven, every width checked, ready to emit
/// or simulate. Immutable.
public final class Netlist: Sendable {
    /// The emitted Verilog module name (base name plus parameter suffix).
    public let name: String
    /// The name the module's author gave.
    public let baseName: String
    /// Parameters of this elaboration, listed in the emitted header.
    public let parameters: [ModuleParameter]
    /// Ports in declaration order (the implicit `clk` and `rst` are not listed).
    public let ports: [Port]
    /// Every node; `NodeID.index` indexes it.
    public let nodes: [Node]
    public let registers: [RegisterSpec]
    public let memories: [MemorySpec]
    public let instances: [InstanceSpec]
    /// Whether the module or a child has registers or memories (needs `clk`).
    public let usesClock: Bool
    /// Whether the module or a child has a register with a reset value (needs `rst`).
    public let usesReset: Bool
    /// For each output, the inputs it depends on within the same cycle.
    public let combinationalPaths: [String: Set<String>]
    /// Warnings found during elaboration (unused inputs and the like).
    public let warnings: [Diagnostic]
    /// Whether synthesis keeps every instance apart (`HardwareModule.keepsHierarchy`).
    public let keepsHierarchy: Bool

    init(
        name: String, baseName: String, parameters: [ModuleParameter], ports: [Port], nodes: [Node],
        registers: [RegisterSpec], memories: [MemorySpec], instances: [InstanceSpec],
        combinationalPaths: [String: Set<String>], warnings: [Diagnostic], keepsHierarchy: Bool = false
    ) {
        self.name = name
        self.baseName = baseName
        self.parameters = parameters
        self.ports = ports
        self.nodes = nodes
        self.registers = registers
        self.memories = memories
        self.instances = instances
        self.usesClock = !registers.isEmpty || !memories.isEmpty || instances.contains { $0.module.usesClock }
        self.usesReset = registers.contains { $0.reset != nil } || instances.contains { $0.module.usesReset }
        self.combinationalPaths = combinationalPaths
        self.warnings = warnings
        self.keepsHierarchy = keepsHierarchy
    }

    /// The port called `name`, if any.
    public func port(named name: String) -> Port? { ports.first { $0.name == name } }

    /// Input ports in declaration order.
    public var inputs: [Port] { ports.filter { $0.direction == .input } }
    /// Output ports in declaration order.
    public var outputs: [Port] { ports.filter { $0.direction == .output } }

    /// This module and every module below it, each distinct module once,
    /// children before parents, in a stable order.
    public var hierarchy: [Netlist] {
        var seen = Set<String>()
        var order: [Netlist] = []
        func visit(_ module: Netlist) {
            for instance in module.instances { visit(instance.module) }
            if seen.insert(module.name).inserted { order.append(module) }
        }
        visit(self)
        return order
    }
}
