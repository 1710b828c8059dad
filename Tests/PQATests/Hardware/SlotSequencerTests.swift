import HDL
import PQ
@testable import PQA
import Testing

/// The slot sequencer alone, its surroundings played by the test: a layer
/// control that swaps a layer in (the sequencer follows its end), an input buffer
/// whose slots fill after random delays and empty on `release`, and an
/// output FIFO drained at random. Every slot must issue the schedule the
/// cycle model assumes (`chunks x prototypeChunks` operations, element chunk
/// fastest, then the idle rest of its `period`), start only with a full slot
/// and room for the column's output beats, and release each slot once.
@Suite(.serialized) struct SlotSequencerTests {
    /// A random layer of a random configuration, its beats drained with a
    /// chance of 0.6 a cycle, or slowly (at 0.3 of the rate the layer makes
    /// them, over columns enough to fill the output FIFO three times), so
    /// that the output room must hold starts back.
    struct Case: CustomTestStringConvertible, Sendable {
        let seed: UInt64
        var slowDrain = false
        /// The layer is one group of one cycle's slot (Ls, Np, Ns and Cout
        /// within the parallelism): a reserve at every start, starts back to back.
        var oneCycleColumns = false
        var testDescription: String { "seed \(seed)\(slowDrain ? ", slow drain" : "")\(oneCycleColumns ? ", one-cycle columns" : "")" }
    }

    static let cases = (1...8).map { Case(seed: $0) } + (9...12).map { Case(seed: $0, slowDrain: true) }
        + (13...16).map { Case(seed: $0, slowDrain: true, oneCycleColumns: true) }

    @Test(arguments: cases)
    func slotsFollowTheSchedule(_ test: Case) throws {
        let seed = test.seed
        var configuration = try randomConfiguration(seed: seed)
        if test.slowDrain { configuration.maxima.columns = 512 }
        let design = try PQAParameters(configuration)
        let p = configuration.parallelism
        var random = RandomLayer(seed: seed)
        let shape = test.oneCycleColumns
            ? try PQShape(ls: min(p.lsVec, configuration.maxima.ls), np: min(p.npVec, configuration.maxima.np),
                          ns: min(p.nsVec, configuration.maxima.ns), cout: min(p.outVec, configuration.maxima.cout))
            : try random.shape(within: configuration.maxima)
        let model = CycleModel(design)
        let chunks = ceilDivide(shape.ls, p.lsVec), prototypeChunks = ceilDivide(shape.np, p.npVec)
        let groups = ceilDivide(shape.ns, p.nsVec), outputChunks = ceilDivide(shape.cout, p.outVec)
        if test.oneCycleColumns { try #require(model.slot(shape) == 1 && groups == 1, "\(shape) is not one group of a one-cycle slot") }
        // A column's beats come at most every `groups x slot` cycles, and
        // (the input buffer's random delays) about every six at the most.
        let drain = test.slowDrain ? 0.3 * Double(outputChunks) / Double(max(groups * model.slot(shape), 6)) : 0.6
        let columns = test.slowDrain ? 3 * design.outputFIFODepth / outputChunks + 3 : 3, bank = Int(seed % 2)
        try #require(columns <= configuration.maxima.columns, "\(columns) columns, at most \(configuration.maxima.columns) in a layer")
        let cycles = columns * (groups * (model.slot(shape) + 6) * 3 + Int(Double(outputChunks) / drain * 2)) + 60
        try checkStage(SlotSequencer(design: design, streaming: false), seed: seed, "slot sequencer of \(p.summary), \(shape)") { probe in
            probe.reset()
            for b in 0..<2 {
                let timing = ["chunks": chunks, "prototype_chunks": prototypeChunks, "groups": groups, "output_chunks": outputChunks,
                              "encode_cycles": model.encodeCycles(shape), "period": model.slot(shape), "columns": columns]
                for (field, value) in timing { try probe.set("bank_\(b)_\(field)", value) }
            }
            try probe.set("active_bank", bank)
            try probe.set("active_load_bank", bank)
            // A loaded bank's timing holds from before its swap, its encode
            // cycles and output chunks from four cycles before (`SlotSequencer.Inputs`).
            probe.step(4)
            try probe.set("active_swap", true)
            probe.step()
            try probe.set("active_swap", false)

            var full = [false, false], arriving = [0, 0]  // cycles until each slot's column is in
            var columnsArrived = 0, outstanding = 0, releases = 0
            var operations: [(group: Int, chunk: Int, prototypeChunk: Int, address: Int, cycle: Int)] = []
            var starts: [Int] = []
            var mostReserved = 0
            for cycle in 0..<cycles {
                // The input buffer: the next column lands in its slot after a random delay.
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
                // The FIFO: a beat leaves now and then.
                let pop = outstanding > 0 && probe.chance(drain)
                try probe.set("output_pop", pop)
                if try probe.flag("started") {
                    starts.append(cycle)
                    if starts.count % groups == 0 {  // a column's last group reserves its output beats
                        outstanding += outputChunks
                        mostReserved = max(mostReserved, outstanding)
                        if outstanding > design.outputFIFODepth {
                            probe.context.fail("output space", expected: "at most \(design.outputFIFODepth) beats reserved", actual: "\(outstanding)")
                        }
                    }
                    if try probe.flag("layer_ends") { probe.check("layer ends on the last slot", starts.count, columns * groups) }
                }
                if try probe.flag("operation_valid") {
                    operations.append((try probe.get("operation_group"), try probe.get("operation_chunk"),
                                       try probe.get("operation_prototype_chunk"), try probe.get("operation_prototype_address"), cycle))
                    probe.check("operation_bank", try probe.get("operation_bank"), bank)
                }
                for slot in 0..<2 where try probe.flag("release_\(slot)") {
                    probe.check("released slot", slot, releases % 2)
                    full[slot] = false
                    releases += 1
                }
                probe.step()
                if pop { outstanding -= 1 }
            }
            // The schedule: per slot, element chunks fastest, then prototype chunks; groups in order.
            let perSlot = model.encodeCycles(shape)
            probe.check("slots", starts.count, columns * groups)
            probe.check("operations", operations.count, columns * groups * perSlot)
            probe.check("releases", releases, columns)
            if test.slowDrain && mostReserved + outputChunks <= design.outputFIFODepth {
                probe.context.fail("output room", expected: "the FIFO filled (a start held back for room)",
                                   actual: "at most \(mostReserved) of \(design.outputFIFODepth) beats reserved")
            }
            for (index, operation) in operations.enumerated() {
                let slot = index / perSlot, within = index % perSlot
                probe.check("operation \(index) group", operation.group, slot % groups)
                probe.check("operation \(index) chunk", operation.chunk, within % chunks)
                probe.check("operation \(index) prototype chunk", operation.prototypeChunk, within / chunks)
                probe.check("operation \(index) prototype address", operation.address,
                            bank * design.prototypeWords + (operation.group * design.prototypeChunksMax + operation.prototypeChunk) * design.chunksMax
                                + operation.chunk)
                if within > 0 { probe.check("operation \(index) follows the previous", operation.cycle, operations[index - 1].cycle + 1) }
            }
            for (index, start) in starts.enumerated().dropFirst() {
                if start - starts[index - 1] < model.slot(shape) {
                    probe.context.fail("slot start \(index)", expected: "at least \(model.slot(shape)) cycles after the last", actual: "\(start - starts[index - 1])")
                }
            }
        }
    }
}
