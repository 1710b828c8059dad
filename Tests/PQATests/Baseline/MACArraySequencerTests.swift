import HDL
import PQ
@testable import PQA
import Testing

/// The MAC array's sequencer alone, its surroundings played by the test (a
/// layer control, an input buffer whose slots fill after random delays, an
/// output FIFO drained at random): per column `ceil(Cout/OutVec)` passes of
/// `ceil(D/InVec)` reads each, back to back, a pass only with FIFO room, each
/// slot released after its column's last read.
@Suite(.serialized) struct MACArraySequencerTests {
    @Test(arguments: Array(1...6) as [UInt64])
    func passesFollowTheSchedule(seed: UInt64) throws {
        let configuration = try randomMACArrayConfiguration(seed: seed)
        let design = try MACArrayParameters(configuration)
        let p = configuration.parallelism
        var random = RandomLayer(seed: seed)
        let d = random.integer(in: 1...configuration.maxima.d), cout = random.integer(in: 1...configuration.maxima.cout)
        let inChunks = ceilDivide(d, p.inVec), outputChunks = ceilDivide(cout, p.outVec), columns = 3, bank = Int(seed % 2)
        try checkStage(MACArraySequencer(design: design), seed: seed, "MAC sequencer, D \(d), Cout \(cout)") { probe in
            probe.reset()
            for b in 0..<2 {
                try probe.set("bank_\(b)_in_chunks", inChunks)
                try probe.set("bank_\(b)_output_chunks", outputChunks)
                try probe.set("bank_\(b)_columns", columns)
            }
            try probe.set("active_bank", bank)
            try probe.set("active_load_bank", bank)
            try probe.set("active_swap", true)
            probe.step()
            try probe.set("active_swap", false)
            var full = [false, false], arriving = [0, 0], columnsArrived = 0
            var outstanding = 0, releases = 0, passes = 0, columnStarts = 0
            var releasing = [false, false]
            var reads: [(chunk: Int, k: Int, cycle: Int)] = []
            for cycle in 0..<(columns * outputChunks * (inChunks + 4) * 3 + 60) {
                for slot in 0..<2 where !full[slot] && columnsArrived < columns && columnsArrived % 2 == slot {
                    if arriving[slot] == 0 { arriving[slot] = probe.random(1...4) }
                    arriving[slot] -= 1
                    if arriving[slot] == 0 {
                        full[slot] = true
                        columnsArrived += 1
                    }
                }
                try probe.set("full_0", full[0])
                try probe.set("full_1", full[1])
                let pop = outstanding > 0 && probe.chance(0.6)
                try probe.set("output_pop", pop)
                if try probe.flag("operation_valid") {
                    reads.append((try probe.get("operation_output_chunk"), try probe.get("operation_in_chunk"), cycle))
                    probe.check("operation_bank", try probe.get("operation_bank"), bank)
                    if try probe.flag("operation_first_in_chunk") {
                        passes += 1
                        outstanding += 1
                        if outstanding > design.outputFIFODepth {
                            probe.context.fail("output space", expected: "at most \(design.outputFIFODepth) beats", actual: "\(outstanding)")
                        }
                    }
                }
                if try probe.flag("started") {
                    columnStarts += 1
                    if try probe.flag("layer_ends") { probe.check("layer ends on the last column", columnStarts, columns) }
                }
                // The last read of a slot is the cycle after its `release_next`.
                for slot in 0..<2 where releasing[slot] {
                    probe.check("released slot", slot, releases % 2)
                    full[slot] = false
                    releases += 1
                }
                releasing = try (0..<2).map { try probe.flag("release_next_\($0)") }
                probe.step()
                if pop { outstanding -= 1 }
            }
            probe.check("passes", passes, columns * outputChunks)
            probe.check("columns started", columnStarts, columns)
            probe.check("releases", releases, columns)
            probe.check("reads", reads.count, columns * outputChunks * inChunks)
            for (index, read) in reads.enumerated() {
                probe.check("read \(index) output chunk", read.chunk, (index / inChunks) % outputChunks)
                probe.check("read \(index) word", read.k, index % inChunks)
                if index % inChunks > 0 { probe.check("read \(index) follows the previous", read.cycle, reads[index - 1].cycle + 1) }
            }
        }
    }
}
