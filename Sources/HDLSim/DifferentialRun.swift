import Foundation
import HDL

/// A simulation engine.
public enum Engine: String, CaseIterable, Sendable {
    /// The built-in interpreter (always available).
    case interpreter
    /// Verilator, the design compiled and loaded into this process.
    case verilator
    /// Icarus Verilog, replaying the interpreter's recorded run in a testbench.
    case icarus

    /// The system tool the engine needs, if any.
    public var tool: String? {
        switch self {
        case .interpreter: nil
        case .verilator: "verilator"
        case .icarus: "iverilog"
        }
    }
}

/// Runs a design under seeded random stimulus on the interpreter, replays the
/// run on the other engines and compares them cycle by cycle.
public struct DifferentialRun {
    /// What one engine did.
    public struct EngineResult: Sendable {
        public let engine: Engine
        /// Wall-clock seconds, including any build.
        public let seconds: Double
        /// nil when the engine agreed with the interpreter on every checked cycle.
        public let mismatch: String?
        /// Where its files are, for engines that write any.
        public let directory: URL?
    }

    public let netlist: Netlist
    public let seed: UInt64
    public let cycles: Int
    public private(set) var results: [EngineResult] = []
    /// The interpreter's recording.
    public private(set) var run: RecordedRun

    /// Runs `netlist` for `cycles` random cycles from `seed` on `engines`
    /// (the interpreter always runs first: its recording is the reference).
    /// With `waveform`, the interpreter writes a VCD there.
    public init(_ netlist: Netlist, engines: [Engine], cycles: Int, seed: UInt64, waveform: URL? = nil) throws {
        self.netlist = netlist
        self.seed = seed
        self.cycles = cycles
        let interpreter = Interpreter(netlist)
        if let waveform { try interpreter.startTrace(writingTo: waveform.path) }
        let recorder = try RecordingSimulator(interpreter)
        var stimulus = RandomStimulus(seed: seed)
        let start = Date()
        try stimulus.drive(recorder, cycles: cycles)
        interpreter.stopTrace()
        run = recorder.run
        results.append(EngineResult(engine: .interpreter, seconds: Date().timeIntervalSince(start), mismatch: nil, directory: nil))
        for engine in engines where engine != .interpreter {
            results.append(try replay(on: engine))
        }
    }

    private func replay(on engine: Engine) throws -> EngineResult {
        let start = Date()
        switch engine {
        case .interpreter:
            return EngineResult(engine: engine, seconds: 0, mismatch: nil, directory: nil)
        case .verilator:
            let simulator = try VerilatorSimulator(netlist)
            var mismatch = try Self.replay(run, on: simulator)
            if let found = mismatch {
                let waveform = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-verilator-\(netlist.name)-\(seed).vcd")
                let traced = try VerilatorSimulator(netlist)
                try traced.startTrace(writingTo: waveform.path)
                _ = try Self.replay(run, on: traced)
                traced.stopTrace()
                mismatch = "seed \(seed), \(found); waveform \(waveform.path)"
            }
            return EngineResult(engine: engine, seconds: Date().timeIntervalSince(start), mismatch: mismatch,
                                directory: simulator.libraryPath.deletingLastPathComponent())
        case .icarus:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-icarus-\(netlist.name)-\(seed)")
            try? FileManager.default.removeItem(at: directory)
            var replay = try IcarusRunner.replay(run, design: netlist, in: directory)
            var mismatch: String?
            if let first = replay.firstMismatch(against: run) {
                replay = try IcarusRunner.replay(run, design: netlist, in: directory, waveform: true)
                let ports = first.ports.map { "\($0.name) expected \($0.expected) observed \($0.observed)" }
                mismatch = "seed \(seed), cycle \(first.cycle): \(ports.joined(separator: "; ")); waveform \(directory.appendingPathComponent(VerilogTestbench.waveformFile).path)"
            }
            return EngineResult(engine: engine, seconds: Date().timeIntervalSince(start), mismatch: mismatch, directory: directory)
        }
    }

    /// Drives `simulator` with the recorded inputs and compares its outputs
    /// before every edge; returns the first difference, described.
    public static func replay(_ run: RecordedRun, on simulator: any Simulator) throws(SimulationError) -> String? {
        for cycle in 0..<run.cycles {
            for (name, value) in zip(run.inputNames, run.inputs[cycle]) { try simulator.poke(name, value) }
            if cycle >= run.firstCheckedCycle {
                for (name, expected) in zip(run.outputNames, run.outputs[cycle]) {
                    let actual = try simulator.peek(name)
                    if actual != expected { return "cycle \(cycle): \(name) expected \(expected) observed \(actual)" }
                }
            }
            simulator.step(1)
        }
        return nil
    }

    /// Whether every engine agreed.
    public var agrees: Bool { results.allSatisfy { $0.mismatch == nil } }
}
