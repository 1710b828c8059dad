import HDL
import PQ
@testable import PQA
import Testing

/// The MAC array's input buffer alone: columns streamed in as
/// `MACArrayProgram.inputBeats` packs them (random gaps), each read back
/// `ceil(Cout/OutVec)` times in order as the array reads it, from the cycle
/// after the slot reports full (its last word lands then), its slot released
/// with the last read (announced the cycle before). Every word must be the beat written there.
@Suite(.serialized) struct MACArrayInputTests {
    @Test(arguments: Array(1...6) as [UInt64])
    func wordsComeBackAsWritten(seed: UInt64) throws {
        let configuration = try randomMACArrayConfiguration(seed: seed)
        let design = try MACArrayParameters(configuration)
        var random = RandomLayer(seed: seed)
        let d = random.integer(in: 1...configuration.maxima.d), passes = random.integer(in: 1...3), columnCount = 4
        let beats = try random.columns(columnCount, d: d, format: configuration.formats.activation)
            .map { try MACArrayProgram.inputBeats($0, parameters: design).map { $0.truncated(to: design.activationBeatBits) } }
        let inChunks = beats[0].count
        try checkStage(MACArrayInput(design: design), seed: seed, "MAC input buffer, D \(d), InVec \(configuration.parallelism.inVec)") { probe in
            probe.reset()
            // At the swap the active bank is still the previous layer's (a
            // different width here); the new layer's comes from the loaded bank.
            try probe.set("layer_in_chunks", inChunks == 1 ? 0 : 1)
            try probe.set("layer_next_in_chunks", inChunks)
            try probe.set("layer_next_columns", columnCount)
            try probe.set("layer_swap", true)
            probe.step()
            try probe.set("layer_swap", false)
            try probe.set("layer_in_chunks", inChunks)
            let flat = beats.flatMap { $0 }
            var sent = 0, nextColumn = 0, readsLeft = 0
            var readsFrom = 0  // a slot's last beat is written the cycle after it reports full
            var expected: [(cycle: Int, word: BitVector)] = []
            for cycle in 0..<(flat.count * (passes + 3) + 40) {
                let offering = sent < flat.count && probe.chance(0.7)
                try probe.set("activations_valid", offering)
                if offering {
                    try probe.set("activations_data", flat[sent])
                    try probe.set("activations_last", (sent + 1) % inChunks == 0)
                }
                try probe.set("read_enable", false)
                try probe.set("release_next_0", false)
                try probe.set("release_next_1", false)
                if readsLeft == 0, nextColumn < columnCount, try probe.flag("full_\(nextColumn % 2)") {
                    readsLeft = passes * inChunks
                    readsFrom = cycle + 1
                }
                if readsLeft > 0, cycle >= readsFrom {
                    let k = (passes * inChunks - readsLeft) % inChunks
                    try probe.set("read_enable", true)
                    try probe.set("read_slot", nextColumn % 2)
                    try probe.set("read_chunk", k)
                    expected.append((cycle + MACArrayInput.readLatency, beats[nextColumn][k]))
                    readsLeft -= 1
                    if readsLeft == 0 { nextColumn += 1 }
                }
                // Reads run every cycle once started: the next one is the column's last when one is left.
                if readsLeft == 1, cycle + 1 >= readsFrom { try probe.set("release_next_\(nextColumn % 2)", true) }
                if let first = expected.first, first.cycle == cycle {
                    expected.removeFirst()
                    probe.check("word", try probe.bits("word"), first.word)
                }
                probe.check("receiving", try probe.get("receiving"), sent % inChunks != 0 ? 1 : 0)
                let accepted = try offering && probe.flag("activations_ready")  // after this cycle's release
                probe.step()
                if accepted { sent += 1 }
            }
            probe.check("columns read", nextColumn, columnCount)
            probe.check("columns_done", try probe.get("columns_done"), 1)
        }
    }
}
