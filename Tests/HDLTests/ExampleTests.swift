import Testing
@testable import HDL

/// Each example simulated by the interpreter against a model written in plain Swift.
@Suite struct ExampleTests {
    @Test func counterCountsWhenEnabledAndWraps() throws {
        let sim = Interpreter(try Counter(width: 3).elaborate())
        sim.reset()
        var expected = 0
        var random = SeededGenerator(seed: 1)
        for _ in 0..<50 {
            let enable = Bool.random(using: &random)
            try sim.poke("enable", enable ? 1 : 0)
            sim.step()
            if enable { expected = (expected + 1) % 8 }
            #expect(try sim.peekInt("count") == expected)
        }
    }

    @Test(arguments: [true, false])
    func macAccumulatesProducts(signed: Bool) throws {
        let mac = PipelinedMAC(aWidth: 8, bWidth: 6, accumulatorWidth: 20, signed: signed)
        let sim = Interpreter(try mac.elaborate())
        var random = SeededGenerator(seed: signed ? 5 : 6)
        sim.reset()
        var accumulator = 0
        var pending: [(product: Int, clear: Bool)?] = [nil]
        let modulus = 1 << 20
        for cycle in 0..<200 {
            let valid = Int.random(in: 0..<4, using: &random) != 0
            let clear = Int.random(in: 0..<8, using: &random) == 0
            let a = signed ? Int.random(in: -128...127, using: &random) : Int.random(in: 0...255, using: &random)
            let b = signed ? Int.random(in: -32...31, using: &random) : Int.random(in: 0...63, using: &random)
            try sim.poke("a", a)
            try sim.poke("b", b)
            try sim.poke("valid", valid ? 1 : 0)
            try sim.poke("clear", clear ? 1 : 0)
            sim.step()
            // The product registered last cycle is accumulated at this edge.
            let arriving = pending.removeFirst()
            pending.append(valid ? (a * b, clear) : nil)
            if let arriving {
                accumulator = arriving.clear ? arriving.product : accumulator + arriving.product
                accumulator = ((accumulator % modulus) + modulus) % modulus
            }
            let raw = try sim.peek("acc").unsignedValue.map { Int($0) } ?? -1
            #expect(raw == accumulator, "cycle \(cycle)")
        }
    }
}
