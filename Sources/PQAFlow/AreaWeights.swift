import Foundation

/// Weights that turn resource counts into one area figure in
/// LUT-equivalents, from the Xilinx 7-series fabric's own geometry, each a
/// reader can check:
///
/// - a CLB holds 8 LUTs and 16 flip-flops (UG474, *7 Series FPGAs CLB User
///   Guide*: two slices of four LUT6 and eight flip-flops) and counts 16: a
///   LUT 1, a flip-flop 0.5;
/// - a block RAM or DSP column is as tall as its CLB column: per clock region
///   50 CLBs beside 10 RAMB36E1 (UG473) or 20 DSP48E1 (UG479), so an 18-kbit
///   block RAM (RAMB18E1, and ECP5's DP16KD) counts 2.5 CLBs = 40, a RAMB36E1
///   80, a DSP block (DSP48E1, ECP5 MULT18X18D or ALU54B, iCE40 SB_MAC16)
///   2.5 CLBs = 40, and a 4-kbit iCE40 SB_RAM40_4K a quarter of a RAMB18;
/// - a carry cell counts 0 on 7-series and iCE40, where it sits beside the
///   LUTs it extends (the LUTs are counted), and 2 on ECP5, where a CCU2C
///   takes both LUT4 positions of a slice;
/// - a LUT-RAM cell counts 4: Yosys maps to RAM32M and RAM64M, the four
///   LUTs of a SLICEM.
///
/// `AreaWeighting.pqaModelCLBs` is the second weighting reports give beside
/// this one; raw counts are always reported beside both.
public struct AreaWeights: Codable, Sendable, Hashable {
    public var weights: [Resource: Double]

    /// The documented defaults for `target`.
    public static func standard(for target: SynthesisTarget) -> AreaWeights {
        AreaWeights(weights: [
            .lut: 1, .flipFlop: 0.5, .carry: target == .ecp5 ? 2 : 0, .lutRAM: 4,
            .blockRAM: 40 * blockRAMsPerBRAM18(target), .blockRAM36: 80, .dsp: 40, .other: 0,
        ])
    }

    /// Creates weights; resources left out weigh 0.
    public init(weights: [Resource: Double]) { self.weights = weights }

    /// The weighted sum of `resources`.
    public func area(_ resources: [Resource: Int]) -> Double {
        resources.reduce(0.0) { $0 + Double($1.value) * (weights[$1.key] ?? 0) }
    }

    /// `LUT 1, FF 0.5, carry 0, LUT-RAM 4, BRAM18 40, BRAM36 80, DSP 40`.
    public var summary: String {
        Resource.allCases.filter { $0 != .other }.map { resource in
            "\(resource.shortName) \(String(format: "%g", weights[resource] ?? 0))"
        }.joined(separator: ", ")
    }

    /// 18-kbit block RAMs (RAMB18E1, DP16KD; the PQA model's M20K) per
    /// block RAM cell of `target`'s `.blockRAM` class: one, or a quarter for
    /// a 4-kbit SB_RAM40_4K.
    static func blockRAMsPerBRAM18(_ target: SynthesisTarget) -> Double { target == .ice40 ? 0.25 : 1 }
}

extension Resource {
    /// The name reports use: `LUT`, `FF`, `carry`, `LUT-RAM`, `BRAM18`, `BRAM36`, `DSP`.
    public var shortName: String {
        switch self {
        case .lut: "LUT"
        case .flipFlop: "FF"
        case .carry: "carry"
        case .lutRAM: "LUT-RAM"
        case .blockRAM: "BRAM18"
        case .blockRAM36: "BRAM36"
        case .dsp: "DSP"
        case .other: "other"
        }
    }
}

/// The two ways a comparison counts area, reported side by side.
public enum AreaWeighting: String, CaseIterable, Codable, Sendable {
    /// The sum of `AreaWeights.standard(for:)`: LUT-equivalents.
    case lutEquivalents = "lut-eq"
    /// The released PQA analytical model's CLBs (AbouElhamayed et al., ACM
    /// TRETS 2024, arXiv 2305.18334; github.com/abdelfattah-lab/PQA
    /// `analytical_model/model.py`): LUTs and flip-flops packed
    /// into CLBs of 8 LUTs and 16 flip-flops, as the model converts a
    /// synthesized design's counts (`model.py`,
    /// `simulate_layer_on_mobile_dla`: `ceil(max(LUTs / 4, FFs / 8) / 2)`),
    /// plus 4 CLBs per M20K block RAM (one per 18-kbit block RAM) and 3 per DSP.
    case pqaModelCLBs = "pqa-clb"

    /// The unit of `area`.
    public var unit: String {
        switch self {
        case .lutEquivalents: "LUT-eq"
        case .pqaModelCLBs: "CLB"
        }
    }

    /// The area of `resources`, synthesized for `target`, in `unit`.
    public func area(_ resources: [Resource: Int], target: SynthesisTarget) -> Double {
        switch self {
        case .lutEquivalents:
            return AreaWeights.standard(for: target).area(resources)
        case .pqaModelCLBs:
            func count(_ resource: Resource) -> Double { Double(resources[resource] ?? 0) }
            // LUT positions: LUTs, LUT-RAM (four each), and on ECP5 the two LUT4s of a CCU2C.
            let lutSites = count(.lut) + 4 * count(.lutRAM) + (target == .ecp5 ? 2 * count(.carry) : 0)
            let m20k = count(.blockRAM) * AreaWeights.blockRAMsPerBRAM18(target) + 2 * count(.blockRAM36)
            return max(lutSites / 8, count(.flipFlop) / 16) + 4 * m20k + 3 * count(.dsp)
        }
    }

    /// How the figure is made, for `target`, with its sources.
    public func explanation(target: SynthesisTarget) -> String {
        switch self {
        case .lutEquivalents:
            return "LUT-equivalents (\(AreaWeights.standard(for: target).summary)) from the Xilinx 7-series fabric: a CLB of 8 LUTs "
                + "and 16 flip-flops (UG474) counts 16, and a block RAM or DSP column is as tall as its CLB column, 50 CLBs per clock "
                + "region beside 10 RAMB36E1 (UG473) or 20 DSP48E1 (UG479), so an 18-kbit block RAM or a DSP counts 2.5 CLBs; carry cells "
                + (target == .ecp5 ? "2 (a CCU2C fills a slice's two LUT4s)" : "0 (they sit beside their LUTs)")
                + ", LUT-RAM cells 4 (RAM32M/RAM64M: four LUTs)"
        case .pqaModelCLBs:
            return "CLBs of the released PQA analytical model (AbouElhamayed et al., ACM TRETS 2024, arXiv 2305.18334; "
                + "github.com/abdelfattah-lab/PQA, analytical_model/model.py: M20K_CLBS = 4, DSP_CLBS = 3): "
                + "max(LUT positions / 8, flip-flops / 16) + 4 per M20K + 3 per DSP, LUTs and flip-flops packed into CLBs of "
                + "8 LUTs and 16 flip-flops as the model packs a synthesized design's counts "
                + "(simulate_layer_on_mobile_dla: ceil(max(LUTs/4, FFs/8)/2)), one 18-kbit block RAM (BRAM18, ECP5 DP16KD) "
                + "counted as one M20K" + (target == .xilinx7 ? "" : "; the model's CLB holds 8 six-input LUTs, so counts of "
                + "\(target.rawValue)'s four-input LUTs weigh more here than they would on its fabric")
        }
    }
}
