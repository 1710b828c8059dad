import Testing
@testable import HDL

/// What makes the emitted Verilog readable: registers updated by `if`
/// statements, short single-use expressions written inline, each
/// expression built once, no `s ? 1 : 0`, instance ports mapped to their
/// drivers, temporaries numbered per module, and every statement pointing
/// at the Swift line that built it.
@Suite struct EmissionReadabilityTests {
    private func emitted(_ body: @escaping (ModuleBuilder) -> Void, options: VerilogOptions = VerilogOptions()) throws -> String {
        VerilogEmitter.emit(try TestModule("readable", body: body).elaborate(), options: options)
    }

    @Test func registersWithConditionsAreIfStatements() throws {
        let text = try emitted { m in
            let enable = m.input("enable", .bool), clear = m.input("clear", .bool), more = m.input("more", .bool)
            let data = m.input("data", .unsigned(8))
            let held = m.register("held", .unsigned(8), reset: 0)
            m.when(enable) { m.when(more) { held <== data } }
            let count = m.register("count", .unsigned(8), reset: nil)
            m.when(clear) { count <== 0 }.elseWhen(enable) { count <== count + 1 }
            m.output("held_out", .unsigned(8)) <== held
            m.output("count_out", .unsigned(8)) <== count
        }
        #expect(text.contains("if (enable && more) held <= data;"))
        #expect(text.contains("if (clear) count <= 8'h00;"))
        #expect(text.contains("else if (enable) count <= count + 8'h01;"))
        #expect(!text.contains("? data : held"))
    }

    @Test func singleUseExpressionsAreInlineAndSharedOnesNamed() throws {
        let text = try emitted { m in
            let a = m.input("a", .unsigned(8)), b = m.input("b", .unsigned(8)), c = m.input("c", .unsigned(8))
            let shared = a + b
            m.output("x", .unsigned(8)) <== (shared ^ c) & b
            m.output("y", .unsigned(8)) <== shared | c
        }
        #expect(text.contains("assign _t0 = a + b;"))
        #expect(text.contains("assign x = (_t0 ^ c) & b;"))
        #expect(text.contains("assign y = _t0 | c;"))
        #expect(!text.contains("_t1"))
    }

    @Test func equalExpressionsAreBuiltOnce() throws {
        let text = try emitted { m in
            let a = m.input("a", .unsigned(8)), b = m.input("b", .unsigned(8))
            m.output("x", .unsigned(8)) <== (a + b).named("first")
            m.output("y", .unsigned(8)) <== (a + b) ^ a
            m.output("z", .unsigned(8)) <== (a + b) | b
        }
        #expect(text.components(separatedBy: "a + b").count == 2, "a + b once:\n\(text)")
    }

    @Test func selectsOfOneAndZeroAreFolded() throws {
        let text = try emitted { m in
            let s = m.input("s", .bool)
            m.output("x", .bool) <== mux(s, m.constant(true), m.constant(false))
            m.output("y", .bool) <== mux(s, m.constant(false), m.constant(true))
            m.output("z", .unsigned(4)) <== mux(s, m.constant(1, .unsigned(4)), m.constant(0, .unsigned(4)))
        }
        #expect(!text.contains("?"), "no mux left:\n\(text)")
        #expect(text.contains("assign x = s;"))
        #expect(text.contains("assign y = ~s;"))
        #expect(text.contains("assign z = {{3{1'b0}}, s};"))
    }

    @Test func statementsPointAtTheirSwiftLine() throws {
        let line = #line + 3
        let body: (ModuleBuilder) -> Void = { m in
            let a = m.input("a", .unsigned(8)), b = m.input("b", .unsigned(8))
            m.output("x", .unsigned(8)) <== (a & b).named("both")
            m.output("y", .unsigned(8)) <== m.delayed(a, name: "a_q")
        }
        let text = try emitted(body)
        #expect(text.contains("assign both = a & b; // @[EmissionReadabilityTests.swift:\(line)]"))
        #expect(text.contains("a_q <= a; // @[EmissionReadabilityTests.swift:\(line + 1)]"))
        #expect(!(try emitted(body, options: VerilogOptions(sourceComments: false))).contains("// @["))
    }

    @Test func instanceInputsAreMappedToTheirDrivers() throws {
        let child = TestModule("child") { m in m.output("y", .unsigned(4)) <== ~m.input("x", .unsigned(4)) }
        let text = try emitted { m in
            let a = m.input("a", .unsigned(4))
            let instance = m.instance(child, name: "u_child")
            instance["x"] <== a
            m.output("b", .unsigned(4)) <== instance["y"]
        }
        #expect(text.contains(".x(a)"))
        #expect(!text.contains("wire [3:0] u_child_x;"))
    }

    @Test func temporariesAreNumberedPerModule() throws {
        func child(_ extra: Bool) -> TestModule {
            TestModule("numbered_child") { m in
                let a = m.input("a", .unsigned(4)), b = m.input("b", .unsigned(4))
                let sum = a + b
                m.output("x", .unsigned(4)) <== (extra ? sum ^ a : sum) & b
                m.output("y", .unsigned(4)) <== sum | a
            }
        }
        func parent(_ extra: Bool) throws -> DesignFiles {
            DesignFiles(top: try TestModule("numbered_parent") { m in
                let a = m.input("a", .unsigned(4)), b = m.input("b", .unsigned(4))
                let one = m.instance(child(extra), name: "u_one")
                one["a"] <== a
                one["b"] <== b
                let shared = a - b
                m.output("x", .unsigned(4)) <== (one["x"] ^ shared) & one["y"]
                m.output("y", .unsigned(4)) <== shared | b
            }.elaborate())
        }
        let (before, after) = (try parent(false), try parent(true))
        let parentText = { (files: DesignFiles) in files.files.first { $0.name == "numbered_parent.v" }?.contents ?? "" }
        // The child changed; the parent's temporaries (and text) did not.
        #expect(parentText(before) == parentText(after))
        #expect(parentText(before).contains("_t0"))
    }
}
