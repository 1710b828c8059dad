import HDL
import PQ
@testable import PQA
import Testing

/// The layer control alone, the rest of the core played by the test: two
/// layers' `LayerProgram` beats streamed in (random gaps), the first running
/// while the second loads. Every register must hold its layer's value with
/// the counts derived from it, every memory write must carry its beat into
/// the load bank two cycles after the beat, the swap must wait for the running
/// layer's end, and a bank with work in flight must refuse loads.
@Suite(.serialized) struct LayerControlTests {
    @Test(arguments: Array(1...8) as [UInt64])
    func loadsSwapsAndDerivedCounts(seed: UInt64) throws {
        let configuration = try randomConfiguration(seed: seed)
        let design = try PQAParameters(configuration)
        let p = configuration.parallelism
        var random = RandomLayer(seed: seed)
        let layers = try (0..<2).map { _ in try random.layer(try random.shape(within: configuration.maxima), for: configuration) }
        let programs = try layers.map { try LayerProgram($0, columns: 2, parameters: design) }
        try checkStage(LayerControl(design: design, fixed: nil), seed: seed, "layer control of \(p.summary)") { probe in
            probe.reset()
            probe.check("load bank after reset", try probe.get("state_load_bank"), 1)

            /// Streams `program` into the load bank, checking each memory write; returns the bank it went to.
            func load(_ program: LayerProgram) throws -> Int {
                let bank = try probe.get("state_load_bank")
                var index = 0
                var landing: [BitVector?] = [nil, nil]  // the beats accepted two cycles and one cycle ago: the first's write is on the ports now
                while index < program.loadBeats.count || landing.contains(where: { $0 != nil }) {
                    try checkWrite(probe, design: design, beat: landing[0], bank: bank)
                    landing = [landing[1], nil]
                    let offering = index < program.loadBeats.count && probe.chance(0.7)
                    try probe.set("load_valid", offering)
                    if index < program.loadBeats.count {
                        let beat = program.loadBeats[index]
                        try probe.set("load_last", index == program.loadBeats.count - 1)
                        let fields = design.loadBeat.fields(of: beat)
                        try probe.set("load_kind", fields.kind)
                        try probe.set("load_index", fields.index)
                        try probe.set("load_address", fields.address)
                        try probe.set("load_data", fields.data)
                    }
                    if offering, try probe.flag("load_ready") {
                        landing[1] = program.loadBeats[index]
                        index += 1
                    }
                    probe.step()
                }
                try probe.set("load_valid", false)
                return bank
            }

            // Layer 0 loads into bank 1 and swaps in: it is idle.
            let first = try load(programs[0])
            probe.step(3)
            probe.check("active bank", try probe.get("state_active_bank"), first)
            probe.check("active valid", try probe.get("state_active_valid"), 1)
            try checkRegisters(probe, design: design, layer: layers[0], columns: 2, bank: first)
            probe.check("error after a good commit", try probe.get("error"), 0)

            // A unit of work starts on it; layer 1 loads into the other bank,
            // and waits for layer 0's end to swap in.
            try pulse(probe, "progress_started")
            let second = try load(programs[1])
            probe.check("second layer's bank", second, 1 - first)
            probe.step(3)
            probe.check("pending while layer 0 runs", try probe.get("state_pending"), 1)
            probe.check("active bank while layer 0 runs", try probe.get("state_active_bank"), first)
            try probe.set("progress_started", true)
            try probe.set("progress_layer_ends", true)
            probe.step()
            try probe.set("progress_started", false)
            try probe.set("progress_layer_ends", false)
            probe.step(2)
            probe.check("active bank after the swap", try probe.get("state_active_bank"), second)
            try checkRegisters(probe, design: design, layer: layers[1], columns: 2, bank: second)

            // Bank `first` still has two units in flight: a load must wait for them.
            probe.check("idle banks", try probe.get("state_idle_banks"), 0)
            try probe.set("progress_finished_bank", first)
            try probe.set("load_last", false)
            var loaded = false
            for step in 0..<6 {
                if step == 2 || step == 4 { try pulse(probe, "progress_finished") }
                try probe.set("load_valid", true)
                let ready = try probe.flag("load_ready")
                if step < 4 && ready { probe.context.fail("load_ready", expected: "low while bank \(first) has work in flight", actual: "high") }
                loaded = loaded || ready
                try probe.set("load_valid", false)
                probe.step()
            }
            probe.check("ready once bank \(first) is free", loaded ? 1 : 0, 1)
        }
    }

    /// The smallest program (one beat of each memory kind) streamed without
    /// a gap into a bank that held another layer, its shape registers last:
    /// its commit checks the beat counts derived from them at the earliest
    /// cycle, and passes.
    @Test(arguments: Array(1...4) as [UInt64])
    func smallestLoadAtFullRateCommits(seed: UInt64) throws {
        let configuration = try randomConfiguration(seed: seed)
        let design = try PQAParameters(configuration)
        let maxima = configuration.maxima
        var random = RandomLayer(seed: seed)
        let largest = try random.layer(try PQShape(ls: maxima.ls, np: maxima.np, ns: maxima.ns, cout: maxima.cout), for: configuration)
        let smallest = try random.layer(try PQShape(ls: 1, np: 1, ns: 1, cout: 1), for: configuration)
        try checkStage(LayerControl(design: design, fixed: nil), seed: seed, "smallest load of \(configuration.parallelism.summary)") { probe in
            probe.reset()
            let programs = try [largest, smallest, largest, smallest].map { try LayerProgram($0, columns: 1, parameters: design).loadBeats }
            try probe.checkLoadsCommitAtFullRate(programs, layout: design.loadBeat, registerCount: LayerRegister.allCases.count,
                                                 shapeRegisters: [LayerRegister.ls, .np, .ns, .cout].map(\.rawValue))
        }
    }

    /// `ThresholdCount`'s two steps against counting, for every value
    /// of its input, narrow (the table) and wide (the comparators):
    /// thresholds from 0, gaps of one, thresholds beyond the input's range,
    /// and a single one.
    @Test(arguments: [[0, 3, 6, 9, 12, 15, 18, 21], [0, 1, 2, 3, 4, 5, 6, 7, 8], [2, 5, 40, 63, 64, 200], [5], [0, 16, 32, 48]])
    func countAboveCountsTheThresholdsBelow(thresholds: [Int]) throws {
        for width in [6, 10] {
            let simulator = Interpreter(try CountAboveModule(thresholds: thresholds, width: width).elaborate())
            for value in 0..<(1 << width) {
                try simulator.poke("value", value)
                #expect(try simulator.peekInt("count") == thresholds.filter { $0 < value }.count,
                        "value \(value) of \(width) bits, thresholds \(thresholds)")
            }
        }
    }

    private func pulse(_ probe: StageProbe, _ port: String) throws {
        try probe.set(port, true)
        probe.step()
        try probe.set(port, false)
    }

    /// The write ports two cycles after `beat` moves: its memory, into `bank`
    /// (none at all when no beat moved).
    private func checkWrite(_ probe: StageProbe, design: PQAParameters, beat: BitVector?, bank: Int) throws {
        let fields = beat.map { design.loadBeat.fields(of: $0) }
        let targets: [(LoadBeatKind, String, words: Int, bits: Int)] = [
            (.prototypes, "write_prototypes", design.prototypeWords, design.prototypeGrouping.beatWordBits),
            (.table, "write_table", design.tableWords, design.tableGrouping.beatWordBits), (.bias, "write_bias", design.biasWords, design.biasWordBits)]
        for (target, prefix, words, bits) in targets {
            let writes = fields.map { LoadBeatKind(rawValue: $0.kind) == target } ?? false
            probe.check("\(prefix)_enable", try probe.get("\(prefix)_enable"), writes ? 1 : 0)
            guard writes, let (_, index, address, data) = fields else { continue }
            probe.check("\(prefix)_address", try probe.get("\(prefix)_address"), bank * words + address)
            probe.check("\(prefix)_data", try probe.bits("\(prefix)_data"), data.truncated(to: bits))
            if target != .bias { probe.check("\(prefix)_index", try probe.get("\(prefix)_index"), index) }
        }
    }

    /// Bank `bank`'s registers and the counts derived from them.
    private func checkRegisters(_ probe: StageProbe, design: PQAParameters, layer: IntegerPQLayer, columns: Int, bank: Int) throws {
        let shape = layer.shape, p = design.configuration.parallelism, model = CycleModel(design)
        let expected: [(String, Int)] = [
            ("ls", shape.ls), ("np", shape.np), ("ns", shape.ns), ("cout", shape.cout), ("columns", columns),
            ("multiplier", layer.requantization.multiplier), ("shift", layer.requantization.shift),
            ("relu", layer.requantization.relu ? 1 : 0), ("chunks", ceilDivide(shape.ls, p.lsVec)),
            ("prototype_chunks", ceilDivide(shape.np, p.npVec)), ("groups", ceilDivide(shape.ns, p.nsVec)),
            ("output_chunks", ceilDivide(shape.cout, p.outVec)), ("encode_cycles", model.encodeCycles(shape)), ("period", model.slot(shape))]
        for (field, value) in expected { probe.check("bank_\(bank)_\(field)", try probe.get("bank_\(bank)_\(field)"), value) }
    }
}

/// `ThresholdCount`'s two steps, one after the other, of a `width`-bit input.
private struct CountAboveModule: HardwareModule {
    let thresholds: [Int]
    let width: Int
    var moduleName: String { "count_above" }
    func build(_ m: ModuleBuilder) {
        let counter = ThresholdCount(thresholds: thresholds, inputBits: width)
        m.output("count", counter.type) <== counter.count(counter.compared(m.input("value", .unsigned(width)), m), m)
    }
}
