import Testing
@testable import PQ

@Suite struct QuantizationTests {
    @Test func roundsHalfToEven() throws {
        let f = try IntegerFormat.signed(8)
        #expect(Quantizer.quantize(0.5, scale: 1, format: f) == 0)
        #expect(Quantizer.quantize(1.5, scale: 1, format: f) == 2)
        #expect(Quantizer.quantize(2.5, scale: 1, format: f) == 2)
        #expect(Quantizer.quantize(-2.5, scale: 1, format: f) == -2)
        #expect(Quantizer.quantize(-3.5, scale: 1, format: f) == -4)
        #expect(Quantizer.quantize(2.51, scale: 1, format: f) == 3)
        #expect(Quantizer.quantize(1.0, scale: 0.25, format: f) == 4)
    }

    @Test func saturatesAndHandlesNonFinite() throws {
        let s = try IntegerFormat.signed(4), u = try IntegerFormat.unsigned(4)
        #expect(Quantizer.quantize(100, scale: 1, format: s) == 7)
        #expect(Quantizer.quantize(-100, scale: 1, format: s) == -8)
        #expect(Quantizer.quantize(-3, scale: 1, format: u) == 0)
        #expect(Quantizer.quantize(.infinity, scale: 1, format: u) == 15)
        #expect(Quantizer.quantize(-.infinity, scale: 1, format: s) == -8)
        #expect(Quantizer.quantize(.nan, scale: 1, format: s) == 0)
        #expect(Quantizer.quantize(1e300, scale: 1e-300, format: s) == 7)
    }

    /// A tree threshold rounds up, so every value on the grid (zero among
    /// them) falls on the side of it that it falls on in float.
    @Test func thresholdsRoundUpSoGridValuesKeepTheirSide() throws {
        let u = try IntegerFormat.unsigned(8), s = try IntegerFormat.signed(4)
        #expect(Quantizer.threshold(0.01, scale: 0.5, format: u) == 1)
        #expect(Quantizer.threshold(1.0, scale: 0.5, format: u) == 2 && Quantizer.threshold(0, scale: 0.5, format: u) == 0)
        #expect(Quantizer.threshold(-2.9, scale: 1, format: s) == -2 && Quantizer.threshold(-100, scale: 1, format: s) == -8)
        #expect(Quantizer.threshold(100, scale: 1, format: s) == 7 && Quantizer.threshold(.nan, scale: 1, format: s) == 0)
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<1000 {
            let threshold = 8 * generator.nextDouble() - 4, q = generator.nextInt(below: 15) - 8
            #expect((Double(q) * 0.5 >= threshold) == (q >= Quantizer.threshold(threshold, scale: 0.5, format: s)))
        }
    }

    @Test func scalesMapTheMagnitudeToTheLargestValue() throws {
        let f = try IntegerFormat.signed(8)
        #expect(Quantizer.scale(forMagnitude: 63.5, format: f) == 0.5)
        #expect(Quantizer.scale(forMagnitude: 0, format: f) == 1)
        #expect(Quantizer.magnitude(of: [1.0, -3, .nan, 2]) == 3)
        #expect(Quantizer.quantize(63.5, scale: 0.5, format: f) == 127)
    }

    @Test func scalesValidate() throws {
        #expect(throws: Never.self) { try QuantizationScales(input: [1], table: 2, output: 3).validate(ns: 4) }
        #expect(throws: Never.self) { try QuantizationScales(input: [1, 2], table: 2, output: 3).validate(ns: 2) }
        #expect(throws: PQError.self) { try QuantizationScales(input: [1, 2], table: 2, output: 3).validate(ns: 3) }
        #expect(throws: PQError.self) { try QuantizationScales(input: [1], table: 0, output: 3).validate(ns: 1) }
        #expect(throws: PQError.self) { try QuantizationScales(input: [.nan], table: 1, output: 3).validate(ns: 1) }
        #expect(QuantizationScales(input: [1, 2], table: 1, output: 1).inputScale(subspace: 1) == 2)
    }
}
