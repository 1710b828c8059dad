import Foundation
import HDL
@testable import HDLSim
import Testing

/// Icarus replays: a wrong expectation is caught by both the Verilog
/// testbench and the Swift comparison, and four-state output is read right.
@Suite struct IcarusRunnerTests {
    @Test(.enabled(if: toolAvailable("iverilog")))
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
