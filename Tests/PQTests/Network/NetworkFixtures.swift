import Foundation
@testable import PQ

/// The committed digits network and data, and small networks built in memory.
enum NetworkFixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let digitsNetwork = repository.appendingPathComponent("reference/digits/cnn")
    static let digitsData = repository.appendingPathComponent("reference/digits")

    /// A network from layer descriptions and arrays given by file name.
    static func network(input: TensorShape, layers: [NetworkDescription.Layer], arrays: [String: NPYArray]) throws -> Network {
        let description = NetworkDescription(name: "test", input: .init(channels: input.channels, height: input.height, width: input.width),
                                             layers: layers)
        return try Network(description) { arrays[$0] }
    }

    /// A layer description with the given fields.
    static func layer(_ name: String, _ kind: LayerKind, outChannels: Int? = nil, kernel: Int? = nil, padding: Int? = nil,
                      outFeatures: Int? = nil, size: Int? = nil, from: String? = nil, pq: Bool? = nil) -> NetworkDescription.Layer {
        var layer = NetworkDescription.Layer(name: name, kind: kind)
        layer.outChannels = outChannels
        layer.kernel = kernel
        layer.padding = padding
        layer.outFeatures = outFeatures
        layer.size = size
        layer.from = from
        layer.pq = pq
        return layer
    }

    /// Seeded Gaussian weights of `shape` as float32.
    static func weights(_ shape: [Int], seed: UInt64) throws -> NPYArray {
        var generator = SeededGenerator(seed: seed)
        return try NPYArray(floats: (0..<shape.reduce(1, *)).map { _ in generator.nextGaussian() * 0.5 }, shape: shape, dtype: .float32)
    }

    /// Images of `shape` with seeded uniform values in 0...1.
    static func images(_ count: Int, _ shape: TensorShape, seed: UInt64) throws -> Activations<Double> {
        var generator = SeededGenerator(seed: seed)
        return try Activations(count: count, shape: shape, values: (0..<(count * shape.count)).map { _ in generator.nextDouble() })
    }
}

extension NetworkFineTuning.Model {
    /// The loss's central difference at parameter `index` of slot `slot`
    /// (step 1e-5), to hold an analytic gradient against.
    func numericGradient(slot: Int, index: Int, input: Activations<Double>, teacher: Matrix<Double>) throws -> Double {
        var plus = self, minus = self
        let h = 1e-5
        plus.parameters[slot][index] += h
        minus.parameters[slot][index] -= h
        return (try plus.gradients(input: input, teacher: teacher).loss - minus.gradients(input: input, teacher: teacher).loss) / (2 * h)
    }
}
