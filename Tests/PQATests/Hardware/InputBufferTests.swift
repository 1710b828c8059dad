import HDL
import PQ
@testable import PQA
import Testing

/// The input buffer alone: columns streamed in as `ColumnBeats` packs them
/// (random gaps), read back slot by slot in a random word order as the
/// encoder would, from the cycle after the slot reports full (its last word
/// lands then), each slot released after its last read. Every word read
/// must be the beat written there; the flags must say which slot is full,
/// whether a column is arriving and when every column of the layer is in.
@Suite(.serialized) struct InputBufferTests {
    @Test(arguments: Array(1...8) as [UInt64])
    func wordsComeBackAsWritten(seed: UInt64) throws {
        let configuration = try randomConfiguration(seed: seed)
        let design = try PQAParameters(configuration)
        let p = configuration.parallelism
        var random = RandomLayer(seed: seed)
        let shape = try random.shape(within: configuration.maxima)
        let columnCount = 4
        let columns = random.columns(columnCount, shape: shape, format: configuration.formats.activation)
        // The buffer stores the lanes; the core drops the stream's byte padding before it.
        let beats = try columns.map { try ColumnBeats.input($0, shape: shape, parameters: design).map { $0.truncated(to: design.activationBeatBits) } }
        let chunks = ceilDivide(shape.ls, p.lsVec), groups = ceilDivide(shape.ns, p.nsVec)
        try checkStage(InputBuffer(design: design, streaming: false), seed: seed, "input buffer of \(p.summary), \(shape)") { probe in
            probe.reset()
            try probe.set("layer_chunks", chunks)
            try probe.set("layer_groups", groups)
            try probe.set("layer_next_chunks", chunks)
            try probe.set("layer_next_groups", groups)
            try probe.set("layer_next_columns", columnCount)
            try probe.set("layer_swap", true)
            probe.step()
            try probe.set("layer_swap", false)
            var sent = 0  // beats accepted, over all columns
            let flat = beats.flatMap { $0 }
            var reading: (slot: Int, column: Int, order: [(group: Int, chunk: Int)])?
            var readsFrom = 0  // the slot's last beat is written the cycle after it reports full
            var nextColumn = 0
            var expected: [(cycle: Int, word: BitVector)] = []
            for cycle in 0..<(flat.count * 4 + 40) {
                // Producer: a beat now and then.
                let offering = sent < flat.count && probe.chance(0.7)
                try probe.set("activations_valid", offering)
                if offering {
                    try probe.set("activations_data", flat[sent])
                    try probe.set("activations_last", (sent + 1) % (groups * chunks) == 0)
                }
                // Consumer: read a full slot in a random order, then release it.
                try probe.set("read_enable", false)
                try probe.set("release_0", false)
                try probe.set("release_1", false)
                if reading == nil, nextColumn < columnCount, try probe.flag("full_\(nextColumn % 2)") {
                    var order = (0..<groups).flatMap { g in (0..<chunks).map { (group: g, chunk: $0) } }
                    for index in order.indices.reversed() { order.swapAt(index, probe.random(0...index)) }
                    reading = (nextColumn % 2, nextColumn, order)
                    readsFrom = cycle + 1
                }
                if var current = reading, cycle >= readsFrom, !current.order.isEmpty {
                    let (group, chunk) = current.order.removeFirst()
                    try probe.set("read_enable", true)
                    try probe.set("read_slot", current.slot)
                    try probe.set("read_group", group)
                    try probe.set("read_chunk", chunk)
                    expected.append((cycle + InputBuffer.readLatency, beats[current.column][group * chunks + chunk]))
                    if current.order.isEmpty {
                        try probe.set("release_\(current.slot)", true)
                        reading = nil
                        nextColumn += 1
                    } else {
                        reading = current
                    }
                }
                if let first = expected.first, first.cycle == cycle {
                    expected.removeFirst()
                    probe.check("column", try probe.bits("column"), first.word)
                }
                probe.check("receiving", try probe.get("receiving"), sent % (groups * chunks) != 0 ? 1 : 0)
                let accepted = try offering && probe.flag("activations_ready")  // after this cycle's release
                probe.step()
                if accepted { sent += 1 }
            }
            probe.check("columns read", nextColumn, columnCount)
            probe.check("error_last_mismatch", try probe.get("error_last_mismatch"), 0)
            probe.check("columns_done", try probe.get("columns_done"), 1)
            probe.check("full_0", try probe.get("full_0"), 0)
            probe.check("full_1", try probe.get("full_1"), 0)
        }
    }
}
