import Testing
@testable import HDL

/// The stream FIFO against a queue written in plain Swift.
@Suite struct StreamFIFOTests {
    /// Depths, and how many bits of the 9-bit word (payload and `last`)
    /// one read pointer reads: the whole word, or three parts each read
    /// through a pointer of its own.
    @Test(arguments: [(1, 32), (3, 32), (4, 32), (5, 32), (5, 3), (4, 4)])
    func fifoKeepsOrderUnderRandomHandshakes(depth: Int, partWidth: Int) throws {
        let seed = UInt64(depth * 97 + partWidth)
        let fifo = StreamFIFO(depth: depth, width: 8, partWidth: partWidth)
        #expect(fifo.parts == (partWidth >= 9 ? 1 : 3))
        let sim = Interpreter(try fifo.elaborate())
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
}
