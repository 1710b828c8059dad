import PQ
import Testing

@Suite struct IntegerLinearLayerTests {
    let formats = LinearFormats(activation: try! .unsigned(4), weight: try! .signed(4), bias: try! .signed(8), output: try! .signed(6))

    @Test func outputsAreTheRequantizedExactProduct() throws {
        let layer = try IntegerLinearLayer(weights: [[1, -2, 3], [-8, 7, 0]], bias: [5, -128],
                                           formats: formats, requantization: Requantization(multiplier: 3, shift: 2, relu: true))
        let column = [15, 0, 9]
        #expect(try layer.accumulators(column: column) == [15 + 27 + 5, -120 - 128])
        // (47 * 3 + 2) >> 2 = 35, saturated to 31; (-248 * 3 + 2) >> 2 = -186 -> -32 -> ReLU 0.
        #expect(try layer.outputs(column: column) == [31, 0])
    }

    @Test func accumulatorBoundIsExactAndReachable() throws {
        let bound = try formats.accumulatorBound(d: 10)
        #expect(bound.minValue == 10 * 15 * -8 - 128)
        #expect(bound.maxValue == 10 * 15 * 7 + 127)
        #expect(bound.bits == 12 && bound.signed)
        let weights = [Array(repeating: -8, count: 10), Array(repeating: 7, count: 10)]
        let layer = try IntegerLinearLayer(weights: weights, bias: [-128, 127], formats: formats, requantization: .identity)
        #expect(try layer.accumulators(column: Array(repeating: 15, count: 10)) == [bound.minValue, bound.maxValue])
    }

    @Test func badInputNamesTheField() throws {
        #expect(throws: PQError.valueOutOfFormat(field: "weights", index: [0, 1], value: 8, format: formats.weight)) {
            try IntegerLinearLayer(weights: [[0, 8]], bias: [0], formats: formats, requantization: .identity)
        }
        #expect(throws: PQError.sizeMismatch(field: "bias", expected: "1 values (one per channel)", found: "2")) {
            try IntegerLinearLayer(weights: [[0, 1]], bias: [0, 0], formats: formats, requantization: .identity)
        }
        let layer = try IntegerLinearLayer(weights: [[0, 1]], bias: [0], formats: formats, requantization: .identity)
        #expect(throws: PQError.valueOutOfFormat(field: "column", index: [1], value: 16, format: formats.activation)) {
            try layer.outputs(column: [0, 16])
        }
    }
}
