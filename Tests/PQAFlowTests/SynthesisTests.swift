import Foundation
import HDL
import HDLSim
import PQ
import PQA
@testable import PQAFlow
import Testing

func yosysAvailable() -> Bool { ProcessInfo.processInfo.environment["CI"] == "true" || ExternalTool.locate("yosys") != nil }

@Suite struct SynthesisTests {
    @Test func statisticsAreParsedFromStatJSON() throws {
        let json = """
            {"creator": "Yosys", "modules": {"\\\\top": {"num_cells": 3, "num_cells_by_type": {"LUT4": 2, "TRELLIS_FF": 1}}},
             "design": {"num_cells": 3, "num_cells_by_type": {"LUT4": 2, "TRELLIS_FF": 1}}}
            """
        #expect(try Synthesis.parseStatistics(Data(json.utf8)) == ["LUT4": 2, "TRELLIS_FF": 1])
    }

    @Test func cellsAreClassifiedPerFamily() {
        #expect(SynthesisTarget.xilinx7.resource(of: "LUT6") == .lut)
        #expect(SynthesisTarget.xilinx7.resource(of: "FDRE") == .flipFlop)
        #expect(SynthesisTarget.xilinx7.resource(of: "RAMB36E1") == .blockRAM36)
        #expect(SynthesisTarget.xilinx7.resource(of: "RAM64M") == .lutRAM)
        #expect(SynthesisTarget.ecp5.resource(of: "MULT18X18D") == .dsp)
        #expect(SynthesisTarget.ice40.resource(of: "SB_RAM40_4K") == .blockRAM)
        #expect(SynthesisTarget.ice40.resource(of: "SB_IO") == .other)
    }

    @Test(.enabled(if: yosysAvailable()), arguments: SynthesisTarget.allCases)
    func multiplierUsesADSPOnEveryFamily(_ target: SynthesisTarget) throws {
        let report = try Synthesis.run(DesignFiles(top: PipelinedMAC().elaborate()), target: target)
        #expect(report.resources[.dsp] == 1, "\(report.cells)")
        #expect((report.resources[.lut] ?? 0) > 0 && (report.resources[.flipFlop] ?? 0) >= 27)
        #expect(report.area > 0)
    }

    /// A 4-bit design with L1 distance needs no multiplier at all: the
    /// requantization multiplier (4 bits) is built from shifts and adds.
    @Test(.enabled(if: yosysAvailable()))
    func lowBitL1DesignUsesNoDSP() throws {
        let formats = LayerFormats(activation: try .unsigned(4), prototype: try .unsigned(4), entry: try .signed(4),
                                   bias: try .signed(8), output: try .signed(4))
        let configuration = PQAConfiguration(
            maxima: .init(ls: 4, np: 8, ns: 4, cout: 8, columns: 16), parallelism: .init(lsVec: 4, npVec: 8, nsVec: 2, outVec: 4),
            formats: formats, multiplierBits: 4, maxShift: 8, metric: .l1,
            pipelining: .init(argminLevelsPerStage: 2, adderLevelsPerStage: 2))
        let report = try Synthesis.run(PQAGenerator.files(for: configuration), target: .xilinx7)
        #expect(report.resources[.dsp, default: 0] == 0, "\(report.cells)")
        #expect((report.resources[.lut] ?? 0) > 100)
    }
}
