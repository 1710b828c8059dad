import Testing
@testable import HDL

/// `fannedOut`: every copy is the value a cycle late, each copy its own
/// instance of a module synthesis must keep apart.
@Suite struct FanOutTests {
    private struct Spread: HardwareModule {
        let type: SignalType
        var moduleName: String { "spread" }
        func build(_ m: ModuleBuilder) {
            let copies = m.fannedOut(m.input("value", type), copies: 3, name: "setting")
            for (index, copy) in copies.enumerated() { m.output("copy_\(index)", type) <== copy }
        }
    }

    @Test(arguments: [SignalType.unsigned(7), .signed(5), .bool])
    func everyCopyIsTheValueACycleLate(_ type: SignalType) throws {
        let netlist = try Spread(type: type).elaborate()
        for index in 0..<3 { #expect(netlist.port(named: "copy_\(index)")?.type == type) }
        let sim = Interpreter(netlist)
        var random = SeededGenerator(seed: UInt64(type.width))
        sim.reset()
        for _ in 0..<20 {
            let value = random.bits(width: type.width)
            try sim.poke("value", value)
            sim.step()  // the copies take it at this edge
            for index in 0..<3 { #expect(try sim.peek("copy_\(index)") == value) }
        }
    }

    @Test func theCopiesModuleKeepsItsHierarchy() throws {
        let netlist = try Spread(type: .unsigned(4)).elaborate()
        #expect(netlist.instances.map(\.name) == ["setting_copy_0", "setting_copy_1", "setting_copy_2"])
        let copy = try #require(netlist.instances.first?.module)
        #expect(copy.keepsHierarchy && !netlist.keepsHierarchy)
        let text = VerilogEmitter.emit(copy)
        #expect(text.contains("(* keep_hierarchy *)\nmodule \(copy.name) ("))
        #expect(!VerilogEmitter.emit(netlist).contains("keep_hierarchy"))
    }

    private struct GroupedSpread: HardwareModule {
        var moduleName: String { "grouped_spread" }
        func build(_ m: ModuleBuilder) {
            let copies = m.fannedOut(m.input("value", .unsigned(6)), copies: 7, groupSize: 3, name: "setting")
            for (index, copy) in copies.enumerated() { m.output("copy_\(index)", .unsigned(6)) <== copy }
        }
    }

    /// Two levels: a copy per group (3 for 7 copies in groups of 3), each
    /// feeding its group's copies; every copy is the value two cycles late.
    @Test func groupedCopiesAreTheValueTwoCyclesLate() throws {
        let netlist = try GroupedSpread().elaborate()
        #expect(netlist.instances.map(\.name) == ["setting_group_copy_0", "setting_group_copy_1", "setting_group_copy_2"]
            + (0..<3).map { "setting_group0_copy_\($0)" } + (0..<3).map { "setting_group1_copy_\($0)" } + ["setting_group2_copy_0"])
        let sim = Interpreter(netlist)
        var random = SeededGenerator(seed: 7)
        sim.reset()
        var previous: BitVector?
        for _ in 0..<20 {
            let value = random.bits(width: 6)
            try sim.poke("value", value)
            sim.step()
            if let previous { for index in 0..<7 { #expect(try sim.peek("copy_\(index)") == previous) } }
            previous = value
        }
    }
}
