import Foundation
import HDL
@testable import HDLSim
import Testing

/// The emitted Verilog, run under Icarus with a generated testbench, agrees
/// with the interpreter cycle by cycle on every example and on random designs.
@Suite struct IcarusRunnerTests {
    static var designs: [(name: String, module: any HardwareModule)] {
        Examples.all.map { ($0.name, $0.make()) }
            + [("fifo5", StreamFIFO(depth: 5, width: 3)), ("argmin-signed", ArgminTree(inputs: 9, width: 7, signed: true, levelsPerStage: 1))]
            + (0..<6).map { ("random\($0)", RandomExpressionTree(seed: 100 + UInt64($0))) }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CI"] == "true" || ExternalTool.locate("iverilog") != nil))
    func icarusAgreesWithTheInterpreter() throws {
        for (index, design) in Self.designs.enumerated() {
            let seed = UInt64(1000 + index)
            let netlist = try design.module.elaborate()
            let recorder = try RecordingSimulator(Interpreter(netlist))
            var stimulus = RandomStimulus(seed: seed)
            try stimulus.drive(recorder, cycles: 150)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-icarus-\(UUID().uuidString)")
            let replay = try IcarusRunner.replay(recorder.run, design: netlist, in: directory)
            #expect(replay.observed.count == recorder.run.cycles, "\(design.name) seed \(seed)")
            if let mismatch = replay.firstMismatch(against: recorder.run) {
                let ports = mismatch.ports.map { "\($0.name): interpreter \($0.expected), icarus \($0.observed)" }
                Issue.record("\(design.name) seed \(seed) cycle \(mismatch.cycle): \(ports.joined(separator: "; ")); files in \(directory.path)")
            }
            #expect(replay.summary == "\(recorder.run.cycles - recorder.run.firstCheckedCycle) passed, 0 failed", "\(design.name): \(replay.summary)")
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CI"] == "true" || ExternalTool.locate("iverilog") != nil))
    func aWrongExpectationIsCaughtOnBothSides() throws {
        let netlist = try Counter(width: 4).elaborate()
        let recorder = try RecordingSimulator(Interpreter(netlist))
        var stimulus = RandomStimulus(seed: 7)
        try stimulus.drive(recorder, cycles: 20)
        var run = recorder.run
        run.outputs[12][0] = run.outputs[12][0].xor(BitVector(width: 4, truncating: 0b0100 as UInt64))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-icarus-\(UUID().uuidString)")
        let replay = try IcarusRunner.replay(run, design: netlist, in: directory)
        #expect(replay.firstMismatch(against: run)?.cycle == 12)
        #expect(replay.firstMismatch(against: run)?.ports.map(\.name) == ["count"])
        #expect(replay.summary.hasSuffix(" passed, 1 failed"))
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func fourStateOutputParsing() {
        let (value, known) = IcarusRunner.parseFourState("1x", width: 8)
        #expect(value.unsignedValue == 0x10)
        #expect(known.unsignedValue == 0xF0)
    }
}
