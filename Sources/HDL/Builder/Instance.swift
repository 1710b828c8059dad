/// An instance of a child module. Its input ports are signals to drive with
/// `<==`; its output ports are signals to read.
public struct Instance {
    let index: Int
    unowned let builder: ModuleBuilder
    /// The child's elaborated netlist.
    public let module: Netlist

    /// The instance name.
    public var name: String { builder.instances[index].name }

    /// The signal for the child's port `name`; an error naming the child's
    /// ports when there is no such port.
    public func port(_ name: String, fileID: String = #fileID, line: Int = #line) -> Signal {
        guard let id = builder.instances[index].portNodes[name] else {
            let location = SourceLocation(fileID: fileID, line: line)
            let known = module.ports.map(\.name).joined(separator: ", ")
            builder.error("module '\(module.name)' has no port '\(name)'; its ports are: \(known)", at: location)
            return builder.addNode(.invalid, .unsigned(1), at: location)
        }
        return Signal(id: id, type: builder.nodes[id.index].type, builder: builder)
    }

    /// The signal for the child's port `name`.
    public subscript(_ name: String) -> Signal { port(name) }
}

extension ModuleBuilder {
    /// Instantiates `module` (elaborated once per distinct parameterisation).
    /// Every input of the instance must be driven.
    public func instance(_ module: some HardwareModule, name: String, fileID: String = #fileID, line: Int = #line) -> Instance {
        untypedInstance(module, name: name, at: SourceLocation(fileID: fileID, line: line))
    }

    func untypedInstance(_ module: some HardwareModule, name: String, at location: SourceLocation) -> Instance {
        _ = claim(name, at: location)
        let child = context.elaborate(module)
        let index = instances.count
        var portNodes: [String: NodeID] = [:]
        for port in child.ports {
            let netName = "\(name)_\(port.name)"
            _ = claim(netName, at: location)
            let kind: NodeKind = port.direction == .input
                ? .instanceInput(instance: index, port: port.name, driver: nil)
                : .instanceOutput(instance: index, port: port.name)
            portNodes[port.name] = addNode(kind, port.type, name: netName, at: location).id
        }
        instances.append(InstanceSpec(name: name, module: child, portNodes: portNodes, location: location))
        return Instance(index: index, builder: self, module: child)
    }
}
