import Foundation
import HDL
@testable import HDLSim
import Testing

/// Every example and random designs agree on every available engine.
@Suite(.serialized) struct DifferentialHarnessTests {
    static var designs: [(name: String, module: any HardwareModule)] {
        Examples.all.map { ($0.name, $0.make()) }
            + [("fifo5", StreamFIFO(depth: 5, width: 3)), ("fifo5-read-parts", StreamFIFO(depth: 5, width: 7, partWidth: 3)),
               ("argmin-signed", ArgminTree(inputs: 9, width: 7, signed: true, levelsPerStage: 1))]
            + (0..<6).map { ("random\($0)", RandomExpressionTree(seed: 200 + UInt64($0))) }
    }

    static var engines: [Engine] {
        Engine.allCases.filter { $0.tool.map(toolAvailable) ?? true }
    }

    @Test func allEnginesAgree() throws {
        for (index, design) in Self.designs.enumerated() {
            let seed = UInt64(500 + index)
            let report = try DifferentialHarness.randomRun(try design.module.elaborate(), cycles: 300, seed: seed, engines: Self.engines)
            #expect(report.results.map(\.engine) == Self.engines)
            #expect(report.passed, "\(design.name): \(report.failure?.description ?? "")")
        }
    }

    @Test func aTestBodyRunsOnEveryEngineWithItsExpectations() throws {
        let report = try DifferentialHarness.run(try Counter(width: 6).elaborate(), seed: 9, engines: Self.engines) { context in
            context.simulator.reset(cycles: 1)
            var expected = 0
            for _ in 0..<100 {
                let enable = Bool.random(using: &context.random)
                try context.simulator.poke("enable", enable ? 1 : 0)
                context.simulator.step(1)
                if enable { expected = (expected + 1) % 64 }
                try context.expect("count", expected)
            }
        }
        #expect(report.passed, "\(report.failure?.description ?? "")")
        #expect(report.run.cycles == 101)
    }

    @Test func aWrongExpectationNamesSeedCyclePortAndWritesAWaveform() throws {
        let report = try DifferentialHarness.run(try Counter(width: 6).elaborate(), seed: 11, engines: [.interpreter]) { context in
            context.simulator.reset(cycles: 1)
            try context.simulator.poke("enable", 1)
            context.simulator.step(5)
            try context.expect("count", 4)
        }
        let failure = try #require(report.failure)
        #expect(failure.description.hasPrefix("interpreter: count at cycle 6 is 6'h05, differs from the test's expected value 6'h04 (seed 11); waveform "))
        let waveform = try #require(failure.waveform)
        #expect(FileManager.default.fileExists(atPath: waveform))
    }

    @Test func enginesThatDisagreeAreReportedAtTheFirstCycle() throws {
        let netlist = try Counter(width: 3).elaborate()
        let recorder = try RecordingSimulator(Interpreter(netlist))
        var stimulus = RandomStimulus(seed: 2)
        try stimulus.drive(recorder, cycles: 30)
        var tampered = recorder.run
        tampered.outputs[20][0] = tampered.outputs[20][0].inverted()
        let failure = DifferentialHarness.compare(tampered, with: recorder.run, engine: .verilator, seed: 2)
        #expect(failure?.cycle == 20)
        #expect(failure?.port == "count")
    }
}
