/// A tensor between two layers of a running network: real values, or
/// integers that stand for `value * scale` (the outputs of an integer PQ
/// layer, kept as integers through ReLU, pooling and flatten so the next PQ
/// layer takes them as they are).
public enum NetworkTensor: Sendable, Equatable {
    /// Real values.
    case real(Activations<Double>)
    /// Integers at a scale.
    case quantized(Activations<Int>, scale: Double)

    /// The real values (integers times their scale).
    public var real: Activations<Double> {
        switch self {
        case let .real(values): return values
        case let .quantized(values, scale): return values.map { Double($0) * scale }
        }
    }

    func relu() -> NetworkTensor {
        switch self {
        case let .real(values): return .real(values.relu())
        case let .quantized(values, scale): return .quantized(values.relu(), scale: scale)
        }
    }

    func maxPooled(size: Int, stride: Int) -> NetworkTensor {
        switch self {
        case let .real(values): return .real(values.maxPooled(size: size, stride: stride))
        case let .quantized(values, scale): return .quantized(values.maxPooled(size: size, stride: stride), scale: scale)
        }
    }

    func averagePooled(size: Int, stride: Int) -> NetworkTensor {
        switch self {
        case let .real(values): return .real(values.averagePooled(size: size, stride: stride))
        case let .quantized(values, scale): return .quantized(values.averagePooled(size: size, stride: stride), scale: scale)
        }
    }

    func reshaped(_ shape: TensorShape) -> NetworkTensor {
        switch self {
        case let .real(values): return .real(values.reshaped(shape))
        case let .quantized(values, scale): return .quantized(values.reshaped(shape), scale: scale)
        }
    }
}

extension Network {
    /// What runs a conv or linear layer in place of its float product: given
    /// the layer's index, its weights and its input, the output tensor, or
    /// nil to run it in float.
    public typealias WeightedRunner = (_ index: Int, _ layer: Weighted, _ input: NetworkTensor) throws -> NetworkTensor?

    /// Runs a batch of images (values as stored; the input scale is applied
    /// here) through every layer and returns the last layer's outputs
    /// `[N, outputs]`. `weighted` may take over any conv or linear layer.
    public func run(_ images: Activations<Double>, weighted: WeightedRunner = { _, _, _ in nil }) throws -> Matrix<Double> {
        guard images.shape == inputShape else {
            throw NetworkError.badData(file: "images", reason: "images of shape \(images.shape); the network takes \(inputShape)")
        }
        let input = NetworkTensor.real(images.map { $0 * inputScale })
        var referenced = Set<Int>()
        for layer in layers { if case let .add(from?) = layer.operation { referenced.insert(from) } }
        var kept: [Int: NetworkTensor] = [:]
        var current = input
        for (index, layer) in layers.enumerated() {
            switch layer.operation {
            case let .weighted(w):
                current = try weighted(index, w, current) ?? .real(w.apply(current.real))
            case .relu:
                current = current.relu()
            case let .maxPool(size, stride):
                current = current.maxPooled(size: size, stride: stride)
            case let .avgPool(size, stride):
                current = current.averagePooled(size: size, stride: stride)
            case .flatten:
                current = current.reshaped(layer.outputShape)
            case let .add(from):
                let other = (from.flatMap { kept[$0] } ?? input).real
                var sum = current.real
                for i in sum.values.indices { sum.values[i] += other.values[i] }
                current = .real(sum)
            }
            if referenced.contains(index) { kept[index] = current }
        }
        let result = current.real
        return Matrix(unchecked: result.count, result.shape.count, result.values)
    }

    /// The class of each image: the index of its largest output.
    public func predictions(_ images: Activations<Double>, weighted: WeightedRunner = { _, _, _ in nil }) throws -> [Int] {
        try run(images, weighted: weighted).rowArgmax
    }
}
