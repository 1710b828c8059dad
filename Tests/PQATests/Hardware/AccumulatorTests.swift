import HDL
import PQ
@testable import PQA
import Testing

/// The accumulator alone against the golden model's `accumulate(codes:)`
/// plus bias: the table words of random codes fed group by group, chunk by
/// chunk, as the lookup delivers them (with idle cycles between groups, and
/// garbage in subspace lanes past Ns, which the lookup marks invalid), on
/// both banks.
@Suite(.serialized) struct AccumulatorTests {
    @Test(arguments: Array(1...8) as [UInt64])
    func sumsMatchTheGoldenAccumulation(seed: UInt64) throws {
        let configuration = try randomConfiguration(seed: seed)
        let design = try PQAParameters(configuration)
        let p = configuration.parallelism, formats = configuration.formats
        var random = RandomLayer(seed: seed)
        let layers = try (0..<2).map { _ in try random.layer(try random.shape(within: configuration.maxima), for: configuration) }
        try checkStage(Accumulator(design: design), seed: seed, "accumulator of \(p.summary)") { probe in
            probe.reset()
            var expected: [(cycle: Int, bank: Int, chunk: Int, last: Bool, lanes: [Int])] = []
            var cycle = 0
            func tick() throws {
                if let first = expected.first, first.cycle == cycle {
                    expected.removeFirst()
                    probe.check("beat_emit", try probe.get("beat_emit"), 1)
                    probe.check("beat_bank", try probe.get("beat_bank"), first.bank)
                    probe.check("beat_chunk", try probe.get("beat_chunk"), first.chunk)
                    probe.check("beat_last_chunk", try probe.get("beat_last_chunk"), first.last ? 1 : 0)
                    for (lane, value) in first.lanes.enumerated() {
                        let bits = try probe.bits("beat_accumulator_\(lane)")
                        probe.check("beat_accumulator_\(lane)", bits, BitVector(width: bits.width, truncating: value))
                    }
                }
                probe.step()
                cycle += 1
            }
            // The cycles' inputs first (nil: idle), then driven with each
            // cycle's subspace flags set a cycle early, as the lookup gives them.
            var schedule: [Beat?] = []
            for _ in 0..<3 {
                let bank = probe.random(0...1), layer = layers[bank], shape = layer.shape
                let codes = (0..<shape.ns).map { _ in probe.random(0...(shape.np - 1)) }
                let sums = try layer.accumulate(codes: codes)
                let groups = ceilDivide(shape.ns, p.nsVec), chunks = ceilDivide(shape.cout, p.outVec)
                for group in 0..<groups {
                    for chunk in 0..<chunks {
                        let channels = (0..<p.outVec).map { chunk * p.outVec + $0 }
                        let words = (0..<p.nsVec).map { lane in
                            let s = group * p.nsVec + lane
                            return Lanes.pack(channels.map { c in
                                s < shape.ns ? (c < shape.cout ? layer.table.entry(subspace: s, prototype: codes[s], channel: c) : 0)
                                             : probe.value(formats.entry)
                            }, bits: formats.entry.bits)
                        }
                        let lanes = group == groups - 1 ? channels.map { $0 < shape.cout ? sums[$0] + layer.bias[$0] : 0 } : nil
                        schedule.append(Beat(words: words, subspaceValid: (0..<p.nsVec).map { group * p.nsVec + $0 < shape.ns },
                                             bias: Lanes.pack(channels.map { $0 < shape.cout ? layer.bias[$0] : 0 }, bits: formats.bias.bits),
                                             bank: bank, group: group, chunk: chunk, groups: groups, chunks: chunks, sums: lanes))
                    }
                    schedule += Array(repeating: nil, count: probe.random(0...2))
                }
            }
            schedule.insert(nil, at: 0)
            for (index, beat) in schedule.enumerated() {
                let next = index + 1 < schedule.count ? schedule[index + 1] : nil
                for lane in 0..<p.nsVec {
                    try probe.set("entries_subspace_valid_\(lane)", next?.subspaceValid[lane] ?? (probe.random(0...1) == 1))
                }
                try probe.set("entries_valid", beat != nil)
                if let beat {
                    for (lane, word) in beat.words.enumerated() { try probe.set("entries_word_\(lane)", word) }
                    try probe.set("entries_bias", beat.bias)
                    try probe.set("entries_bank", beat.bank)
                    try probe.set("entries_group", beat.group)
                    try probe.set("entries_chunk", beat.chunk)
                    try probe.set("entries_first_group", beat.group == 0)
                    try probe.set("entries_last_group", beat.group == beat.groups - 1)
                    try probe.set("entries_last_chunk", beat.chunk == beat.chunks - 1)
                    if let sums = beat.sums {
                        expected.append((cycle + Accumulator.latency(design), beat.bank, beat.chunk, beat.chunk == beat.chunks - 1, sums))
                    }
                }
                try tick()
            }
            try probe.set("entries_valid", false)
            while !expected.isEmpty { try tick() }
        }
    }
}

/// One cycle's table words for the accumulator, and the sums it must give
/// (on a column's last group).
private struct Beat {
    let words: [BitVector]
    let subspaceValid: [Bool]
    let bias: BitVector
    let bank, group, chunk, groups, chunks: Int
    let sums: [Int]?
}
