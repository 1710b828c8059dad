/// One field of a bundle.
public struct BundleField: Sendable {
    /// Field name; the port is named `prefix_name`.
    public let name: String
    /// Its type.
    public let type: SignalType
    /// Whether it runs against the bundle's direction (like `ready` in a stream).
    public let flipped: Bool

    /// A field; `flipped` ones run the other way.
    public init(_ name: String, _ type: SignalType, flipped: Bool = false) {
        self.name = name
        self.type = type
        self.flipped = flipped
    }
}

/// A group of ports declared together under one prefix, looked up by field
/// name. Fields keep their declaration order.
public struct Bundle {
    /// The fields' signals in declaration order.
    public let fields: [(name: String, signal: Signal)]

    /// The signal of field `name`.
    public subscript(_ name: String) -> Signal? { fields.first { $0.name == name }?.signal }
}

extension ModuleBuilder {
    /// Declares one port per field, named `prefix_field`: inputs for a bundle
    /// of direction `.input` (outputs for its flipped fields), and the reverse.
    public func bundle(_ prefix: String, _ direction: PortDirection, _ layout: [BundleField],
                       fileID: String = #fileID, line: Int = #line) -> Bundle {
        Bundle(fields: layout.map { field in
            let name = "\(prefix)_\(field.name)"
            let isInput = (direction == .input) != field.flipped
            let signal = isInput ? input(name, field.type, fileID: fileID, line: line)
                                 : output(name, field.type, fileID: fileID, line: line)
            return (field.name, signal)
        })
    }
}
