import Testing
@testable import HDL

/// `when` / `elseWhen` / `otherwise` and `switch`, with last-connect semantics.
@Suite struct ConditionalTests {
    @Test func priorityAndLastConnectWins() throws {
        let module = TestModule { m in
            let a = m.input("a", .bool), b = m.input("b", .bool)
            let y = m.wire("y", .unsigned(4), default: 0)
            m.when(a) {
                y <== 1
                y <== 2  // later connect on the same path wins
            }.elseWhen(b) {
                y <== 3
            }.otherwise {
                y <== 4
            }
            m.when(a & b) { y <== 5 }  // a later when overrides the chain
            m.output("out", .unsigned(4)) <== y
        }
        let sim = Interpreter(try module.elaborate())
        for (a, b, expected) in [(0, 0, 4), (0, 1, 3), (1, 0, 2), (1, 1, 5)] {
            try sim.poke("a", a)
            try sim.poke("b", b)
            #expect(try sim.peekInt("out") == expected, "a=\(a) b=\(b)")
        }
    }

    @Test func nestedWhenAndRegisterHold() throws {
        let module = TestModule { m in
            let enable = m.input("enable", .bool), up = m.input("up", .bool)
            let count = m.register("count", .unsigned(4), reset: 7)
            m.when(enable) {
                m.when(up) { count <== count + 1 }.otherwise { count <== count - 1 }
            }
            m.output("out", .unsigned(4)) <== count
        }
        let sim = Interpreter(try module.elaborate())
        sim.reset()
        #expect(try sim.peekInt("out") == 7)
        try sim.poke("enable", 1)
        try sim.poke("up", 1)
        sim.step(3)
        #expect(try sim.peekInt("out") == 10)
        try sim.poke("up", 0)
        sim.step(12)
        #expect(try sim.peekInt("out") == 14)  // wrapped below zero
        try sim.poke("enable", 0)
        sim.step(5)
        #expect(try sim.peekInt("out") == 14)  // held
        sim.reset()
        #expect(try sim.peekInt("out") == 7)
    }

    @Test func switchSelectsByValueWithDefault() throws {
        let module = TestModule { m in
            let select = m.input("select", .unsigned(3))
            let y = m.wire("y", .unsigned(8))
            m.switch(select) { cases in
                cases.case(0) { y <== 10 }
                cases.case(1, 2) { y <== 20 }
                cases.case(5) { y <== 50 }
                cases.default { y <== 99 }
            }
            m.output("out", .unsigned(8)) <== y
        }
        let sim = Interpreter(try module.elaborate())
        for (value, expected) in [(0, 10), (1, 20), (2, 20), (3, 99), (5, 50), (7, 99)] {
            try sim.poke("select", value)
            #expect(try sim.peekInt("out") == expected)
        }
    }

    @Test func switchWithoutDefaultNeedsADefaultValue() {
        let errors = elaborationErrors { m in
            let select = m.input("select", .unsigned(2))
            let y = m.wire("y", .unsigned(2))
            m.switch(select) { cases in
                cases.case(0) { y <== 1 }
                cases.case(0) { y <== 2 }
            }
            m.output("out", .unsigned(2)) <== y
        }
        #expect(errors.contains { $0.contains("switch value 0 appears in two cases") })
        #expect(errors.contains { $0.contains("'y' is assigned on some paths") })
    }

    @Test func everyBranchAssigningNeedsNoDefault() {
        #expect(elaborationErrors { m in
            let a = m.input("a", .bool)
            let y = m.wire("y", .bool)
            m.when(a) { y <== false }.otherwise { y <== true }
            m.output("out", .bool) <== y
        }.isEmpty)
    }
}
