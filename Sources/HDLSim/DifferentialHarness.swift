import Foundation
import HDL

/// What a test body sees on each engine: the simulator (recording as it
/// goes), a random generator seeded identically on every engine, and
/// `expect` for the values the test knows.
public final class HarnessContext {
    /// The engine the body is running on.
    public let engine: Engine
    /// The simulator to drive.
    public let simulator: any Simulator
    /// Random numbers from the run's seed: the same sequence on every engine.
    public var random: SeededGenerator
    fileprivate let recorder: RecordingSimulator
    fileprivate var failures: [HarnessFailure] = []
    private let seed: UInt64

    fileprivate init(engine: Engine, simulator: any Simulator, seed: UInt64) throws(SimulationError) {
        self.engine = engine
        recorder = try RecordingSimulator(simulator)
        self.simulator = recorder
        self.seed = seed
        random = SeededGenerator(seed: seed)
    }

    /// Checks that output `port` holds `expected` now; a difference is recorded
    /// (with the cycle) and reported after the run.
    public func expect(_ port: String, _ expected: BitVector) throws(SimulationError) {
        let actual = try simulator.peek(port)
        if actual != expected {
            failures.append(HarnessFailure(engine: engine, seed: seed, cycle: simulator.cycle, port: port,
                                           expected: expected.description, actual: actual.description,
                                           what: "differs from the test's expected value"))
        }
    }

    /// Records a failure when `actual` (read by the body) differs from `expected`.
    public func check(_ port: String, expected: BitVector, actual: BitVector, note: String = "") {
        if actual != expected {
            failures.append(HarnessFailure(engine: engine, seed: seed, cycle: simulator.cycle, port: port + (note.isEmpty ? "" : " (\(note))"),
                                           expected: expected.description, actual: actual.description,
                                           what: "differs from the test's expected value"))
        }
    }

    /// Records a failure the body detected itself.
    public func fail(_ port: String, expected: String, actual: String) {
        failures.append(HarnessFailure(engine: engine, seed: seed, cycle: simulator.cycle, port: port,
                                       expected: expected, actual: actual, what: "differs from the test's expected value"))
    }

    /// Checks that output `port` holds the integer `expected` (read with the port's signedness).
    public func expect(_ port: String, _ expected: Int) throws(SimulationError) {
        let type = simulator.netlist.port(named: port)?.type ?? .unsigned(64)
        try expect(port, BitVector(width: type.width, truncating: expected))
    }
}

/// The first disagreement of a differential run: where and how to see it.
public struct HarnessFailure: Error, CustomStringConvertible, Sendable {
    public let engine: Engine
    public let seed: UInt64
    public let cycle: Int
    public let port: String
    public let expected: String
    public let actual: String
    /// What the values were compared with.
    public let what: String
    /// A waveform of the failing run, when one was written.
    public var waveform: String?

    public var description: String {
        "\(engine.rawValue): \(port) at cycle \(cycle) is \(actual), \(what) \(expected) (seed \(seed))"
            + (waveform.map { "; waveform \($0)" } ?? "")
    }
}

/// Runs one test body on every engine and compares: each engine with the
/// test's expectations, and every engine's outputs, cycle by cycle, with the
/// reference engine's (the interpreter unless left out). Verilator runs the
/// body itself; Icarus replays the reference's recording in a testbench.
public enum DifferentialHarness {
    /// What one engine did.
    public struct EngineResult: Sendable {
        public let engine: Engine
        /// Wall-clock seconds, including any build.
        public let seconds: Double
        /// Its first failure, if any.
        public let failure: HarnessFailure?
    }

    /// The outcome of a run on every engine.
    public struct Report: Sendable {
        public let design: String
        public let seed: UInt64
        /// The reference engine's recording.
        public let run: RecordedRun
        public let results: [EngineResult]
        /// The first failure on any engine.
        public var failure: HarnessFailure? { results.lazy.compactMap(\.failure).first }
        /// Whether every engine met the expectations and agreed.
        public var passed: Bool { failure == nil }
    }

    /// Runs `body` on `engines` for `netlist`: first on the reference (the
    /// interpreter, or Verilator when the interpreter is not among `engines`),
    /// then on the others, each compared with the reference. The body must depend only on `context.random` and what it
    /// reads from the simulator, so that every engine sees the same stimulus.
    /// A failing engine is run once more with a waveform, whose path the
    /// failure names.
    public static func run(_ netlist: Netlist, seed: UInt64, engines: [Engine] = Engine.installed,
                           body: (HarnessContext) throws -> Void) throws -> Report {
        var start = Date()
        // The reference is the interpreter, or the first in-process engine asked for.
        let referenceEngine: Engine = engines.contains(.interpreter) || !engines.contains(.verilator) ? .interpreter : .verilator
        func make(_ engine: Engine) throws -> any Simulator {
            engine == .verilator ? try VerilatorSimulator(netlist) : Interpreter(netlist)
        }
        let reference = try HarnessContext(engine: referenceEngine, simulator: make(referenceEngine), seed: seed)
        try body(reference)
        var referenceFailure = reference.failures.first
        if referenceFailure != nil {
            referenceFailure?.waveform = try traced(netlist, seed: seed, body: body) { () throws -> any Simulator in
                referenceEngine == .verilator ? try VerilatorSimulator(netlist, tracing: true) : Interpreter(netlist)
            }
        }
        var results = [EngineResult(engine: referenceEngine, seconds: Date().timeIntervalSince(start), failure: referenceFailure)]
        let run = reference.recorder.run
        for engine in engines where engine != referenceEngine {
            start = Date()
            var failure: HarnessFailure?
            switch engine {
            case .interpreter:
                break
            case .verilator:
                let context = try HarnessContext(engine: .verilator, simulator: VerilatorSimulator(netlist), seed: seed)
                try body(context)
                failure = context.failures.first ?? compare(context.recorder.run, with: run, engine: .verilator, seed: seed)
                if failure != nil {
                    failure?.waveform = try traced(netlist, seed: seed, body: body) { try VerilatorSimulator(netlist, tracing: true) }
                }
            case .icarus:
                let directory = FileManager.default.temporaryDirectory
                    .appendingPathComponent("pqa-icarus-\(netlist.name)-\(seed)-\(UUID().uuidString.prefix(8))")
                let replay = try IcarusRunner.replay(run, design: netlist, in: directory)
                if let mismatch = replay.firstMismatch(against: run), let port = mismatch.ports.first {
                    _ = try IcarusRunner.replay(run, design: netlist, in: directory, waveform: true)
                    failure = HarnessFailure(engine: .icarus, seed: seed, cycle: mismatch.cycle, port: port.name,
                                             expected: port.expected.description, actual: port.observed.description,
                                             what: "differs from the reference engine's",
                                             waveform: directory.appendingPathComponent(VerilogTestbench.waveformFile).path)
                } else if replay.observed.count != run.cycles {
                    failure = HarnessFailure(engine: .icarus, seed: seed, cycle: replay.observed.count, port: "-",
                                             expected: "\(run.cycles) cycles", actual: "\(replay.observed.count)",
                                             what: "ran a different number of cycles than", waveform: directory.path)
                } else {
                    try? FileManager.default.removeItem(at: directory)
                }
            }
            results.append(EngineResult(engine: engine, seconds: Date().timeIntervalSince(start), failure: failure))
        }
        return Report(design: netlist.name, seed: seed, run: run, results: results)
    }

    /// The first cycle where `candidate`'s outputs differ from `reference`'s.
    static func compare(_ candidate: RecordedRun, with reference: RecordedRun, engine: Engine, seed: UInt64) -> HarnessFailure? {
        guard candidate.cycles == reference.cycles else {
            return HarnessFailure(engine: engine, seed: seed, cycle: min(candidate.cycles, reference.cycles), port: "-",
                                  expected: "\(reference.cycles) cycles", actual: "\(candidate.cycles)",
                                  what: "ran a different number of cycles than the reference engine's")
        }
        for cycle in reference.firstCheckedCycle..<reference.cycles {
            for (index, name) in reference.outputNames.enumerated() where candidate.outputs[cycle][index] != reference.outputs[cycle][index] {
                return HarnessFailure(engine: engine, seed: seed, cycle: cycle, port: name,
                                      expected: reference.outputs[cycle][index].description,
                                      actual: candidate.outputs[cycle][index].description, what: "differs from the reference engine's")
            }
        }
        return nil
    }

    /// Runs the body again on a fresh simulator with a waveform; returns its path.
    private static func traced(_ netlist: Netlist, seed: UInt64, body: (HarnessContext) throws -> Void,
                               make: () throws -> any Simulator) throws -> String {
        let simulator = try make()
        let engine: Engine = simulator is Interpreter ? .interpreter : .verilator
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("pqa-\(engine.rawValue)-\(netlist.name)-seed\(seed).vcd").path
        try simulator.startTrace(writingTo: path)
        try body(try HarnessContext(engine: engine, simulator: simulator, seed: seed))
        simulator.stopTrace()
        return path
    }

    /// The harness with a random-stimulus body: resets, then `cycles` cycles
    /// of random inputs over their full ranges.
    public static func randomRun(_ netlist: Netlist, cycles: Int, seed: UInt64, engines: [Engine] = Engine.installed,
                                 waveform: URL? = nil) throws -> Report {
        try run(netlist, seed: seed, engines: engines) { context in
            if let waveform, context.engine == .interpreter { try context.simulator.startTrace(writingTo: waveform.path) }
            var stimulus = RandomStimulus(seed: seed)
            try stimulus.drive(context.simulator, cycles: cycles)
            if waveform != nil { context.simulator.stopTrace() }
        }
    }
}
