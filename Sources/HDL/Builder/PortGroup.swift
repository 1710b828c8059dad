/// Signals that cross a module boundary together, declared once as a Swift
/// type and used both inside the module and at its instances.
///
/// A group is a struct whose stored properties are `Signal`s, optional or
/// arrays of signals, or other groups (a `Stream` among them). Its fields are
/// declared in one initializer that takes `PortFields`, which makes them
/// input or output ports inside a module, the ports of an instance in its
/// parent, or named wires:
///
/// ```swift
/// struct Codes: PortGroup {
///     let valid: Signal
///     let codes: [Signal]
/// }
///
/// extension Codes {
///     init(_ ports: PortFields, count: Int, bits: Int) {
///         valid = ports.bool("valid")
///         codes = ports.array("code", count: count, .unsigned(bits))
///     }
/// }
/// ```
///
/// `sink <== source` connects two values of the same group field by field
/// (flipped fields, like a stream's `ready`, the other way).
public protocol PortGroup {
    /// The group's signals in the order of its stored properties, each with
    /// whether it runs against the group's direction.
    var portSignals: [PortSignal] { get }
}

/// One signal of a port group and its direction within the group.
public struct PortSignal {
    /// The signal.
    public let signal: Signal
    /// Whether it runs against the group's direction (a stream's `ready`).
    public let flipped: Bool

    /// A signal of a group; `flipped` ones run the other way.
    public init(_ signal: Signal, flipped: Bool = false) {
        self.signal = signal
        self.flipped = flipped
    }
}

extension PortGroup {
    /// Found by reflection over the stored properties, as Swift's argument
    /// parser finds its options: signals, groups, and arrays or optionals of them.
    public var portSignals: [PortSignal] {
        Mirror(reflecting: self).children.flatMap { PortSignal.collect($0.value) }
    }
}

extension PortSignal {
    static func collect(_ value: Any) -> [PortSignal] {
        if let signal = value as? Signal { return [PortSignal(signal)] }
        if let group = value as? any PortGroup { return group.portSignals }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .collection, .optional, .tuple: return mirror.children.flatMap { collect($0.value) }
        default: return []
        }
    }
}

/// A single signal is the smallest group: itself.
extension Signal: PortGroup {
    public var portSignals: [PortSignal] { [PortSignal(self)] }
}

/// An array of groups is a group: its elements' signals in order.
extension Array: PortGroup where Element: PortGroup {
    public var portSignals: [PortSignal] { flatMap(\.portSignals) }
}

/// Connects `sink` to `source`, field by field: forward fields drive the
/// sink's, flipped fields (a stream's `ready`) drive the source's.
public func <== <Group: PortGroup>(sink: Group, source: Group) {
    connectGroups(sink, source, at: nil)
}

func connectGroups<Group: PortGroup>(_ sink: Group, _ source: Group, at location: SourceLocation?) {
    connectSignals(sink.portSignals, source.portSignals, at: location)
}

private func connectSignals(_ sinks: [PortSignal], _ sources: [PortSignal], at location: SourceLocation?) {
    guard let builder = sinks.first?.signal.builder ?? sources.first?.signal.builder else { return }
    guard sinks.count == sources.count else {
        let place = location ?? sinks.first.map { builder.location(of: $0.signal) }
        builder.error("cannot connect port groups of \(sinks.count) and \(sources.count) signals; their arrays differ in length", at: place)
        return
    }
    for (sink, source) in zip(sinks, sources) {
        if sink.flipped {
            source.signal.builder.connect(source.signal, sink.signal, at: location ?? builder.location(of: sink.signal))
        } else {
            sink.signal.builder.connect(sink.signal, source.signal, at: location ?? builder.location(of: source.signal))
        }
    }
}
