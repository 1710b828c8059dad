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
        let model = NetworkFineTuning.Model(network: network, learned: learned, firstPQ: pq[0], lastPQ: pq[1])
        let teacher = try network.run(images).rowSoftmax()
        var firstCodes: Matrix<Int>?
        _ = try network.run(images) { index, w, input in
            guard index == pq[0], let layer = learned.layers[index]?.layer else { return nil }
            firstCodes = try layer.encode(columns: w.columns(of: input.real))
            return .real(try w.fold(layer.outputs(codes: firstCodes!)))
        }
        let codes = try #require(firstCodes)
        let (_, gradients) = try model.gradients(firstCodes: codes, images: 3, teacher: teacher)
        // Slots: conv2 table, conv3 table, fc weights, fc bias. conv3's table
        // and the classifier have exact gradients (conv2's is straight-through).
        #expect(gradients.count == 4)
        for slot in 1...3 {
            let largest = try #require(gradients[slot].indices.max { abs(gradients[slot][$0]) < abs(gradients[slot][$1]) })
            for i in [largest, gradients[slot].count / 3] {
                var plus = model, minus = model
                let h = 1e-5
                plus.parameters[slot][i] += h
                minus.parameters[slot][i] -= h
                let numeric = (try plus.gradients(firstCodes: codes, images: 3, teacher: teacher).loss
                    - minus.gradients(firstCodes: codes, images: 3, teacher: teacher).loss) / (2 * h)
                #expect(abs(numeric - gradients[slot][i]) <= 1e-6 + 1e-4 * abs(numeric), "slot \(slot) index \(i)")
            }
        }
        #expect(gradients[0].contains { $0 != 0 })
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
    }
}
