import HDL
import HDLSim

/// A layer as beats on a core's three streams (load, activations, outputs).
struct StreamLayer {
    /// Load beats; the last one carries `tlast`. Empty for a fixed-table design.
    let loadBeats: [BitVector]
    let inputBeats: [BitVector]
    let beatsPerInputColumn: Int
    /// What the golden model says the outputs are.
    let expectedBeats: [BitVector]
    let beatsPerOutputColumn: Int
}

/// The stimulus and checking shared by the co-simulations of the PQA core
/// and the MAC-array baseline: both have the same streams.
enum StreamDriver {
    /// Drives `layers` through the design in `context` with `traffic`:
    /// offers load and input beats (a layer's input beats from the cycle
    /// after its load's `tlast` beat moved, as the data sheet requires),
    /// takes and checks every output beat, and
    /// fails when no beat moves for `patience` cycles. Returns each layer's
    /// cycles, from its first input beat accepted to its last output beat,
    /// and the whole run's, from the first cycle after reset to the last
    /// output beat.
    static func drive(_ context: HarnessContext, layers: [StreamLayer], traffic: CoSimulation.Traffic,
                      patience: Int) throws -> (layers: [Int], total: Int) {
        let sim = context.simulator
        sim.reset(cycles: 2)
        let loads = layers.flatMap { layer in layer.loadBeats.enumerated().map { ($1, $0 == layer.loadBeats.count - 1) } }
        let loadable = sim.netlist.port(named: "s_axis_load_tvalid") != nil
        let inputs = layers.flatMap { layer in
            layer.inputBeats.enumerated().map { ($1, ($0 + 1) % layer.beatsPerInputColumn == 0) }
        }
        let expected = layers.flatMap { layer in
            layer.expectedBeats.enumerated().map { ($1, ($0 + 1) % layer.beatsPerOutputColumn == 0) }
        }
        let inputLayerEnds = layers.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1.inputBeats.count) }
        let outputLayerEnds = layers.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1.expectedBeats.count) }
        let loadLayerEnds = layers.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1.loadBeats.count) }
        var loaded = 0, sent = 0, received = 0
        var firstInputCycle: [Int] = [], lastOutputCycle: [Int] = []
        var lastProgress = 0, stuck = false
        var random = context.random
        var cycle = -1
        while received < expected.count {
            cycle += 1
            if cycle - lastProgress > patience {
                stuck = true
                break
            }
            let offerLoad = loaded < loads.count && random.nextDouble() < traffic.inputProbability
            let inputLayer = inputLayerEnds.firstIndex { sent < $0 } ?? layers.count
            let committed = inputLayer < layers.count && loaded >= loadLayerEnds[inputLayer]
            let offerInput = sent < inputs.count && random.nextDouble() < traffic.inputProbability && committed
            let takeOutput = random.nextDouble() < traffic.outputProbability
            if loadable { try sim.poke("s_axis_load_tvalid", offerLoad ? 1 : 0) }
            if loaded < loads.count {
                try sim.poke("s_axis_load_tdata", loads[loaded].0)
                try sim.poke("s_axis_load_tlast", loads[loaded].1 ? 1 : 0)
            }
            try sim.poke("s_axis_act_tvalid", offerInput ? 1 : 0)
            if sent < inputs.count {
                try sim.poke("s_axis_act_tdata", inputs[sent].0)
                try sim.poke("s_axis_act_tlast", inputs[sent].1 ? 1 : 0)
            }
            try sim.poke("m_axis_out_tready", takeOutput ? 1 : 0)
            let loadReady = try loadable && !sim.peek("s_axis_load_tready").isZero
            let inputReady = try !sim.peek("s_axis_act_tready").isZero
            let outputValid = try !sim.peek("m_axis_out_tvalid").isZero
            if (offerLoad && loadReady) || (offerInput && inputReady) || (takeOutput && outputValid) { lastProgress = cycle }
            if offerLoad && loadReady { loaded += 1 }
            if offerInput && inputReady {
                if inputLayerEnds.firstIndex(where: { sent < $0 }) == firstInputCycle.count { firstInputCycle.append(cycle) }
                sent += 1
            }
            if takeOutput && outputValid {
                let (beat, last) = expected[received]
                try context.check("m_axis_out_tdata", expected: beat, actual: sim.peek("m_axis_out_tdata"), note: "output beat \(received)")
                try context.check("m_axis_out_tlast", expected: BitVector(width: 1, truncating: last ? 1 as UInt64 : 0),
                                  actual: sim.peek("m_axis_out_tlast"), note: "output beat \(received)")
                received += 1
                if outputLayerEnds.contains(received) { lastOutputCycle.append(cycle) }
            }
            sim.step(1)
        }
        if !stuck {
            // Everything delivered: the core reports idle on the next cycle.
            try sim.poke("s_axis_act_tvalid", 0)
            if loadable { try sim.poke("s_axis_load_tvalid", 0) }
            try context.expect("idle", 1)
        }
        if stuck {
            context.fail("m_axis_out_tvalid", expected: "\(expected.count) output beats",
                         actual: "\(received), then no beat moved for \(patience) cycles (loaded \(loaded)/\(loads.count), sent \(sent)/\(inputs.count))")
        }
        return (zip(firstInputCycle, lastOutputCycle).map { $1 - $0 + 1 }, (lastOutputCycle.last ?? cycle) + 1)
    }
}
