import Foundation
import HDLSim
import PQ
@testable import PQAFlow
import Testing

/// The accuracy study: its variants, the best point, the RTL run at that
/// point, and the report.
@Suite struct NetworkStudyTests {
    static func point(_ bits: Int, _ np: Int, _ variant: NetworkStudy.Variant, _ integer: Double) -> NetworkStudy.Point {
        NetworkStudy.Point(bits: bits, np: np, variant: variant, pqFloat: 0.9, integer: integer)
    }

    @Test func theBestPointPrefersAccuracyThenTheSmallerNpThenTheEarlierVariant() {
        let points = [Self.point(4, 16, .refit, 0.95), Self.point(4, 8, .quantizationAware, 0.95), Self.point(4, 8, .fineTuned, 0.95),
                      Self.point(4, 4, .plain, 0.90)]
        #expect(NetworkStudy.best(points) == Self.point(4, 8, .fineTuned, 0.95))
        #expect(NetworkStudy.best(points + [Self.point(4, 16, .plain, 0.96)]) == Self.point(4, 16, .plain, 0.96))
        #expect(NetworkStudy.best([]) == nil)
    }

    /// Every variant on a few images; the accelerator (interpreter) runs
    /// the best point and classifies as the integer model does.
    @Test func theStudyRunsEveryVariantAndChecksTheBestPointOnTheAccelerator() throws {
        let (converted, test) = try quickDigitsConversion()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let calibration = try LabeledImages.read(split: "calibration", from: root.appendingPathComponent("reference/digits")).prefix(6).images
        let options = try ConversionOptions(fineTuneEpochs: 2, fineTuneLearningRate: 0.003, quantizationAwareEpochs: 2,
                                            quantizationAwareLearningRate: 0.001, iterations: 2)
        let result = try NetworkStudy.run(converted.network, calibration: calibration, test: test.prefix(2), options: options,
                                          bits: [3, 4], nps: [4], refitLambda: 1, floatRefitLambda: 1, cache: nil,
                                          rtl: (bits: 4, np: nil, engine: .interpreter))
        #expect(result.points.map(\.variant) == NetworkStudy.Variant.allCases.flatMap { [$0, $0] })
        #expect(result.fineTuneEpochs == 2 && result.quantizationAwareEpochs == 2)
        let rtl = try #require(result.rtl)
        let best = try #require(NetworkStudy.best(result.points.filter { $0.bits == 4 }))
        #expect(rtl.matchesInteger && rtl.images == 2 && rtl.np == best.np && rtl.variant == best.variant && rtl.accuracy == best.integer)

        let page = NetworkStudyReport.markdown(result, command: "pqa network study", plot: "accuracy.svg")
        #expect(page.contains("| integer % (quantization-aware) |") && page.contains("| bits | Np | pqFloat % | integer % |"))
        #expect(page.contains("- Quantization-aware: the fine-tuned network quantized"))
        #expect(page.contains("at the best 4-bit point (Np 4, \(best.variant.rawValue))"))
        let svg = NetworkStudyReport.svg(result)
        #expect(svg.contains(">float network</text>") && svg.contains(">Np 4, quantization-aware</text>") && svg.contains(">test accuracy (%)</text>"))
    }

    @Test func theAreaNamesTheWeightsOfCompareAndTheirSource() throws {
        let configuration = try NetworkAccelerator.configuration(for: try quickDigitsConversion().0)
        let area = NetworkStudy.Area(bits: 4, np: 16, configuration: configuration, resources: [.lut: 100, .flipFlop: 40, .dsp: 1],
                                     area: AreaWeighting.lutEquivalents.area([.lut: 100, .flipFlop: 40, .dsp: 1], target: .xilinx7), tool: "Yosys 0.70")
        let result = NetworkStudy.Result(network: "n", testImages: 1, calibrationImages: 1, float: 1, options: try ConversionOptions(),
                                         refitLambda: 1, floatRefitLambda: nil, fineTuneEpochs: nil, quantizationAwareEpochs: nil,
                                         points: [Self.point(4, 16, .plain, 1)], areas: [area], target: .xilinx7, rtl: nil)
        let page = NetworkStudyReport.markdown(result, command: "pqa network study", plot: "accuracy.svg")
        #expect(area.area == 160)
        #expect(page.contains(AreaWeighting.lutEquivalents.explanation(target: .xilinx7)) && page.contains("UG474"))
        #expect(page.contains("| 4 | 16 | 90.00 | 100.00 | +0.00 | 100 | 0 | 40 | 0/0 | 1 | 160 |"))
    }
}
