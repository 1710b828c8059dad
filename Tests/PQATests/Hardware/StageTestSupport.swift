import HDL
import HDLSim
import PQ
@testable import PQA
import Testing

/// Runs `body` on one stage module alone, on the interpreter and Verilator
/// through the differential harness; a failure names the seed and a waveform.
func checkStage(_ stage: some HardwareModule, seed: UInt64, _ what: String,
                body: (StageProbe) throws -> Void) throws {
    let netlist = try stage.elaborate()
    let report = try DifferentialHarness.run(netlist, seed: seed, engines: Engine.installed.filter { $0 != .icarus }) { context in
        try body(StageProbe(context))
    }
    let passed = report.passed
    #expect(passed, "\(what), seed \(seed): \(report.failure?.description ?? "")")
}

/// Pokes and peeks a stage's ports by name, with integers.
struct StageProbe {
    let context: HarnessContext
    var simulator: any Simulator { context.simulator }

    init(_ context: HarnessContext) { self.context = context }

    /// Drives `port` with `value`, wrapped to the port's width (two's complement).
    func set(_ port: String, _ value: Int) throws {
        let width = simulator.netlist.port(named: port)?.type.width ?? 1
        try simulator.poke(port, BitVector(width: width, truncating: value))
    }

    func set(_ port: String, _ value: Bool) throws { try set(port, value ? 1 : 0) }

    func set(_ port: String, _ bits: BitVector) throws { try simulator.poke(port, bits) }

    /// The unsigned value of `port`.
    func get(_ port: String) throws -> Int { Int(try simulator.peek(port).unsignedValue ?? 0) }

    func flag(_ port: String) throws -> Bool { try get(port) != 0 }

    func bits(_ port: String) throws -> BitVector { try simulator.peek(port) }

    /// Records a failure when `actual` differs from `expected`.
    func check(_ what: String, _ actual: Int, _ expected: Int) {
        if actual != expected { context.fail(what, expected: "\(expected)", actual: "\(actual)") }
    }

    func check(_ what: String, _ actual: BitVector, _ expected: BitVector) {
        context.check(what, expected: expected, actual: actual)
    }

    func step(_ cycles: Int = 1) { simulator.step(cycles) }

    /// Holds reset for two cycles.
    func reset() { simulator.reset(cycles: 2) }

    /// A random integer in `range`, the same on every engine.
    func random(_ range: ClosedRange<Int>) -> Int { context.random.nextInt(in: range) }

    /// True with probability `chance`.
    func chance(_ chance: Double) -> Bool { context.random.nextDouble() < chance }

    /// A value of `format`, its extremes drawn often.
    func value(_ format: IntegerFormat) -> Int {
        switch random(0...5) {
        case 0: return format.minValue
        case 1: return format.maxValue
        default: return random(format.minValue...format.maxValue)
        }
    }
}

extension StageProbe {
    /// Streams each program into a layer control at full rate (valid on
    /// every cycle), the registers at `shapeRegisters` last of its
    /// `registerCount` register beats (any order is legal), and checks that
    /// its commit passes and it swaps in; the layer then ends at once (it
    /// never starts work), so the next program's bank is free.
    func checkLoadsCommitAtFullRate(_ programs: [[BitVector]], layout: LoadBeatLayout, registerCount: Int, shapeRegisters: [Int]) throws {
        func isShapeRegister(_ beat: BitVector) -> Bool {
            let fields = layout.fields(of: beat)
            return fields.kind == LoadBeatKind.layerRegister.rawValue && shapeRegisters.contains(fields.address)
        }
        for (index, program) in programs.enumerated() {
            let registers = program.prefix(registerCount)
            let beats = registers.filter { !isShapeRegister($0) } + registers.filter(isShapeRegister) + program.dropFirst(registerCount)
            var next = 0
            while next < beats.count {
                let fields = layout.fields(of: beats[next])
                try set("load_valid", true)
                try set("load_last", next == beats.count - 1)
                try set("load_kind", fields.kind)
                try set("load_index", fields.index)
                try set("load_address", fields.address)
                try set("load_data", fields.data)
                if try flag("load_ready") { next += 1 }
                step()
            }
            try set("load_valid", false)
            step(CycleModel.commitCycles)
            check("error after load \(index)", try get("error"), 0)
            check("active bank after load \(index)", try get("state_active_bank"), 1 - index % 2)
            try set("progress_layer_ends", true)
            step()
            try set("progress_layer_ends", false)
        }
    }
}
