extension ModuleBuilder {
    /// Declares a register clocked by the implicit `clk`. While the implicit
    /// synchronous, active-high `rst` is high it loads `reset`; a register with
    /// `reset: nil` has no reset (its value is unknown until first written).
    /// Assign its next value with `<==`; unassigned, it keeps its value.
    public func register(_ name: String, _ type: SignalType, reset: Int?,
                         fileID: String = #fileID, line: Int = #line) -> Signal {
        let location = SourceLocation(fileID: fileID, line: line)
        _ = claim(name, at: location)
        guard checkWidth(type.width, what: "register '\(name)'", at: location) else {
            return addNode(.invalid, .unsigned(1), at: location)
        }
        var resetBits: BitVector?
        if let reset {
            resetBits = BitVector(width: type.width, exactly: reset, signed: type.isSigned)
            if resetBits == nil {
                error("reset value \(reset) of register '\(name)' does not fit in \(type)", at: location)
            }
        }
        let signal = addNode(.register(registers.count), type, name: name, at: location)
        registers.append(RegisterSpec(node: signal.id, reset: resetBits, next: nil))
        return signal
    }

    /// Declares a `Bool` register with a reset value.
    public func register(_ name: String, reset: Bool, fileID: String = #fileID, line: Int = #line) -> Signal {
        register(name, .bool, reset: reset ? 1 : 0, fileID: fileID, line: line)
    }

    /// A register that loads `value` on every clock edge (a pipeline stage),
    /// without reset unless `reset` is given.
    public func delayed(_ value: Signal, name: String, reset: Int? = nil, enable: Signal? = nil,
                        fileID: String = #fileID, line: Int = #line) -> Signal {
        let stage = register(name, value.type, reset: reset, fileID: fileID, line: line)
        if let enable {
            when(enable, fileID: fileID, line: line) { stage <== value }
        } else {
            stage <== value
        }
        return stage
    }
}
