import HDL
import HDLSim
import PQ
@testable import PQA
import Testing

/// One phase of a scripted host: load beats, then (from the cycle after the
/// last load beat moved) activation beats, each with its `tlast` as given,
/// right or wrong; then the output beats the golden model expects of the
/// phase and the error code the phase must raise.
struct HostPhase {
    let what: String
    var load: [(beat: BitVector, last: Bool)] = []
    var activations: [(beat: BitVector, last: Bool)] = []
    /// Output beats (with their `tlast`) the phase must produce, in order.
    var expected: [(beat: BitVector, last: Bool)] = []
    /// The code `error` must show at some cycle of the phase.
    var raises: CoreErrorCode?
    /// Whether `error` must be 0 at the phase's end (a good commit clears it); by default when the phase raises nothing.
    var clears: Bool?
}

extension HostPhase {
    /// A good PQ layer: its program with `tlast` on the last beat, its columns, the golden outputs.
    static func layer(_ layer: IntegerPQLayer, columns: [[Int]], parameters: PQAParameters, _ what: String) throws -> HostPhase {
        let program = try LayerProgram(layer, columns: columns.count, parameters: parameters)
        let outputs = try layer.outputs(columns: Matrix(rowArrays: columns))
        let expected = (0..<columns.count).map { row in ColumnBeats.output((0..<layer.shape.cout).map { outputs[row, $0] }, parameters: parameters) }
        return HostPhase(what: what, load: program.loadBeats.enumerated().map { ($1, $0 == program.loadBeats.count - 1) },
                         activations: try columns.flatMap { try columnBeats($0, shape: layer.shape, parameters: parameters) },
                         expected: expected.flatMap { beats in beats.enumerated().map { ($1, $0 == beats.count - 1) } })
    }

    /// A column's input beats with `tlast` on its last.
    static func columnBeats(_ column: [Int], shape: PQShape, parameters: PQAParameters) throws -> [(beat: BitVector, last: Bool)] {
        let beats = try ColumnBeats.input(column, shape: shape, parameters: parameters)
        return beats.enumerated().map { ($1, $0 == beats.count - 1) }
    }
}

/// Plays `phases` on the core in `context`, one after the other: every beat
/// offered until it moves, outputs always taken and checked against the
/// phases' expected beats, `error` read every cycle. A phase ends when its
/// beats have moved, its outputs have arrived and 40 quiet cycles have
/// passed; no beat may arrive that no phase expects, and the core must end idle.
func play(_ phases: [HostPhase], in context: HarnessContext, patience: Int = 4_000) throws {
    let sim = context.simulator
    sim.reset(cycles: 2)
    try sim.poke("m_axis_out_tready", 1)
    var received = 0
    for (number, phase) in phases.enumerated() {
        var loaded = 0, sent = 0, quiet = 0, seen: Set<Int> = [], waited = 0
        let phaseStart = received
        while loaded < phase.load.count || sent < phase.activations.count || received < phaseStart + phase.expected.count || quiet < 40 {
            let offerLoad = loaded < phase.load.count, offerInput = !offerLoad && sent < phase.activations.count
            try sim.poke("s_axis_load_tvalid", offerLoad ? 1 : 0)
            if offerLoad {
                try sim.poke("s_axis_load_tdata", phase.load[loaded].beat)
                try sim.poke("s_axis_load_tlast", phase.load[loaded].last ? 1 : 0)
            }
            try sim.poke("s_axis_act_tvalid", offerInput ? 1 : 0)
            if offerInput {
                try sim.poke("s_axis_act_tdata", phase.activations[sent].beat)
                try sim.poke("s_axis_act_tlast", phase.activations[sent].last ? 1 : 0)
            }
            var moved = false
            if try offerLoad && !sim.peek("s_axis_load_tready").isZero { loaded += 1; moved = true }
            if try offerInput && !sim.peek("s_axis_act_tready").isZero { sent += 1; moved = true }
            if try !sim.peek("m_axis_out_tvalid").isZero {
                let index = received - phaseStart
                guard index < phase.expected.count else {
                    context.fail("m_axis_out_tvalid", expected: "no output beat beyond phase \(number)'s \(phase.expected.count) (\(phase.what))",
                                 actual: "beat \(index + 1)")
                    return
                }
                let (beat, last) = phase.expected[index]
                try context.check("m_axis_out_tdata", expected: beat, actual: sim.peek("m_axis_out_tdata"), note: "\(phase.what), output beat \(index)")
                try context.check("m_axis_out_tlast", expected: BitVector(width: 1, truncating: last ? 1 : 0), actual: sim.peek("m_axis_out_tlast"),
                                  note: "\(phase.what), output beat \(index)")
                received += 1
                moved = true
            }
            let code = try Int(sim.peek("error").unsignedValue ?? 0)
            if code != 0 { seen.insert(code) }
            sim.step(1)
            quiet = moved || offerLoad || offerInput ? 0 : quiet + 1
            waited = moved ? 0 : waited + 1
            if waited > patience {
                context.fail("streams", expected: "\(phase.what): every beat moves", actual: "stuck: load \(loaded)/\(phase.load.count), "
                             + "activations \(sent)/\(phase.activations.count), outputs \(received - phaseStart)/\(phase.expected.count)")
                return
            }
        }
        try sim.poke("s_axis_load_tvalid", 0)
        try sim.poke("s_axis_act_tvalid", 0)
        let raised = seen.sorted().map { CoreErrorCode(rawValue: $0)?.description ?? "\($0)" }
        if let code = phase.raises, !seen.contains(code.rawValue) {
            context.fail("error", expected: "\(phase.what): \(code)", actual: raised.isEmpty ? "0 throughout" : raised.joined(separator: "; "))
        }
        if phase.clears ?? (phase.raises == nil) { try context.expect("error", 0) }
    }
    try context.expect("idle", 1)
}
