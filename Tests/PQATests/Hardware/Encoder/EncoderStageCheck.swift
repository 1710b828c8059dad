import HDL
import PQ
@testable import PQA
import Testing

/// Drives an encoder stage (`DistanceEncoder` or `TreeEncoder`: the same
/// ports) against the golden model's `encode(column:)`: its memories written
/// through its write port as `LayerProgram` packs them (one layer per bank,
/// often with repeated prototype or threshold values so that distances tie
/// or inputs equal thresholds), operations issued as the slot sequencer
/// issues them, the column words arriving `InputBuffer.readLatency` cycles
/// later, random idle cycles (none included) between groups.
func checkEncoderStage(_ stage: some HardwareModule, latency: Int, design: PQAParameters, seed: UInt64) throws {
    let configuration = design.configuration, p = configuration.parallelism
    var random = RandomLayer(seed: seed)
    let layers = try (0..<2).map { bank in
        // Bank 0 holds the largest layer: Np > NpVec and Ls > LsVec whenever the maxima allow.
        let shape = bank == 0 ? try PQShape(ls: configuration.maxima.ls, np: configuration.maxima.np, ns: configuration.maxima.ns,
                                            cout: configuration.maxima.cout)
                              : try random.shape(within: configuration.maxima, encoder: configuration.encoder)
        return try random.layer(shape, for: configuration, fewPrototypeValues: seed % 2 == 0)
    }
    let columns = layers.map { random.columns(2, shape: $0.shape, format: configuration.formats.activation) }
    let grouping = design.encoderGrouping
    try checkStage(stage, seed: seed, "\(configuration.encoder) encoder of \(p.summary), \(configuration.metric)") { probe in
        probe.reset()
        for (bank, layer) in layers.enumerated() {
            try probe.set("bank_\(bank)_ls", layer.shape.ls)
            try probe.set("bank_\(bank)_np", layer.shape.np)
            for beat in try LayerProgram(layer, columns: 1, parameters: design).loadBeats {
                let (kind, index, address, data) = design.loadBeat.fields(of: beat)
                guard LoadBeatKind(rawValue: kind) == .prototypes else { continue }
                try probe.set("write_enable", true)
                try probe.set("write_index", index)
                try probe.set("write_address", bank * design.encoderWords + address)
                try probe.set("write_data", data.truncated(to: grouping.beatWordBits))
                probe.step()
            }
            try probe.set("write_enable", false)
        }
        // Operations and the column words that follow them, cycle by cycle.
        var schedule: [(operation: [String: Int], word: BitVector?, codes: (bank: Int, group: Int, values: [Int?])?)] = []
        for round in 0..<4 {
            let bank = (round + Int(seed)) % 2
            let layer = layers[bank], shape = layer.shape
            let column = columns[bank][round % 2]
            let codes = try layer.encode(column: column)
            let beats = try ColumnBeats.input(column, shape: shape, parameters: design).map { $0.truncated(to: design.activationBeatBits) }
            let chunks = ceilDivide(shape.ls, p.lsVec), prototypeChunks = ceilDivide(shape.np, p.npVec)
            let groups = ceilDivide(shape.ns, p.nsVec)
            for group in 0..<groups {
                for cycle in 0..<(chunks * prototypeChunks) {
                    let chunk = cycle % chunks, prototypeChunk = cycle / chunks
                    let operation = ["valid": 1, "bank": bank, "group": group, "chunk": chunk, "prototype_chunk": prototypeChunk,
                                     "first_chunk": chunk == 0 ? 1 : 0, "last_chunk": chunk == chunks - 1 ? 1 : 0,
                                     "first_prototype_chunk": prototypeChunk == 0 ? 1 : 0,
                                     "last_prototype_chunk": prototypeChunk == prototypeChunks - 1 ? 1 : 0,
                                     "first_group": group == 0 ? 1 : 0, "last_group": group == groups - 1 ? 1 : 0,
                                     "prototype_address": bank * design.prototypeWords
                                         + (group * design.prototypeChunksMax + prototypeChunk) * design.chunksMax + chunk]
                    let done = cycle == chunks * prototypeChunks - 1
                    let values = (0..<p.nsVec).map { lane in group * p.nsVec + lane < shape.ns ? codes[group * p.nsVec + lane] : nil }
                    schedule.append((operation, beats[group * chunks + chunk], done ? (bank, group, values) : nil))
                }
                for _ in 0..<probe.random(0...2) { schedule.append((["valid": 0], nil, nil)) }
            }
        }
        for cycle in 0..<(schedule.count + latency + 1) {
            if cycle < schedule.count {
                for (field, value) in schedule[cycle].operation { try probe.set("operation_\(field)", value) }
            }
            if (0..<schedule.count).contains(cycle - InputBuffer.readLatency), let word = schedule[cycle - InputBuffer.readLatency].word {
                try probe.set("column", word)
            }
            let issued = cycle - latency
            let expected = issued >= 0 && issued < schedule.count ? schedule[issued].codes : nil
            probe.check("codes_valid", try probe.get("codes_valid"), expected == nil ? 0 : 1)
            if let expected {
                probe.check("codes_bank", try probe.get("codes_bank"), expected.bank)
                probe.check("codes_group", try probe.get("codes_group"), expected.group)
                for (lane, code) in expected.values.enumerated() {
                    if let code { probe.check("codes_code_\(lane)", try probe.get("codes_code_\(lane)"), code) }
                }
            }
            probe.step()
            if cycle < schedule.count { try probe.set("operation_valid", false) }
        }
    }
}
