import Testing
@testable import HDL

/// The argmin tree against a linear search, ties to the lowest index.
@Suite struct ArgminTreeTests {
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
}
