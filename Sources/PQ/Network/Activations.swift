/// The shape of one image's tensor: `channels x height x width` (a flat
/// vector of `F` values is `F x 1 x 1`).
public struct TensorShape: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Channels.
    public var channels: Int
    /// Rows.
    public var height: Int
    /// Columns.
    public var width: Int

    /// A shape as given.
    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// Values per image.
    public var count: Int { channels * height * width }
    /// Whether the tensor is a vector (`height == width == 1`).
    public var isFlat: Bool { height == 1 && width == 1 }

    /// `16x8x8`.
    public var description: String { "\(channels)x\(height)x\(width)" }
}

/// A batch of tensors, `count` images of `shape`, stored flat NCHW.
public struct Activations<Scalar: Sendable & Equatable>: Sendable, Equatable {
    /// Number of images.
    public let count: Int
    /// The shape of one image's tensor.
    public let shape: TensorShape
    /// The values, image after image, each in C order.
    public internal(set) var values: [Scalar]

    /// A batch over `values`; `values.count` must be `count * shape.count`.
    public init(count: Int, shape: TensorShape, values: [Scalar]) throws {
        guard count >= 0, values.count == count * shape.count else {
            throw PQError.sizeMismatch(
                field: "activations", expected: "\(count) x \(shape) = \(count * shape.count) values", found: "\(values.count)")
        }
        self.count = count
        self.shape = shape
        self.values = values
    }

    init(unchecked count: Int, _ shape: TensorShape, _ values: [Scalar]) {
        self.count = count
        self.shape = shape
        self.values = values
    }

    /// The images `range` of the batch.
    public func images(_ range: Range<Int>) -> Activations {
        let size = shape.count
        return Activations(unchecked: range.count, shape, Array(values[(range.lowerBound * size)..<(range.upperBound * size)]))
    }

    /// The same batch read with another shape of as many values.
    func reshaped(_ shape: TensorShape) -> Activations { Activations(unchecked: count, shape, values) }

    /// The same batch with `transform` applied to every value.
    public func map<Other>(_ transform: (Scalar) throws -> Other) rethrows -> Activations<Other> {
        Activations<Other>(unchecked: count, shape, try values.map(transform))
    }

    /// The output shape of a `size x size` pooling with `stride` (windows
    /// that do not fit are dropped, as PyTorch's default does).
    static func pooledShape(_ shape: TensorShape, size: Int, stride: Int) -> TensorShape {
        TensorShape(channels: shape.channels, height: (shape.height - size) / stride + 1, width: (shape.width - size) / stride + 1)
    }

    /// Pools every `size x size` window (step `stride`) of every channel with `reduce`.
    func pooled(size: Int, stride: Int, _ reduce: (ArraySlice<Scalar>) -> Scalar) -> Activations {
        let out = Self.pooledShape(shape, size: size, stride: stride)
        var result: [Scalar] = []
        result.reserveCapacity(count * out.count)
        var window: [Scalar] = []
        window.reserveCapacity(size * size)
        for plane in 0..<(count * shape.channels) {
            let base = plane * shape.height * shape.width
            for y in 0..<out.height {
                for x in 0..<out.width {
                    window.removeAll(keepingCapacity: true)
                    for i in 0..<size {
                        for j in 0..<size { window.append(values[base + (y * stride + i) * shape.width + x * stride + j]) }
                    }
                    result.append(reduce(window[...]))
                }
            }
        }
        return Activations(unchecked: count, out, result)
    }
}

extension Activations where Scalar: Comparable {
    /// The largest value of each window.
    func maxPooled(size: Int, stride: Int) -> Activations {
        pooled(size: size, stride: stride) { $0.max() ?? $0[$0.startIndex] }
    }
}

extension Activations where Scalar == Double {
    /// `max(x, 0)` of every value.
    func relu() -> Activations { map { max($0, 0) } }

    /// The mean of each window.
    func averagePooled(size: Int, stride: Int) -> Activations {
        pooled(size: size, stride: stride) { $0.reduce(0, +) / Double($0.count) }
    }
}

extension Activations where Scalar == Int {
    /// `max(x, 0)` of every value.
    func relu() -> Activations { map { max($0, 0) } }

    /// The mean of each window rounded half up, `floor((2 * sum + n) / (2 * n))`:
    /// integers stay at their scale.
    func averagePooled(size: Int, stride: Int) -> Activations {
        pooled(size: size, stride: stride) { window in
            let n = window.count, sum = window.reduce(0, +)
            let numerator = 2 * sum + n, denominator = 2 * n
            return numerator >= 0 ? numerator / denominator : -((-numerator + denominator - 1) / denominator)
        }
    }
}
