import HDL
import PQ
@testable import PQA
import Testing

/// The MAC array's layer control alone: two layers' `MACArrayProgram` beats
/// streamed in (random gaps). Registers and derived counts must hold each
/// layer, every weight and bias write must carry its beat into the load
/// bank two cycles after the beat, and the second layer must swap in only after the first ends.
@Suite(.serialized) struct MACArrayControlTests {
    @Test(arguments: Array(1...6) as [UInt64])
    func loadsAndSwaps(seed: UInt64) throws {
        let configuration = try randomMACArrayConfiguration(seed: seed)
        let design = try MACArrayParameters(configuration)
        let p = configuration.parallelism, maxima = configuration.maxima
        var random = RandomLayer(seed: seed)
        let layers = try (0..<2).map { _ in
            try random.linearLayer(d: random.integer(in: 1...maxima.d), cout: random.integer(in: 1...maxima.cout), for: configuration)
        }
        try checkStage(MACArrayControl(design: design), seed: seed, "MAC layer control, InVec \(p.inVec), OutVec \(p.outVec)") { probe in
            probe.reset()
            func load(_ layer: IntegerLinearLayer) throws -> Int {
                let bank = try probe.get("state_load_bank")
                let beats = try MACArrayProgram(layer, columns: 2, parameters: design).loadBeats
                var index = 0
                var landing: [BitVector?] = [nil, nil]  // the beats accepted two cycles and one cycle ago: the first's write is on the ports now
                while index < beats.count || landing.contains(where: { $0 != nil }) {
                    let written = landing[0].map { design.loadBeat.fields(of: $0) }
                    let kind = written.flatMap { MACArrayLoadBeatKind(rawValue: $0.kind) }
                    probe.check("weights_write_enable", try probe.get("weights_write_enable"), kind == .weights ? 1 : 0)
                    probe.check("bias_write_enable", try probe.get("bias_write_enable"), kind == .bias ? 1 : 0)
                    if let written, kind == .weights {
                        probe.check("weights_write_index", try probe.get("weights_write_index"), written.index)
                        probe.check("weights_write_address", try probe.get("weights_write_address"), bank * design.weightWords + written.address)
                        probe.check("weights_write_data", try probe.bits("weights_write_data"), written.data.truncated(to: design.weightWordBits))
                    } else if let written, kind == .bias {
                        probe.check("bias_write_address", try probe.get("bias_write_address"), bank * design.biasWords + written.address)
                        probe.check("bias_write_data", try probe.bits("bias_write_data"), written.data.truncated(to: design.biasWordBits))
                    }
                    landing = [landing[1], nil]
                    let offering = index < beats.count && probe.chance(0.7)
                    try probe.set("load_valid", offering)
                    if index < beats.count {
                        let fields = design.loadBeat.fields(of: beats[index])
                        try probe.set("load_last", index == beats.count - 1)
                        try probe.set("load_kind", fields.kind)
                        try probe.set("load_index", fields.index)
                        try probe.set("load_address", fields.address)
                        try probe.set("load_data", fields.data)
                    }
                    if offering, try probe.flag("load_ready") {
                        landing[1] = beats[index]
                        index += 1
                    }
                    probe.step()
                }
                try probe.set("load_valid", false)
                return bank
            }
            func checkRegisters(_ layer: IntegerLinearLayer, bank: Int) throws {
                let expected: [(String, Int)] = [
                    ("d", layer.d), ("cout", layer.cout), ("columns", 2), ("multiplier", layer.requantization.multiplier),
                    ("shift", layer.requantization.shift), ("relu", layer.requantization.relu ? 1 : 0),
                    ("in_chunks", ceilDivide(layer.d, p.inVec)), ("output_chunks", ceilDivide(layer.cout, p.outVec))]
                for (field, value) in expected { probe.check("bank_\(bank)_\(field)", try probe.get("bank_\(bank)_\(field)"), value) }
            }
            let first = try load(layers[0])
            probe.step(3)
            probe.check("active bank", try probe.get("state_active_bank"), first)
            try checkRegisters(layers[0], bank: first)
            let second = try load(layers[1])
            probe.check("second layer's bank", second, 1 - first)
            probe.step(3)
            probe.check("active bank while the first runs", try probe.get("state_active_bank"), first)
            try probe.set("progress_layer_ends", true)
            probe.step()
            try probe.set("progress_layer_ends", false)
            probe.step(2)
            probe.check("active bank after the swap", try probe.get("state_active_bank"), second)
            try checkRegisters(layers[1], bank: second)
        }
    }

    /// The smallest program (one weight beat, one bias beat) streamed without
    /// a gap into a bank that held the largest layer, D and Cout last of the
    /// register beats: its commit checks the beat counts derived from them at
    /// the earliest cycle, and passes.
    @Test(arguments: Array(1...4) as [UInt64])
    func smallestLoadAtFullRateCommits(seed: UInt64) throws {
        let configuration = try randomMACArrayConfiguration(seed: seed)
        let design = try MACArrayParameters(configuration)
        var random = RandomLayer(seed: seed)
        let largest = try random.linearLayer(d: configuration.maxima.d, cout: configuration.maxima.cout, for: configuration)
        let smallest = try random.linearLayer(d: 1, cout: 1, for: configuration)
        try checkStage(MACArrayControl(design: design), seed: seed, "MAC smallest load, InVec \(configuration.parallelism.inVec)") { probe in
            probe.reset()
            let programs = try [largest, smallest, largest, smallest].map { try MACArrayProgram($0, columns: 1, parameters: design).loadBeats }
            try probe.checkLoadsCommitAtFullRate(programs, layout: design.loadBeat, registerCount: MACRegister.allCases.count,
                                                 shapeRegisters: [MACRegister.d, .cout].map(\.rawValue))
        }
    }
}
