/// A module whose ports are two port groups, `Inputs` and `Outputs`: the
/// boundary is declared once, and the same types serve inside the module and
/// at every instance.
///
/// ```swift
/// struct Doubler: Circuit {
///     var width: Int
///     var moduleName: String { "doubler" }
///     func inputs(_ ports: PortFields) -> Signal { ports("value", .unsigned(width)) }
///     func outputs(_ ports: PortFields) -> Signal { ports("twice", .unsigned(width + 1)) }
///     func build(_ m: ModuleBuilder, inputs value: Signal, outputs twice: Signal) {
///         twice <== value +& value
///     }
/// }
///
/// // In a parent:
/// let doubler = m.instance(Doubler(width: 8), name: "u_doubler")
/// doubler.inputs <== sample
/// let result = doubler.outputs
/// ```
public protocol Circuit: HardwareModule {
    /// The signals the module reads (a stream's `ready` among its flipped fields).
    associatedtype Inputs: PortGroup
    /// The signals the module drives.
    associatedtype Outputs: PortGroup

    /// Declares the input group's fields.
    func inputs(_ ports: PortFields) -> Inputs
    /// Declares the output group's fields.
    func outputs(_ ports: PortFields) -> Outputs
    /// Builds the logic from the input ports to the output ports.
    func build(_ m: ModuleBuilder, inputs: Inputs, outputs: Outputs)
}

extension Circuit {
    /// Declares both groups as ports, then builds the logic between them.
    public func build(_ m: ModuleBuilder) {
        let inputs = inputs(PortFields(m, .ports(.input)))
        let outputs = outputs(PortFields(m, .ports(.output)))
        build(m, inputs: inputs, outputs: outputs)
    }
}

/// An instance of a `Circuit`, seen from its parent: drive `inputs`, read
/// `outputs` (flipped fields the other way round).
public struct CircuitInstance<Child: Circuit> {
    /// The child's input ports: drive them (`instance.inputs <== values`).
    public let inputs: Child.Inputs
    /// The child's output ports: read them.
    public let outputs: Child.Outputs
    /// The untyped instance, for its netlist and name.
    public let instance: Instance
}

extension ModuleBuilder {
    /// Instantiates `circuit` (elaborated once per distinct parameterisation)
    /// and returns its ports as the circuit's own groups.
    public func instance<Child: Circuit>(_ circuit: Child, name: String, fileID: String = #fileID, line: Int = #line)
        -> CircuitInstance<Child> {
        let instance = untypedInstance(circuit, name: name, at: SourceLocation(fileID: fileID, line: line))
        let fields = PortFields(self, .instance(instance))
        return CircuitInstance(inputs: circuit.inputs(fields), outputs: circuit.outputs(fields), instance: instance)
    }

    /// Instantiates `circuit`, drives its inputs with `inputs` and returns its outputs.
    public func instance<Child: Circuit>(_ circuit: Child, name: String, inputs: Child.Inputs,
                                         fileID: String = #fileID, line: Int = #line) -> Child.Outputs {
        let child = instance(circuit, name: name, fileID: fileID, line: line)
        connectGroups(child.inputs, inputs, at: SourceLocation(fileID: fileID, line: line))
        return child.outputs
    }
}
