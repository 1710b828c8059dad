/// A register kept apart from every other copy of it: the module of
/// `ModuleBuilder.fannedOut`. Synthesis keeps its hierarchy, so copies fed
/// the same value are not merged back into one register.
struct FanOutRegister: HardwareModule {
    let width: Int

    var moduleName: String { "fanout_register" }
    var parameters: [ModuleParameter] { [.init("width", width)] }
    var keepsHierarchy: Bool { true }

    func build(_ m: ModuleBuilder) {
        let value = m.input("d", .unsigned(width))
        m.output("q", .unsigned(width)) <== m.delayed(value, name: "copy")
    }
}

extension ModuleBuilder {
    /// `copies` registered copies of `value` (a cycle late), each its own
    /// register that synthesis keeps, so that each drives only the logic
    /// given it: a setting read by many lanes, one copy per group of lanes,
    /// instead of one register whose net spans them all. Instances are
    /// named `name_copy_I`.
    ///
    /// ```
    ///            +-> [copy 0] -> lanes 0-3
    ///  value ----+-> [copy 1] -> lanes 4-7
    ///            +-> ...
    /// ```
    public func fannedOut(_ value: Signal, copies: Int, name: String, fileID: String = #fileID, line: Int = #line) -> [Signal] {
        precondition(copies >= 1, "a fan-out needs at least one copy")
        let register = FanOutRegister(width: value.width)
        return (0..<copies).map { index in
            let copy = instance(register, name: "\(name)_copy_\(index)", fileID: fileID, line: line)
            copy["d"] <== value.asUnsigned
            let bits = copy["q"]
            return value.type.isBool ? bits.asBool : value.type.isSigned ? bits.asSigned : bits
        }
    }
}
