import HDL
import PQ
@testable import PQA
import Testing

/// The lookup alone: tables and bias written through its write ports as the
/// layer control decodes `LayerProgram`'s beats (two layers, one per bank,
/// several words a beat),
/// then random codes looked up; every chunk's words must be the table rows
/// the codes select and the chunk's biases, and each subspace lane must say
/// whether its subspace exists.
@Suite(.serialized) struct LookupTests {
    @Test(arguments: Array(1...8) as [UInt64])
    func wordsAreTheSelectedTableRows(seed: UInt64) throws {
        let configuration = try randomConfiguration(seed: seed)
        let design = try PQAParameters(configuration)
        let p = configuration.parallelism, formats = configuration.formats
        var random = RandomLayer(seed: seed)
        let layers = try (0..<2).map { _ in try random.layer(try random.shape(within: configuration.maxima), for: configuration) }
        try checkStage(Lookup(design: design, fixed: nil), seed: seed, "lookup of \(p.summary)") { probe in
            probe.reset()
            for (bank, layer) in layers.enumerated() {
                try probe.set("output_chunks_\(bank)", ceilDivide(layer.shape.cout, p.outVec))
                try probe.set("ns_\(bank)", layer.shape.ns)
                for beat in try LayerProgram(layer, columns: 1, parameters: design).loadBeats {
                    let (kind, index, address, data) = design.loadBeat.fields(of: beat)
                    switch LoadBeatKind(rawValue: kind) {
                    case .table:
                        try probe.set("table_write_enable", true)
                        try probe.set("table_write_index", index)
                        try probe.set("table_write_address", bank * design.tableWords + address)
                        try probe.set("table_write_data", data.truncated(to: design.tableGrouping.beatWordBits))
                    case .bias:
                        try probe.set("bias_write_enable", true)
                        try probe.set("bias_write_address", bank * design.biasWords + address)
                        try probe.set("bias_write_data", data.truncated(to: design.biasWordBits))
                    default:
                        continue
                    }
                    probe.step()
                    try probe.set("table_write_enable", false)
                    try probe.set("bias_write_enable", false)
                }
            }
            for _ in 0..<6 {
                let bank = probe.random(0...1), layer = layers[bank], shape = layer.shape
                let groups = ceilDivide(shape.ns, p.nsVec), chunks = ceilDivide(shape.cout, p.outVec)
                let group = probe.random(0...(groups - 1))
                let codes = (0..<p.nsVec).map { _ in probe.random(0...(shape.np - 1)) }
                try probe.set("codes_valid", true)
                try probe.set("codes_bank", bank)
                try probe.set("codes_group", group)
                try probe.set("codes_first_group", group == 0)
                try probe.set("codes_last_group", group == groups - 1)
                for (lane, code) in codes.enumerated() { try probe.set("codes_code_\(lane)", code) }
                probe.step()
                try probe.set("codes_valid", false)
                // The subspace flags lead the words by a cycle: from the cycle
                // before the first chunk's to the one before the last chunk's.
                func checkSubspaceFlags() throws {
                    for lane in 0..<p.nsVec {
                        let valid = group * p.nsVec + lane < shape.ns
                        probe.check("entries_subspace_valid_\(lane)", try probe.get("entries_subspace_valid_\(lane)"), valid ? 1 : 0)
                    }
                }
                probe.step(Lookup.latency - 2)
                try checkSubspaceFlags()
                probe.step()
                for chunk in 0..<chunks {
                    probe.check("entries_valid", try probe.get("entries_valid"), 1)
                    probe.check("entries_bank", try probe.get("entries_bank"), bank)
                    probe.check("entries_group", try probe.get("entries_group"), group)
                    probe.check("entries_chunk", try probe.get("entries_chunk"), chunk)
                    probe.check("entries_first_group", try probe.get("entries_first_group"), group == 0 ? 1 : 0)
                    probe.check("entries_last_group", try probe.get("entries_last_group"), group == groups - 1 ? 1 : 0)
                    probe.check("entries_last_chunk", try probe.get("entries_last_chunk"), chunk == chunks - 1 ? 1 : 0)
                    let channels = (0..<p.outVec).map { chunk * p.outVec + $0 }
                    if chunk < chunks - 1 { try checkSubspaceFlags() }
                    for (lane, code) in codes.enumerated() where group * p.nsVec + lane < shape.ns {
                        let s = group * p.nsVec + lane
                        let row = channels.map { $0 < shape.cout ? layer.table.entry(subspace: s, prototype: code, channel: $0) : 0 }
                        probe.check("entries_word_\(lane)", try probe.bits("entries_word_\(lane)"), Lanes.pack(row, bits: formats.entry.bits))
                    }
                    let biases = channels.map { $0 < shape.cout ? layer.bias[$0] : 0 }
                    probe.check("entries_bias", try probe.bits("entries_bias"), Lanes.pack(biases, bits: formats.bias.bits))
                    probe.step()
                }
                probe.check("entries_valid", try probe.get("entries_valid"), 0)
                probe.step(probe.random(0...2))
            }
        }
    }
}
