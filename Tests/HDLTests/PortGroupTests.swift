import Testing
@testable import HDL

/// A payload with an array and an optional field.
private struct Sample: PortGroup {
    let values: [Signal]
    let tag: Signal?
}

private struct Totals: PortGroup {
    let sum: Signal
    let count: Signal
}

/// Sums a stream's samples: a circuit whose ports are two groups.
private struct Summer: Circuit {
    var lanes = 3
    var tagged = true
    var moduleName: String { "summer" }
    var parameters: [ModuleParameter] { [.init("lanes", lanes), .init("tagged", tagged ? 1 : 0)] }

    struct Inputs: PortGroup {
        let samples: Stream<Sample>
        let clear: Signal
    }

    func inputs(_ ports: PortFields) -> Inputs {
        Inputs(samples: ports.stream("samples") { Sample(values: $0.array("value", count: lanes, .unsigned(4)), tag: tagged ? $0.bool("tag") : nil) },
               clear: ports.bool("clear"))
    }

    func outputs(_ ports: PortFields) -> Totals {
        ports.group("totals") { Totals(sum: $0("sum", .unsigned(8)), count: $0("count", .unsigned(4))) }
    }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs: Totals) {
        let sum = m.register("sum", .unsigned(8), reset: 0), count = m.register("count", .unsigned(4), reset: 0)
        inputs.samples.ready <== !inputs.clear
        let total = inputs.samples.data.values.map { $0.extended(to: 8) }.reduce(m.constant(0, .unsigned(8)), +)
        m.when(inputs.clear) {
            sum <== 0
            count <== 0
        }.elseWhen(inputs.samples.fire) {
            sum <== sum + total
            count <== count + 1
        }
        outputs <== Totals(sum: sum, count: count)
    }
}

/// Port groups declare a boundary once: the same type names the ports inside
/// the module and at its instances, and connects them field by field.
@Suite struct PortGroupTests {
    @Test func groupsBecomePortsInDeclarationOrder() throws {
        let netlist = try Summer().elaborate()
        #expect(netlist.ports.map(\.name) == ["samples_valid", "samples_ready", "samples_value_0", "samples_value_1", "samples_value_2",
                                              "samples_tag", "samples_last", "clear", "totals_sum", "totals_count"])
        #expect(netlist.port(named: "samples_ready")?.direction == .output)
        #expect(netlist.port(named: "samples_tag")?.direction == .input)
        #expect(netlist.port(named: "totals_sum")?.direction == .output)
        #expect(try Summer(tagged: false).elaborate().port(named: "samples_tag") == nil)
    }

    @Test func anInstanceIsDrivenAndReadThroughItsGroups() throws {
        let top = TestModule("summer_top") { m in
            let samples = m.inputs { $0.stream("in") { Sample(values: $0.array("value", count: 3, .unsigned(4)), tag: $0.bool("tag")) } }
            let summer = m.instance(Summer(), name: "u_summer")
            summer.inputs <== Summer.Inputs(samples: samples, clear: m.constant(false))
            m.outputs { $0.group("out") { Totals(sum: $0("sum", .unsigned(8)), count: $0("count", .unsigned(4))) } } <== summer.outputs
        }
        let sim = Interpreter(try top.elaborate())
        sim.reset()
        var expected = 0
        for cycle in 0..<20 {
            let values = (0..<3).map { ($0 * 5 + cycle) % 16 }
            for (index, value) in values.enumerated() { try sim.poke("in_value_\(index)", value) }
            try sim.poke("in_valid", cycle % 3 == 0 ? 0 : 1)
            #expect(try sim.peekInt("in_ready") == 1)
            if cycle % 3 != 0 { expected = (expected + values.reduce(0, +)) % 256 }
            sim.step()
            #expect(try sim.peekInt("out_sum") == expected)
        }
    }

    @Test func groupsOfDifferentLengthsDoNotConnect() {
        let errors = elaborationErrors { m in
            let a = m.inputs { $0.array("a", count: 2, .bool) }
            let b = m.outputs { $0.array("b", count: 3, .bool) }
            b <== a
        }
        #expect(errors.contains { $0.contains("port groups of 3 and 2 signals") })
    }

    @Test func pipelinedGroupsDelayEveryFieldAndResetTheirValid() throws {
        struct Beat: Pipelined {
            let valid, data: Signal
            func map(_ transform: (Signal, String) -> Signal) -> Beat { Beat(valid: transform(valid, "valid"), data: transform(data, "data")) }
        }
        let netlist = try TestModule("delays") { m in
            let beat = Beat(valid: m.input("valid", .bool), data: m.input("data", .unsigned(4)))
            let late = m.delayed(beat, cycles: 3, name: "late")
            m.output("late_valid_out", .bool) <== late.valid
            m.output("late_data_out", .unsigned(4)) <== late.data
        }.elaborate()
        let registers = netlist.registers.map { (name: netlist.nodes[$0.node.index].name ?? "", reset: $0.reset != nil) }
        #expect(registers.map(\.name) == ["late_valid_d1", "late_data_d1", "late_valid_d2", "late_data_d2", "late_valid_d3", "late_data_d3"])
        #expect(registers.filter(\.reset).map(\.name) == ["late_valid_d1", "late_valid_d2", "late_valid_d3"])
        let sim = Interpreter(netlist)
        sim.reset()
        for cycle in 0..<10 {
            try sim.poke("valid", cycle % 2)
            try sim.poke("data", cycle)
            if cycle >= 3 {
                #expect(try sim.peekInt("late_data_out") == cycle - 3)
                #expect(try sim.peekInt("late_valid_out") == (cycle - 3) % 2)
            }
            sim.step()
        }
    }
}
