import HDL
import PQ
@testable import PQA
import Testing

/// The MAC datapath alone (its `MACLane`s inside) against the exact integer
/// product (`IntegerLinearLayer.accumulators`): weights and bias written
/// through its write ports as `MACArrayProgram` packs them (one layer per
/// bank), passes issued as the sequencer issues them, the input words
/// arriving a cycle later, idle cycles between passes, LUT and DSP products.
@Suite(.serialized) struct MACArrayDatapathTests {
    @Test(arguments: Array(1...8) as [UInt64])
    func accumulatorsAreTheExactProducts(seed: UInt64) throws {
        let configuration = try randomMACArrayConfiguration(seed: seed)
        let design = try MACArrayParameters(configuration)
        let p = configuration.parallelism
        var random = RandomLayer(seed: seed)
        let maxima = configuration.maxima
        let layers = try (0..<2).map { bank in
            try random.linearLayer(d: bank == 0 ? maxima.d : random.integer(in: 1...maxima.d),
                                   cout: bank == 0 ? maxima.cout : random.integer(in: 1...maxima.cout), for: configuration)
        }
        let columns = layers.map { random.columns(2, d: $0.d, format: configuration.formats.activation) }
        try checkStage(MACArrayDatapath(design: design), seed: seed, "MAC datapath of InVec \(p.inVec), OutVec \(p.outVec), \(configuration.multipliers)") { probe in
            probe.reset()
            for (bank, layer) in layers.enumerated() {
                for beat in try MACArrayProgram(layer, columns: 1, parameters: design).loadBeats {
                    let (kind, index, address, data) = design.loadBeat.fields(of: beat)
                    switch MACArrayLoadBeatKind(rawValue: kind) {
                    case .weights:
                        try probe.set("weights_write_enable", true)
                        try probe.set("weights_write_index", index)
                        try probe.set("weights_write_address", bank * design.weightWords + address)
                        try probe.set("weights_write_data", data.truncated(to: design.weightWordBits))
                    case .bias:
                        try probe.set("bias_write_enable", true)
                        try probe.set("bias_write_address", bank * design.biasWords + address)
                        try probe.set("bias_write_data", data.truncated(to: design.biasWordBits))
                    default:
                        continue
                    }
                    probe.step()
                    try probe.set("weights_write_enable", false)
                    try probe.set("bias_write_enable", false)
                }
            }
            var schedule: [(operation: [String: Int], word: BitVector?, beat: (bank: Int, chunk: Int, last: Bool, lanes: [Int])?)] = []
            for round in 0..<4 {
                let bank = (round + Int(seed)) % 2, layer = layers[bank], column = columns[bank][round % 2]
                let words = try MACArrayProgram.inputBeats(column, parameters: design).map { $0.truncated(to: design.activationBeatBits) }
                let accumulators = try layer.accumulators(column: column)
                let inChunks = ceilDivide(layer.d, p.inVec), outputChunks = ceilDivide(layer.cout, p.outVec)
                for chunk in 0..<outputChunks {
                    for k in 0..<inChunks {
                        let operation = ["valid": 1, "bank": bank, "output_chunk": chunk, "in_chunk": k,
                                         "first_in_chunk": k == 0 ? 1 : 0, "last_in_chunk": k == inChunks - 1 ? 1 : 0,
                                         "last_output_chunk": chunk == outputChunks - 1 ? 1 : 0]
                        let lanes = (0..<p.outVec).map { lane -> Int in
                            let c = chunk * p.outVec + lane
                            return c < layer.cout ? accumulators[c] : 0
                        }
                        schedule.append((operation, words[k], k == inChunks - 1 ? (bank, chunk, chunk == outputChunks - 1, lanes) : nil))
                    }
                    for _ in 0..<probe.random(0...1) { schedule.append((["valid": 0], nil, nil)) }
                }
            }
            let latency = MACArrayDatapath.latency(design)
            for cycle in 0..<(schedule.count + latency + 1) {
                if cycle < schedule.count {
                    for (field, value) in schedule[cycle].operation { try probe.set("operation_\(field)", value) }
                }
                if (0..<schedule.count).contains(cycle - MACArrayInput.readLatency), let word = schedule[cycle - MACArrayInput.readLatency].word {
                    try probe.set("word", word)
                }
                let issued = cycle - latency
                let expected = issued >= 0 && issued < schedule.count ? schedule[issued].beat : nil
                probe.check("beat_emit", try probe.get("beat_emit"), expected == nil ? 0 : 1)
                if let expected {
                    probe.check("beat_bank", try probe.get("beat_bank"), expected.bank)
                    probe.check("beat_chunk", try probe.get("beat_chunk"), expected.chunk)
                    probe.check("beat_last_chunk", try probe.get("beat_last_chunk"), expected.last ? 1 : 0)
                    for (lane, value) in expected.lanes.enumerated() {
                        let bits = try probe.bits("beat_accumulator_\(lane)")
                        probe.check("beat_accumulator_\(lane)", bits, BitVector(width: bits.width, truncating: value))
                    }
                }
                probe.step()
                if cycle < schedule.count { try probe.set("operation_valid", false) }
            }
        }
    }
}
