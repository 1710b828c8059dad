import Testing
@testable import PQ

@Suite struct IntegerPQLayerComputeTests {
    /// Ls = 2, Np = 2, Ns = 2, Cout = 3, D = 3 (one padding element).
    func handLayer(_ requantization: Requantization = .identity) throws -> IntegerPQLayer {
        let s8 = try IntegerFormat.signed(8)
        let config = try PQConfiguration(
            shape: PQShape(ls: 2, np: 2, ns: 2, cout: 3, inputLength: 3), metric: .l2,
            formats: LayerFormats(activation: s8, prototype: s8, entry: s8, bias: try .signed(12), output: s8),
            multiplierBits: 8, maxShift: 8)
        return try IntegerPQLayer(
            configuration: config,
            prototypes: Codebooks(nested: [[[0, 0], [10, 10]], [[-4, 0], [4, 0]]]),
            table: LookupTable(nested: [[[1, 2, 3], [10, 20, 30]], [[-1, -1, -1], [100, -100, 50]]]),
            bias: [5, 6, -200], requantization: requantization)
    }

    @Test func handComputedColumn() throws {
        let layer = try handLayer()
        // Column [9, 8, 3] -> padded [9, 8, 3, 0]: subspace 0 nearest [10, 10] (code 1),
        // subspace 1: [3, 0] nearest [4, 0] (code 1).
        #expect(try layer.encode(column: [9, 8, 3]) == [1, 1])
        #expect(try layer.accumulate(codes: [1, 1]) == [110, -80, 80])
        #expect(try layer.output(column: [9, 8, 3]) == [115, -74, -120])
        #expect(try layer.requantize(sums: [110, -80, 80]) == [115, -74, -120])
        // Saturation to s8 and requantization by 3/4 with rounding half up:
        // acc [115, -74, -120] * 3 = [345, -222, -360]; (+2) >> 2 = [86, -55, -90].
        let scaled = try handLayer(Requantization(multiplier: 3, shift: 2))
        #expect(try scaled.output(column: [9, 8, 3]) == [86, -55, -90])
        let trace = try scaled.trace(column: [9, 8, 3])
        #expect(trace.column == [9, 8, 3, 0])
        #expect(trace.distances == [145, 5, 49, 1])
        #expect(trace.codes == [1, 1] && trace.sums == [110, -80, 80])
        #expect(trace.accumulators == [115, -74, -120])
        #expect(trace.products == [345, -222, -360] && trace.shifted == [86, -55, -90] && trace.outputs == [86, -55, -90])
        let relu = try handLayer(Requantization(multiplier: 1, shift: 0, relu: true))
        #expect(try relu.output(column: [9, 8, 3]) == [115, 0, 0])
    }

    @Test(arguments: DistanceMetric.allCases)
    func batchMatchesPerColumnAndBruteForce(metric: DistanceMetric) throws {
        let layer = try TestSupport.integerLayer(ls: 3, np: 5, ns: 4, cout: 6, inputLength: 11, metric: metric)
        let x = try Matrix(rows: 25, columns: 11, values: TestSupport.integers(25 * 11, in: -128...127, seed: 3))
        let batch = try layer.outputs(columns: x)
        let codes = try layer.encode(columns: x)
        for r in 0..<x.rows {
            let column = Array(x.row(r))
            #expect(Array(batch.row(r)) == (try layer.output(column: column)))
            // Brute force: every distance, first minimum, table sum, bias, requantization.
            let padded = column + [0]
            var sums = Array(repeating: 0, count: 6)
            for s in 0..<4 {
                let sub = padded[(s * 3)..<(s * 3 + 3)]
                let d = (0..<5).map { metric.distance(sub, layer.prototypes.prototype(subspace: s, index: $0)) }
                let best = d.firstIndex(of: d.min() ?? 0) ?? -1
                #expect(codes[r, s] == best)
                for c in 0..<6 { sums[c] += layer.table.entry(subspace: s, prototype: best, channel: c) }
            }
            let expected = (0..<6).map { c -> Int in
                let v = (sums[c] + layer.bias[c]) * layer.requantization.multiplier
                let shifted = Int((Double(v) / Double(1 << layer.requantization.shift) + 0.5).rounded(.down))
                return min(max(shifted, -128), 127)
            }
            #expect(Array(batch.row(r)) == expected)
        }
    }

    @Test func rejectsBadColumnsAndCodes() throws {
        let layer = try handLayer()
        let range = #expect(throws: PQError.self) { try layer.output(column: [9, 128, 3]) }
        #expect(range?.description.contains("column[1] is 128") == true)
        #expect(throws: PQError.self) { try layer.encode(column: [1, 2]) }
        #expect(throws: PQError.self) { try layer.accumulate(codes: [0, 2]) }
        #expect(throws: PQError.self) { try layer.accumulate(codes: [0]) }
        #expect(throws: PQError.self) { try layer.requantize(sums: [0, 0]) }
        #expect(throws: PQError.self) { try layer.requantize(sums: [0, 0, 1 << 40]) }
        #expect(throws: PQError.self) { try layer.outputs(images: [1, 2, 3], count: 1) }
        #expect(throws: PQError.self) { try layer.quantizeInputs(Matrix(rows: 1, columns: 3, values: [1.0, 2, 3])) }
        let batch = #expect(throws: PQError.self) { try layer.outputs(columns: Matrix(rows: 2, columns: 3, values: [0, 0, 0, 0, -129, 0])) }
        #expect(batch == .valueOutOfFormat(field: "column", index: [1, 1], value: -129, format: try .signed(8)))
    }

    @Test func convolutionLayerRunsOnImages() throws {
        // A 1x1 convolution over 2 channels equals the linear layer per pixel.
        let s8 = try IntegerFormat.signed(8)
        let conv = try ConvGeometry(inChannels: 2, inHeight: 2, inWidth: 3, kernelHeight: 1, kernelWidth: 1)
        let config = try PQConfiguration(
            shape: PQShape(ls: 1, np: 2, ns: 2, cout: 1), metric: .l1,
            formats: LayerFormats(activation: s8, prototype: s8, entry: s8, bias: s8, output: s8), multiplierBits: 1, maxShift: 0)
        let layer = try IntegerPQLayer(
            configuration: config, prototypes: Codebooks(nested: [[[0], [10]], [[0], [10]]]),
            table: LookupTable(nested: [[[1], [2]], [[10], [20]]]), bias: [0], requantization: .identity, conv: conv)
        let image = [0, 10, 0, 10, 0, 10, 0, 0, 10, 10, 10, 0]  // channel 0 then channel 1, 2x3 each
        #expect(try layer.outputs(images: image, count: 1) == [11, 12, 21, 22, 21, 12])
    }
}
