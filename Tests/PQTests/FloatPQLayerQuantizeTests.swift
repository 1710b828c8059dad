import Testing
@testable import PQ

@Suite struct FloatPQLayerQuantizeTests {
    @Test(arguments: DistanceMetric.allCases)
    func integerPathEqualsFloatPathOnIntegerValuedData(metric: DistanceMetric) throws {
        let (ls, np, ns, cout, d) = (3, 6, 4, 5, 11)
        let shape = try PQShape(ls: ls, np: np, ns: ns, cout: cout, inputLength: d)
        let protos = TestSupport.integers(ns * np * ls, in: -20...20, seed: 1)
        let table = TestSupport.integers(ns * np * cout, in: -100...100, seed: 2)
        let bias = TestSupport.integers(cout, in: -50...50, seed: 3)
        let floatLayer = try FloatPQLayer(
            shape: shape, metric: metric, prototypes: Codebooks(ns: ns, np: np, ls: ls, values: protos.map(Double.init)),
            table: LookupTable(ns: ns, np: np, cout: cout, values: table.map(Double.init)), bias: bias.map(Double.init))
        let s8 = try IntegerFormat.signed(8)
        let config = try PQConfiguration(
            shape: shape, metric: metric,
            formats: LayerFormats(activation: s8, prototype: s8, entry: s8, bias: s8, output: try .signed(16)),
            multiplierBits: 1, maxShift: 0)
        let integerLayer = try IntegerPQLayer(
            configuration: config, prototypes: Codebooks(ns: ns, np: np, ls: ls, values: protos),
            table: LookupTable(ns: ns, np: np, cout: cout, values: table), bias: bias, requantization: .identity)
        let x = try Matrix(rows: 40, columns: d, values: TestSupport.integers(40 * d, in: -25...25, seed: 4))
        let floatCodes = try floatLayer.encode(columns: x.map(Double.init))
        #expect(try integerLayer.encode(columns: x) == floatCodes)
        #expect(try integerLayer.outputs(columns: x).map(Double.init) == (try floatLayer.outputs(columns: x.map(Double.init))))
    }

    @Test func quantizedLayerApproximatesTheFloatLayer() throws {
        let x = TestSupport.gaussian(rows: 300, columns: 12, seed: 5)
        let w = TestSupport.gaussian(rows: 6, columns: 12, seed: 6)
        let layer = try FloatPQLayer.learn(
            weights: w, bias: [0.5, -0.5, 0, 1, 2, -3], activations: x, options: LearnOptions(ls: 3, np: 8, seed: 2))
        let reference = try layer.outputs(columns: x)
        let exactError = try reference.relativeError(to: x.multipliedTransposed(w).map { $0 }.adding(bias: layer.bias))
        for (bits, bound) in [(8, 0.1), (16, 0.005)] {
            for perSubspace in [false, true] {
                var options = try QuantizationOptions(activationBits: bits, prototypeBits: bits, entryBits: bits, outputBits: bits)
                options.perSubspaceInputScales = perSubspace
                let q = try layer.quantized(calibration: x, options: options)
                #expect(q.scales?.input.count == (perSubspace ? 4 : 1))
                #expect(q.configuration.maxShift == q.requantization.shift)
                #expect(q.formats.bias.signed && q.formats.bias.bits >= bits + 2)
                let approx = q.dequantizeOutputs(try q.outputs(columns: q.quantizeInputs(x)))
                // Quantization adds little to the PQ approximation error itself.
                let error = try approx.relativeError(to: reference)
                #expect(error < bound && error < exactError / 4, "bits \(bits): relative error \(error), PQ error \(exactError)")
            }
        }
    }

    @Test func reluLayersGetUnsignedOutputsAndSmallerBitsCostAccuracy() throws {
        let x = TestSupport.gaussian(rows: 200, columns: 8, seed: 7).map { max($0, 0) }  // post-ReLU inputs
        let w = TestSupport.gaussian(rows: 4, columns: 8, seed: 8)
        let layer = try FloatPQLayer.learn(weights: w, activations: x, options: LearnOptions(ls: 2, np: 8, relu: true))
        let reference = try layer.outputs(columns: x)
        var errors: [Double] = []
        for bits in [4, 8, 12] {
            let options = try QuantizationOptions(
                activationBits: bits, prototypeBits: bits, entryBits: bits, outputBits: bits,
                signedActivations: false, signedOutput: false)
            let q = try layer.quantized(calibration: x, options: options)
            #expect(q.requantization.relu && !q.formats.output.signed && !q.formats.activation.signed)
            let outputs = try q.outputs(columns: q.quantizeInputs(x))
            #expect(outputs.values.allSatisfy { $0 >= 0 })
            errors.append(try q.dequantizeOutputs(outputs).relativeError(to: reference))
        }
        #expect(errors[0] > errors[1] && errors[1] > errors[2], "errors \(errors)")
    }

    @Test func rejectsMismatchedCalibration() throws {
        let x = TestSupport.gaussian(rows: 10, columns: 4, seed: 1)
        let layer = try FloatPQLayer.learn(weights: TestSupport.gaussian(rows: 2, columns: 4, seed: 2), activations: x, options: LearnOptions(ls: 2, np: 2))
        let options = try QuantizationOptions(activationBits: 8, prototypeBits: 8, entryBits: 8, outputBits: 8)
        #expect(throws: PQError.self) { try layer.quantized(calibration: TestSupport.gaussian(rows: 10, columns: 3, seed: 1), options: options) }
        #expect(throws: PQError.self) { try QuantizationOptions(activationBits: 1, prototypeBits: 8, entryBits: 8, outputBits: 8) }
        var tooNarrow = options
        tooNarrow.activation = try .signed(20)
        #expect(throws: PQError.self) { try layer.quantized(calibration: x, options: tooNarrow) }
    }
}

extension Matrix where Scalar == Double {
    /// Adds `bias[c]` to every value of column `c`.
    func adding(bias: [Double]) -> Matrix<Double> {
        var copy = self
        for r in 0..<rows { for c in 0..<columns { copy[r, c] += bias[c] } }
        return copy
    }
}
