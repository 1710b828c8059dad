/// A value that travels through pipeline registers as a whole: a signal, or
/// a struct of signals that can rebuild itself with each of its fields
/// transformed (hardcaml's `map` over an interface).
///
/// ```swift
/// struct Step: Pipelined {
///     let valid, first: Signal
///     func map(_ transform: (Signal, String) -> Signal) -> Step {
///         Step(valid: transform(valid, "valid"), first: transform(first, "first"))
///     }
/// }
/// let late = m.delayed(step, cycles: 2, name: "step")   // step_valid_d2, step_first_d2
/// ```
public protocol Pipelined {
    /// The same value with every signal replaced by `transform(signal, fieldName)`.
    func map(_ transform: (Signal, String) -> Signal) -> Self
    /// Fields whose pipeline registers reset to zero (so no stale beat
    /// appears after reset): those named so, or ending in `_` and the name.
    /// The others have no reset. `["valid"]` unless a type says otherwise.
    static var resettingFields: Set<String> { get }
}

extension Pipelined {
    public static var resettingFields: Set<String> { ["valid"] }
}

extension Signal: Pipelined {
    /// The signal itself is its only field, named "".
    public func map(_ transform: (Signal, String) -> Signal) -> Signal { transform(self, "") }
}

extension Array: Pipelined where Element: Pipelined {
    public static var resettingFields: Set<String> { Element.resettingFields }

    /// Element `i`'s fields are named `i_field`.
    public func map(_ transform: (Signal, String) -> Signal) -> [Element] {
        enumerated().map { index, element in
            element.map { signal, field in transform(signal, field.isEmpty ? "\(index)" : "\(index)_\(field)") }
        }
    }
}

extension ModuleBuilder {
    /// `value` delayed by `cycles` registers (`cycles` may be 0). Registers
    /// are named `name_field_dK` after stage K (`name_dK` for a plain
    /// signal; no `_dK` when `cycles` is 1). Those of `resettingFields`
    /// (matched against `name_field`) reset to zero; the others have no
    /// reset. With `enable`, every stage holds while `enable` is low.
    public func delayed<Value: Pipelined>(_ value: Value, cycles: Int, name: String, enable: Signal? = nil,
                                          fileID: String = #fileID, line: Int = #line) -> Value {
        var current = value
        for stage in 0..<max(0, cycles) {
            current = current.map { signal, field in
                let base = field.isEmpty ? name : "\(name)_\(field)"
                let resets = Value.resettingFields.contains { base == $0 || base.hasSuffix("_" + $0) }
                return delayed(signal, name: base + (cycles == 1 ? "" : "_d\(stage + 1)"), reset: resets ? 0 : nil, enable: enable,
                               fileID: fileID, line: line)
            }
        }
        return current
    }
}
