import Foundation
import Testing
@testable import PQ

/// Quantization-aware fine-tuning: its forward pass is the integer golden
/// model's, and what it trains is what the integer layers hold.
@Suite struct NetworkQuantizationAwareTuningTests {
    typealias F = NetworkFixtures

    static func images(_ count: Int) throws -> Activations<Double> {
        try LabeledImages.read(split: "calibration", from: F.digitsData).prefix(count).images
    }

    static func converted(bits: Int, images: Activations<Double>, quantizationAwareEpochs: Int? = nil) throws -> ConvertedNetwork {
        try ConvertedNetwork.convert(try Network.read(from: F.digitsNetwork), calibration: images, options: ConversionOptions(
            bits: [bits], refitLambda: 1, floatRefitLambda: 1, quantizationAwareEpochs: quantizationAwareEpochs,
            quantizationAwareLearningRate: 0.01, iterations: 2))
    }

    /// The inputs of the first PQ layer on `images`.
    static func inputs(_ converted: ConvertedNetwork, _ images: Activations<Double>) throws -> Activations<Double> {
        try NetworkFineTuning.firstLayerInputs(converted.network, firstPQ: converted.layers[0].index, images: images)
    }

    /// The model's outputs on `images`, through its integer forward pass.
    static func forward(_ model: NetworkFineTuning.Model, _ converted: ConvertedNetwork, _ images: Activations<Double>) throws -> Matrix<Double> {
        try model.forward(input: inputs(converted, images)).outputs
    }

    @Test(arguments: [2, 4, 8])
    func theForwardPassIsTheIntegerGoldenModel(bits: Int) throws {
        let images = try Self.images(12)
        let converted = try Self.converted(bits: bits, images: images.images(0..<8))
        var model = try #require(NetworkFineTuning.Model(quantizationAware: converted))
        // As converted, held-out images included.
        #expect(try Self.forward(model, converted, images) == converted.run(images, path: .integer))
        // With tables off the integer grid, the network the model stores
        // runs as the model ran: the forward pass rounds as the layers do.
        // (Slots 0 and 1 are the tables; the classifier's, stored as float32,
        // already holds float32 values.)
        var generator = SeededGenerator(seed: 7)
        for slot in 0...1 {
            for i in model.parameters[slot].indices { model.parameters[slot][i] *= 1 + 0.3 * (generator.nextDouble() - 0.5) }
        }
        let stored = try model.quantizationAware(converted)
        #expect(stored.layers.map(\.integer.table) != converted.layers.map(\.integer.table))
        #expect(try Self.forward(model, stored, images) == stored.run(images, path: .integer))
    }

    @Test func trainingLowersTheIntegerNetworksLossAndKeepsEverythingElse() throws {
        let images = try Self.images(16)
        let before = try Self.converted(bits: 3, images: images)
        let after = try Self.converted(bits: 3, images: images, quantizationAwareEpochs: 20)
        let teacher = try before.network.run(images).rowSoftmax()
        func loss(_ converted: ConvertedNetwork) throws -> Double {
            let model = try #require(NetworkFineTuning.Model(quantizationAware: converted))
            return try model.gradients(input: Self.inputs(converted, images), teacher: teacher).loss
        }
        #expect(try loss(after) < 0.8 * loss(before))
        for (a, b) in zip(before.layers, after.layers) {
            #expect(a.integer.table != b.integer.table)
            #expect(a.integer.prototypes == b.integer.prototypes && a.integer.bias == b.integer.bias)
            #expect(a.integer.requantization == b.integer.requantization && a.integer.scales == b.integer.scales)
            // The float layer holds the real table the integer one was rounded from.
            let scale = try #require(b.integer.scales?.table)
            #expect(b.float.table.values.map { Quantizer.quantize($0, scale: scale, format: b.integer.formats.entry) } == b.integer.table.values)
        }
        #expect(after.refitFloatLayers[9] != before.refitFloatLayers[9])
        #expect(try Self.converted(bits: 3, images: images, quantizationAwareEpochs: 20) == after)
    }

    @Test func theClassifierGradientIsExact() throws {
        let images = try Self.images(3)
        let converted = try Self.converted(bits: 4, images: try Self.images(8))
        let model = try #require(NetworkFineTuning.Model(quantizationAware: converted))
        let inputs = try Self.inputs(converted, images)
        let teacher = try converted.network.run(images).rowSoftmax()
        let (_, gradients) = try model.gradients(input: inputs, teacher: teacher)
        for slot in 2...3 {
            let largest = try #require(gradients[slot].indices.max { abs(gradients[slot][$0]) < abs(gradients[slot][$1]) })
            let numeric = try model.numericGradient(slot: slot, index: largest, input: inputs, teacher: teacher)
            #expect(abs(numeric - gradients[slot][largest]) <= 1e-6 + 1e-4 * abs(numeric), "slot \(slot)")
        }
        #expect(gradients[0].contains { $0 != 0 } && gradients[1].contains { $0 != 0 })
    }
}
