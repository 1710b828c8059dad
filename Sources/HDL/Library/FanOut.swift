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

    /// `copies` registered copies of `value`, two cycles late: a copy per
    /// group of `groupSize` first (`name_group_copy_G`), then each group's
    /// copies fed from its own (`name_groupG_copy_I`), so that neither
    /// `value` nor any copy drives more than a group's worth of registers
    /// across the design.
    public func fannedOut(_ value: Signal, copies: Int, groupSize: Int, name: String,
                          fileID: String = #fileID, line: Int = #line) -> [Signal] {
        precondition(copies >= 1 && groupSize >= 1, "a fan-out needs at least one copy and groups of at least one")
        let groups = (copies + groupSize - 1) / groupSize
        return fannedOut(value, copies: groups, name: "\(name)_group", fileID: fileID, line: line).enumerated().flatMap { group, copy in
            fannedOut(copy, copies: min(groupSize, copies - group * groupSize), name: "\(name)_group\(group)", fileID: fileID, line: line)
        }
    }
}
