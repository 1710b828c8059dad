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
}

extension Signal: Pipelined {
    /// The signal itself is its only field, named "".
    public func map(_ transform: (Signal, String) -> Signal) -> Signal { transform(self, "") }
}

extension Array: Pipelined where Element: Pipelined {
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
    /// signal; no `_dK` when `cycles` is 1). One whose name ends in `valid`
    /// resets to false, so no stale beat appears after reset; the others
    /// have no reset. With `enable`, every stage holds while `enable` is low.
    public func delayed<Value: Pipelined>(_ value: Value, cycles: Int, name: String, enable: Signal? = nil,
                                          fileID: String = #fileID, line: Int = #line) -> Value {
        var current = value
        for stage in 0..<max(0, cycles) {
            current = current.map { signal, field in
                let base = field.isEmpty ? name : "\(name)_\(field)"
                let isValid = base == "valid" || base.hasSuffix("_valid")
                return delayed(signal, name: base + (cycles == 1 ? "" : "_d\(stage + 1)"), reset: isValid ? 0 : nil, enable: enable,
                               fileID: fileID, line: line)
            }
        }
        return current
    }
}
