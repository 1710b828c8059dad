import Testing
@testable import PQ

@Suite struct QuantizationScaleTests {
    /// One outlier among small values: clipping it gives the rest finer
    /// steps and less total error than mapping the outlier to the top.
    @Test func minimumErrorClipsAnOutlier() throws {
        let format = try IntegerFormat.unsigned(4)
        let values = (0..<200).map { Double($0 % 10) / 10 } + [20]
        let maximum = Quantizer.scale(for: values, format: format, choice: .maximum)
        let clipped = Quantizer.scale(for: values, format: format, choice: .minimumError)
        #expect(maximum == 20.0 / 15)
        #expect(clipped < maximum)
        func error(_ scale: Double) -> Double {
            values.reduce(0) { $0 + pow2($1 - Double(Quantizer.quantize($1, scale: scale, format: format)) * scale) }
        }
        #expect(error(clipped) < error(maximum))
        #expect(Quantizer.scale(for: [0, 0], format: format, choice: .minimumError) == 1)
    }

    private func pow2(_ x: Double) -> Double { x * x }
}
