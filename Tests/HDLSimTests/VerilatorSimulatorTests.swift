import Foundation
import HDL
import HDLSim
import Testing

/// Verilator loaded in-process: same answers as the interpreter, isolated
/// designs, wide ports, cached builds, clear errors.
@Suite(.enabled(if: toolAvailable("verilator")), .serialized)
struct VerilatorSimulatorTests {
    @Test func twoDesignsWithTheSameModuleNameDoNotInterfere() throws {
        func design(_ subtract: Bool) -> InlineModule {
            InlineModule(moduleName: "same_name") { m in
                let a = m.input("a", .unsigned(16)), b = m.input("b", .unsigned(16))
                let total = m.register("total", .unsigned(16), reset: 0)
                total <== subtract ? total - (a ^ b) : total + (a & b)
                m.output("y", .unsigned(16)) <== total
            }
        }
        let adder = try VerilatorSimulator(try design(false).elaborate())
        let subtractor = try VerilatorSimulator(try design(true).elaborate())
        #expect(adder.libraryPath != subtractor.libraryPath)
        for simulator in [adder, subtractor] {
            simulator.reset(cycles: 1)
            try simulator.poke("a", 0x0F0F)
            try simulator.poke("b", 0x00FF)
            simulator.step(2)
        }
        #expect(try adder.peekInt("y") == 2 * 0x000F)
        #expect(try subtractor.peekInt("y") == (0x10000 - 2 * 0x0FF0))
    }

    @Test func portsWiderThan64BitsRoundTrip() throws {
        let netlist = try InlineModule(moduleName: "wide_ports") { m in
            let a = m.input("a", .unsigned(130)), b = m.input("b", .unsigned(130))
            let sum = m.register("sum", .unsigned(131), reset: 0)
            sum <== a +& b
            m.output("y", .unsigned(131)) <== sum
            m.output("low", .unsigned(65)) <== (a ^ b).truncated(to: 65)
        }.elaborate()
        let verilator = try VerilatorSimulator(netlist)
        let interpreter = Interpreter(netlist)
        var random = SeededGenerator(seed: 3)
        for simulator in [verilator, interpreter] as [any Simulator] { simulator.reset(cycles: 1) }
        for _ in 0..<50 {
            let a = random.bits(width: 130), b = random.bits(width: 130)
            for simulator in [verilator, interpreter] as [any Simulator] {
                try simulator.poke("a", a)
                try simulator.poke("b", b)
            }
            #expect(try verilator.peek("low") == interpreter.peek("low"))
            verilator.step(1)
            interpreter.step(1)
            #expect(try verilator.peek("y") == interpreter.peek("y"), "a=\(a) b=\(b)")
        }
    }

    @Test func secondBuildComesFromTheCache() throws {
        let netlist = try Counter(width: 5).elaborate()
        _ = try VerilatorSimulator(netlist)
        let again = try VerilatorSimulator(netlist)
        #expect(again.buildOutcome == .cached)
    }

    @Test func unknownPortNamesTheDesignsPorts() throws {
        let simulator = try VerilatorSimulator(try Counter(width: 5).elaborate())
        #expect(throws: SimulationError.unknownSignal(name: "enabel", design: "counter_width5", known: ["rst", "enable", "count"])) {
            try simulator.poke("enabel", 1)
        }
        #expect(throws: SimulationError.notAnInput(port: "count")) { try simulator.poke("count", 1) }
        #expect(throws: SimulationError.self) { try simulator.poke("enable", BitVector.zero(width: 2)) }
    }

    @Test func traceWritesAWaveform() throws {
        let simulator = try VerilatorSimulator(try Counter(width: 4).elaborate(), tracing: true)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-trace-\(UUID().uuidString).vcd").path
        try simulator.startTrace(writingTo: path)
        simulator.reset(cycles: 1)
        try simulator.poke("enable", 1)
        simulator.step(5)
        simulator.stopTrace()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("$enddefinitions"))
        #expect(text.contains("count"))
        try? FileManager.default.removeItem(atPath: path)
    }

    @Test func aModelBuiltForSpeedRefusesToTrace() throws {
        let simulator = try VerilatorSimulator(try Counter(width: 4).elaborate())
        #expect(throws: ToolError.self) { try simulator.startTrace(writingTo: "/tmp/never.vcd") }
    }
}
