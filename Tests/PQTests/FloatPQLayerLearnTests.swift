import Testing
@testable import PQ

@Suite struct FloatPQLayerLearnTests {
    @Test func prototypesEqualToTheDataGiveExactResults() throws {
        // As many prototypes as distinct calibration rows: every subvector
        // is its own prototype, so the layer reproduces the exact product.
        let x = TestSupport.gaussian(rows: 8, columns: 6, seed: 1)
        let w = TestSupport.gaussian(rows: 4, columns: 6, seed: 2)
        let layer = try FloatPQLayer.learn(weights: w, bias: [1, 2, 3, 4], activations: x, options: LearnOptions(ls: 3, np: 8))
        var exact = try x.multipliedTransposed(w)
        for r in 0..<8 { for c in 0..<4 { exact[r, c] += Double(c + 1) } }
        #expect(try layer.outputs(columns: x).relativeError(to: exact) < 1e-12)
    }

    @Test func errorFallsAsNpGrows() throws {
        let x = TestSupport.gaussian(rows: 256, columns: 8, seed: 3)
        let w = TestSupport.gaussian(rows: 4, columns: 8, seed: 4)
        let exact = try x.multipliedTransposed(w)
        let errors = try [2, 4, 8, 16, 32].map { np in
            try FloatPQLayer.learn(weights: w, activations: x, options: LearnOptions(ls: 2, np: np, seed: 5))
                .outputs(columns: x).relativeError(to: exact)
        }
        for (a, b) in zip(errors, errors.dropFirst()) { #expect(b < a, "errors \(errors)") }
    }

    @Test func deterministicForASeedAndPaddedWhenDDoesNotDivide() throws {
        let x = TestSupport.gaussian(rows: 50, columns: 7, seed: 6)
        let w = TestSupport.gaussian(rows: 2, columns: 7, seed: 7)
        let options = LearnOptions(ls: 3, np: 4, metric: .l1, seed: 42)
        let a = try FloatPQLayer.learn(weights: w, activations: x, options: options)
        let b = try FloatPQLayer.learn(weights: w, activations: x, options: options)
        #expect(a == b)
        #expect(a.shape.ns == 3 && a.shape.inputLength == 7 && a.shape.paddedLength == 9)
        // The padding positions (subspace 2, elements 1 and 2) of every prototype are zero.
        for p in 0..<4 { #expect(Array(a.prototypes.prototype(subspace: 2, index: p).dropFirst()) == [0, 0]) }
        var other = options
        other.seed = 43
        #expect(try FloatPQLayer.learn(weights: w, activations: x, options: other).prototypes != a.prototypes)
    }

    @Test func convolutionThroughIm2col() throws {
        let g = try ConvGeometry(inChannels: 2, inHeight: 4, inWidth: 4, kernelHeight: 3, kernelWidth: 3, padding: 1)
        let images = TestSupport.gaussian(rows: 1, columns: 3 * g.imageSize, seed: 8).values
        let w = TestSupport.gaussian(rows: 3, columns: g.columnLength, seed: 9)
        let columns = try g.im2col(images: images, count: 3)
        let layer = try FloatPQLayer.learn(weights: w, activations: columns, options: LearnOptions(ls: 9, np: 4), conv: g)
        let viaImages = try layer.outputs(images: images, count: 3)
        #expect(viaImages == (try g.foldOutputs(layer.outputs(columns: columns))))
        #expect(viaImages.count == 3 * 3 * 16)
    }

    @Test func rejectsBadInputs() throws {
        let x = TestSupport.gaussian(rows: 4, columns: 6, seed: 1)
        let w = TestSupport.gaussian(rows: 2, columns: 6, seed: 2)
        #expect(throws: PQError.self) { try FloatPQLayer.learn(weights: w, activations: TestSupport.gaussian(rows: 4, columns: 5, seed: 1), options: LearnOptions(ls: 3, np: 2)) }
        #expect(throws: PQError.self) { try FloatPQLayer.learn(weights: w, activations: Matrix(rows: 0, columns: 6, values: []), options: LearnOptions(ls: 3, np: 2)) }
        #expect(throws: PQError.self) { try FloatPQLayer.learn(weights: w, activations: x, options: LearnOptions(ls: 0, np: 2)) }
        #expect(throws: PQError.self) { try FloatPQLayer.learn(weights: w, bias: [1], activations: x, options: LearnOptions(ls: 3, np: 2)) }
        var bad = x
        bad[0, 0] = .infinity
        #expect(throws: PQError.self) { try FloatPQLayer.learn(weights: w, activations: bad, options: LearnOptions(ls: 3, np: 2)) }
        #expect(throws: PQError.self) { try FloatPQLayer.learn(weights: w, activations: x, options: LearnOptions(ls: 3, np: 2, refitLambda: -1)) }
    }
}
