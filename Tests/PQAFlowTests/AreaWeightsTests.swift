import Foundation
@testable import PQAFlow
import Testing

@Suite struct AreaWeightsTests {
    /// A design with every resource class: 800 LUTs, 1000 FFs, 10 carry
    /// cells, 5 LUT-RAM cells, 3 BRAM18, 1 BRAM36, 2 DSP.
    static let counts: [Resource: Int] = [.lut: 800, .flipFlop: 1000, .carry: 10, .lutRAM: 5, .blockRAM: 3, .blockRAM36: 1, .dsp: 2, .other: 7]

    @Test func lutEquivalentsFollowTheSevenSeriesGeometry() {
        // 800 + 1000/2 + 0 carry + 5*4 + 3*40 + 1*80 + 2*40 = 1600.
        #expect(AreaWeighting.lutEquivalents.area(Self.counts, target: .xilinx7) == 1600)
        // ECP5: a CCU2C counts 2 LUT4 positions.
        #expect(AreaWeighting.lutEquivalents.area(Self.counts, target: .ecp5) == 1620)
        // A CLB's worth (8 LUTs, 16 FFs) is 16; a BRAM18 and a DSP 2.5 CLBs each.
        #expect(AreaWeights.standard(for: .xilinx7).area([.lut: 8, .flipFlop: 16]) == 16)
        #expect(AreaWeights.standard(for: .xilinx7).area([.blockRAM: 1]) == 2.5 * 16)
        #expect(AreaWeights.standard(for: .xilinx7).area([.dsp: 1]) == 2.5 * 16)
        // A 4-kbit iCE40 RAM is a quarter of an 18-kbit one.
        #expect(AreaWeights.standard(for: .ice40).area([.blockRAM: 4]) == 40)
        #expect(AreaWeights.standard(for: .xilinx7).summary == "LUT 1, FF 0.5, carry 0, LUT-RAM 4, BRAM18 40, BRAM36 80, DSP 40")
    }

    @Test func pqaModelCLBsPackLogicAndCountMemoryAndDSPsAsTheModelDoes() {
        // LUT positions 800 + 4*5 = 820 -> 102.5 CLBs; FFs 1000/16 = 62.5; the larger counts.
        // M20K: 3 BRAM18 + 2 per BRAM36 = 5 -> 20 CLBs; DSPs 2 -> 6 CLBs.
        #expect(AreaWeighting.pqaModelCLBs.area(Self.counts, target: .xilinx7) == 102.5 + 20 + 6)
        // Flip-flop bound: 100 LUTs, 3200 FFs -> 200 CLBs.
        #expect(AreaWeighting.pqaModelCLBs.area([.lut: 100, .flipFlop: 3200], target: .xilinx7) == 200)
        // The model's own DPU figure: 161,944 LUTs, 301,416 FFs -> ceil(max(LUTs/4, FFs/8)/2) = 20,243 (before rounding up).
        #expect(AreaWeighting.pqaModelCLBs.area([.lut: 161_944, .flipFlop: 301_416], target: .xilinx7).rounded(.up) == 20_243)
        // ECP5 carry cells take two LUT4 positions; a DP16KD is one M20K; iCE40's 4-kbit RAM a quarter.
        #expect(AreaWeighting.pqaModelCLBs.area([.carry: 4], target: .ecp5) == 1)
        #expect(AreaWeighting.pqaModelCLBs.area([.blockRAM: 1], target: .ecp5) == 4)
        #expect(AreaWeighting.pqaModelCLBs.area([.blockRAM: 4, .dsp: 1], target: .ice40) == 4 + 3)
    }

    @Test func everyExplanationNamesItsSource() {
        for target in SynthesisTarget.allCases {
            let ours = AreaWeighting.lutEquivalents.explanation(target: target)
            #expect(ours.contains("UG474") && ours.contains("UG473") && ours.contains("UG479"))
            #expect(ours.contains(AreaWeights.standard(for: target).summary))
            let model = AreaWeighting.pqaModelCLBs.explanation(target: target)
            #expect(model.contains("github.com/abdelfattah-lab/PQA") && model.contains("M20K_CLBS = 4") && model.contains("DSP_CLBS = 3"))
        }
    }
}
