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

    @Test(arguments: [1, 3, 4, 5])
    func fifoKeepsOrderUnderRandomHandshakes(depth: Int) throws {
        let seed = UInt64(depth * 97)
        let sim = Interpreter(try StreamFIFO(depth: depth, width: 8).elaborate())
        var random = SeededGenerator(seed: seed)
        sim.reset()
        var sent: [Int] = [], received: [Int] = [], occupancy = 0
        var next = 0
        for cycle in 0..<400 {
            let offer = Int.random(in: 0..<4, using: &random) != 0
            let take = Int.random(in: 0..<3, using: &random) != 0
            let beat = next % 256
            try sim.poke("in_valid", offer ? 1 : 0)
            try sim.poke("in_data", beat)
            try sim.poke("in_last", beat % 7 == 0 ? 1 : 0)
            try sim.poke("out_ready", take ? 1 : 0)
            #expect(try sim.peekInt("in_ready") == (occupancy < depth ? 1 : 0), "seed \(seed) cycle \(cycle)")
            #expect(try sim.peekInt("out_valid") == (occupancy > 0 ? 1 : 0), "seed \(seed) cycle \(cycle)")
            let pushed = offer && occupancy < depth
            let popped = take && occupancy > 0
            if popped {
                let value = try sim.peekInt("out_data")
                #expect(try sim.peekInt("out_last") == (value % 7 == 0 ? 1 : 0))
                received.append(value)
            }
            if pushed {
                sent.append(beat)
                next += 1
            }
            occupancy += (pushed ? 1 : 0) - (popped ? 1 : 0)
            sim.step()
        }
        #expect(received == Array(sent.prefix(received.count)), "seed \(seed)")
        #expect(received.count > 100)
    }

    @Test(arguments: [(inputs: 5, width: 4, signed: false, stage: 1), (64, 16, false, 2), (12, 6, true, 3),
                      (7, 130, false, 0), (1, 3, true, 1)])
    func argminFindsTheFirstSmallest(_ shape: (inputs: Int, width: Int, signed: Bool, stage: Int)) throws {
        let tree = ArgminTree(inputs: shape.inputs, width: shape.width, signed: shape.signed, levelsPerStage: shape.stage)
        let sim = Interpreter(try tree.elaborate())
        var random = SeededGenerator(seed: UInt64(shape.inputs * 31 + shape.width))
        sim.reset()
        var expected: [(value: BitVector, index: Int)] = []
        for cycle in 0..<(40 + tree.latency) {
            // Few distinct values so ties are common.
            let palette = (0..<3).map { _ in random.bits(width: shape.width) }
            let values = (0..<shape.inputs).map { _ in palette[Int.random(in: 0..<3, using: &random)] }
            for (index, value) in values.enumerated() { try sim.poke("in_\(index)", value) }
            try sim.poke("in_valid", 1)
            var best = 0
            for index in values.indices where values[index].isLess(than: values[best], signed: shape.signed) { best = index }
            expected.append((values[best], best))
            if cycle >= tree.latency {
                let want = expected[cycle - tree.latency]
                #expect(try sim.peek("min_value") == want.value, "cycle \(cycle)")
                #expect(try sim.peekInt("min_index") == want.index, "cycle \(cycle)")
                #expect(try sim.peekInt("out_valid") == 1)
            }
            sim.step()
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
