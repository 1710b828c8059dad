import Foundation
import Testing
@testable import PQ

/// The float layers' refit, PQ-aware fine-tuning and joined splits.
@Suite struct NetworkFineTuningTests {
    typealias F = NetworkFixtures

    static func network() throws -> Network { try Network.read(from: F.digitsNetwork) }

    static func calibration(_ count: Int = 8) throws -> Activations<Double> {
        try LabeledImages.read(split: "calibration", from: F.digitsData).prefix(count).images
    }

    /// Squared distance of the pqFloat path's outputs from the float network's.
    static func distillationError(_ converted: ConvertedNetwork, _ images: Activations<Double>) throws -> Double {
        let pq = try converted.run(images, path: .pqFloat), float = try converted.run(images, path: .float)
        return zip(pq.values, float.values).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    }

    @Test func theClassifierRefitBringsTheLogitsCloserToTheFloatNetwork() throws {
        let (network, images) = (try Self.network(), try Self.calibration())
        let plain = try ConvertedNetwork.convert(network, calibration: images, options: ConversionOptions(bits: [4], refitLambda: 1, iterations: 2))
        let refit = try ConvertedNetwork.convert(network, calibration: images,
                                                 options: ConversionOptions(bits: [4], refitLambda: 1, floatRefitLambda: 0.01, iterations: 2))
        #expect(plain.refitFloatLayers.isEmpty)
        let fc = try #require(refit.refitFloatLayers[9])
        #expect(refit.refitFloatLayers.count == 1 && fc.weights.rows == 10 && fc.weights.columns == 128 && !fc.pq)
        #expect(fc.weights.values.allSatisfy { Double(Float($0)) == $0 })
        #expect(try Self.distillationError(refit, images) < 0.5 * Self.distillationError(plain, images))
        // The float path keeps the network's own classifier.
        #expect(try refit.run(images, path: .float) == network.run(images))
        // The tables are the same: only the classifier changed.
        #expect(refit.layers.map(\.float) == plain.layers.map(\.float))
    }

    @Test func refitLayersSurviveTheFolder() throws {
        let converted = try ConvertedNetwork.convert(try Self.network(), calibration: try Self.calibration(4),
                                                     options: ConversionOptions(bits: [4], refitLambda: 1, floatRefitLambda: 1, iterations: 2))
        let folder = try TestSupport.temporaryDirectory().appendingPathComponent("converted")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        try converted.write(to: folder)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("refit/fc.weight.npy").path))
        #expect(try ConvertedNetwork.read(from: folder) == converted)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("refit/fc.bias.npy"))
        #expect { try ConvertedNetwork.read(from: folder) } throws: { "\($0)".contains("fc.bias.npy") }
    }

    /// Fine-tuning moves the tables and the classifier, never the
    /// prototypes, and gives the same network on every run. (Whether it
    /// descends is the gradient test's job: on 8 images the refits already
    /// fit the float network to a KL divergence of 1e-4, where Adam's
    /// normalized steps can only add noise.)
    @Test func fineTuningMovesTablesAndClassifierAndIsDeterministic() throws {
        let (network, images) = (try Self.network(), try Self.calibration())
        let refit = try ConversionOptions(bits: [4], refitLambda: 1, floatRefitLambda: 1, iterations: 2)
        var tuned = refit
        tuned.fineTuneEpochs = 30
        tuned.fineTuneLearningRate = 0.01
        let before = try ConvertedNetwork.convert(network, calibration: images, options: refit)
        let after = try ConvertedNetwork.convert(network, calibration: images, options: tuned)
        // Prototypes stay; tables move.
        for (a, b) in zip(before.layers, after.layers) {
            #expect(a.float.prototypes == b.float.prototypes && a.float.table != b.float.table)
        }
        #expect(after.refitFloatLayers[9] != before.refitFloatLayers[9])
        #expect(try ConvertedNetwork.convert(network, calibration: images, options: tuned) == after)
    }

    @Test func tableAndClassifierGradientsMatchFiniteDifferences() throws {
        let (network, images) = (try Self.network(), try Self.calibration(3))
        let learned = try ConvertedNetwork.learn(network, calibration: images,
                                                 options: ConversionOptions(refitLambda: 1, floatRefitLambda: 1, iterations: 2))
        let pq = network.pqLayerIndices
        let model = NetworkFineTuning.Model(network: network, pqLayers: learned.layers.mapValues(\.layer), integerLayers: [:],
                                            floatLayers: learned.refitFloatLayers, firstPQ: pq[0], lastPQ: pq[1])
        let teacher = try network.run(images).rowSoftmax()
        let inputs = try NetworkFineTuning.firstLayerInputs(network, firstPQ: pq[0], images: images)
        let (_, gradients) = try model.gradients(input: inputs, teacher: teacher)
        // Slots: conv2 table, conv3 table, fc weights, fc bias. conv3's table
        // and the classifier have exact gradients (conv2's is straight-through).
        #expect(gradients.count == 4)
        for slot in 1...3 {
            let largest = try #require(gradients[slot].indices.max { abs(gradients[slot][$0]) < abs(gradients[slot][$1]) })
            for i in [largest, gradients[slot].count / 3] {
                let numeric = try model.numericGradient(slot: slot, index: i, input: inputs, teacher: teacher)
                #expect(abs(numeric - gradients[slot][i]) <= 1e-6 + 1e-4 * abs(numeric), "slot \(slot) index \(i)")
            }
        }
        #expect(gradients[0].contains { $0 != 0 })
    }

    /// The prototypes' gradient is the gradient of the soft assignment's
    /// output `Σ_r Σ_c g[r, c] Σ_s Σ_k a_k T[s, k, c]` (checked by finite differences).
    @Test func thePrototypeGradientIsTheSoftAssignmentsGradient() throws {
        let shape = try PQShape(ls: 3, np: 4, ns: 2, cout: 3, inputLength: 5)
        let columns = TestSupport.gaussian(rows: 6, columns: 5, seed: 1)
        let g = TestSupport.gaussian(rows: 6, columns: 3, seed: 2)
        let table = TestSupport.gaussian(rows: 1, columns: shape.ns * shape.np * shape.cout, seed: 3).values
        let codebooks = TestSupport.gaussian(rows: 1, columns: shape.ns * shape.np * shape.ls, seed: 4).values
        let temperature = 0.7
        func surrogate(_ p: [Double]) -> Double {
            var total = 0.0
            for r in 0..<columns.rows {
                for s in 0..<shape.ns {
                    let x = (0..<shape.ls).map { s * shape.ls + $0 < 5 ? columns[r, s * shape.ls + $0] : 0 }
                    let weights = (0..<shape.np).map { k in
                        Foundation.exp(-(0..<shape.ls).reduce(0) { $0 + pow(x[$1] - p[(s * shape.np + k) * shape.ls + $1], 2) } / temperature)
                    }
                    let sum = weights.reduce(0, +)
                    for k in 0..<shape.np {
                        for c in 0..<shape.cout { total += g[r, c] * weights[k] / sum * table[(s * shape.np + k) * shape.cout + c] }
                    }
                }
            }
            return total
        }
        var gradient = [Double](repeating: 0, count: codebooks.count)
        NetworkFineTuning.Model.prototypeGradient(g, columns: columns, codebooks: codebooks, table: table, shape: shape,
                                                  temperature: temperature, into: &gradient)
        for i in [0, 5, 13, codebooks.count - 1] {
            var plus = codebooks, minus = codebooks
            plus[i] += 1e-6
            minus[i] -= 1e-6
            let numeric = (surrogate(plus) - surrogate(minus)) / 2e-6
            #expect(abs(numeric - gradient[i]) <= 1e-6 + 1e-5 * abs(numeric), "index \(i)")
        }
    }

    @Test func fineTuningThePrototypesMovesThemAndIsDeterministic() throws {
        let (network, images) = (try Self.network(), try Self.calibration())
        var options = try ConversionOptions(bits: [4], refitLambda: 1, floatRefitLambda: 1, fineTuneEpochs: 10, fineTuneLearningRate: 0.01,
                                            iterations: 2)
        let convert = { try ConvertedNetwork.convert(network, calibration: images, options: $0) }
        let fixed = try convert(options)
        options.fineTunePrototypes = true
        options.fineTuneShift = 1
        let learned = try convert(options)
        for (a, b) in zip(fixed.layers, learned.layers) { #expect(a.float.prototypes != b.float.prototypes) }
        #expect(try convert(options) == learned)
        options.metric = .l1
        #expect { try convert(options) } throws: { "\($0)".contains("l2 metric only") }
    }

    /// A tree layer trains its table only: PQ-aware fine-tuning (asked to
    /// learn the prototypes too) and quantization-aware fine-tuning keep its
    /// trees and prototypes, and the quantization-aware forward pass is the
    /// integer golden model's, trees included.
    @Test func fineTuningATreeNetworkKeepsItsTrees() throws {
        let (network, images) = (try Self.network(), try Self.calibration())
        var options = try ConversionOptions(encoder: .tree, bits: [4], refitLambda: 1, floatRefitLambda: 1, iterations: 2)
        let convert = { try ConvertedNetwork.convert(network, calibration: images, options: $0) }
        let refit = try convert(options)
        (options.fineTuneEpochs, options.fineTuneLearningRate, options.fineTunePrototypes) = (3, 0.01, true)
        let tuned = try convert(options)
        options.quantizationAwareEpochs = 2
        let aware = try convert(options)
        for (a, (b, c)) in zip(refit.layers, zip(tuned.layers, aware.layers)) {
            #expect(a.float.trees != nil && b.float.trees == a.float.trees && c.float.trees == a.float.trees)
            #expect(b.float.prototypes == a.float.prototypes && b.float.table != a.float.table)
            #expect(c.integer.trees != nil && c.integer.trees == b.integer.trees && c.integer.table != b.integer.table)
        }
        let model = try #require(NetworkFineTuning.Model(quantizationAware: aware))
        let inputs = try NetworkFineTuning.firstLayerInputs(network, firstPQ: model.firstPQ, images: images)
        #expect(try model.forward(input: inputs).outputs == aware.run(images, path: .integer))
    }

    @Test func shiftingMovesPixelsAndShiftsZerosIn() {
        let image: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]  // 2 channels of 2 x 3
        let shape = TensorShape(channels: 2, height: 2, width: 3)
        #expect(NetworkFineTuning.shifted(image[...], shape: shape, dy: 1, dx: -1) == [0, 0, 0, 2, 3, 0, 0, 0, 0, 8, 9, 0])
        #expect(NetworkFineTuning.shifted(image[...], shape: shape, dy: 0, dx: 0) == image)
        #expect(NetworkFineTuning.shifted(image[...], shape: shape, dy: -2, dx: 0) == [Double](repeating: 0, count: 12))
    }

    @Test func col2imIsTheAdjointOfIm2col() throws {
        let conv = try ConvGeometry(inChannels: 3, inHeight: 5, inWidth: 4, kernelHeight: 3, kernelWidth: 3, stride: 2, padding: 1)
        let x = TestSupport.gaussian(rows: 2, columns: conv.imageSize, seed: 3).values
        let columns = try conv.im2col(images: x, count: 2)
        let c = TestSupport.gaussian(rows: columns.rows, columns: columns.columns, seed: 4).values
        let left = zip(columns.values, c).reduce(0) { $0 + $1.0 * $1.1 }
        let right = zip(x, conv.col2im(c, count: 2)).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(left - right) < 1e-9)
    }

    @Test func splitsJoinInOrder() throws {
        let calibration = try LabeledImages.read(split: "calibration", from: F.digitsData).prefix(2)
        let test = try LabeledImages.read(split: "test", from: F.digitsData).prefix(3)
        let joined = try LabeledImages.concatenated([calibration, test])
        #expect(joined.count == 5 && joined.labels == calibration.labels + test.labels)
        #expect(joined.images.values == calibration.images.values + test.images.values)
        #expect(throws: NetworkError.self) { try LabeledImages.concatenated([]) }
    }

    @Test func fineTuningOptionsAreChecked() throws {
        #expect { try ConversionOptions(fineTuneEpochs: -1) } throws: { "\($0)".contains("fine-tuning epochs") }
        #expect { try ConversionOptions(fineTuneLearningRate: 0) } throws: { "\($0)".contains("fine-tuning learning rate") }
        #expect { try ConversionOptions(floatRefitLambda: -1) } throws: { "\($0)".contains("float refit lambda") }
        #expect { try ConversionOptions(quantizationAwareEpochs: -1) } throws: { "\($0)".contains("quantization-aware epochs") }
        #expect { try ConversionOptions(quantizationAwareLearningRate: .infinity) } throws: { "\($0)".contains("quantization-aware learning rate") }
        #expect { try ConversionOptions(fineTuneShift: 17) } throws: { "\($0)".contains("fine-tuning shift") }
    }
}
